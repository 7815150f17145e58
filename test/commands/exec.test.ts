// `baton exec`, `baton runs` and `baton show` as real child processes of the built CLI: real
// shells, real signals, real files under a temp state folder.
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { processAlive } from '../../src/store/lock.js';
import { tempDir, waitFor } from '../helpers/context.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin', 'baton.js');

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'cli.js'))) throw new Error('build first: npm run build (npm test does it)');
});

function baton(dir: string, args: string[], env: Record<string, string> = {}) {
  return execa('node', [bin, '--state-dir', join(dir, 'state'), ...args], { cwd: dir, reject: false, stdin: 'ignore', env: { BATON_OPERATOR: 'ana', ...env } });
}

/** The record files of a state folder, parsed. */
function records(dir: string): any[] {
  const runs = join(dir, 'state', 'runs');
  if (!existsSync(runs)) return [];
  return readdirSync(runs)
    .filter((n) => n.endsWith('.json'))
    .map((n) => JSON.parse(readFileSync(join(runs, n), 'utf8')));
}

const RUNBOOK = `---
title: Nightly checks
variables:
  TARGET: { default: "out-{{env}}" }
  TOKEN: { secret: true, from-env: TEST_TOKEN }
---
# Nightly checks

## Prepare the folder

\`\`\`bash {name=prepare}
mkdir -p {{TARGET}} && echo "prepared {{TARGET}}"
\`\`\`

- [ ] The folder {{TARGET}} is there.

## Call the service

\`\`\`bash {name=call}
echo "calling with {{TOKEN}}"
echo "token again: $BATON_VAR_TOKEN" >&2
\`\`\`
`;

function folder(runbook = RUNBOOK, name = 'nightly.md'): string {
  const dir = tempDir('baton-exec-');
  writeFileSync(join(dir, name), runbook);
  return dir;
}

describe('baton exec', () => {
  it('runs a runbook with --yes, prints progress and a summary, and records it for runs and show', async () => {
    const dir = folder();
    const result = await baton(dir, ['exec', 'nightly.md', '--yes'], { TEST_TOKEN: 'canary-T0k3n' });
    expect(result.exitCode, result.stderr).toBe(0);
    const out = result.stdout;
    expect(out).toMatch(/^Nightly checks — run 2\d{7}T\d{6}-nightly-sandbox-[0-9a-f]{4} in sandbox by ana$/m);
    expect(out).toContain('[1/2] Prepare the folder');
    expect(out).toContain('      prepared out-sandbox');
    expect(out).toMatch(/ {2}✓ prepare \d+ms/);
    expect(out).toContain('  ☑ The folder out-sandbox is there. — confirmed by ana, --yes');
    expect(out).toContain('      calling with ••••••');
    expect(out).toContain('      token again: ••••••');
    expect(out).toMatch(/^DONE: 2\/2 steps done, 2 attempts/m);
    expect(statSync(join(dir, 'out-sandbox')).isDirectory()).toBe(true);

    const runs = await baton(dir, ['runs']);
    expect(runs.stdout.split('\n')[0]).toMatch(/^RUN\s+RUNBOOK\s+ENV\s+STATUS\s+STEPS\s+OPERATOR\s+STARTED/);
    expect(runs.stdout).toMatch(/nightly\s+sandbox\s+done\s+2\/2\s+ana/);
    const id = records(dir)[0].id as string;
    const show = await baton(dir, ['show', id.slice(0, 20)]);
    expect(show.exitCode).toBe(0);
    expect(show.stdout).toContain(`Nightly checks — run ${id}`);
    expect(show.stdout).toContain('[x] The folder out-sandbox is there. — confirmed by ana');
    expect(show.stdout).toContain('TOKEN = (secret, not recorded)');
    for (const text of [result.stdout, result.stderr, show.stdout, ...filesUnder(join(dir, 'state')).map((f) => readFileSync(f, 'utf8'))]) {
      expect(text).not.toContain('canary-T0k3n');
    }
  });

  it('names what is wrong on the command line (exit 2) or in the runbook (exit 3), and runs nothing', async () => {
    const dir = folder();
    const unknownVar = await baton(dir, ['exec', 'nightly.md', '--var', 'TARGT=x', '--yes']);
    expect(unknownVar.exitCode).toBe(2);
    expect(unknownVar.stderr).toBe('baton exec: --var: unknown variable TARGT (did you mean TARGET?)');
    const unknownEnv = await baton(dir, ['exec', 'nightly.md', '--env', 'prd']);
    expect(unknownEnv.exitCode).toBe(2);
    expect(unknownEnv.stderr).toContain('unknown environment prd');
    const badStep = await baton(dir, ['exec', 'nightly.md', '--from', '7']);
    expect(badStep.exitCode).toBe(2);
    expect(badStep.stderr).toContain('--from 7: no such step');
    writeFileSync(join(dir, 'broken.md'), '# Broken\n\n## Step\n\n```bash {timeout=soon}\necho {{NOPE}}\n```\n');
    const broken = await baton(dir, ['exec', 'broken.md', '--yes']);
    expect(broken.exitCode).toBe(3);
    expect(broken.stderr).toMatch(/broken\.md:\d+:\d+: error: /);
    expect(broken.stderr).toContain('broken.md is not valid; nothing ran');
    expect(records(dir)).toEqual([]);
  });

  it('without a terminal and without --yes, stops with "input needed" instead of hanging', async () => {
    const dir = folder();
    const result = await baton(dir, ['exec', 'nightly.md'], { TEST_TOKEN: 't' });
    expect(result.exitCode).toBe(5);
    expect(result.stderr).toContain('baton exec: input needed: The folder out-sandbox is there. (pass --yes, or answer on a terminal)');
    const [record] = records(dir);
    expect(record.status).toBe('aborted');
    expect(record.steps[0].actions[0].status).toBe('succeeded');
    // The next start continues where it stopped, without running the finished action again.
    const resumed = await baton(dir, ['exec', 'nightly.md', '--yes'], { TEST_TOKEN: 't' });
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain('resuming run');
    expect(resumed.stdout).not.toContain('prepared out-sandbox');
  });

  it('in a protected environment --yes does not pass the guard; only the recorded override does', async () => {
    const dir = folder(`# Prod change\n\n## Write the marker\n\n\`\`\`bash\necho done > marker.txt\n\`\`\`\n`, 'change.md');
    writeFileSync(join(dir, 'baton.yaml'), 'default: sandbox\nenvironments:\n  sandbox: {}\n  prod: { protected: true }\n');
    const refused = await baton(dir, ['exec', 'change.md', '--env', 'prod', '--yes']);
    expect(refused.exitCode).toBe(5);
    expect(refused.stderr).toContain('in a protected environment --yes does not answer this: answer on a terminal, or pass --i-know-what-i-am-doing (recorded)');
    expect(existsSync(join(dir, 'marker.txt'))).toBe(false);
    const overridden = await baton(dir, ['exec', 'change.md', '--env', 'prod', '--yes', '--i-know-what-i-am-doing']);
    expect(overridden.exitCode, overridden.stderr).toBe(0);
    expect(overridden.stderr).toContain('not asked (--i-know-what-i-am-doing, recorded)');
    expect(readFileSync(join(dir, 'marker.txt'), 'utf8')).toBe('done\n');
    const show = await baton(dir, ['show', 'last']);
    expect(show.stdout).toMatch(/override +--i-know-what-i-am-doing by ana/);
  });

  it('--dry-run prints every action filled in, runs nothing and records a practice run', async () => {
    const dir = folder();
    const result = await baton(dir, ['exec', 'nightly.md', '--dry-run'], { TEST_TOKEN: 'canary-T0k3n' });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('practice run (dry run: nothing runs)');
    expect(result.stdout).toContain('  ▸ prepare (write: mkdir -p out-sandbox) — would run:\n      mkdir -p out-sandbox && echo "prepared out-sandbox"');
    expect(result.stdout).toContain('      echo "calling with ••••••"');
    expect(result.stdout).not.toContain('canary-T0k3n');
    expect(existsSync(join(dir, 'out-sandbox'))).toBe(false);
    expect((await baton(dir, ['runs'])).stdout).toMatch(/done \(practice\)/);
  });

  it('--json prints one event per line', async () => {
    const dir = folder();
    const result = await baton(dir, ['exec', 'nightly.md', '--yes', '--json'], { TEST_TOKEN: 't' });
    expect(result.exitCode).toBe(0);
    const events = result.stdout.split('\n').map((line) => JSON.parse(line));
    expect(events[0]).toMatchObject({ type: 'run-opened', environment: { name: 'sandbox' }, steps: [{ id: 'prepare-the-folder' }, { id: 'call-the-service' }] });
    expect(events.filter((e) => e.type === 'attempt-ended').map((e) => e.status)).toEqual(['succeeded', 'succeeded']);
    expect(events.at(-1)).toMatchObject({ type: 'run-ended', status: 'done' });
  });

  it('reports a state folder it cannot write, and runs nothing', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'not-a-folder'), '');
    const result = await execa('node', [bin, 'exec', 'nightly.md', '--yes'], { cwd: dir, reject: false, stdin: 'ignore', env: { BATON_STATE_DIR: join(dir, 'not-a-folder', 'state') } });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toBe(
      `baton: cannot read ${join(dir, 'not-a-folder', 'state', 'runs')}: part of that path is not a folder (use --state-dir or BATON_STATE_DIR to point elsewhere)`,
    );
    expect(existsSync(join(dir, 'out-sandbox'))).toBe(false);
  });
});

describe('signals, locks and resume with real processes', () => {
  const LONG = `# Long load\n\n## Start\n\n\`\`\`bash\necho started >> steps.log\n\`\`\`\n\n## Load\n\n\`\`\`bash\necho $$ > load.pid; echo loading >> steps.log; sleep 60\n\`\`\`\n\n## Finish\n\n\`\`\`bash\necho finished >> steps.log\n\`\`\`\n`;

  function start(dir: string, extra: string[] = []): ResultPromise {
    return execa('node', [bin, '--state-dir', join(dir, 'state'), 'exec', 'long.md', '--yes', ...extra], { cwd: dir, reject: false, stdin: 'ignore', env: { BATON_OPERATOR: 'ana' } });
  }

  async function loadPid(dir: string): Promise<number> {
    const file = join(dir, 'load.pid');
    return waitFor(() => existsSync(file) && Number(readFileSync(file, 'utf8')) > 0 && Number(readFileSync(file, 'utf8')), 20_000, 'the load to start');
  }

  it('a second start is refused naming the holder; SIGINT kills the child and records the attempt as aborted', async () => {
    const dir = folder(LONG, 'long.md');
    const first = start(dir);
    const child = await loadPid(dir);
    const second = await baton(dir, ['exec', 'long.md', '--yes'], { BATON_OPERATOR: 'ben' });
    expect(second.exitCode).toBe(4);
    expect(second.stderr).toMatch(new RegExp(`long in sandbox is held by ana on ${hostname()} \\(pid ${first.pid}\\) since .* for run `));
    first.kill('SIGINT');
    const ended = await first;
    expect(ended.exitCode).toBe(130);
    expect(ended.stdout).toMatch(/^ABORTED: 1\/3 steps done/m);
    await waitFor(() => !processAlive(child), 10_000, 'the child to be killed');
    const [record] = records(dir);
    expect(record.status).toBe('aborted');
    expect(record.steps[1].actions[0].attempts[0]).toMatchObject({ status: 'aborted', error: { message: 'stopped before it finished' } });
    expect(record.sessions[0]).toMatchObject({ ended: 'aborted', reason: 'stopped by SIGINT' });
    expect(existsSync(join(dir, 'state', 'locks', 'long@sandbox.json'))).toBe(false);
  });

  it('after SIGKILL the next start asks to take the lock over and what happened to the running action', async () => {
    const dir = folder(LONG, 'long.md');
    const first = start(dir);
    const orphan = await loadPid(dir);
    await waitFor(() => records(dir)[0]?.steps[1].actions[0].attempts[0]?.pid, 10_000, 'the pid in the record');
    first.kill('SIGKILL');
    await first;
    process.kill(-orphan, 'SIGKILL'); // the load's process group outlived baton, as it would in real life

    const headless = await baton(dir, ['exec', 'long.md', '--yes']);
    expect(headless.exitCode).toBe(5);
    expect(headless.stderr).toContain(`long in sandbox is held by ana on ${hostname()} (pid ${first.pid})`);
    expect(headless.stderr).toContain('but that process is gone. Take the lock over? (answer on a terminal, or pass --take-over if that run is really gone)');

    // On a terminal the same questions are asked and answered.
    const terminal = execa('script', ['-qfec', `node ${bin} --state-dir ${join(dir, 'state')} exec long.md --yes`, '/dev/null'], {
      cwd: dir,
      reject: false,
      env: { BATON_OPERATOR: 'ben', TERM: 'dumb' },
    });
    let seen = '';
    terminal.stdout!.on('data', (chunk: Buffer) => (seen += chunk.toString()));
    await waitFor(() => seen.includes('Take the lock over?'), 20_000, 'the take-over question');
    terminal.stdin!.write('y\r');
    await waitFor(() => seen.includes('its outcome is unknown'), 20_000, 'the unknown-outcome question');
    expect(seen).toMatch(/"Load" was running \(attempt 1, started .* by ana\) when baton stopped; its outcome is unknown\. What now\?/);
    expect(seen).toContain('[r] re-run it  [d] mark it done (it did its work)  [s] skip it');
    terminal.stdin!.write('d\r');
    const result = await terminal;
    expect(result.exitCode, seen).toBe(0);
    expect(readFileSync(join(dir, 'steps.log'), 'utf8')).toBe('started\nloading\nfinished\n');
    const [record] = records(dir);
    expect(record.status).toBe('done');
    expect(record.steps[1].actions[0]).toMatchObject({ status: 'marked-done', attempts: [{ status: 'unknown' }] });
    expect(record.decisions.map((d: any) => [d.kind, d.answer, d.by, d.via])).toEqual([
      ['take-over', 'yes', 'ben', 'operator'],
      ['unknown-outcome', 'mark-done', 'ben', 'operator'],
    ]);
  });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

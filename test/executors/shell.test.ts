import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { shellExecutor } from '../../src/executors/shell.js';
import { ShellLauncher } from '../../src/executors/shell-launcher.js';
import { executorFor } from '../../src/executors/index.js';
import { processAlive } from '../../src/store/lock.js';
import { closeTestScope, collect, shellContext, tempDir, waitFor } from '../helpers/context.js';

// Real processes on a shared machine: give them time; nothing here asserts on timing.
vi.setConfig({ testTimeout: 60_000 });

afterAll(closeTestScope);

describe('shell executor', () => {
  it('is registered for shell actions', async () => {
    expect(await executorFor('shell')).toBe(shellExecutor);
  });

  it('runs bash -eo pipefail in the runbook folder and streams every line, with the full output in the log', async () => {
    const dir = tempDir();
    const code = 'pwd; for i in 1 2 3; do echo "line $i"; done; echo oops >&2; echo after-pipe | cat';
    const { result, lines, events } = await collect(shellExecutor.run(shellContext(dir, { code })));
    // Two pipes: each stream keeps its order, the two may interleave either way.
    const stdout = events.flatMap((e) => (e.type === 'lines' && e.stream === 'stdout' ? e.lines : []));
    expect(stdout).toEqual([dir, 'line 1', 'line 2', 'line 3', 'after-pipe']);
    expect(lines).toContain('oops');
    expect(result.ok).toBe(true);
    expect(result.fields).toMatchObject({ exit: 0, lines: 6 });
    expect(result.fields.stdout).toBe(`${dir}\nline 1\nline 2\nline 3\nafter-pipe`);
    expect(result.fields.stderr).toBe('oops');
    expect(events.some((e) => e.type === 'process' && e.pid > 0)).toBe(true);
    expect(readFileSync(join(dir, 'attempt.log'), 'utf8').split('\n')).toEqual(expect.arrayContaining(['line 1', 'line 3', 'oops', 'after-pipe']));
  });

  it('runs multi-line code with quotes and non-ASCII text exactly as written, one action after another', async () => {
    const dir = tempDir();
    const code = 'printf "%s\\n" "Grüße, 東京" \'it\'"\'"\'s\'\ncat <<EOF\n  indented $((1 + 1))\nEOF';
    const first = await collect(shellExecutor.run(shellContext(dir, { code })));
    expect(first.lines).toEqual(['Grüße, 東京', "it's", '  indented 2']);
    const second = await collect(shellExecutor.run(shellContext(dir, { code: 'echo second' })));
    expect(second.lines).toEqual(['second']);
  });

  it('fails on the first failing command, including inside a pipeline', async () => {
    const dir = tempDir();
    const { result } = await collect(shellExecutor.run(shellContext(dir, { code: 'false | cat; echo not-reached' })));
    expect(result.ok).toBe(false);
    expect(result.fields.exit).toBe(1);
    expect(result.fields.stdout).toBe('');
    const failing = await collect(shellExecutor.run(shellContext(dir, { code: 'echo before; echo "no such table" >&2; exit 7' })));
    expect(failing.result.error?.message).toBe('exit 7: no such table');
    expect(failing.result.excerpt).toBe('no such table');
  });

  it('keeps only a bounded tail in memory while the log gets everything', async () => {
    const dir = tempDir();
    const { result } = await collect(shellExecutor.run(shellContext(dir, { code: 'seq 1 400000' })));
    expect(result.fields.lines).toBe(400000);
    const stdout = result.fields.stdout as string;
    expect(stdout.length).toBeLessThanOrEqual(1024 * 1024);
    expect(stdout.endsWith('399999\n400000')).toBe(true);
    expect(result.fields.stdoutTruncated).toBe(true);
    const log = readFileSync(join(dir, 'attempt.log'), 'utf8');
    expect(log.startsWith('1\n2\n3\n')).toBe(true);
    expect(log.split('\n').length).toBe(400001);
  });

  it('cancelling kills the whole process group, grandchildren too', async () => {
    const dir = tempDir();
    const controller = new AbortController();
    const context = shellContext(dir, { code: '(sleep 60; echo never) & echo $! > grandchild.pid; sleep 60' }, { signal: controller.signal });
    const running = collect(shellExecutor.run(context));
    const pidFile = join(dir, 'grandchild.pid');
    await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '', 10_000, 'the grandchild pid');
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    expect(processAlive(grandchild)).toBe(true);
    controller.abort();
    const { result } = await running;
    expect(result.interrupted).toBe('aborted');
    expect(result.ok).toBe(false);
    await waitFor(() => !processAlive(grandchild), 10_000, 'the grandchild to die');
  });

  it('gives the child baton facts and plain variables, and a secret only when the action names it', async () => {
    const dir = tempDir();
    const variables = { WH: 'ETL_WH', TOKEN: 'tok-123' };
    const plain = await collect(
      shellExecutor.run(shellContext(dir, { code: 'echo "$BATON_ENV $BATON_RUN_ID $BATON_VAR_WH"; env | grep -c "^BATON_VAR_TOK" || true' }, { variables, secretNames: ['TOKEN'], secrets: ['tok-123'] })),
    );
    expect(plain.lines).toEqual(['sandbox test-run ETL_WH', '0']);
    const named = await collect(
      shellExecutor.run(shellContext(dir, { code: 'test -n "$BATON_VAR_TOKEN" && echo "token is $BATON_VAR_TOKEN"' }, { variables, secretNames: ['TOKEN'], secrets: ['tok-123'] })),
    );
    expect(named.lines).toEqual(['token is ••••••']);
    expect(readFileSync(join(dir, 'attempt.log'), 'utf8')).not.toContain('tok-123');
  });

  it('puts this build of baton first on PATH, with the run’s state and runbooks folders', async () => {
    const dir = tempDir();
    const context = { ...shellContext(dir, { code: 'command -v baton; echo "$BATON_STATE_DIR|$BATON_RUNBOOKS"; baton --version' }), stateDir: join(dir, 'state') };
    const { result, lines } = await collect(shellExecutor.run(context));
    expect(result.ok).toBe(true);
    const repo = join(fileURLToPath(new URL('../..', import.meta.url)), 'bin', 'baton');
    expect(lines[0]).toBe(repo);
    expect(lines[1]).toBe(`${join(dir, 'state')}|${dir}`);
    expect(lines[2]).toBe(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version);
  });

  it('runs in the action cwd the runner gives it', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'here.txt'), 'x');
    const context = { ...shellContext(dir, { code: 'ls' }), cwd: join(dir, 'sub') };
    const { lines } = await collect(shellExecutor.run(context));
    expect(lines).toEqual(['here.txt']);
  });

  it('reports a folder that does not exist as a failed result, not a throw', async () => {
    const dir = tempDir();
    const context = { ...shellContext(dir, { code: 'echo hi' }), cwd: join(dir, 'missing') };
    const { result } = await collect(shellExecutor.run(context));
    expect(result.ok).toBe(false);
    expect(result.error?.message).toBe(`cannot start in ${join(dir, 'missing')}: no such folder`);
  });

  it('creates the log of an attempt that prints nothing, and appends to a log that exists', async () => {
    const dir = tempDir();
    const silent = await collect(shellExecutor.run(shellContext(dir, { code: 'true' })));
    expect(silent.result.ok).toBe(true);
    expect(readFileSync(join(dir, 'attempt.log'), 'utf8')).toBe('');
    await collect(shellExecutor.run(shellContext(dir, { code: 'echo "$BATON_LOG" | grep -c attempt.log' })));
    expect(readFileSync(join(dir, 'attempt.log'), 'utf8')).toBe('1\n');
  });

  it('hands over folders, code and values byte for byte: empty values, colons, accents, a folder with spaces', async () => {
    const dir = join(tempDir(), 'dossier été: 2');
    mkdirSync(dir);
    const env = { EMPTY: '', MIXED: 'a:b:c — ünïcödé 東京', LAST: 'end' };
    const code = 'printf "%s|" "$(pwd)" "$EMPTY" "$MIXED" "$LAST" "Grüße"; echo';
    // Under a UTF-8 locale a character is not a byte: the launcher must still cut the request right.
    for (const locale of [undefined, 'C.UTF-8']) {
      expect(await launched(code, { cwd: dir, env }, locale)).toBe(`${dir}||a:b:c — ünïcödé 東京|end|Grüße|\n`);
    }
  });

  it('gives the action the LC_ALL baton was started with, or none, whatever the launcher uses for itself', async () => {
    const code = 'printf %s "${LC_ALL-unset}"';
    expect(await launched(code, { cwd: tempDir(), env: {} }, undefined)).toBe('unset');
    expect(await launched(code, { cwd: tempDir(), env: {} }, 'C.UTF-8')).toBe('C.UTF-8');
  });

  it('runs each action in a bash of its own, started before it is asked for, with what bash -c would give', async () => {
    const launcher = ShellLauncher.start();
    try {
      // The launcher's children while the first action runs: this one, and the next one, waiting.
      const first = await runOn(launcher, 'echo "$$ $BASHPID $LINENO $-"; ps -o pid= --ppid "$PPID"');
      const [own, ...children] = first.out.trim().split('\n');
      const [pid, bashpid, line, flags] = own!.split(' ');
      expect(Number(pid)).toBe(first.pid);
      expect(bashpid).toBe(pid);
      expect(line).toBe('1');
      expect(flags).toMatch(/^(?=.*e)(?=.*c)[^m]*$/);
      const waiting = children.map(Number).filter((child) => child !== first.pid);
      expect(waiting).toHaveLength(1);
      // The second action is that one: its own pid, nothing of the launcher's open but 0, 1 and 2,
      // none of the next one's variables, pipefail on, and stdin at its end.
      const second = await runOn(launcher, 'echo $$; ls /proc/self/fd | tr "\n" " "; echo; set | grep -c "^__baton" || true; set -o | grep pipefail; cat; echo end');
      const [secondPid, fds, leftovers, pipefail, end] = second.out.trim().split('\n');
      expect(Number(secondPid)).toBe(waiting[0]);
      expect(second.pid).toBe(waiting[0]);
      // What any child of this test process inherits anyway (a test runner's own descriptors) aside.
      const inherited = new Set(spawnSync('ls', ['/proc/self/fd'], { encoding: 'utf8' }).stdout.trim().split('\n'));
      expect(fds!.trim().split(' ').filter((fd) => !inherited.has(fd) && !['0', '1', '2', '3'].includes(fd))).toEqual([]);
      expect(leftovers).toBe('0');
      expect(pipefail).toMatch(/pipefail\s+on/);
      expect(end).toBe('end');
    } finally {
      launcher.close();
    }
  });

  it('a waiting bash killed before its turn fails that action only: the next one runs', async () => {
    const launcher = ShellLauncher.start();
    try {
      const first = await runOn(launcher, 'ps -o pid= --ppid "$PPID"');
      const waiting = first.out.trim().split('\n').map(Number).filter((pid) => pid !== first.pid);
      expect(waiting).toHaveLength(1);
      process.kill(waiting[0]!, 'SIGTERM');
      await waitFor(() => !processAlive(waiting[0]!), 5_000, 'the waiting bash to end');
      let out = '';
      const lost = await launcher.run({ cwd: tempDir(), env: {}, code: 'echo never' }, { output: (_stream, text) => (out += text), started: () => {} });
      expect(lost).toEqual({ status: 143 });
      expect(out).toBe('');
      expect((await runOn(launcher, 'echo next')).out).toBe('next\n');
    } finally {
      launcher.close();
    }
  });

  it('sources BASH_ENV in each action, as bash -c does, and its output is the action’s', async () => {
    const dir = tempDir();
    const file = join(dir, 'env.sh');
    writeFileSync(file, 'echo "from BASH_ENV in $PWD"\nexport FROM_BASH_ENV=yes\n');
    const launcher = startWith('BASH_ENV', file);
    try {
      for (const round of [1, 2]) {
        const { out } = await runOn(launcher, 'echo "$FROM_BASH_ENV $BASH_ENV ${__baton_bash_env-gone}"', dir);
        expect(out, `action ${round}`).toBe(`from BASH_ENV in ${dir}\nyes ${file} gone\n`);
      }
    } finally {
      launcher.close();
    }
  });

  it('does not wait forever for background children that keep the output open', async () => {
    const dir = tempDir();
    const { result } = await collect(shellExecutor.run(shellContext(dir, { code: 'sleep 30 & echo $!' })));
    expect(result.ok).toBe(true);
    const background = Number(result.fields.stdout);
    expect(processAlive(background)).toBe(true);
    process.kill(background);
  });
});

/** What one action prints through a launcher of its own, started with `LC_ALL` set to `locale` (or unset). */
async function launched(code: string, where: { cwd: string; env: Record<string, string> }, locale: string | undefined): Promise<string> {
  const launcher = startWith('LC_ALL', locale);
  try {
    return (await runOn(launcher, code, where.cwd, where.env)).out;
  } finally {
    launcher.close();
  }
}

/** A launcher started while baton's own `name` is `value` (or unset); baton's is put back after. */
function startWith(name: string, value: string | undefined): ShellLauncher {
  const before = process.env[name];
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
  try {
    return ShellLauncher.start();
  } finally {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
  }
}

/** What one action prints (both streams) through `launcher`, and its pid. */
async function runOn(launcher: ShellLauncher, code: string, cwd = tempDir(), env: Record<string, string> = {}): Promise<{ out: string; pid: number }> {
  let out = '';
  let pid = -1;
  const outcome = await launcher.run({ cwd, env, code }, { output: (_stream, text) => (out += text), started: (started) => (pid = started) });
  expect(outcome, out).toEqual({ status: 0 });
  return { out, pid };
}

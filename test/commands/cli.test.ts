// The built CLI, run as a real child process, the way operators and CI jobs run it.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin', 'baton.js');

function baton(args: string[], cwd = root) {
  return execa('node', [bin, ...args], { cwd, reject: false, stdin: 'ignore', env: { NO_COLOR: '1' } });
}

let folder: string;
beforeAll(async () => {
  if (!existsSync(join(root, 'dist', 'cli.js'))) throw new Error('build first: npm run build (npm test does it)');
  folder = await mkdtemp(join(tmpdir(), 'baton-cli-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

// Each test starts node: allow for a busy machine.
describe('baton validate', { timeout: 60_000 }, () => {
  it('exits 1 with one file:line:col line each for bad YAML, a bad duration and an unknown variable', async () => {
    const file = join(folder, 'broken.md');
    await writeFile(
      file,
      [
        '---',
        'title: Broken',
        'tags: [setup',
        'variables:',
        '  WH: { default: ETL_WH }',
        '---',
        '# Broken',
        '',
        '## Create the warehouse',
        '',
        '```sql {timeout=soon}',
        'CREATE WAREHOUSE IF NOT EXISTS {{WHH}};',
        '```',
        '',
      ].join('\n'),
    );
    const result = await baton(['validate', file]);
    expect(result.exitCode).toBe(1);
    const located = result.stdout.split('\n').filter((line) => /^.+:\d+:\d+: /.test(line));
    expect(located).toEqual([
      `${file}:3:7: error: invalid YAML in the front matter: the [ opened here is never closed: add the closing ]`,
      `${file}:11:17: error: timeout: bad duration "soon" at "soon" (write e.g. 90s, 2m or 1h30m)`,
      `${file}:12:32: error: unknown variable {{WHH}} (did you mean WH?): declare it under variables: in the front matter`,
    ]);
    expect(result.stderr).toBe('');
  });

  it('exits 0 on the bundled runbooks', async () => {
    const result = await baton(['validate', 'runbooks']);
    expect(result.stdout).toMatch(/^checked \d{2} runbooks and baton.yaml: no problems$/);
    expect(result.exitCode).toBe(0);
  });

  it('prints warnings without failing, and JSON for tools', async () => {
    const file = join(folder, 'warned.md');
    await writeFile(file, '---\nowner: me\ncolour: blue\n---\n# Warned\n## Step\n');
    const lines = await baton(['validate', file]);
    expect(lines.exitCode).toBe(0);
    expect(lines.stdout).toContain(`${file}:3:1: warning: unknown front matter key "colour"`);
    const json = await baton(['validate', '--json', file]);
    expect(json.exitCode).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      errors: 0,
      warnings: 1,
      runbooks: [{ path: file, id: 'warned', valid: true, title: 'Warned' }],
    });
  });
});

describe('a broken baton.yaml', { timeout: 60_000 }, () => {
  it('is reported by validate with its folder, and stops sql and connections before they connect', async () => {
    const runbooks = join(folder, 'broken-config');
    await mkdir(runbooks, { recursive: true });
    await writeFile(join(runbooks, 'ok.md'), '# Fine\n\n## One\n\n```sh\necho one\n```\n');
    await writeFile(join(runbooks, 'baton.yaml'), 'environments:\n  sandbox: [\n');
    const where = new RegExp(`^${join(runbooks, 'baton.yaml').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:3:1: error: YAML: `, 'm');

    const checked = await baton(['validate', runbooks]);
    expect(checked.exitCode).toBe(1);
    expect(checked.stdout).toMatch(where);
    expect(checked.stdout).toMatch(/checked 1 runbook and baton\.yaml: 1 error$/);
    const alone = await baton(['validate', join(runbooks, 'baton.yaml')]);
    expect(alone.exitCode).toBe(1);
    expect(alone.stdout).toMatch(/checked 0 runbooks and baton\.yaml: 1 error$/);

    for (const args of [
      ['sql', '--runbooks', runbooks, '-q', 'SELECT 1'],
      ['connections', 'list', '--runbooks', runbooks],
    ]) {
      const result = await baton(args);
      expect(result.exitCode, args.join(' ')).toBe(3);
      expect(result.stderr).toMatch(where);
      expect(result.stderr).toContain('is not valid: fix it (baton validate');
      expect(result.stdout).toBe('');
    }
  });
});

describe('baton list', { timeout: 60_000 }, () => {
  const examples = join(root, 'test', 'fixtures', 'examples');

  it('prints one line per runbook of a folder: steps, actions by kind, checks', async () => {
    const result = await baton(['list', examples]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      expect.stringMatching(/^01-warehouse-setup +Warehouse setup +4 steps +9 actions \(sql 6, shell 3\) +3 checks$/),
      expect.stringMatching(/^02-load-recovery +Nightly load recovery +4 steps +6 actions \(sql 1, shell 2, autosys 3\) +2 checks$/),
    ]);
  });

  it('takes the folder as --runbooks and prints JSON', async () => {
    const result = await baton(['list', '--runbooks', examples, '--json']);
    expect(JSON.parse(result.stdout).map((r: { id: string; steps: number }) => [r.id, r.steps])).toEqual([
      ['01-warehouse-setup', 4],
      ['02-load-recovery', 4],
    ]);
  });

  it('lists the bundled go-live library by default, in file order', async () => {
    const result = await baton(['list', '--json']);
    expect(result.exitCode).toBe(0);
    const ids = JSON.parse(result.stdout).map((r: { id: string }) => r.id) as string[];
    expect(ids.length).toBeGreaterThanOrEqual(20);
    expect(ids).toEqual([...ids].sort());
    expect(ids[0]).toMatch(/^01-/);
  });

  it('says so when the folder does not exist, with exit 2', async () => {
    const result = await baton(['list', join(folder, 'nope')]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('cannot read the runbooks folder: it does not exist');
  });
});

describe('bare baton', { timeout: 60_000 }, () => {
  it('without a terminal, lists the bundled runbooks instead of opening the app, from any folder', async () => {
    const result = await baton([], folder);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^01-\S+ +\S/m);
  });

  it('refuses an unknown command with exit 2', async () => {
    const result = await baton(['frobnicate']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("unknown command 'frobnicate'");
  });
});

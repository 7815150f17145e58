// `baton exec` of a runbook mixing shell and SQL, as a real child process, against a sandbox server
// (test engine at the SandboxEngine seam): the record holds every query id and row count. And the
// proof that a runbook without SQL never loads snowflake-sdk.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/store/record.js';
import { startTestSandbox, type TestSandbox } from '../sandbox/fixture.js';
import { memoryEngine, type MemoryEngine } from '../sandbox/memory-engine.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin', 'baton.js');
let sandbox: TestSandbox;
let engine: MemoryEngine;
let folder: string;

// A module hook that notes every import of snowflake-sdk in a file, whatever imports it.
const WATCH = `data:text/javascript,${encodeURIComponent(`
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(\`
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  if (process.env.BATON_IMPORT_LOG && (specifier === 'snowflake-sdk' || specifier.startsWith('snowflake-sdk/'))) appendFileSync(process.env.BATON_IMPORT_LOG, specifier + '\\\\n');
  return next(specifier, context);
}\`));
`)}`;

function baton(args: string[], env: Record<string, string> = {}) {
  return execa('node', ['--import', WATCH, bin, ...args], {
    cwd: folder,
    reject: false,
    stdin: 'ignore',
    env: { NO_COLOR: '1', SNOWFLAKE_HOME: folder, BATON_SANDBOX_URL: sandbox.url, BATON_OPERATOR: 'night-shift', ...env },
    extendEnv: false,
  });
}

beforeAll(async () => {
  if (!existsSync(join(root, 'dist', 'cli.js'))) throw new Error('build first: npm run build (npm test does it)');
  engine = memoryEngine();
  sandbox = await startTestSandbox({ engine });
  folder = await mkdtemp(join(tmpdir(), 'baton-exec-sql-'));
  await writeFile(
    join(folder, 'load.md'),
    [
      '---',
      'title: Nightly load',
      '---',
      '# Nightly load',
      '',
      '## Prepare the landing folder',
      '',
      '```sh',
      'echo landing ready',
      '```',
      '',
      '## Load the orders',
      '',
      '```sql {expect="updated == 5" capture=load}',
      'insert 5',
      '```',
      '',
      '## Check the counts',
      '',
      '```sql {expect="rows == 12 and value == 1"}',
      'use role ANALYST;',
      'select rows 12;',
      '```',
    ].join('\n'),
  );
  await writeFile(join(folder, 'shell-only.md'), '---\ntitle: Shell only\n---\n# Shell only\n\n## Say hello\n\n```sh\necho hello\n```\n');
});
afterAll(async () => {
  await sandbox?.stop();
});

describe('baton exec with SQL actions', { timeout: 60_000 }, () => {
  it('runs shell and SQL headless and records every query id and row count', async () => {
    const importLog = join(folder, 'imports-sql.log');
    const result = await baton(['exec', 'load.md', '--state-dir', join(folder, 'state')], { BATON_IMPORT_LOG: importLog });
    expect(result.stderr).not.toMatch(/Error|at .*\.js:\d+/);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('landing ready');
    const show = await baton(['show', 'last', '--json', '--state-dir', join(folder, 'state')]);
    const record = JSON.parse(show.stdout) as RunRecord;
    expect(record.status).toBe('done');
    const [, load, check] = record.steps;
    const loadAttempt = load!.actions[0]!.attempts[0]!;
    expect(loadAttempt.queryIds).toHaveLength(1);
    expect(loadAttempt.details!.statements).toEqual([expect.objectContaining({ kind: 'INSERT', rows: 1, updated: 5, queryId: loadAttempt.queryIds![0] })]);
    const checkAttempt = check!.actions[0]!.attempts[0]!;
    expect(checkAttempt.queryIds).toHaveLength(2);
    expect((checkAttempt.details!.statements as { kind: string; rows: number }[]).map((s) => [s.kind, s.rows])).toEqual([
      ['USE', 1],
      ['SELECT', 12],
    ]);
    expect(checkAttempt.expect).toEqual({ source: 'rows == 12 and value == 1', passed: true });
    // The query tag ties each statement in Snowflake's history to this run and operator.
    const tags = engine.executed.slice(-3).map((s) => JSON.parse(String(s.parameters!.QUERY_TAG)));
    expect(tags.map((t) => [t.runbook, t.step, t.run, t.operator])).toEqual([
      ['load', 'load-the-orders', record.id, 'night-shift'],
      ['load', 'check-the-counts', record.id, 'night-shift'],
      ['load', 'check-the-counts', record.id, 'night-shift'],
    ]);
    // The full output is in the attempt's log.
    const log = await readFile(join(folder, 'state', checkAttempt.log!), 'utf8');
    expect(log).toContain(`query ${checkAttempt.queryIds![1]}`);
    expect(await readFile(importLog, 'utf8')).toContain('snowflake-sdk');
  });

  it('never loads snowflake-sdk for a runbook without SQL', async () => {
    const importLog = join(folder, 'imports-shell.log');
    const result = await baton(['exec', 'shell-only.md', '--state-dir', join(folder, 'state')], { BATON_IMPORT_LOG: importLog });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('hello');
    expect(existsSync(importLog)).toBe(false);
  });

  it('fails the step with the SQL error and exits 1', async () => {
    await writeFile(join(folder, 'broken.md'), "---\ntitle: Broken\n---\n# Broken\n\n## Query\n\n```sql\nfail 002003 42S02 Object 'ORDERS' does not exist or not authorized.\n```\n");
    const result = await baton(['exec', 'broken.md', '--state-dir', join(folder, 'state')]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout + result.stderr).toMatch(/002003 \(42S02\): Object 'ORDERS' does not exist or not authorized\./);
  });
});

// What a run hands its steps and keeps for its resume, end to end: `baton exec` as a child process,
// the real snowflake-sdk, the sandbox server on its DuckDB-backed engine. A step calls `baton` by
// name and lands in the run's state folder, environments and sandbox (also as a key-pair service
// user); a resumed run gets its USE ROLE / USE DATABASE back; a headless watch gives up at its
// timeout; a SQL action's fields read its last statement and a denial's reason.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnowflakeEngine } from '../../src/sandbox/sql/engine.js';
import { batonIn, requireBuild } from '../helpers/baton-in.js';
import { startTestSandbox, type TestSandbox } from '../sandbox/fixture.js';

let sandbox: TestSandbox;
let folder: string;
const { baton, lastRecord } = batonIn(() => folder, () => sandbox.url, { PATH: process.env.PATH ?? '', BATON_OPERATOR: 'night-shift' });

async function runbook(name: string, lines: string[]): Promise<void> {
  await writeFile(join(folder, name), lines.join('\n'));
}

beforeAll(async () => {
  requireBuild();
  folder = await mkdtemp(join(tmpdir(), 'baton-e2e-context-'));
  sandbox = await startTestSandbox({ engine: await SnowflakeEngine.open({ dataDir: join(folder, 'engine'), seed: false }) });
  // `rehearsal` exists only in this baton.yaml: a step that finds it found the run's runbooks folder.
  await writeFile(join(folder, 'baton.yaml'), 'default: sandbox\nenvironments:\n  sandbox: { sandbox: true }\n  rehearsal: { protected: true, connection: sandbox }\n');
});
afterAll(async () => {
  await sandbox?.stop();
});

describe('what a run gives its steps and keeps for its resume', { timeout: 120_000 }, () => {
  it('runs a step with this build of baton on PATH, seeing the run’s state folder, environments and sandbox', async () => {
    await runbook('inside.md', [
      '# Inside',
      '',
      '## Ask baton from a step',
      '',
      '```sh',
      'echo "state: $BATON_STATE_DIR"',
      'baton runs --json > runs.json',
      'baton sql --env rehearsal -q "SELECT CURRENT_USER() AS WHO" -o json',
      '```',
    ]);
    const result = await baton(['exec', 'inside.md']);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`state: ${join(folder, 'state')}`);
    expect(result.stdout).toContain('[{"WHO":"OPERATOR"}]');
    const record = await lastRecord();
    // The step's `baton runs` listed this very run, still running while it asked.
    const listed = JSON.parse(await readFile(join(folder, 'runs.json'), 'utf8')) as { id: string; status: string }[];
    expect(listed).toContainEqual(expect.objectContaining({ id: record.id, status: 'running' }));
  });

  it('lets a step log in to the sandbox as a key-pair service user with the Snowflake variables', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await writeFile(join(folder, 'svc_key.p8'), privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
    await runbook('key-login.md', [
      '# Key login',
      '',
      '## Register the key',
      '',
      '```sql',
      'CREATE USER IF NOT EXISTS SVC_NIGHT TYPE = SERVICE DEFAULT_ROLE = PUBLIC;',
      `ALTER USER SVC_NIGHT SET RSA_PUBLIC_KEY = '${publicKey.export({ format: 'der', type: 'spki' }).toString('base64')}';`,
      '```',
      '',
      '## Log in as the service user',
      '',
      '```sh {expect="exit == 0 and stdout contains \'SVC_NIGHT\' and stdout contains \'PUBLIC\'"}',
      'SNOWFLAKE_USER=SVC_NIGHT SNOWFLAKE_AUTHENTICATOR=SNOWFLAKE_JWT SNOWFLAKE_PRIVATE_KEY_FILE="$PWD/svc_key.p8" \\',
      '  baton sql --env sandbox -q "SELECT CURRENT_USER() AS WHO, CURRENT_ROLE() AS ROLE" -o json',
      '```',
    ]);
    const result = await baton(['exec', 'key-login.md']);
    expect(result.stdout).toContain('[{"WHO":"SVC_NIGHT","ROLE":"PUBLIC"}]');
    expect(result.exitCode).toBe(0);
  });

  it('restores the session the run had set up when it resumes in a new process', async () => {
    await runbook('resume.md', [
      '# Resume',
      '',
      '## Set the session up',
      '',
      '```sql',
      'USE ROLE SYSADMIN;',
      'CREATE DATABASE IF NOT EXISTS NIGHT;',
      'USE SCHEMA NIGHT.PUBLIC;',
      '```',
      '',
      '## Wait for the go-ahead',
      '',
      '```sh',
      'test -f go-ahead',
      '```',
      '',
      '## Still where it was',
      '',
      '```sql {expect="row[0].ROLE == \'SYSADMIN\' and row[0].DB == \'NIGHT\' and row[0].SCH == \'PUBLIC\'"}',
      'SELECT CURRENT_ROLE() AS ROLE, CURRENT_DATABASE() AS DB, CURRENT_SCHEMA() AS SCH;',
      '```',
    ]);
    const first = await baton(['exec', 'resume.md']);
    expect(first.exitCode).toBe(1);
    const stopped = await lastRecord();
    expect(stopped.context).toEqual({ 'snowflake:sandbox': ['USE ROLE SYSADMIN', 'USE SCHEMA NIGHT.PUBLIC'] });

    await writeFile(join(folder, 'go-ahead'), '');
    const resumed = await baton(['exec', 'resume.md']);
    expect(resumed.stdout).toContain("-- restored the run's session: USE ROLE SYSADMIN; USE SCHEMA NIGHT.PUBLIC");
    expect(resumed.exitCode).toBe(0);
    const record = await lastRecord();
    expect(record.id).toBe(stopped.id);
    expect(record.steps.at(-1)!.actions[0]!.attempts.at(-1)).toMatchObject({ status: 'succeeded', expect: { passed: true } });
  });

  it('gives up a headless watch once its timeout has passed, and the run ends failed', async () => {
    await runbook('watch.md', ['# Watch', '', '## Wait for SU', '', '```sh {watch=100ms timeout=1s expect="stdout == \'SU\'"}', 'echo RU', '```']);
    const result = await baton(['exec', 'watch.md']);
    expect(result.exitCode).toBe(1);
    const record = await lastRecord();
    expect(record.status).toBe('failed');
    expect(record.steps[0]!.failure).toMatch(/gave up watching after 1\.0s \(last: expect did not hold/);
    expect(record.steps[0]!.actions[0]!.attempts.at(-1)).toMatchObject({ excerpt: 'RU', expect: { passed: false } });
  });

  it('reads the last statement of an action (SHOW then RESULT_SCAN), SHOW flags as booleans, and the reason of a denial', async () => {
    await runbook('results.md', [
      '# Results',
      '',
      '## The warehouse',
      '',
      '```sql {capture=WH expect="rows == 1 and columns == [\'name\', \'auto_resume\', \'auto_suspend\'] and row[0].auto_resume == true and row[0].auto_resume == \'true\' and row[0].auto_suspend > 0"}',
      "SHOW WAREHOUSES LIKE 'COMPUTE_WH';",
      'SELECT "name", "auto_resume", "auto_suspend" FROM TABLE(RESULT_SCAN(LAST_QUERY_ID()));',
      '```',
      '',
      '```sql {expect="row[0].name == \'COMPUTE_WH\' and row[0].auto_suspend > 0 and columns contains \'auto_suspend\' and not (columns contains \'AUTO_SUSPEND\')"}',
      "SHOW WAREHOUSES LIKE 'COMPUTE_WH';",
      '```',
      '',
      '## A role without grants is refused',
      '',
      '```sql {expect="not ok and error.code in [\'002003\', \'003001\'] and error.message contains \'NIGHT\'"}',
      'USE ROLE PUBLIC;',
      'CREATE TABLE NIGHT.PUBLIC.PROBE (ID INT);',
      '```',
      '',
      '## Captured from the last statement',
      '',
      '```sh {expect="stdout == \'COMPUTE_WH\'"}',
      'echo "{{WH}}"',
      '```',
    ]);
    const result = await baton(['exec', 'results.md']);
    expect(result.exitCode).toBe(0);
    const record = await lastRecord();
    const [show, denied] = record.steps.map((s) => s.actions[0]!.attempts.at(-1)!);
    expect((show!.details!.statements as { kind: string }[]).map((s) => s.kind)).toEqual(['SHOW', 'SELECT']);
    expect(denied).toMatchObject({ status: 'succeeded', expect: { passed: true }, error: { code: expect.stringMatching(/^00(2003|3001)$/) } });
  });
});

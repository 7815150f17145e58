// End to end through everything real: `baton exec` as a child process, the real snowflake-sdk, the
// sandbox server and its DuckDB-backed Snowflake engine. A runbook mixing shell and SQL, a
// protected environment where the guard asks Snowflake where it is, and a statement cancelled on
// the server when its time is up.
import { generateKeyPairSync } from 'node:crypto';
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnowflakeEngine } from '../../src/sandbox/sql/engine.js';
import { batonIn, requireBuild } from '../helpers/baton-in.js';
import { startTestSandbox, type TestSandbox } from '../sandbox/fixture.js';

let sandbox: TestSandbox;
let folder: string;
const { baton, lastRecord } = batonIn(() => folder, () => sandbox.url, { BATON_OPERATOR: 'trainee' });

beforeAll(async () => {
  requireBuild();
  folder = await mkdtemp(join(tmpdir(), 'baton-e2e-sql-'));
  sandbox = await startTestSandbox({ engine: await SnowflakeEngine.open({ dataDir: join(folder, 'engine'), seed: false }) });
  await writeFile(join(folder, 'baton.yaml'), 'default: sandbox\nenvironments:\n  sandbox: { sandbox: true }\n  rehearsal: { protected: true, connection: sandbox, variables: { DB: REHEARSAL } }\n');
  await writeFile(
    join(folder, 'setup.md'),
    [
      '---',
      'title: Orders setup',
      'variables:',
      '  DB: { default: OPS }',
      '---',
      '# Orders setup',
      '',
      '## Create the database',
      '',
      '```sql',
      'USE ROLE SYSADMIN;',
      'CREATE DATABASE IF NOT EXISTS {{DB}};',
      'CREATE SCHEMA IF NOT EXISTS {{DB}}.CORE;',
      'CREATE TABLE IF NOT EXISTS {{DB}}.CORE.ORDERS (ID INT, STATUS STRING);',
      '```',
      '',
      '## Load the orders',
      '',
      '```sh',
      'echo "loading 3 orders"',
      '```',
      '',
      '```sql {expect="updated == 3"}',
      "INSERT INTO {{DB}}.CORE.ORDERS VALUES (1, 'NEW'), (2, 'NEW'), (3, 'DONE');",
      '```',
      '',
      '## Check what was loaded, still as SYSADMIN',
      '',
      '```sql {expect="rows == 1 and value == 2 and row[0].ROLE == \'SYSADMIN\'" capture=fresh}',
      "SELECT COUNT(*) AS NEW_ORDERS, CURRENT_ROLE() AS ROLE FROM {{DB}}.CORE.ORDERS WHERE STATUS = 'NEW';",
      '```',
      '',
      '```sh',
      'echo "{{fresh}} new orders"',
      '```',
    ].join('\n'),
  );
  await writeFile(join(folder, 'slow.md'), '---\ntitle: Slow\n---\n# Slow\n\n## Wait on the warehouse\n\n```sql {timeout=1s}\nSELECT SYSTEM$WAIT(30);\n```\n');
});
afterAll(async () => {
  await sandbox?.stop();
});

describe('SQL runbooks against the sandbox engine', { timeout: 60_000 }, () => {
  it('runs shell and SQL headless; the record holds query ids and row counts, and the role carries over', async () => {
    const result = await baton(['exec', 'setup.md']);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('2 new orders');
    const record = await lastRecord();
    expect(record.status).toBe('done');
    const attempts = record.steps.flatMap((s) => s.actions.map((a) => a.attempts.at(-1)!));
    const [create, , insert, check] = attempts;
    expect(create!.queryIds).toHaveLength(4);
    expect((create!.details!.statements as { kind: string }[]).map((s) => s.kind)).toEqual(['USE', 'CREATE DATABASE', 'CREATE SCHEMA', 'CREATE TABLE']);
    expect(insert!.details!.statements).toEqual([expect.objectContaining({ kind: 'INSERT', updated: 3, queryId: insert!.queryIds![0] })]);
    expect(check!.expect).toMatchObject({ passed: true });
    expect(check!.details!.statements).toEqual([expect.objectContaining({ kind: 'SELECT', rows: 1 })]);
    for (const id of attempts.flatMap((a) => a.queryIds ?? [])) expect(sandbox.service.queries.get(id)?.status).toBe('SUCCESS');
  });

  it('in a protected environment, shows the live account and role before the first write', async () => {
    const result = await baton(['exec', 'setup.md', '--env', 'rehearsal', '--i-know-what-i-am-doing']);
    expect(result.exitCode).toBe(0);
    const record = await lastRecord();
    const questions = record.decisions.map((d) => d.question);
    expect(questions[0]).toMatch(/\(account SANDBOX, user OPERATOR, role ACCOUNTADMIN, warehouse COMPUTE_WH \(connection sandbox\)\)$/);
    expect(record.decisions.every((d) => d.via === 'override-flag')).toBe(true);
  });

  it('cancels a statement on the server when its timeout fires, and records the timeout', async () => {
    const result = await baton(['exec', 'slow.md']);
    expect(result.exitCode).toBe(1);
    const attempt = (await lastRecord()).steps[0]!.actions[0]!.attempts[0]!;
    expect(attempt.status).toBe('timeout');
    // Nothing is left running in the sandbox: the 30-second wait was stopped there, not only here.
    await expect.poll(() => sandbox.service.queries.running().filter((q) => q.sql.includes('SYSTEM$WAIT')), { timeout: 5000 }).toEqual([]);
  });

  it('tests the sandbox connection and prints where it landed', async () => {
    const result = await baton(['connections', 'test', 'sandbox']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/CURRENT_ACCOUNT\(\) +SANDBOX\n +CURRENT_USER\(\) +OPERATOR\n +CURRENT_ROLE\(\) +ACCOUNTADMIN\n +CURRENT_WAREHOUSE\(\) +COMPUTE_WH/);
  });

  it('logs in with a key pair registered by ALTER USER … SET RSA_PUBLIC_KEY, from a connections.toml', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const der = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    const register = await baton(['sql', '-q', `CREATE USER IF NOT EXISTS SVC_ETL DEFAULT_ROLE = PUBLIC; ALTER USER SVC_ETL SET RSA_PUBLIC_KEY = '${der}'`]);
    expect(register.stderr).toBe('');
    expect(register.exitCode).toBe(0);
    await mkdir(join(folder, 'snowflake'), { recursive: true });
    const keyFile = join(folder, 'snowflake', 'svc_etl.p8');
    await writeFile(keyFile, privateKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'night shift' }));
    const url = new URL(sandbox.url);
    await writeFile(
      join(folder, 'snowflake', 'connections.toml'),
      `[svc_etl]\naccount = "sandbox"\nuser = "SVC_ETL"\nauthenticator = "SNOWFLAKE_JWT"\nprivate_key_file = "${keyFile}"\nprivate_key_file_pwd = "night shift"\nhost = "${url.hostname}"\nport = ${url.port}\nprotocol = "http"\n`,
    );
    await chmod(join(folder, 'snowflake', 'connections.toml'), 0o600);
    const result = await baton(['connections', 'test', 'svc_etl']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^connection svc_etl: account sandbox, user SVC_ETL, key pair, at http:/);
    expect(result.stdout).toMatch(/CURRENT_USER\(\) +SVC_ETL/);
    expect(result.stdout + result.stderr).not.toContain('night shift');
  });
});

// `baton sql` and `baton connections` as real child processes, against a sandbox server on the
// test engine (the SandboxEngine seam): output formats, exit codes, the guard, no secret printed.
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../sandbox/fixture.js';
import { memoryEngine, type MemoryEngine } from '../sandbox/memory-engine.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin', 'baton.js');
let sandbox: TestSandbox;
let engine: MemoryEngine;
let home: string;
let runbooks: string;

function baton(args: string[], env: Record<string, string> = {}, input?: string) {
  return execa('node', [bin, ...args], {
    cwd: root,
    reject: false,
    ...(input === undefined ? { stdin: 'ignore' as const } : { input }),
    env: { NO_COLOR: '1', SNOWFLAKE_HOME: home, BATON_SANDBOX_URL: sandbox.url, ...env },
    extendEnv: false,
  });
}

beforeAll(async () => {
  if (!existsSync(join(root, 'dist', 'cli.js'))) throw new Error('build first: npm run build (npm test does it)');
  engine = memoryEngine([{ name: 'ETL', password: 'etl-secret-pw' }]);
  sandbox = await startTestSandbox({ engine });
  home = await mkdtemp(join(tmpdir(), 'baton-sfhome-'));
  const url = new URL(sandbox.url);
  await writeFile(
    join(home, 'connections.toml'),
    `[prod_etl]\naccount = "sandbox"\nuser = "ETL"\npassword = "etl-secret-pw"\nhost = "${url.hostname}"\nport = ${url.port}\nprotocol = "http"\nrole = "FR_ETL"\n`,
  );
  await chmod(join(home, 'connections.toml'), 0o600);
  runbooks = await mkdtemp(join(tmpdir(), 'baton-runbooks-'));
  await writeFile(join(runbooks, 'baton.yaml'), 'default: sandbox\nenvironments:\n  sandbox: { sandbox: true }\n  prod: { protected: true, connection: prod_etl }\n');
});
afterAll(async () => {
  await sandbox?.stop();
});

describe('baton sql', { timeout: 60_000 }, () => {
  it('prints a table on the default environment (the sandbox)', async () => {
    const result = await baton(['sql', '-q', 'select rows 3', '--runbooks', runbooks]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^N +\| LABEL\n-+-\+-+\n1 +\| row 1\n2 +\| row 2\n3 +\| row 3\n\(3 rows, query [0-9a-f-]{36}\)/);
  });

  it('streams CSV and JSON for scripts', async () => {
    const csv = await baton(['sql', '-q', 'select rows 2', '--format', 'csv', '--runbooks', runbooks]);
    expect(csv.stdout).toBe('N,LABEL\r\n1,row 1\r\n2,row 2'); // execa drops the last line break
    const json = await baton(['sql', '-q', 'select rows 1', '-o', 'json', '--runbooks', runbooks]);
    expect(JSON.parse(json.stdout)).toEqual([{ N: 1, LABEL: 'row 1' }]);
  });

  it('reads SQL from standard input and runs the statements in order', async () => {
    const result = await baton(['sql', '-o', 'csv', '--runbooks', runbooks], {}, 'insert 2;\nselect rows 1;\n');
    expect(result.exitCode).toBe(0);
    expect(result.stdout.split('\r\n')).toEqual(['number of rows inserted', '2', 'N,LABEL', '1,row 1']);
  });

  it('exits 1 on a SQL error with code, SQL state and query id on stderr', async () => {
    const result = await baton(['sql', '-q', 'select rows 1; fail 002003 42S02 Object does not exist; select rows 2', '--runbooks', runbooks]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^baton: statement 2 of 3: 002003 \(42S02\): Object does not exist — .*\[query [0-9a-f-]{36}\]$/m);
  });

  it('uses a named connection from connections.toml, never printing its password', async () => {
    const result = await baton(['sql', '--connection', 'prod_etl', '-q', 'fail 390100 08004 nope']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr + result.stdout).not.toContain('etl-secret-pw');
    // The test engine knows ETL only with this password: a login proves the file's settings were used.
    const ok = await baton(['sql', '--connection', 'prod_etl', '-q', 'select rows 1']);
    expect(ok.exitCode).toBe(0);
    // SNOWFLAKE_CONNECTIONS_<NAME>_<KEY> overrides the file: this role is refused at login.
    const overridden = await baton(['sql', '--connection', 'prod_etl', '-q', 'select rows 1'], { SNOWFLAKE_CONNECTIONS_PROD_ETL_ROLE: 'NOT_GRANTED' });
    expect(overridden.exitCode).toBe(1);
    expect(overridden.stderr).toMatch(/connection prod_etl: login refused \(account sandbox, user ETL, password, at http:\/\/127\.0\.0\.1:\d+\): 390189 \(08004\): Role 'NOT_GRANTED' .* — the role in the connection is not granted/);
  });

  it('refuses a destructive statement in a protected environment when there is no terminal to ask on', async () => {
    const before = engine.executed.length;
    const result = await baton(['sql', '--env', 'prod', '-q', 'DROP TABLE orders', '--runbooks', runbooks]);
    expect(result.exitCode).toBe(5);
    expect(result.stderr).toMatch(/prod is protected; this SQL is DESTRUCTIVE:\n  - DROP TABLE ORDERS\n/);
    expect(engine.executed.length).toBe(before);
  });

  it('refuses an unsafe --var value and a usage mistake', async () => {
    const unsafe = await baton(['sql', '-q', 'select rows {{N}}', '--var', 'N=1; DROP TABLE t', '--runbooks', runbooks]);
    expect(unsafe.exitCode).toBe(1);
    expect(unsafe.stderr).toMatch(/refused, nothing ran: \{\{N\}\}/);
    const both = await baton(['sql', '-q', 'x', '-f', 'y']);
    expect(both.exitCode).toBe(2);
  });

  it('says which connections exist when asked for an unknown one', async () => {
    const result = await baton(['sql', '--connection', 'prod_elt', '-q', 'select rows 1']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/unknown connection "prod_elt" \(did you mean prod_etl\?\); known: prod_etl, sandbox/);
  });
});

describe('baton connections list', { timeout: 60_000 }, () => {
  it('lists file connections and the built-in sandbox with the environments that use them, and no secret', async () => {
    const result = await baton(['connections', 'list', '--runbooks', runbooks]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/prod_etl +\| sandbox +\| ETL +\| password +\| FR_ETL +\| prod +\| .*connections\.toml/);
    expect(result.stdout).toMatch(/sandbox +\| sandbox +\| OPERATOR +\| password +\| ACCOUNTADMIN +\| sandbox +\| built-in/);
    expect(result.stdout).not.toContain('etl-secret-pw');
    const json = JSON.parse((await baton(['connections', 'list', '--json', '--runbooks', runbooks])).stdout);
    expect(json.connections.find((c: { name: string }) => c.name === 'prod_etl')).toMatchObject({ secretsSet: ['password'], environments: ['prod'] });
  });

  it('warns about a connections file others can read', async () => {
    const loose = await mkdtemp(join(tmpdir(), 'baton-sfhome-'));
    await mkdir(loose, { recursive: true });
    await writeFile(join(loose, 'connections.toml'), '[x]\naccount = "a"\n');
    await chmod(join(loose, 'connections.toml'), 0o644);
    const result = await baton(['connections', 'list'], { SNOWFLAKE_HOME: loose });
    expect(result.stdout).toMatch(/warning: .*connections\.toml can be read or changed by other users \(mode 0644\)/);
  });
});

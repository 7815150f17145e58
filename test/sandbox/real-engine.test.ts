// The whole sandbox through the real snowflake-sdk: this server on the real DuckDB engine.
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection, RowStatement } from 'snowflake-sdk';
import { SnowflakeEngine } from '../../src/sandbox/sql/engine.js';
import { begin, connect, destroy, run } from './driver.js';
import { startTestSandbox, type TestSandbox } from './fixture.js';

const openEngine = (dataDir: string): Promise<SnowflakeEngine> => SnowflakeEngine.open({ dataDir: join(dataDir, 'snowflake'), seed: false });

let sandbox: TestSandbox;
let connection: Connection;

beforeAll(async () => {
  sandbox = await startTestSandbox({ engine: openEngine });
  connection = await connect(sandbox.url);
  for (const sql of ['CREATE OR REPLACE DATABASE E2E', 'USE DATABASE E2E', 'USE SCHEMA PUBLIC']) {
    const { error } = await run(connection, sql);
    expect(error).toBeUndefined();
  }
}, 60_000);

afterAll(async () => {
  await destroy(connection);
  await sandbox.stop();
});

function wireTypes(statement: RowStatement): Record<string, string> {
  return Object.fromEntries((statement.getColumns() ?? []).map((column) => [column.getName(), column.getType()]));
}

describe('the real engine behind the wire', () => {
  it('round-trips a value of every Snowflake type', async () => {
    const { rows, error, statement } = await run(
      connection,
      `SELECT 12345678901::NUMBER(38,0) AS I, 12.5::NUMBER(10,2) AS D, 1.5::FLOAT AS F, 'héllo' AS T, TRUE AS B,
              '2024-01-01'::DATE AS DT, '12:34:56'::TIME AS TM,
              '2024-01-01 12:34:56.789'::TIMESTAMP_NTZ AS NTZ, '2024-01-01 12:34:56.789'::TIMESTAMP_LTZ AS LTZ,
              '2024-01-01 12:34:56.789'::TIMESTAMP_TZ AS TZ, '1969-12-31 23:59:59.5'::TIMESTAMP_NTZ AS BEFORE_1970,
              PARSE_JSON('{"a":[1,2]}') AS V, OBJECT_CONSTRUCT('k', 1) AS O, ARRAY_CONSTRUCT(1, 2) AS A,
              TO_BINARY('DEADBEEF', 'HEX') AS BIN, NULL AS N`,
    );
    expect(error).toBeUndefined();
    expect(wireTypes(statement)).toMatchObject({
      I: 'fixed', D: 'fixed', F: 'real', T: 'text', B: 'boolean', DT: 'date', TM: 'time', NTZ: 'timestamp_ntz',
      LTZ: 'timestamp_ltz', TZ: 'timestamp_tz', V: 'variant', O: 'object', A: 'array', BIN: 'binary',
    });
    const row = rows[0]!;
    expect(row).toMatchObject({ I: 12345678901, D: 12.5, F: 1.5, T: 'héllo', B: true, TM: '12:34:56', N: null });
    expect(JSON.stringify(row.DT)).toBe('"2024-01-01"');
    expect((row.NTZ as Date).toISOString()).toBe('2024-01-01T12:34:56.789Z');
    expect((row.LTZ as Date).toISOString()).toBe('2024-01-01T12:34:56.789Z');
    expect((row.TZ as Date).toISOString()).toBe('2024-01-01T12:34:56.789Z');
    expect((row.BEFORE_1970 as Date).toISOString()).toBe('1969-12-31T23:59:59.500Z');
    expect(row.V).toEqual({ a: [1, 2] });
    expect(row.O).toEqual({ k: 1 });
    expect(row.A).toEqual([1, 2]);
    expect((row.BIN as Buffer).toString('hex')).toBe('deadbeef');
  });

  it('stores bound values and reads them back, one row or many', async () => {
    expect((await run(connection, 'CREATE OR REPLACE TABLE BOUND (ID NUMBER, NAME VARCHAR, PRICE FLOAT, OK BOOLEAN, DAY DATE)')).error).toBeUndefined();
    const single = await run(connection, 'INSERT INTO BOUND VALUES (?, ?, ?, ?, ?)', { binds: [1, "it's", 2.5, true, '2024-02-29'] });
    expect(single.error).toBeUndefined();
    const many = await run(connection, 'INSERT INTO BOUND (ID, NAME) VALUES (?, ?)', { binds: [[2, 'b'], [3, null]] });
    expect(many.statement.getNumUpdatedRows()).toBe(2);
    const { rows } = await run(connection, 'SELECT ID, NAME, PRICE, OK, DAY FROM BOUND WHERE ID <= ? ORDER BY ID', { binds: [3] });
    expect(rows.map((row) => [row.ID, row.NAME, row.PRICE, row.OK])).toEqual([
      [1, "it's", 2.5, true],
      [2, 'b', null, null],
      [3, null, null, null],
    ]);
    expect(JSON.stringify(rows[0]!.DAY)).toBe('"2024-02-29"');
  });

  it('reports errors with code, SQL state and the query id', async () => {
    const missing = await run(connection, 'SELECT * FROM E2E.PUBLIC.NO_SUCH_TABLE');
    expect(missing.error).toMatchObject({ code: '002003', sqlState: '42S02' });
    expect(missing.statement.getQueryId()).toMatch(/^[0-9a-f-]{36}$/);
    const syntax = await run(connection, 'SELEC 1');
    expect(syntax.error).toMatchObject({ code: '001003', sqlState: '42000' });
    expect(syntax.statement.getQueryId()).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('streams 100,000 rows', async () => {
    const statement = connection.execute({
      sqlText: "SELECT SEQ4() + 1 AS N, 'row ' || (SEQ4() + 1) AS LABEL FROM TABLE(GENERATOR(ROWCOUNT => 100000))",
      streamResult: true,
    });
    let count = 0;
    let sum = 0;
    for await (const row of statement.streamRows()) {
      count++;
      sum += (row as { N: number }).N;
    }
    expect(count).toBe(100_000);
    expect(sum).toBe((100_000 * 100_001) / 2);
  });

  it('cancels a long query', async () => {
    const { statement, done } = begin(connection, 'SELECT SYSTEM$WAIT(60)');
    await new Promise((resolve) => setTimeout(resolve, 300));
    statement.cancel();
    const { error } = await done;
    expect(error).toMatchObject({ code: '000604', sqlState: '57014' });
    // The session goes on.
    expect((await run(connection, 'SELECT 1 AS ONE')).rows).toEqual([{ ONE: 1 }]);
  });

  it("cancels a statement that outlives the session's statement timeout", async () => {
    expect((await run(connection, 'ALTER SESSION SET STATEMENT_TIMEOUT_IN_SECONDS = 1')).error).toBeUndefined();
    try {
      const { error } = await run(connection, 'SELECT SYSTEM$WAIT(30)');
      expect(error).toMatchObject({ code: '000630', sqlState: '57014' });
    } finally {
      await run(connection, 'ALTER SESSION UNSET STATEMENT_TIMEOUT_IN_SECONDS');
    }
  });

  it('runs a query asynchronously and gives its result by query id', { timeout: 30_000 }, async () => {
    const { statement } = await run(connection, 'SELECT SYSTEM$WAIT(1) AS WAITED', { asyncExec: true });
    const queryId = statement.getQueryId();
    expect(await connection.getQueryStatus(queryId)).toBe('RUNNING');
    const rows = await new Promise<unknown[]>((resolve, reject) => {
      connection.getResultsFromQueryId({ queryId, complete: (error, _statement, result) => (error ? reject(error) : resolve(result ?? [])) }).catch(reject);
    });
    expect(rows).toHaveLength(1);
    expect(await connection.getQueryStatus(queryId)).toBe('SUCCESS');
  });

  it('runs several statements in one request', async () => {
    const results: unknown[][] = [];
    await new Promise<void>((resolve, reject) => {
      connection.execute({
        sqlText: 'CREATE OR REPLACE TABLE MULTI (ID NUMBER); INSERT INTO MULTI VALUES (1), (2); SELECT COUNT(*) AS N FROM MULTI',
        parameters: { MULTI_STATEMENT_COUNT: 3 },
        complete(error, statement, rows) {
          if (error) return reject(error);
          results.push(rows ?? []);
          const next = statement as RowStatement & { hasNext(): boolean; NextResult(): void };
          if (next.hasNext()) next.NextResult();
          else resolve();
        },
      });
    });
    expect(results).toHaveLength(3);
    expect(results[2]).toEqual([{ N: 2 }]);
  });

  it('renews the session token when it expires, and the session carries on', async () => {
    const shortLived = await startTestSandbox({ engine: openEngine, tokenValidity: { sessionSeconds: 0.5 } });
    const session = await connect(shortLived.url);
    try {
      expect((await run(session, 'CREATE OR REPLACE DATABASE RENEWED')).error).toBeUndefined();
      await new Promise((resolve) => setTimeout(resolve, 800));
      const { rows, error } = await run(session, 'SELECT CURRENT_DATABASE() AS DB');
      expect(error).toBeUndefined();
      expect(rows).toEqual([{ DB: 'RENEWED' }]);
      expect(shortLived.requests).toContain('POST /session/token-request');
    } finally {
      await destroy(session);
      await shortLived.stop();
    }
  });

  it('logs in with a key pair registered with ALTER USER, and refuses another key', async () => {
    const pair = (): { publicKey: string; privateKey: string } =>
      generateKeyPairSync('rsa', {
        modulusLength: 2048,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      });
    const registered = pair();
    const body = registered.publicKey.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    for (const sql of ['CREATE USER ETL_SVC', `ALTER USER ETL_SVC SET RSA_PUBLIC_KEY = '${body}'`]) {
      expect((await run(connection, sql)).error).toBeUndefined();
    }
    const keyLogin = { username: 'etl_svc', authenticator: 'SNOWFLAKE_JWT', password: undefined };
    const service = await connect(sandbox.url, { ...keyLogin, privateKey: registered.privateKey });
    expect((await run(service, 'SELECT CURRENT_USER() AS U')).rows).toEqual([{ U: 'ETL_SVC' }]);
    await destroy(service);
    await expect(connect(sandbox.url, { ...keyLogin, privateKey: pair().privateKey })).rejects.toMatchObject({ code: '390144' });
  });

  it('logs in with a programmatic access token the user was given', async () => {
    expect((await run(connection, "CREATE USER PAT_USER PASSWORD = 'unused-Passw0rd'")).error).toBeUndefined();
    const { rows } = await run(connection, 'ALTER USER PAT_USER ADD PROGRAMMATIC ACCESS TOKEN NIGHTLY');
    const secret = String(rows[0]!.token_secret);
    const login = { username: 'pat_user', authenticator: 'PROGRAMMATIC_ACCESS_TOKEN', password: undefined };
    const session = await connect(sandbox.url, { ...login, token: secret });
    expect((await run(session, 'SELECT CURRENT_USER() AS U')).rows).toEqual([{ U: 'PAT_USER' }]);
    await destroy(session);
    await expect(connect(sandbox.url, { ...login, token: 'sbx-pat-forged' })).rejects.toMatchObject({ code: '394400' });
  });
});

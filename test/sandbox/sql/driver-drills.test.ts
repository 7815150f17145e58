// The runbook drills through the real snowflake-sdk against the sandbox server on this engine:
// the Time Travel recovery drill, an RBAC denial, a stream feeding a task, and UNDROP.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from 'snowflake-sdk';
import { SnowflakeEngine } from '../../../src/sandbox/sql/engine.js';
import { connect, destroy, run } from '../driver.js';
import { startTestSandbox, type TestSandbox } from '../fixture.js';

let sandbox: TestSandbox;
let operator: Connection;

/** Runs SQL through the driver and fails the test on any error. */
async function ok(connection: Connection, sql: string): Promise<Record<string, unknown>[]> {
  const { rows, error } = await run(connection, sql);
  expect(error, `${sql} → ${error?.message}`).toBeUndefined();
  return rows;
}

beforeAll(async () => {
  sandbox = await startTestSandbox({ engine: (dataDir) => SnowflakeEngine.open({ dataDir: join(dataDir, 'snowflake'), seed: false }) });
  operator = await connect(sandbox.url);
  for (const sql of [
    'CREATE DATABASE ANALYTICS',
    'CREATE SCHEMA ANALYTICS.CORE',
    'CREATE TABLE ANALYTICS.CORE.ORDERS (ORDER_ID INT, STATUS STRING, AMOUNT NUMBER(10,2))',
    "INSERT INTO ANALYTICS.CORE.ORDERS SELECT SEQ4() + 1, IFF(SEQ4() < 40, 'OPEN', 'CLOSED'), 10 FROM TABLE(GENERATOR(ROWCOUNT => 100))",
  ]) await ok(operator, sql);
}, 120_000);

afterAll(async () => {
  await destroy(operator);
  await sandbox.stop();
});

describe('drills through snowflake-sdk', () => {
  it('the recovery drill: find the DELETE in QUERY_HISTORY, restore from BEFORE it, verify', { timeout: 60_000 }, async () => {
    const { statement: mistake, error } = await run(operator, "DELETE FROM ANALYTICS.CORE.ORDERS WHERE STATUS = 'CLOSED'");
    expect(error).toBeUndefined();
    expect(mistake.getNumUpdatedRows()).toBe(60);
    const found = await ok(operator, `SELECT QUERY_ID, START_TIME, USER_NAME, QUERY_TEXT
      FROM TABLE(ANALYTICS.INFORMATION_SCHEMA.QUERY_HISTORY(RESULT_LIMIT => 500))
      WHERE QUERY_TYPE = 'DELETE' AND QUERY_TEXT ILIKE '%CORE.ORDERS%' ORDER BY START_TIME DESC`);
    expect(found).toHaveLength(1);
    const queryId = found[0]!.QUERY_ID as string;
    expect(queryId).toBe(mistake.getQueryId());
    expect(found[0]!.START_TIME).toBeInstanceOf(Date);

    const [lost] = await ok(operator, `SELECT COUNT(*) AS N FROM ANALYTICS.CORE.ORDERS BEFORE(STATEMENT => '${queryId}')
      WHERE ORDER_ID NOT IN (SELECT ORDER_ID FROM ANALYTICS.CORE.ORDERS)`);
    expect(lost!.N).toBe(60);
    const { statement: restore } = await run(operator, `INSERT INTO ANALYTICS.CORE.ORDERS
      SELECT * FROM ANALYTICS.CORE.ORDERS BEFORE(STATEMENT => '${queryId}') EXCEPT SELECT * FROM ANALYTICS.CORE.ORDERS`);
    expect(restore.getNumUpdatedRows()).toBe(60);
    const [after] = await ok(operator, "SELECT COUNT(*) AS N, COUNT_IF(STATUS = 'CLOSED') AS CLOSED FROM ANALYTICS.CORE.ORDERS");
    expect(after).toEqual({ N: 100, CLOSED: 60 });
  });

  it('an RBAC denial: a read-only role is refused a DELETE with code, SQL state and query id', { timeout: 60_000 }, async () => {
    for (const sql of [
      'CREATE ROLE AR_READER',
      'GRANT USAGE ON DATABASE ANALYTICS TO ROLE AR_READER',
      'GRANT USAGE ON SCHEMA ANALYTICS.CORE TO ROLE AR_READER',
      'GRANT SELECT ON ALL TABLES IN SCHEMA ANALYTICS.CORE TO ROLE AR_READER',
      'GRANT USAGE ON WAREHOUSE COMPUTE_WH TO ROLE AR_READER',
      "CREATE USER READER PASSWORD = 'read-only' DEFAULT_ROLE = AR_READER DEFAULT_WAREHOUSE = COMPUTE_WH",
      'GRANT ROLE AR_READER TO USER READER',
    ]) await ok(operator, sql);
    const reader = await connect(sandbox.url, { username: 'reader', password: 'read-only' });
    try {
      const [count] = await ok(reader, 'SELECT COUNT(*) AS N FROM ANALYTICS.CORE.ORDERS');
      expect(count!.N).toBe(100);
      const denied = await run(reader, 'DELETE FROM ANALYTICS.CORE.ORDERS');
      expect(denied.error).toMatchObject({ code: '003001', sqlState: '42501' });
      expect(denied.error!.message).toContain("Insufficient privileges to operate on table 'ORDERS'");
      expect(denied.statement.getQueryId()).toMatch(/^[0-9a-f-]{36}$/);
      const role = await run(reader, 'USE ROLE ACCOUNTADMIN');
      expect(role.error).toMatchObject({ code: '003013', sqlState: '42501' });
      const [still] = await ok(operator, 'SELECT COUNT(*) AS N FROM ANALYTICS.CORE.ORDERS');
      expect(still!.N).toBe(100);
    } finally {
      await destroy(reader);
    }
  });

  it('a stream sees inserts and EXECUTE TASK writes what the task says', { timeout: 60_000 }, async () => {
    for (const sql of [
      'CREATE TABLE ANALYTICS.CORE.ORDERS_OUT (ORDER_ID INT, AMOUNT NUMBER(10,2))',
      'CREATE STREAM ANALYTICS.CORE.ORDERS_STRM ON TABLE ANALYTICS.CORE.ORDERS',
      "INSERT INTO ANALYTICS.CORE.ORDERS VALUES (500, 'OPEN', 5), (501, 'OPEN', 6)",
      `CREATE TASK ANALYTICS.CORE.T_MOVE WAREHOUSE = COMPUTE_WH SCHEDULE = '5 MINUTE'
         WHEN SYSTEM$STREAM_HAS_DATA('ANALYTICS.CORE.ORDERS_STRM')
         AS INSERT INTO ANALYTICS.CORE.ORDERS_OUT SELECT ORDER_ID, AMOUNT FROM ANALYTICS.CORE.ORDERS_STRM WHERE METADATA$ACTION = 'INSERT'`,
    ]) await ok(operator, sql);
    expect(await ok(operator, 'SELECT ORDER_ID, METADATA$ACTION AS ACTION FROM ANALYTICS.CORE.ORDERS_STRM ORDER BY 1')).toEqual([
      { ORDER_ID: 500, ACTION: 'INSERT' },
      { ORDER_ID: 501, ACTION: 'INSERT' },
    ]);
    await ok(operator, 'EXECUTE TASK ANALYTICS.CORE.T_MOVE');
    expect(await ok(operator, 'SELECT ORDER_ID, AMOUNT FROM ANALYTICS.CORE.ORDERS_OUT ORDER BY 1')).toEqual([
      { ORDER_ID: 500, AMOUNT: 5 },
      { ORDER_ID: 501, AMOUNT: 6 },
    ]);
    expect(await ok(operator, 'SELECT COUNT(*) AS N FROM ANALYTICS.CORE.ORDERS_STRM')).toEqual([{ N: 0 }]);
    const history = await ok(operator, "SELECT STATE FROM TABLE(ANALYTICS.INFORMATION_SCHEMA.TASK_HISTORY(TASK_NAME => 'T_MOVE'))");
    expect(history).toEqual([{ STATE: 'SUCCEEDED' }]);
  });

  it('UNDROP brings a dropped table back', { timeout: 60_000 }, async () => {
    await ok(operator, 'DROP TABLE ANALYTICS.CORE.ORDERS_OUT');
    expect((await run(operator, 'SELECT * FROM ANALYTICS.CORE.ORDERS_OUT')).error).toMatchObject({ code: '002003', sqlState: '42S02' });
    await ok(operator, 'UNDROP TABLE ANALYTICS.CORE.ORDERS_OUT');
    expect(await ok(operator, 'SELECT COUNT(*) AS N FROM ANALYTICS.CORE.ORDERS_OUT')).toEqual([{ N: 2 }]);
  });
});

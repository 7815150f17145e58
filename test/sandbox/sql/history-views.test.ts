// The history and catalog views the monitoring and optimisation runbooks read: query history with
// its running statements and performance columns, storage metrics with dropped tables, the
// clustering columns of TABLES, view columns in COLUMNS, warehouse load and storage history.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxError } from '../../../src/sandbox/engine-api.js';
import { objects, openFixture, type EngineFixture } from './engine-fixture.js';

let db: EngineFixture;

beforeAll(async () => {
  db = await openFixture();
  for (const sql of [
    'CREATE DATABASE DW',
    'CREATE SCHEMA DW.PROD',
    'CREATE TABLE DW.PROD.FACT_ORDERS (ORDER_ID INT, ORDER_DATE DATE, AMOUNT NUMBER(12,2))',
    "INSERT INTO DW.PROD.FACT_ORDERS SELECT SEQ4(), DATEADD('day', SEQ4() % 3, '2024-06-01'::DATE), 10 FROM TABLE(GENERATOR(ROWCOUNT => 30))",
    'CREATE VIEW DW.PROD.V_DAILY AS SELECT ORDER_DATE, SUM(AMOUNT) AS TOTAL FROM DW.PROD.FACT_ORDERS GROUP BY ORDER_DATE',
    'CREATE TABLE DW.PROD.SCRATCH (N INT)',
    'INSERT INTO DW.PROD.SCRATCH VALUES (1), (2)',
    'DROP TABLE DW.PROD.SCRATCH',
    'USE WAREHOUSE COMPUTE_WH',
  ]) await db.run(sql);
});

afterAll(() => db.close());

describe('query history', () => {
  it('has the performance columns, ROWS_PRODUCED for DML, and one parameterized hash for queries that differ in values', async () => {
    await db.run('SELECT COUNT(*) FROM DW.PROD.FACT_ORDERS WHERE ORDER_ID > 5');
    await db.run('SELECT COUNT(*) FROM DW.PROD.FACT_ORDERS WHERE ORDER_ID > 17');
    await db.run('UPDATE DW.PROD.FACT_ORDERS SET AMOUNT = 11 WHERE ORDER_ID < 4');
    const rows = objects(await db.run(`SELECT QUERY_TYPE, ROWS_PRODUCED, PARTITIONS_SCANNED, PARTITIONS_TOTAL, BYTES_SPILLED_TO_LOCAL_STORAGE,
        BYTES_SPILLED_TO_REMOTE_STORAGE, QUEUED_OVERLOAD_TIME, QUERY_PARAMETERIZED_HASH, EXECUTION_STATUS
      FROM SNOWFLAKE.ACCOUNT_USAGE.QUERY_HISTORY WHERE QUERY_TEXT ILIKE '%FACT_ORDERS WHERE ORDER_ID%' OR QUERY_TYPE = 'UPDATE' ORDER BY START_TIME`));
    expect(rows.map((r) => [r.QUERY_TYPE, r.ROWS_PRODUCED, r.EXECUTION_STATUS])).toEqual([['SELECT', '1', 'SUCCESS'], ['SELECT', '1', 'SUCCESS'], ['UPDATE', '4', 'SUCCESS']]);
    expect(rows[0]).toMatchObject({ PARTITIONS_SCANNED: '0', PARTITIONS_TOTAL: '0', BYTES_SPILLED_TO_LOCAL_STORAGE: '0', BYTES_SPILLED_TO_REMOTE_STORAGE: '0', QUEUED_OVERLOAD_TIME: '0' });
    expect(rows[0]!.QUERY_PARAMETERIZED_HASH).toBe(rows[1]!.QUERY_PARAMETERIZED_HASH);
    expect(rows[2]!.QUERY_PARAMETERIZED_HASH).not.toBe(rows[0]!.QUERY_PARAMETERIZED_HASH);
  });

  it('the table functions say FAILED_WITH_ERROR where ACCOUNT_USAGE says FAIL, and know the missing column as 000904', async () => {
    await db.run('SELECT NO_SUCH_COLUMN FROM DW.PROD.FACT_ORDERS').catch(() => undefined);
    const [failed] = objects(await db.run(`SELECT EXECUTION_STATUS, ERROR_CODE FROM TABLE(DW.INFORMATION_SCHEMA.QUERY_HISTORY_BY_SESSION(RESULT_LIMIT => 10))
      WHERE QUERY_TEXT ILIKE '%NO_SUCH_COLUMN%' AND QUERY_TEXT NOT ILIKE '%QUERY_HISTORY%'`));
    expect(failed).toEqual({ EXECUTION_STATUS: 'FAILED_WITH_ERROR', ERROR_CODE: '904' });
    expect(await db.value(`SELECT EXECUTION_STATUS FROM SNOWFLAKE.ACCOUNT_USAGE.QUERY_HISTORY WHERE QUERY_TEXT ILIKE '%NO_SUCH_COLUMN%' AND QUERY_TEXT NOT ILIKE '%QUERY_HISTORY%'`)).toBe('FAIL');
  });

  it('lists a statement still running as RUNNING, and ALTER WAREHOUSE … ABORT ALL QUERIES cancels it', async () => {
    const other = await db.login();
    await db.runIn(other, 'USE WAREHOUSE COMPUTE_WH');
    const queryId = randomUUID();
    const long = db.engine.execute(other, { sql: 'SELECT SYSTEM$WAIT(60)', queryId }, new AbortController().signal).then(
      () => undefined,
      (error: unknown) => error,
    );
    let running: Record<string, string | null>[] = [];
    for (let k = 0; k < 100 && running.length === 0; k++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      running = objects(await db.run(`SELECT QUERY_ID, EXECUTION_STATUS, END_TIME FROM TABLE(DW.INFORMATION_SCHEMA.QUERY_HISTORY_BY_WAREHOUSE(
        WAREHOUSE_NAME => 'COMPUTE_WH', RESULT_LIMIT => 100)) WHERE EXECUTION_STATUS = 'RUNNING' AND QUERY_ID = '${queryId}'`));
    }
    expect(running).toEqual([{ QUERY_ID: queryId, EXECUTION_STATUS: 'RUNNING', END_TIME: null }]);
    await db.run('ALTER WAREHOUSE COMPUTE_WH ABORT ALL QUERIES');
    const error = await long;
    expect(error).toBeInstanceOf(SandboxError);
    expect((error as SandboxError).code).toBe('000604');
    await db.engine.closeSession(other);
  });
});

describe('catalog views', () => {
  it('TABLE_STORAGE_METRICS lists live and dropped tables with TABLE_DROPPED and Time Travel bytes', async () => {
    const rows = objects(await db.run(`SELECT TABLE_NAME, ACTIVE_BYTES, TIME_TRAVEL_BYTES, FAILSAFE_BYTES, DELETED, TABLE_DROPPED IS NOT NULL AS DROPPED
      FROM DW.INFORMATION_SCHEMA.TABLE_STORAGE_METRICS WHERE TABLE_SCHEMA = 'PROD' ORDER BY TABLE_NAME`));
    expect(rows.map((r) => [r.TABLE_NAME, r.DELETED, r.DROPPED])).toEqual([['FACT_ORDERS', '0', '0'], ['SCRATCH', '1', '1']]);
    expect(Number(rows[0]!.ACTIVE_BYTES)).toBeGreaterThan(0);
    expect(rows[1]).toMatchObject({ ACTIVE_BYTES: '0', FAILSAFE_BYTES: '0' });
    expect(Number(rows[1]!.TIME_TRAVEL_BYTES)).toBeGreaterThan(0);
  });

  it('TABLES shows the clustering key and whether automatic clustering runs', async () => {
    const read = async (): Promise<Record<string, string | null>> => (await db.rows(`SELECT CLUSTERING_KEY, AUTO_CLUSTERING_ON, ROW_COUNT, TABLE_TYPE, RETENTION_TIME, LAST_DDL IS NOT NULL AS DDL
      FROM DW.INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'FACT_ORDERS'`))[0]!;
    expect(await read()).toEqual({ CLUSTERING_KEY: null, AUTO_CLUSTERING_ON: 'NO', ROW_COUNT: '30', TABLE_TYPE: 'BASE TABLE', RETENTION_TIME: '1', DDL: '1' });
    await db.run('ALTER TABLE DW.PROD.FACT_ORDERS CLUSTER BY (ORDER_DATE)');
    expect(await read()).toMatchObject({ CLUSTERING_KEY: 'LINEAR(ORDER_DATE)', AUTO_CLUSTERING_ON: 'YES' });
    await db.run('ALTER TABLE DW.PROD.FACT_ORDERS SUSPEND RECLUSTER');
    expect(await read()).toMatchObject({ CLUSTERING_KEY: 'LINEAR(ORDER_DATE)', AUTO_CLUSTERING_ON: 'NO' });
    await db.run('ALTER TABLE DW.PROD.FACT_ORDERS RESUME RECLUSTER');
    expect(await read()).toMatchObject({ AUTO_CLUSTERING_ON: 'YES' });
  });

  it('COLUMNS lists the columns of views as well as tables', async () => {
    const rows = objects(await db.run(`SELECT COLUMN_NAME, DATA_TYPE, ORDINAL_POSITION FROM DW.INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'V_DAILY' ORDER BY ORDINAL_POSITION`));
    expect(rows).toEqual([
      { COLUMN_NAME: 'ORDER_DATE', DATA_TYPE: 'DATE', ORDINAL_POSITION: '1' },
      { COLUMN_NAME: 'TOTAL', DATA_TYPE: 'NUMBER', ORDINAL_POSITION: '2' },
    ]);
  });
});

describe('warehouse and storage history', () => {
  it('WAREHOUSE_LOAD_HISTORY has 5-minute intervals with AVG_RUNNING for the warehouse the queries ran on', async () => {
    const rows = objects(await db.run(`SELECT WAREHOUSE_NAME, AVG_RUNNING, AVG_QUEUED_LOAD, DATEDIFF('minute', START_TIME, END_TIME) AS MINUTES
      FROM TABLE(DW.INFORMATION_SCHEMA.WAREHOUSE_LOAD_HISTORY(DATE_RANGE_START => DATEADD('hour', -1, CURRENT_TIMESTAMP()), WAREHOUSE_NAME => 'COMPUTE_WH'))`));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.WAREHOUSE_NAME === 'COMPUTE_WH' && r.MINUTES === '5' && r.AVG_QUEUED_LOAD === '0')).toBe(true);
    expect(rows.some((r) => Number(r.AVG_RUNNING) > 0)).toBe(true);
    expect(await db.value(`SELECT COUNT(*) FROM TABLE(DW.INFORMATION_SCHEMA.WAREHOUSE_LOAD_HISTORY(DATE_RANGE_START => DATEADD('hour', -1, CURRENT_TIMESTAMP()), WAREHOUSE_NAME => 'NO_SUCH_WH'))`)).toBe('0');
  });

  it('DATABASE_STORAGE_USAGE_HISTORY has a row per day since the database was created', async () => {
    const rows = objects(await db.run(`SELECT USAGE_DATE, DATABASE_NAME, AVERAGE_DATABASE_BYTES, AVERAGE_FAILSAFE_BYTES
      FROM TABLE(DW.INFORMATION_SCHEMA.DATABASE_STORAGE_USAGE_HISTORY(DATE_RANGE_START => DATEADD('day', -7, CURRENT_DATE()), DATABASE_NAME => 'DW'))`));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ DATABASE_NAME: 'DW', AVERAGE_FAILSAFE_BYTES: '0' });
    expect(Number(rows[0]!.AVERAGE_DATABASE_BYTES)).toBeGreaterThan(0);
  });

  it('MATERIALIZED_VIEW_REFRESH_HISTORY has its columns (CREDITS_USED as text)', async () => {
    const outcome = await db.run('SELECT START_TIME, CREDITS_USED, TABLE_NAME, SCHEMA_NAME, DATABASE_NAME FROM SNOWFLAKE.ACCOUNT_USAGE.MATERIALIZED_VIEW_REFRESH_HISTORY');
    expect(outcome.columns.map((c) => [c.name, c.type])).toEqual([
      ['START_TIME', 'timestamp_ltz'], ['CREDITS_USED', 'text'], ['TABLE_NAME', 'text'], ['SCHEMA_NAME', 'text'], ['DATABASE_NAME', 'text'],
    ]);
  });
});

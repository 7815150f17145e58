// The go-live library's drills through the real snowflake-sdk against the sandbox server on the
// seeded engine: a bad delivery fails the load and is found and quarantined; the stage job and the
// task graph publish through a stream; a release is rolled back to a schema clone; a runaway query
// is seen running and aborted. Also the values others met: offsets, VARCHAR casts, objects, JSON null.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from 'snowflake-sdk';
import { SnowflakeEngine } from '../../../src/sandbox/sql/engine.js';
import { begin, connect, destroy, run } from '../driver.js';
import { startTestSandbox, type TestSandbox } from '../fixture.js';

let sandbox: TestSandbox;
let operator: Connection;

/** Runs SQL through the driver and fails the test on any error. */
async function ok(sql: string, connection: Connection = operator): Promise<Record<string, unknown>[]> {
  const { rows, error } = await run(connection, sql);
  expect(error, `${sql} → ${error?.message}`).toBeUndefined();
  return rows;
}

const COLUMNS = 'ORDER_ID, CUSTOMER_ID, ORDER_DATE, STATUS, AMOUNT, CURRENCY, UPDATED_AT, NOTES, LOAD_DATE';
const LOAD = `COPY INTO SALES_DW.RAW.ORDERS (${COLUMNS}) FROM @SALES_DW.RAW.LANDING/orders/ FILE_FORMAT = (FORMAT_NAME = 'SALES_DW.RAW.FF_CSV')`;

beforeAll(async () => {
  sandbox = await startTestSandbox({ engine: (dataDir) => SnowflakeEngine.open({ dataDir: join(dataDir, 'snowflake'), seed: true, schedule: false }) });
  operator = await connect(sandbox.url, { warehouse: 'COMPUTE_WH' });
  for (const sql of [
    'CREATE DATABASE SALES_DW',
    'CREATE SCHEMA SALES_DW.RAW',
    'CREATE SCHEMA SALES_DW.STAGING',
    'CREATE SCHEMA SALES_DW.PROD',
    `CREATE FILE FORMAT SALES_DW.RAW.FF_CSV TYPE = CSV SKIP_HEADER = 1 FIELD_OPTIONALLY_ENCLOSED_BY = '"' NULL_IF = ('', 'NULL')
       EMPTY_FIELD_AS_NULL = TRUE TRIM_SPACE = TRUE ERROR_ON_COLUMN_COUNT_MISMATCH = TRUE`,
    "CREATE STAGE SALES_DW.RAW.LANDING FILE_FORMAT = (FORMAT_NAME = 'SALES_DW.RAW.FF_CSV')",
    'CREATE TABLE SALES_DW.RAW.ORDERS LIKE SOURCE_DB.PUBLIC.ORDERS',
    'ALTER TABLE SALES_DW.RAW.ORDERS ADD COLUMN LOADED_AT TIMESTAMP_LTZ DEFAULT CURRENT_TIMESTAMP()',
    'COPY FILES INTO @SALES_DW.RAW.LANDING/orders/ FROM @SOURCE_DB.PUBLIC.LANDING/orders/',
  ]) await ok(sql);
}, 120_000);

afterAll(async () => {
  await destroy(operator);
  await sandbox.stop();
});

describe('a failed load, found and quarantined', () => {
  it('loads the delivery once, fails on a bad date with code and SQL state, validates, quarantines and reruns clean', { timeout: 60_000 }, async () => {
    expect((await ok(LOAD)).map((r) => r.status)).toEqual(['LOADED', 'LOADED', 'LOADED']);
    await ok(`COPY INTO @SALES_DW.RAW.LANDING/orders/orders_drill_bad_date.csv
      FROM (SELECT 900000001 AS ORDER_ID, 1 AS CUSTOMER_ID, '2026-02-30' AS ORDER_DATE, 'SHIPPED' AS STATUS, 12.50 AS AMOUNT, 'EUR' AS CURRENCY,
                   '2026-03-01 02:00:00' AS UPDATED_AT, NULL AS NOTES, '2026-03-01' AS LOAD_DATE)
      FILE_FORMAT = (TYPE = CSV COMPRESSION = NONE FIELD_OPTIONALLY_ENCLOSED_BY = '"') HEADER = TRUE SINGLE = TRUE OVERWRITE = TRUE`);

    const failed = await run(operator, `${LOAD} ON_ERROR = ABORT_STATEMENT`);
    expect(failed.error).toMatchObject({ code: '100040', sqlState: '22007' });
    expect(failed.error!.message).toContain("Date '2026-02-30' is not recognized");
    expect(failed.error!.message).toContain("File 'orders/orders_drill_bad_date.csv', line 2");

    await ok(`${LOAD} VALIDATION_MODE = RETURN_ERRORS`);
    const [bad] = await ok(`SELECT SPLIT_PART("FILE", '/', -1) AS FILE_NAME, COUNT(*) AS ERRORS, MIN("LINE") AS FIRST_LINE
      FROM TABLE(RESULT_SCAN(LAST_QUERY_ID())) GROUP BY FILE_NAME`);
    expect(bad).toEqual({ FILE_NAME: 'orders_drill_bad_date.csv', ERRORS: 1, FIRST_LINE: 2 });

    await ok("COPY FILES INTO @SALES_DW.RAW.LANDING/quarantine/ FROM @SALES_DW.RAW.LANDING/orders/ FILES = ('orders_drill_bad_date.csv')");
    await ok("REMOVE '@SALES_DW.RAW.LANDING/orders/orders_drill_bad_date.csv'");
    await ok('LIST @SALES_DW.RAW.LANDING');
    const [files] = await ok(`SELECT COUNT_IF("name" ILIKE '%/orders/orders_drill_bad_date.csv') AS IN_ORDERS,
      COUNT_IF("name" ILIKE '%/quarantine/orders_drill_bad_date.csv') AS IN_QUARANTINE FROM TABLE(RESULT_SCAN(LAST_QUERY_ID()))`);
    expect(files).toEqual({ IN_ORDERS: 0, IN_QUARANTINE: 1 });

    expect(await ok(LOAD)).toEqual([{ status: 'Copy executed with 0 files processed.' }]);
    const history = await ok(`SELECT FILE_NAME, STATUS FROM TABLE(SALES_DW.INFORMATION_SCHEMA.COPY_HISTORY(
      TABLE_NAME => 'SALES_DW.RAW.ORDERS', START_TIME => DATEADD('hour', -1, CURRENT_TIMESTAMP()))) ORDER BY FILE_NAME`);
    expect(history.map((h) => [h.FILE_NAME, h.STATUS])).toEqual([
      ['orders/orders_2024-06-01.csv', 'Loaded'],
      ['orders/orders_2024-06-02.csv', 'Loaded'],
      ['orders/orders_2024-06-03.csv', 'Loaded'],
      ['orders/orders_drill_bad_date.csv', 'Load failed'],
    ]);
    const [counts] = await ok('SELECT COUNT(*) AS N, COUNT(DISTINCT ORDER_ID) AS IDS FROM SALES_DW.RAW.ORDERS');
    expect(counts).toEqual({ N: 500, IDS: 500 });
  });
});

describe('publishing through a stream and a task graph', () => {
  it('INSERT OVERWRITE feeds the stream; EXECUTE TASK runs the root, then its child, and TASK_HISTORY records both', { timeout: 60_000 }, async () => {
    for (const sql of [
      'CREATE TABLE SALES_DW.STAGING.ORDERS LIKE SALES_DW.RAW.ORDERS',
      'CREATE STREAM IF NOT EXISTS SALES_DW.STAGING.ORDERS_STREAM ON TABLE SALES_DW.STAGING.ORDERS',
      'CREATE TABLE SALES_DW.PROD.FACT_ORDERS (ORDER_ID NUMBER(12,0), AMOUNT NUMBER(12,2))',
      'CREATE TABLE SALES_DW.PROD.LOAD_AUDIT (ROW_COUNT NUMBER, AUDITED_AT TIMESTAMP_LTZ DEFAULT CURRENT_TIMESTAMP())',
      `CREATE OR REPLACE TASK SALES_DW.PROD.T_PUBLISH WAREHOUSE = COMPUTE_WH SCHEDULE = '15 MINUTE' SUSPEND_TASK_AFTER_NUM_FAILURES = 3
         TASK_AUTO_RETRY_ATTEMPTS = 2 WHEN SYSTEM$STREAM_HAS_DATA('SALES_DW.STAGING.ORDERS_STREAM') AS
         MERGE INTO SALES_DW.PROD.FACT_ORDERS f USING (SELECT ORDER_ID, AMOUNT FROM SALES_DW.STAGING.ORDERS_STREAM WHERE METADATA$ACTION = 'INSERT') s
         ON f.ORDER_ID = s.ORDER_ID WHEN MATCHED THEN UPDATE SET f.AMOUNT = s.AMOUNT WHEN NOT MATCHED THEN INSERT (ORDER_ID, AMOUNT) VALUES (s.ORDER_ID, s.AMOUNT)`,
      'CREATE OR REPLACE TASK SALES_DW.PROD.T_AUDIT WAREHOUSE = COMPUTE_WH AFTER SALES_DW.PROD.T_PUBLISH AS INSERT INTO SALES_DW.PROD.LOAD_AUDIT (ROW_COUNT) SELECT COUNT(*) FROM SALES_DW.PROD.FACT_ORDERS',
      'ALTER TASK SALES_DW.PROD.T_AUDIT RESUME',
      'ALTER TASK SALES_DW.PROD.T_PUBLISH RESUME',
      'INSERT OVERWRITE INTO SALES_DW.STAGING.ORDERS SELECT * FROM SALES_DW.RAW.ORDERS',
    ]) await ok(sql);
    const [pending] = await ok("SELECT SYSTEM$STREAM_HAS_DATA('SALES_DW.STAGING.ORDERS_STREAM') AS PENDING");
    expect(pending).toEqual({ PENDING: true });
    await ok('EXECUTE TASK SALES_DW.PROD.T_PUBLISH');
    const [published] = await ok('SELECT (SELECT COUNT(*) FROM SALES_DW.PROD.FACT_ORDERS) AS FACTS, (SELECT MAX(ROW_COUNT) FROM SALES_DW.PROD.LOAD_AUDIT) AS AUDITED');
    expect(published).toEqual({ FACTS: 500, AUDITED: 500 });
    const runs = await ok(`SELECT NAME, STATE FROM TABLE(SALES_DW.INFORMATION_SCHEMA.TASK_HISTORY(
      SCHEDULED_TIME_RANGE_START => DATEADD('hour', -1, CURRENT_TIMESTAMP()), ERROR_ONLY => FALSE)) WHERE STATE <> 'SCHEDULED' ORDER BY NAME`);
    expect(runs).toEqual([{ NAME: 'T_AUDIT', STATE: 'SUCCEEDED' }, { NAME: 'T_PUBLISH', STATE: 'SUCCEEDED' }]);
    const tasks = await ok("SHOW TASKS LIKE 'T_%' IN SCHEMA SALES_DW.PROD");
    expect(tasks.map((t) => [t.name, t.state])).toEqual([['T_AUDIT', 'started'], ['T_PUBLISH', 'started']]);
    await ok('ALTER TASK SALES_DW.PROD.T_PUBLISH SUSPEND');
  });
});

describe('a release rolled back to its schema clone', () => {
  it('the clone keeps its grants and its materialized view reads its own schema; SWAP puts it in place', { timeout: 60_000 }, async () => {
    for (const sql of [
      'USE SCHEMA SALES_DW.PROD',
      'CREATE MATERIALIZED VIEW MV_REVENUE AS SELECT SUM(AMOUNT) AS REVENUE FROM FACT_ORDERS',
      'CREATE ROLE FR_ANALYST',
      'GRANT USAGE ON DATABASE SALES_DW TO ROLE FR_ANALYST',
      'GRANT SELECT ON ALL MATERIALIZED VIEWS IN SCHEMA SALES_DW.PROD TO ROLE FR_ANALYST',
      'CREATE OR REPLACE SCHEMA SALES_DW.PROD_BEFORE CLONE SALES_DW.PROD',
      'UPDATE SALES_DW.PROD.FACT_ORDERS SET AMOUNT = 0',
    ]) await ok(sql);
    const [before] = await ok('SELECT (SELECT REVENUE FROM SALES_DW.PROD.MV_REVENUE) AS NOW, (SELECT REVENUE FROM SALES_DW.PROD_BEFORE.MV_REVENUE) AS KEPT');
    expect(before!.NOW).toBe(0);
    expect(before!.KEPT).toBeGreaterThan(0);
    const grants = await ok('SHOW GRANTS ON MATERIALIZED VIEW SALES_DW.PROD_BEFORE.MV_REVENUE');
    expect(grants.map((g) => [g.privilege, g.grantee_name])).toContainEqual(['SELECT', 'FR_ANALYST']);
    await ok('ALTER SCHEMA SALES_DW.PROD SWAP WITH SALES_DW.PROD_BEFORE');
    const [after] = await ok('SELECT REVENUE FROM SALES_DW.PROD.MV_REVENUE');
    expect(after!.REVENUE).toBe(before!.KEPT);
  });
});

describe('a runaway query', () => {
  it('shows RUNNING in QUERY_HISTORY_BY_WAREHOUSE, and ABORT ALL QUERIES stops it with 000604', { timeout: 60_000 }, async () => {
    const analyst = await connect(sandbox.url, { warehouse: 'COMPUTE_WH' });
    try {
      const long = begin(analyst, 'SELECT SYSTEM$WAIT(120) AS W');
      let running: Record<string, unknown>[] = [];
      for (let k = 0; k < 200 && running.length === 0; k++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        running = await ok(`SELECT QUERY_ID, EXECUTION_STATUS FROM TABLE(SALES_DW.INFORMATION_SCHEMA.QUERY_HISTORY_BY_WAREHOUSE(
          WAREHOUSE_NAME => 'COMPUTE_WH', RESULT_LIMIT => 1000)) WHERE EXECUTION_STATUS IN ('RUNNING', 'QUEUED', 'RESUMING_WAREHOUSE', 'BLOCKED')
          AND QUERY_TEXT ILIKE '%SYSTEM$WAIT(120)%' AND QUERY_TEXT NOT ILIKE '%QUERY_HISTORY%'`);
      }
      expect(running).toEqual([{ QUERY_ID: expect.any(String), EXECUTION_STATUS: 'RUNNING' }]);
      await ok('ALTER WAREHOUSE COMPUTE_WH ABORT ALL QUERIES');
      const stopped = await long.done;
      expect(stopped.error).toMatchObject({ code: '000604', sqlState: '57014' });
      expect(stopped.statement.getQueryId()).toBe(running[0]!.QUERY_ID);
    } finally {
      await destroy(analyst);
    }
  });
});

describe('values through the driver', () => {
  it('timestamps with offsets, VARCHAR casts, objects of strings, a JSON null and a BOOLEAN from CALL', async () => {
    const [row] = await ok(`SELECT '2026-01-01 10:00:00 +01:00'::TIMESTAMP_TZ AS TZ, CAST('2026-01-01 10:00:00 +01:00' AS TIMESTAMP_LTZ) AS LTZ,
      'x'::VARCHAR AS TEXT, OBJECT_CONSTRUCT('name', 'Ann', 'city', 'Oslo') AS OBJ, PARSE_JSON('{"a": null}'):a AS JSON_NULL,
      PARSE_JSON('{"a": null}'):a IS NULL AS IS_SQL_NULL, PARSE_JSON('{"a": null}'):missing AS MISSING`);
    expect((row!.TZ as Date).getTime()).toBe(Date.UTC(2026, 0, 1, 9));
    // The driver renders a TIMESTAMP_TZ in the offset it came with.
    expect(JSON.stringify(row!.TZ)).toContain('+0100');
    expect((row!.LTZ as Date).getTime()).toBe(Date.UTC(2026, 0, 1, 9));
    expect(row).toMatchObject({ TEXT: 'x', OBJ: { name: 'Ann', city: 'Oslo' }, JSON_NULL: null, IS_SQL_NULL: false, MISSING: null });
    await ok("CREATE NOTIFICATION INTEGRATION IF NOT EXISTS NI_DRIVER TYPE = EMAIL ENABLED = TRUE ALLOWED_RECIPIENTS = ('ops@example.com')");
    const [sent] = await ok("CALL SYSTEM$SEND_EMAIL('NI_DRIVER', 'ops@example.com', 'drill', 'body', 'text/plain')");
    expect(sent).toEqual({ SYSTEM$SEND_EMAIL: true });
  });
});

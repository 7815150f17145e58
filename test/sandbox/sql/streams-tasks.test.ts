// Streams see inserts, deletes and updates and move on when a committed DML reads them; tasks run
// their SQL and their started children on EXECUTE TASK, with TASK_HISTORY; alerts act on EXECUTE ALERT.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SnowflakeEngine } from '../../../src/sandbox/sql/engine.js';
import { expectFailure, objects, openFixture, type EngineFixture } from './engine-fixture.js';

let db: EngineFixture;

beforeAll(async () => {
  db = await openFixture();
  await db.run('CREATE DATABASE PIPE');
  await db.run('CREATE SCHEMA PIPE.RAW');
  await db.run('CREATE SCHEMA PIPE.CORE');
  await db.run('CREATE TABLE PIPE.RAW.ORDERS (ORDER_ID INT, AMOUNT NUMBER(10,2))');
  await db.run('CREATE TABLE PIPE.CORE.ORDERS (ORDER_ID INT, AMOUNT NUMBER(10,2), UPDATED_AT TIMESTAMP_LTZ)');
  await db.run('INSERT INTO PIPE.RAW.ORDERS VALUES (1, 10), (2, 20), (3, 30)');
  await db.run('CREATE STREAM PIPE.RAW.ORDERS_STRM ON TABLE PIPE.RAW.ORDERS');
});

afterAll(() => db.close());

const changes = async () =>
  objects(await db.run('SELECT ORDER_ID, AMOUNT, METADATA$ACTION AS A, METADATA$ISUPDATE AS U FROM PIPE.RAW.ORDERS_STRM ORDER BY ORDER_ID, A'));

describe('streams', () => {
  it('starts empty and shows inserts, deletes, and updates as DELETE+INSERT pairs', async () => {
    expect(await changes()).toEqual([]);
    expect(await db.value("SELECT SYSTEM$STREAM_HAS_DATA('PIPE.RAW.ORDERS_STRM')")).toBe('0');
    await db.run('INSERT INTO PIPE.RAW.ORDERS VALUES (4, 40)');
    await db.run('DELETE FROM PIPE.RAW.ORDERS WHERE ORDER_ID = 1');
    await db.run('UPDATE PIPE.RAW.ORDERS SET AMOUNT = 25 WHERE ORDER_ID = 2');
    expect(await changes()).toEqual([
      { ORDER_ID: '1', AMOUNT: '10.00', A: 'DELETE', U: '0' },
      { ORDER_ID: '2', AMOUNT: '20.00', A: 'DELETE', U: '1' },
      { ORDER_ID: '2', AMOUNT: '25.00', A: 'INSERT', U: '1' },
      { ORDER_ID: '4', AMOUNT: '40.00', A: 'INSERT', U: '0' },
    ]);
    expect(await db.value("SELECT SYSTEM$STREAM_HAS_DATA('PIPE.RAW.ORDERS_STRM')")).toBe('1');
    const rowIds = objects(await db.run('SELECT METADATA$ROW_ID AS R FROM PIPE.RAW.ORDERS_STRM WHERE ORDER_ID = 2'));
    expect(new Set(rowIds.map((r) => r.R)).size).toBe(1);
  });

  it('does not move its offset on a SELECT, only when a committed DML reads it', async () => {
    expect(await changes()).toHaveLength(4);
    await db.run('BEGIN');
    await db.run('CREATE TEMPORARY TABLE PIPE.CORE.SEEN AS SELECT 1 AS X');
    await db.run("INSERT INTO PIPE.CORE.ORDERS SELECT ORDER_ID, AMOUNT, CURRENT_TIMESTAMP() FROM PIPE.RAW.ORDERS_STRM WHERE METADATA$ACTION = 'INSERT'");
    expect(await changes()).toEqual([]);
    expect(await db.value('SELECT COUNT(*) FROM PIPE.CORE.ORDERS')).toBe('2');
  });

  it('feeds a MERGE the way the go-live task does', async () => {
    await db.run('INSERT INTO PIPE.RAW.ORDERS VALUES (5, 50)');
    await db.run('UPDATE PIPE.RAW.ORDERS SET AMOUNT = 41 WHERE ORDER_ID = 4');
    await db.run('DELETE FROM PIPE.RAW.ORDERS WHERE ORDER_ID = 2');
    const merged = await db.run(`MERGE INTO PIPE.CORE.ORDERS t USING PIPE.RAW.ORDERS_STRM s ON t.ORDER_ID = s.ORDER_ID
      WHEN MATCHED AND s.METADATA$ACTION = 'DELETE' AND NOT s.METADATA$ISUPDATE THEN DELETE
      WHEN MATCHED AND s.METADATA$ACTION = 'INSERT' THEN UPDATE SET t.AMOUNT = s.AMOUNT, t.UPDATED_AT = CURRENT_TIMESTAMP()
      WHEN NOT MATCHED AND s.METADATA$ACTION = 'INSERT' THEN INSERT (ORDER_ID, AMOUNT, UPDATED_AT) VALUES (s.ORDER_ID, s.AMOUNT, CURRENT_TIMESTAMP())`);
    expect(objects(merged)).toEqual([{ 'number of rows inserted': '1', 'number of rows updated': '1', 'number of rows deleted': '1' }]);
    expect(objects(await db.run('SELECT ORDER_ID, AMOUNT FROM PIPE.CORE.ORDERS ORDER BY 1'))).toEqual([
      { ORDER_ID: '4', AMOUNT: '41.00' },
      { ORDER_ID: '5', AMOUNT: '50.00' },
    ]);
    expect(await changes()).toEqual([]);
  });

  it('is listed by SHOW STREAMS with its table and mode', async () => {
    expect(objects(await db.run('SHOW STREAMS IN SCHEMA PIPE.RAW'))).toEqual([
      expect.objectContaining({ name: 'ORDERS_STRM', table_name: 'PIPE.RAW.ORDERS', mode: 'DEFAULT', stale: 'false', type: 'DELTA' }),
    ]);
  });
});

describe('tasks', () => {
  beforeAll(async () => {
    await db.run('CREATE TABLE PIPE.CORE.AUDIT (STEP STRING, AT TIMESTAMP_LTZ)');
    await db.run(`CREATE TASK PIPE.CORE.T_ROOT WAREHOUSE = COMPUTE_WH SCHEDULE = '60 MINUTE'
      AS INSERT INTO PIPE.CORE.AUDIT VALUES ('root', CURRENT_TIMESTAMP())`);
    await db.run(`CREATE TASK PIPE.CORE.T_CHILD WAREHOUSE = COMPUTE_WH AFTER PIPE.CORE.T_ROOT
      AS INSERT INTO PIPE.CORE.AUDIT SELECT 'child', CURRENT_TIMESTAMP()`);
    await db.run(`CREATE TASK PIPE.CORE.T_BROKEN WAREHOUSE = COMPUTE_WH SCHEDULE = '5 MINUTE' AS INSERT INTO PIPE.CORE.NOWHERE VALUES (1)`);
  });

  it('are created suspended and listed by SHOW TASKS with their predecessors', async () => {
    const tasks = objects(await db.run('SHOW TASKS IN SCHEMA PIPE.CORE'));
    expect(tasks.map((t) => [t.name, t.state, t.schedule, t.predecessors])).toEqual([
      ['T_BROKEN', 'suspended', '5 MINUTE', '[]'],
      ['T_CHILD', 'suspended', null, '["PIPE.CORE.T_ROOT"]'],
      ['T_ROOT', 'suspended', '60 MINUTE', '[]'],
    ]);
  });

  it('EXECUTE TASK runs the task and its started children, and writes TASK_HISTORY', async () => {
    await db.run('EXECUTE TASK PIPE.CORE.T_ROOT');
    expect(objects(await db.run('SELECT STEP FROM PIPE.CORE.AUDIT'))).toEqual([{ STEP: 'root' }]);
    await db.run('ALTER TASK PIPE.CORE.T_CHILD RESUME');
    await db.run('ALTER TASK PIPE.CORE.T_ROOT RESUME');
    const answer = await db.run('EXECUTE TASK PIPE.CORE.T_ROOT');
    expect(answer.rows[0]).toEqual(['Task T_ROOT is scheduled to run immediately.']);
    expect(objects(await db.run('SELECT STEP, COUNT(*) AS N FROM PIPE.CORE.AUDIT GROUP BY STEP ORDER BY STEP'))).toEqual([
      { STEP: 'child', N: '1' },
      { STEP: 'root', N: '2' },
    ]);
    const history = objects(await db.run(`SELECT NAME, STATE, SCHEDULED_FROM FROM TABLE(PIPE.INFORMATION_SCHEMA.TASK_HISTORY()) ORDER BY SCHEDULED_TIME, NAME`));
    // The started root's next run is there too, as SCHEDULED, as Snowflake lists it.
    expect(history).toEqual([
      { NAME: 'T_ROOT', STATE: 'SUCCEEDED', SCHEDULED_FROM: 'EXECUTE_TASK' },
      { NAME: 'T_ROOT', STATE: 'SUCCEEDED', SCHEDULED_FROM: 'EXECUTE_TASK' },
      { NAME: 'T_CHILD', STATE: 'SUCCEEDED', SCHEDULED_FROM: 'EXECUTE_TASK' },
      { NAME: 'T_ROOT', STATE: 'SCHEDULED', SCHEDULED_FROM: 'SCHEDULE' },
    ]);
    expect(await db.value(`SELECT COUNT(*) FROM TABLE(PIPE.INFORMATION_SCHEMA.TASK_HISTORY(ERROR_ONLY => TRUE))`)).toBe('0');
  });

  it('runs a started task again when its schedule comes round, without a warehouse if it has none', async () => {
    const engine = db.engine as SnowflakeEngine;
    await db.run("CREATE TASK PIPE.CORE.T_TICK SCHEDULE = '1 MINUTE' AS INSERT INTO PIPE.CORE.AUDIT VALUES ('tick', CURRENT_TIMESTAMP())");
    await db.run('ALTER TASK PIPE.CORE.T_TICK RESUME');
    const start = Date.now();
    await engine.runSchedule(new Date(start));
    expect(await db.value("SELECT COUNT(*) FROM PIPE.CORE.AUDIT WHERE STEP = 'tick'")).toBe('0');
    await engine.runSchedule(new Date(start + 61_000));
    await engine.runSchedule(new Date(start + 122_000));
    expect(await db.value("SELECT COUNT(*) FROM PIPE.CORE.AUDIT WHERE STEP = 'tick'")).toBe('2');
    const runs = objects(await db.run(`SELECT STATE, SCHEDULED_FROM FROM TABLE(PIPE.INFORMATION_SCHEMA.TASK_HISTORY(TASK_NAME => 'T_TICK')) WHERE STATE <> 'SCHEDULED'`));
    expect(runs).toEqual([{ STATE: 'SUCCEEDED', SCHEDULED_FROM: 'SCHEDULE' }, { STATE: 'SUCCEEDED', SCHEDULED_FROM: 'SCHEDULE' }]);
    const [next] = objects(await db.run(`SELECT SCHEDULED_TIME FROM TABLE(PIPE.INFORMATION_SCHEMA.TASK_HISTORY(TASK_NAME => 'T_TICK')) WHERE STATE = 'SCHEDULED'`));
    expect(Number(next!.SCHEDULED_TIME!.split('.')[0]) * 1000).toBeGreaterThan(start + 122_000);
    await db.run('ALTER TASK PIPE.CORE.T_TICK SUSPEND');
    await engine.runSchedule(new Date(start + 300_000));
    expect(await db.value("SELECT COUNT(*) FROM PIPE.CORE.AUDIT WHERE STEP = 'tick'")).toBe('2');
  });

  it('records a failing task as FAILED with its error', async () => {
    await db.run('EXECUTE TASK PIPE.CORE.T_BROKEN');
    const [row] = objects(await db.run(`SELECT STATE, ERROR_CODE, ERROR_MESSAGE FROM TABLE(PIPE.INFORMATION_SCHEMA.TASK_HISTORY(TASK_NAME => 'T_BROKEN'))`));
    expect(row).toMatchObject({ STATE: 'FAILED', ERROR_CODE: '2003' });
    expect(row!.ERROR_MESSAGE).toMatch(/does not exist or not authorized/);
  });

  it('skips a task whose WHEN condition is false', async () => {
    await db.run(`CREATE TASK PIPE.CORE.T_WHEN WAREHOUSE = COMPUTE_WH SCHEDULE = '1 MINUTE'
      WHEN SYSTEM$STREAM_HAS_DATA('PIPE.RAW.ORDERS_STRM') AS INSERT INTO PIPE.CORE.AUDIT VALUES ('when', CURRENT_TIMESTAMP())`);
    await db.run('EXECUTE TASK PIPE.CORE.T_WHEN');
    const [row] = objects(await db.run(`SELECT STATE FROM TABLE(PIPE.INFORMATION_SCHEMA.TASK_HISTORY(TASK_NAME => 'T_WHEN'))`));
    expect(row).toEqual({ STATE: 'SKIPPED' });
  });

  it('refuses EXECUTE TASK to a role that may operate the task but lacks EXECUTE TASK on the account', async () => {
    for (const sql of [
      'CREATE ROLE TASK_OPERATOR', 'GRANT USAGE ON DATABASE PIPE TO ROLE TASK_OPERATOR', 'GRANT USAGE ON SCHEMA PIPE.CORE TO ROLE TASK_OPERATOR',
      'GRANT OPERATE ON TASK PIPE.CORE.T_ROOT TO ROLE TASK_OPERATOR', 'GRANT ROLE TASK_OPERATOR TO USER OPERATOR', 'USE ROLE TASK_OPERATOR',
    ]) await db.run(sql);
    try {
      await expectFailure(db.run('EXECUTE TASK PIPE.CORE.T_ROOT'), '003001', '42501', /account 'SANDBOX'/);
    } finally {
      await db.run('USE ROLE ACCOUNTADMIN');
    }
  });
});

describe('alerts and e-mail', () => {
  it('EXECUTE ALERT runs the action when the condition holds; SYSTEM$SEND_EMAIL is recorded, not sent', async () => {
    await db.run("CREATE NOTIFICATION INTEGRATION NI_MAIL TYPE = EMAIL ENABLED = TRUE ALLOWED_RECIPIENTS = ('oncall@example.com')");
    await db.run(`CREATE ALERT PIPE.CORE.A_BIG_ORDER WAREHOUSE = COMPUTE_WH SCHEDULE = '30 MINUTE'
      IF (EXISTS (SELECT 1 FROM PIPE.CORE.ORDERS WHERE AMOUNT > 45))
      THEN CALL SYSTEM$SEND_EMAIL('NI_MAIL', 'oncall@example.com', 'Big order', 'An order above 45 arrived', 'text/plain')`);
    expect(objects(await db.run('SHOW ALERTS IN SCHEMA PIPE.CORE'))).toEqual([expect.objectContaining({ name: 'A_BIG_ORDER', state: 'suspended' })]);
    await db.run('EXECUTE ALERT PIPE.CORE.A_BIG_ORDER');
    const history = objects(await db.run('SELECT NAME, STATE FROM TABLE(PIPE.INFORMATION_SCHEMA.ALERT_HISTORY())'));
    expect(history).toEqual([{ NAME: 'A_BIG_ORDER', STATE: 'TRIGGERED' }]);
    const mail = objects(await db.run('SELECT INTEGRATION_NAME, MESSAGE FROM TABLE(PIPE.INFORMATION_SCHEMA.NOTIFICATION_HISTORY())'));
    expect(mail).toHaveLength(1);
    expect(JSON.parse(mail[0]!.MESSAGE!)).toMatchObject({ recipients: 'oncall@example.com', subject: 'Big order' });
  });

  it('refuses recipients outside ALLOWED_RECIPIENTS', async () => {
    await expectFailure(db.run("CALL SYSTEM$SEND_EMAIL('NI_MAIL', 'someone@else.com', 'x', 'y')"), '394209', '22023', /not allowed/);
  });
});

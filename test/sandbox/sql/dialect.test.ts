// The Snowflake SQL that go-live and validation runbooks use, run for real on the engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectFailure, objects, openFixture, type EngineFixture } from './engine-fixture.js';

let db: EngineFixture;

beforeAll(async () => {
  db = await openFixture();
  for (const sql of [
    'CREATE DATABASE ANALYTICS',
    'CREATE SCHEMA ANALYTICS.RAW',
    'CREATE SCHEMA ANALYTICS.CORE',
    'CREATE TABLE ANALYTICS.RAW.ORDERS (ORDER_ID INT, CUSTOMER_ID INT, AMOUNT NUMBER(10,2), STATUS STRING, LOAD_DATE DATE, UPDATED_AT TIMESTAMP_NTZ)',
    `INSERT INTO ANALYTICS.RAW.ORDERS VALUES (1, 10, 5.50, 'NEW', '2024-06-01', '2024-06-01 08:00:00'), (2, 10, 7.25, 'DONE', '2024-06-01', '2024-06-01 09:00:00'),
      (3, 11, 0, 'DONE', '2024-06-01', '2024-06-01 10:00:00'), (4, NULL, 1.00, 'NEW', '2024-06-02', '2024-06-02 10:00:00')`,
    'CREATE TABLE ANALYTICS.CORE.ORDERS AS SELECT * FROM ANALYTICS.RAW.ORDERS WHERE ORDER_ID <> 3',
  ]) await db.run(sql);
});

afterAll(() => db.close());

describe('validation checks from the runbooks', () => {
  it('row counts with tolerance, using a later select item that names an earlier alias', async () => {
    await db.run("SET d = '2024-06-01'::DATE");
    const [row] = objects(await db.run(`WITH s AS (SELECT COUNT(*) c FROM ANALYTICS.RAW.ORDERS WHERE LOAD_DATE = $d),
      t AS (SELECT COUNT(*) c FROM ANALYTICS.CORE.ORDERS WHERE LOAD_DATE = $d)
      SELECT s.c AS source_rows, t.c AS target_rows, ABS(s.c - t.c) <= 0 AS passed FROM s, t`));
    expect(row).toEqual({ SOURCE_ROWS: '3', TARGET_ROWS: '2', PASSED: '0' });
  });

  it('null keys with COUNT_IF and an alias used in the same select', async () => {
    const [row] = objects(await db.run('SELECT COUNT_IF(ORDER_ID IS NULL OR CUSTOMER_ID IS NULL) AS bad_rows, bad_rows = 0 AS passed FROM ANALYTICS.CORE.ORDERS'));
    expect(row).toEqual({ BAD_ROWS: '1', PASSED: '0' });
  });

  it('freshness with DATEDIFF over an alias, missing keys with EXCEPT, hash drift with HASH', async () => {
    const [fresh] = objects(await db.run(`SELECT MAX(UPDATED_AT) AS last_update, DATEDIFF('minute', last_update, '2024-06-02 12:00:00'::TIMESTAMP_NTZ) AS lag_min, lag_min <= 120 AS passed FROM ANALYTICS.CORE.ORDERS`));
    expect(fresh).toMatchObject({ LAG_MIN: '120', PASSED: '1' });
    const missing = objects(await db.run(`SELECT 'missing_in_target' AS issue, ORDER_ID FROM (SELECT ORDER_ID FROM ANALYTICS.RAW.ORDERS EXCEPT SELECT ORDER_ID FROM ANALYTICS.CORE.ORDERS)`));
    expect(missing).toEqual([{ ISSUE: 'missing_in_target', ORDER_ID: '3' }]);
    const [drift] = objects(await db.run(`SELECT COUNT(*) AS mismatches, mismatches = 0 AS passed FROM ANALYTICS.RAW.ORDERS s JOIN ANALYTICS.CORE.ORDERS t USING (ORDER_ID)
      WHERE HASH(s.AMOUNT, s.STATUS) <> HASH(t.AMOUNT, t.STATUS)`));
    expect(drift).toEqual({ MISMATCHES: '0', PASSED: '1' });
  });
});

describe('functions and syntax', () => {
  it('IFF, NVL, NVL2, ZEROIFNULL, DIV0, DECODE, LISTAGG WITHIN GROUP, MINUS, TOP', async () => {
    const [row] = objects(await db.run(`SELECT IFF(1 > 0, 'y', 'n') a, NVL(NULL, 'x') b, NVL2(NULL, 1, 2) c, ZEROIFNULL(NULL) d, DIV0(1, 0) e,
      DECODE(2, 1, 'one', 2, 'two', 'many') f,
      (SELECT LISTAGG(STATUS, '|') WITHIN GROUP (ORDER BY ORDER_ID) FROM ANALYTICS.RAW.ORDERS) g`));
    expect(row).toEqual({ A: 'y', B: 'x', C: '2', D: '0', E: '0', F: 'two', G: 'NEW|DONE|DONE|NEW' });
    expect((await db.run('SELECT ORDER_ID FROM ANALYTICS.RAW.ORDERS MINUS SELECT ORDER_ID FROM ANALYTICS.CORE.ORDERS')).rows).toEqual([['3']]);
    expect((await db.run('SELECT TOP 2 ORDER_ID FROM ANALYTICS.RAW.ORDERS ORDER BY ORDER_ID DESC')).rows).toEqual([['4'], ['3']]);
  });

  it('DATEADD and DATEDIFF with unquoted parts, TO_DATE and TO_VARCHAR with formats, TO_NUMBER', async () => {
    const [row] = objects(await db.run(`SELECT DATEADD(day, 1, '2024-02-28'::DATE) a, DATEADD(month, 1, '2024-01-31'::DATE) b,
      DATEDIFF(day, '2024-01-01'::DATE, '2024-03-01'::DATE) c, TO_DATE('31/12/2024', 'DD/MM/YYYY') d,
      TO_VARCHAR('2024-06-01 13:45:00'::TIMESTAMP_NTZ, 'YYYY-MM-DD HH24:MI') e, TO_NUMBER('12.34', 10, 2) f`));
    expect(row).toEqual({ A: '19782', B: '19782', C: '60', D: '20088', E: '2024-06-01 13:45', F: '12.34' });
  });

  it('VARIANT: PARSE_JSON with paths, OBJECT_CONSTRUCT, ARRAY_CONSTRUCT, FLATTEN', async () => {
    const rows = objects(await db.run(`SELECT f.index AS i, f.value:sku::string AS sku, f.value:qty::int AS qty
      FROM (SELECT PARSE_JSON('{"items":[{"sku":"A","qty":2},{"sku":"B","qty":1}]}') AS doc) d, LATERAL FLATTEN(input => d.doc:items) f ORDER BY i`));
    expect(rows).toEqual([{ I: '0', SKU: 'A', QTY: '2' }, { I: '1', SKU: 'B', QTY: '1' }]);
    const [obj] = objects(await db.run(`SELECT OBJECT_CONSTRUCT('id', 1, 'tags', ARRAY_CONSTRUCT('a', 'b'), 'gone', NULL) AS o`));
    expect(JSON.parse(obj!.O!)).toEqual({ id: 1, tags: ['a', 'b'] });
  });

  it('GENERATOR with SEQ4 and UNIFORM builds test data', async () => {
    const [row] = objects(await db.run(`SELECT COUNT(*) n, MIN(s) lo, MAX(s) hi, MIN(u) >= 1 AND MAX(u) <= 6 AS in_range
      FROM (SELECT SEQ4() s, UNIFORM(1, 6, RANDOM()) u FROM TABLE(GENERATOR(ROWCOUNT => 1000)))`));
    expect(row).toEqual({ N: '1000', LO: '0', HI: '999', IN_RANGE: '1' });
  });

  it('session variables, IDENTIFIER() and RESULT_SCAN(LAST_QUERY_ID()) over SHOW output', async () => {
    await db.run("SET tbl = 'ANALYTICS.RAW.ORDERS'");
    expect(await db.value('SELECT COUNT(*) FROM IDENTIFIER($tbl)')).toBe('4');
    await db.run('SHOW TABLES IN SCHEMA ANALYTICS.RAW');
    expect(objects(await db.run('SELECT "name", "rows" FROM TABLE(RESULT_SCAN(LAST_QUERY_ID())) WHERE "rows" > 0'))).toEqual([{ name: 'ORDERS', rows: '4' }]);
  });

  it('CURRENT_* functions report the session', async () => {
    await db.run('USE SCHEMA ANALYTICS.CORE');
    const [row] = objects(await db.run('SELECT CURRENT_ACCOUNT() a, CURRENT_USER() u, CURRENT_ROLE() r, CURRENT_WAREHOUSE() w, CURRENT_DATABASE() d, CURRENT_SCHEMA() s'));
    expect(row).toEqual({ A: 'SANDBOX', U: 'OPERATOR', R: 'ACCOUNTADMIN', W: 'COMPUTE_WH', D: 'ANALYTICS', S: 'CORE' });
    expect((await db.run('SELECT CURRENT_TIMESTAMP(), SYSDATE(), CURRENT_DATE()')).columns.map((c) => c.type)).toEqual(['timestamp_ltz', 'timestamp_ntz', 'date']);
  });

  it('records ALTER SESSION SET QUERY_TAG on the queries that follow', async () => {
    await db.run("ALTER SESSION SET QUERY_TAG = 'go-live step 7'");
    const { queryId } = await db.run('SELECT 1');
    const [row] = objects(await db.run(`SELECT QUERY_TAG, QUERY_TYPE FROM SNOWFLAKE.ACCOUNT_USAGE.QUERY_HISTORY WHERE QUERY_ID = '${queryId}'`));
    expect(row).toEqual({ QUERY_TAG: 'go-live step 7', QUERY_TYPE: 'SELECT' });
    await db.run('ALTER SESSION UNSET QUERY_TAG');
  });

  it('unquoted names are upper case, quoted ones keep their case', async () => {
    await db.run('CREATE TABLE ANALYTICS.CORE.NAMES ("lower" INT, Upper INT)');
    const outcome = await db.run('SELECT "lower", upper FROM ANALYTICS.CORE.NAMES');
    expect(outcome.columns.map((c) => c.name)).toEqual(['lower', 'UPPER']);
  });

  it('runs INSERT with array binds as one statement', async () => {
    await db.run('CREATE TABLE ANALYTICS.CORE.BOUND (ID INT, NAME STRING)');
    const outcome = await db.run('INSERT INTO ANALYTICS.CORE.BOUND VALUES (?, ?)', {
      binds: { '1': { type: 'FIXED', value: ['1', '2', '3'] }, '2': { type: 'TEXT', value: ['a', null, 'c'] } },
    });
    expect(outcome.rows).toEqual([['3']]);
    expect(objects(await db.run('SELECT * FROM ANALYTICS.CORE.BOUND ORDER BY ID'))).toEqual([
      { ID: '1', NAME: 'a' }, { ID: '2', NAME: null }, { ID: '3', NAME: 'c' },
    ]);
  });

  it('sequences and AUTOINCREMENT hand out increasing numbers', async () => {
    await db.run('CREATE SEQUENCE ANALYTICS.CORE.IDS START = 100 INCREMENT = 10');
    await db.run('CREATE TABLE ANALYTICS.CORE.AUTO (ID INT AUTOINCREMENT START 1 INCREMENT 1, V STRING, S INT DEFAULT ANALYTICS.CORE.IDS.NEXTVAL)');
    await db.run("INSERT INTO ANALYTICS.CORE.AUTO (V) VALUES ('a'), ('b')");
    expect((await db.run('SELECT ID, S FROM ANALYTICS.CORE.AUTO ORDER BY ID')).rows).toEqual([['1', '100'], ['2', '110']]);
  });

  it('CALL runs a straight-line SQL procedure as its owner and returns its value', async () => {
    await db.run(`CREATE PROCEDURE ANALYTICS.CORE.SP_COUNT(MIN_AMOUNT NUMBER) RETURNS STRING LANGUAGE SQL AS $$
      BEGIN
        INSERT INTO ANALYTICS.CORE.BOUND VALUES (99, 'from procedure');
        RETURN 'rows: ' || (SELECT COUNT(*) FROM ANALYTICS.RAW.ORDERS WHERE AMOUNT >= :MIN_AMOUNT);
      END;
    $$`);
    expect(await db.value('CALL ANALYTICS.CORE.SP_COUNT(5)')).toBe('rows: 2');
    expect(await db.value('SELECT NAME FROM ANALYTICS.CORE.BOUND WHERE ID = 99')).toBe('from procedure');
  });
});

describe('Snowflake Scripting blocks', () => {
  it('runs an anonymous BEGIN … END block and EXECUTE IMMEDIATE, returning what RETURN gives', async () => {
    await db.run('CREATE TABLE ANALYTICS.CORE.BLOCKS (N INT)');
    const block = await db.run("BEGIN INSERT INTO ANALYTICS.CORE.BLOCKS VALUES (1); INSERT INTO ANALYTICS.CORE.BLOCKS VALUES (2); RETURN 'done'; END");
    expect(objects(block)).toEqual([{ 'anonymous block': 'done' }]);
    const immediate = await db.run("EXECUTE IMMEDIATE $$ SELECT COUNT(*) AS N FROM ANALYTICS.CORE.BLOCKS $$");
    expect(objects(immediate)).toEqual([{ N: '2' }]);
    await expectFailure(db.run('BEGIN IF (1 = 1) THEN RETURN 1; END IF; END'), '000002', '0A000', /Snowflake Scripting 'IF'/);
  });
});

describe('values the runbooks and their authors met', () => {
  it('reads timestamps written with an offset, and a TIMESTAMP_TZ literal keeps its offset', async () => {
    const [row] = objects(await db.run(`SELECT '2026-01-01 10:00:00 +01:00'::TIMESTAMP_TZ AS A, CAST('2026-01-01 10:00:00 -05:30' AS TIMESTAMP_TZ) AS B,
      TO_TIMESTAMP_TZ('2026-01-01 10:00:00+0100') AS C, '2026-01-01 10:00:00 +01:00'::TIMESTAMP_LTZ AS D, '2026-01-01 10:00:00 +01:00'::TIMESTAMP_NTZ AS E`));
    const nine = Date.UTC(2026, 0, 1, 9) / 1000;
    expect(row).toEqual({
      A: `${nine}.000000000 ${1440 + 60}`,
      B: `${Date.UTC(2026, 0, 1, 15, 30) / 1000}.000000000 ${1440 - 330}`,
      C: `${nine}.000000000 ${1440 + 60}`,
      D: `${nine}.000000000`,
      // TIMESTAMP_NTZ ignores the offset, as Snowflake does.
      E: `${Date.UTC(2026, 0, 1, 10) / 1000}.000000000`,
    });
  });

  it('casts to VARCHAR, builds objects of strings, and adds large minute counts without overflow', async () => {
    const [row] = objects(await db.run(`SELECT 'x'::VARCHAR AS A, CAST('y' AS VARCHAR(10)) AS B, OBJECT_CONSTRUCT('name', 'Ann', 'city', 'Oslo', 'n', 1) AS C,
      CONCAT_WS(' ', 'a', 'b') AS D, DATEDIFF('minute', DATEADD('minute', -1560, '2026-01-02 00:00:00'::TIMESTAMP_NTZ), '2026-01-02 00:00:00'::TIMESTAMP_NTZ) AS E`));
    expect(row).toEqual({ A: 'x', B: 'y', C: '{"name":"Ann","city":"Oslo","n":1}', D: 'a b', E: '1560' });
  });

  it('APPROX_PERCENTILE interpolates like Snowflake, and CALL SYSTEM$SEND_EMAIL answers a BOOLEAN', async () => {
    expect(await db.value('SELECT APPROX_PERCENTILE(N, 0.95) FROM (SELECT 1 AS N UNION ALL SELECT 2)')).toBe('1.95');
    await db.run("CREATE NOTIFICATION INTEGRATION NI_MAIL TYPE = EMAIL ENABLED = TRUE ALLOWED_RECIPIENTS = ('ops@example.com')");
    const sent = await db.run("CALL SYSTEM$SEND_EMAIL('NI_MAIL', 'ops@example.com', 'subject', 'body', 'text/plain')");
    expect(sent.columns.map((c) => [c.name, c.type])).toEqual([['SYSTEM$SEND_EMAIL', 'boolean']]);
    expect(sent.rows).toEqual([['1']]);
  });
});

describe('repeated queries', () => {
  it('a query repeated after the data changed answers from the new data, not from a plan made on the old', async () => {
    await db.run('CREATE TABLE ANALYTICS.CORE.REPEATED (ID INT, CLOSED_AT TIMESTAMP_NTZ)');
    await db.run('INSERT INTO ANALYTICS.CORE.REPEATED VALUES (1, NULL), (2, NULL)');
    const open = 'SELECT COUNT(*) FROM ANALYTICS.CORE.REPEATED WHERE CLOSED_AT IS NULL';
    expect(await db.value(open)).toBe('2');
    expect(await db.value(open)).toBe('2');
    await db.run("UPDATE ANALYTICS.CORE.REPEATED SET CLOSED_AT = '2026-01-01 00:00:00' WHERE ID = 1");
    expect(await db.value(open)).toBe('1');
    await db.run('ALTER TABLE ANALYTICS.CORE.REPEATED ADD COLUMN NOTE STRING');
    expect((await db.run('SELECT * FROM ANALYTICS.CORE.REPEATED WHERE ID = 2')).columns.map((c) => c.name)).toEqual(['ID', 'CLOSED_AT', 'NOTE']);
  });
});

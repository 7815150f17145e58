// Time Travel the way the recovery runbooks use it: find the bad statement in the query history,
// look at the table BEFORE it, put the rows back (or clone and swap), UNDROP what was dropped.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectFailure, objects, openFixture, type EngineFixture } from './engine-fixture.js';

let db: EngineFixture;

beforeAll(async () => {
  db = await openFixture();
  await db.run('CREATE DATABASE ANALYTICS');
  await db.run('CREATE SCHEMA ANALYTICS.CORE');
  await db.run('CREATE TABLE ANALYTICS.CORE.ORDERS (ORDER_ID INT, STATUS STRING, AMOUNT NUMBER(10,2))');
  await db.run("INSERT INTO ANALYTICS.CORE.ORDERS SELECT SEQ4() + 1, IFF(SEQ4() % 3 = 0, 'OPEN', 'DONE'), (SEQ4() + 1) * 1.5 FROM TABLE(GENERATOR(ROWCOUNT => 100))");
});

afterAll(() => db.close());

const count = async (sql: string): Promise<number> => Number(await db.value(sql));

describe('the recovery drill', () => {
  it('restores rows deleted by mistake from BEFORE(STATEMENT => <query id>)', async () => {
    await db.run("UPDATE ANALYTICS.CORE.ORDERS SET STATUS = 'CHECKED' WHERE ORDER_ID <= 5");
    await db.run("DELETE FROM ANALYTICS.CORE.ORDERS WHERE STATUS = 'DONE'");
    await db.run("INSERT INTO ANALYTICS.CORE.ORDERS VALUES (1000, 'NEW', 1)");
    expect(await count('SELECT COUNT(*) FROM ANALYTICS.CORE.ORDERS')).toBe(38);

    const history = objects(await db.run(`SELECT QUERY_ID, QUERY_TYPE, QUERY_TEXT FROM TABLE(ANALYTICS.INFORMATION_SCHEMA.QUERY_HISTORY(RESULT_LIMIT => 500))
      WHERE QUERY_TYPE = 'DELETE' AND QUERY_TEXT ILIKE '%CORE.ORDERS%' ORDER BY START_TIME DESC`));
    expect(history).toHaveLength(1);
    const bad = history[0]!.QUERY_ID!;

    const lost = await count(`SELECT COUNT(*) FROM ANALYTICS.CORE.ORDERS BEFORE(STATEMENT => '${bad}')
      WHERE ORDER_ID NOT IN (SELECT ORDER_ID FROM ANALYTICS.CORE.ORDERS)`);
    expect(lost).toBe(63);

    const restored = await db.run(`INSERT INTO ANALYTICS.CORE.ORDERS
      SELECT * FROM ANALYTICS.CORE.ORDERS BEFORE(STATEMENT => '${bad}')
      EXCEPT SELECT * FROM ANALYTICS.CORE.ORDERS`);
    expect(restored.rows[0]).toEqual(['63']);
    expect(await count('SELECT COUNT(*) FROM ANALYTICS.CORE.ORDERS')).toBe(101);
    expect(await count("SELECT COUNT(*) FROM ANALYTICS.CORE.ORDERS WHERE STATUS = 'CHECKED'")).toBe(5);
    expect(await count('SELECT COUNT(*) FROM ANALYTICS.CORE.ORDERS WHERE ORDER_ID = 1000')).toBe(1);
  });

  it('restores a whole table with CLONE … BEFORE(STATEMENT) and ALTER TABLE … SWAP WITH', async () => {
    const { queryId } = await db.run('DELETE FROM ANALYTICS.CORE.ORDERS WHERE ORDER_ID > 50');
    expect(await count('SELECT COUNT(*) FROM ANALYTICS.CORE.ORDERS')).toBe(50);
    await db.run(`CREATE TABLE ANALYTICS.CORE.ORDERS_RESTORE CLONE ANALYTICS.CORE.ORDERS BEFORE(STATEMENT => '${queryId}')`);
    await db.run('ALTER TABLE ANALYTICS.CORE.ORDERS SWAP WITH ANALYTICS.CORE.ORDERS_RESTORE');
    expect(await count('SELECT COUNT(*) FROM ANALYTICS.CORE.ORDERS')).toBe(101);
    expect(await count('SELECT COUNT(*) FROM ANALYTICS.CORE.ORDERS_RESTORE')).toBe(50);
  });

  it('finds the statement in SNOWFLAKE.ACCOUNT_USAGE.QUERY_HISTORY too, with its counts', async () => {
    const rows = objects(await db.run(`SELECT QUERY_TYPE, ROWS_DELETED, EXECUTION_STATUS, USER_NAME, ROLE_NAME, DATABASE_NAME
      FROM SNOWFLAKE.ACCOUNT_USAGE.QUERY_HISTORY WHERE QUERY_TEXT ILIKE 'DELETE FROM ANALYTICS.CORE.ORDERS WHERE STATUS%'`));
    expect(rows).toEqual([{ QUERY_TYPE: 'DELETE', ROWS_DELETED: '63', EXECUTION_STATUS: 'SUCCESS', USER_NAME: 'OPERATOR', ROLE_NAME: 'ACCOUNTADMIN', DATABASE_NAME: 'ANALYTICS' }]);
  });
});

describe('AT and BEFORE', () => {
  it('AT(STATEMENT) includes the statement\'s own changes; BEFORE excludes them', async () => {
    await db.run('CREATE TABLE ANALYTICS.CORE.EVENTS (ID INT)');
    await db.run('INSERT INTO ANALYTICS.CORE.EVENTS VALUES (1), (2)');
    const { queryId } = await db.run('INSERT INTO ANALYTICS.CORE.EVENTS VALUES (3)');
    await db.run('INSERT INTO ANALYTICS.CORE.EVENTS VALUES (4)');
    expect(await count(`SELECT COUNT(*) FROM ANALYTICS.CORE.EVENTS AT(STATEMENT => '${queryId}')`)).toBe(3);
    expect(await count(`SELECT COUNT(*) FROM ANALYTICS.CORE.EVENTS BEFORE(STATEMENT => '${queryId}')`)).toBe(2);
  });

  it('AT(TIMESTAMP) and AT(OFFSET) see the table as it was then', async () => {
    await db.run('CREATE TABLE ANALYTICS.CORE.TICKS (ID INT)');
    await db.run('INSERT INTO ANALYTICS.CORE.TICKS VALUES (1)');
    await sleep(50);
    await db.run('SET BEFORE_SECOND = CURRENT_TIMESTAMP()');
    await sleep(50);
    await db.run('INSERT INTO ANALYTICS.CORE.TICKS VALUES (2)');
    expect(await count('SELECT COUNT(*) FROM ANALYTICS.CORE.TICKS AT(TIMESTAMP => $BEFORE_SECOND)')).toBe(1);
    expect(await count('SELECT COUNT(*) FROM ANALYTICS.CORE.TICKS AT(OFFSET => 0)')).toBe(2);
  });

  it('refuses points before the table existed, unknown query ids, and any point with retention 0', async () => {
    await expectFailure(db.run('SELECT * FROM ANALYTICS.CORE.TICKS AT(OFFSET => -3600)'), '000707', '02000', /Time travel data is not available for table TICKS/);
    await expectFailure(db.run("SELECT * FROM ANALYTICS.CORE.TICKS BEFORE(STATEMENT => '01b2c3d4-0000-0000-0000-000000000000')"), '000707', '02000', /not found/);
    await db.run('CREATE TABLE ANALYTICS.CORE.SCRATCH (ID INT) DATA_RETENTION_TIME_IN_DAYS = 0');
    const { queryId } = await db.run('INSERT INTO ANALYTICS.CORE.SCRATCH VALUES (1)');
    await expectFailure(db.run(`SELECT * FROM ANALYTICS.CORE.SCRATCH AT(STATEMENT => '${queryId}')`), '000707', '02000');
  });
});

describe('grants on clones', () => {
  it('a cloned schema keeps the grants on its tables, views and materialized views; a table CLONE only with COPY GRANTS', async () => {
    for (const sql of [
      'CREATE DATABASE GRANTED',
      'CREATE SCHEMA GRANTED.PROD',
      'CREATE TABLE GRANTED.PROD.FACT (N INT)',
      'CREATE MATERIALIZED VIEW GRANTED.PROD.MV AS SELECT COUNT(*) AS C FROM FACT',
      'CREATE VIEW GRANTED.PROD.V AS SELECT N FROM GRANTED.PROD.FACT',
      'CREATE ROLE R_READ',
      'GRANT SELECT ON ALL TABLES IN SCHEMA GRANTED.PROD TO ROLE R_READ',
      'GRANT SELECT ON ALL VIEWS IN SCHEMA GRANTED.PROD TO ROLE R_READ',
      'GRANT SELECT ON ALL MATERIALIZED VIEWS IN SCHEMA GRANTED.PROD TO ROLE R_READ',
      'CREATE SCHEMA GRANTED.PROD_BEFORE CLONE GRANTED.PROD',
    ]) await db.run(sql);
    const readers = async (kind: string, name: string): Promise<string[]> =>
      objects(await db.run(`SHOW GRANTS ON ${kind} ${name}`)).filter((g) => g.privilege === 'SELECT').map((g) => g.grantee_name!);
    expect(await readers('TABLE', 'GRANTED.PROD_BEFORE.FACT')).toEqual(['R_READ']);
    expect(await readers('VIEW', 'GRANTED.PROD_BEFORE.V')).toEqual(['R_READ']);
    expect(await readers('MATERIALIZED VIEW', 'GRANTED.PROD_BEFORE.MV')).toEqual(['R_READ']);
    await db.run('CREATE TABLE GRANTED.PROD.FACT_COPY CLONE GRANTED.PROD.FACT');
    expect(await readers('TABLE', 'GRANTED.PROD.FACT_COPY')).toEqual([]);
    await db.run('CREATE TABLE GRANTED.PROD.FACT_KEPT CLONE GRANTED.PROD.FACT COPY GRANTS');
    expect(await readers('TABLE', 'GRANTED.PROD.FACT_KEPT')).toEqual(['R_READ']);
    await db.run('CREATE OR REPLACE VIEW GRANTED.PROD.V COPY GRANTS COMMENT = \'v2\' AS SELECT N + 1 AS N FROM GRANTED.PROD.FACT');
    expect(await readers('VIEW', 'GRANTED.PROD.V')).toEqual(['R_READ']);
    await db.run('CREATE OR REPLACE VIEW GRANTED.PROD.V AS SELECT N FROM GRANTED.PROD.FACT');
    expect(await readers('VIEW', 'GRANTED.PROD.V')).toEqual([]);
  });
});

describe('UNDROP and CLONE', () => {
  it('UNDROP TABLE brings back the data; a table of the same name must be renamed first', async () => {
    await db.run('CREATE TABLE ANALYTICS.CORE.LOST (ID INT)');
    await db.run('INSERT INTO ANALYTICS.CORE.LOST VALUES (1), (2), (3)');
    await db.run('DROP TABLE ANALYTICS.CORE.LOST');
    await expectFailure(db.run('SELECT * FROM ANALYTICS.CORE.LOST'), '002003', '42S02');
    const history = objects(await db.run("SHOW TABLES HISTORY LIKE 'LOST' IN SCHEMA ANALYTICS.CORE"));
    expect(history).toHaveLength(1);
    expect(history[0]!.dropped_on).not.toBeNull();

    await db.run('CREATE TABLE ANALYTICS.CORE.LOST (OTHER STRING)');
    await expectFailure(db.run('UNDROP TABLE ANALYTICS.CORE.LOST'), '002002', '42710');
    await db.run('ALTER TABLE ANALYTICS.CORE.LOST RENAME TO ANALYTICS.CORE.LOST_NEW');
    expect((await db.run('UNDROP TABLE ANALYTICS.CORE.LOST')).rows[0]).toEqual(['Table LOST successfully restored.']);
    expect(await count('SELECT SUM(ID) FROM ANALYTICS.CORE.LOST')).toBe(6);
  });

  it('UNDROP SCHEMA and UNDROP DATABASE bring back everything in them', async () => {
    await db.run('CREATE SCHEMA ANALYTICS.STAGING');
    await db.run('CREATE TABLE ANALYTICS.STAGING.T (ID INT)');
    await db.run('INSERT INTO ANALYTICS.STAGING.T VALUES (7)');
    await db.run('DROP SCHEMA ANALYTICS.STAGING');
    await expectFailure(db.run('SELECT * FROM ANALYTICS.STAGING.T'), '002003', '02000');
    await db.run('UNDROP SCHEMA ANALYTICS.STAGING');
    expect(await count('SELECT ID FROM ANALYTICS.STAGING.T')).toBe(7);
    await db.run('DROP DATABASE ANALYTICS');
    await expectFailure(db.run('SELECT * FROM ANALYTICS.STAGING.T'), '002003', '02000', /Database 'ANALYTICS'/);
    await db.run('UNDROP DATABASE ANALYTICS');
    expect(await count('SELECT ID FROM ANALYTICS.STAGING.T')).toBe(7);
  });

  it('CLONE AT a point copies the table as it was; a cloned schema carries its tables', async () => {
    await db.run('CREATE TABLE ANALYTICS.CORE.PRICES (SKU STRING, PRICE NUMBER(8,2))');
    const { queryId } = await db.run("INSERT INTO ANALYTICS.CORE.PRICES VALUES ('a', 1), ('b', 2)");
    await db.run('UPDATE ANALYTICS.CORE.PRICES SET PRICE = PRICE * 10');
    await db.run(`CREATE TABLE ANALYTICS.CORE.PRICES_THEN CLONE ANALYTICS.CORE.PRICES AT(STATEMENT => '${queryId}')`);
    expect(await count('SELECT SUM(PRICE) FROM ANALYTICS.CORE.PRICES_THEN')).toBe(3);
    expect(await count('SELECT SUM(PRICE) FROM ANALYTICS.CORE.PRICES')).toBe(30);
    await db.run(`CREATE SCHEMA ANALYTICS.CORE_COPY CLONE ANALYTICS.CORE BEFORE(STATEMENT => '${queryId}')`);
    expect(await count('SELECT COUNT(*) FROM ANALYTICS.CORE_COPY.PRICES')).toBe(0);
    expect(await count('SELECT COUNT(*) FROM ANALYTICS.CORE_COPY.ORDERS')).toBe(101);
  });
});

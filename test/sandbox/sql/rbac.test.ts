// RBAC as Snowflake enforces it: privileges through the role hierarchy, "does not exist or not
// authorized" for what a role cannot see, "insufficient privileges" for what it sees but may not do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineSession } from '../../../src/sandbox/engine-api.js';
import { expectFailure, objects, openFixture, type EngineFixture } from './engine-fixture.js';

let db: EngineFixture;
let analyst: EngineSession;

beforeAll(async () => {
  db = await openFixture();
  for (const sql of [
    'USE ROLE SYSADMIN',
    'CREATE DATABASE SALES',
    'CREATE SCHEMA SALES.CORE',
    'CREATE TABLE SALES.CORE.ORDERS (ID INT, AMOUNT NUMBER(10,2))',
    'INSERT INTO SALES.CORE.ORDERS VALUES (1, 10), (2, 20)',
    'CREATE TABLE SALES.CORE.SALARIES (NAME STRING, PAY NUMBER)',
    'CREATE SCHEMA SALES.SECRET',
    'CREATE TABLE SALES.SECRET.KEYS (K STRING)',
    'CREATE VIEW SALES.CORE.ORDER_TOTALS AS SELECT COUNT(*) AS N, SUM(AMOUNT) AS TOTAL FROM SALES.CORE.ORDERS',
    'USE ROLE USERADMIN',
    'CREATE ROLE AR_SALES_RO',
    'CREATE ROLE FR_ANALYST',
    "CREATE USER ANNA PASSWORD = 'pw' DEFAULT_ROLE = FR_ANALYST DEFAULT_WAREHOUSE = COMPUTE_WH",
    'USE ROLE SECURITYADMIN',
    'GRANT USAGE ON DATABASE SALES TO ROLE AR_SALES_RO',
    'GRANT USAGE ON SCHEMA SALES.CORE TO ROLE AR_SALES_RO',
    'GRANT SELECT ON TABLE SALES.CORE.ORDERS TO ROLE AR_SALES_RO',
    'GRANT ROLE AR_SALES_RO TO ROLE FR_ANALYST',
    'GRANT USAGE ON WAREHOUSE COMPUTE_WH TO ROLE FR_ANALYST',
    'GRANT ROLE FR_ANALYST TO USER ANNA',
    'USE ROLE ACCOUNTADMIN',
  ]) await db.run(sql);
  analyst = await db.login('ANNA');
});

afterAll(() => db.close());

const as = (sql: string) => db.runIn(analyst, sql);

describe('RBAC', () => {
  it('starts a session in the default role and reads through the role hierarchy', async () => {
    expect(analyst.role).toBe('FR_ANALYST');
    expect(objects(await as('SELECT COUNT(*) AS N FROM SALES.CORE.ORDERS'))).toEqual([{ N: '2' }]);
  });

  it('refuses a write the role may not do with 003001 / 42501', async () => {
    await expectFailure(as('DELETE FROM SALES.CORE.ORDERS'), '003001', '42501', /Insufficient privileges to operate on table 'ORDERS'/);
    await expectFailure(as('CREATE TABLE SALES.CORE.MINE (A INT)'), '003001', '42501', /schema 'CORE'/);
  });

  it('says a table the role has no privilege on does not exist (002003 / 42S02)', async () => {
    await expectFailure(as('SELECT * FROM SALES.CORE.SALARIES'), '002003', '42S02', /Object 'SALES\.CORE\.SALARIES' does not exist or not authorized\./);
  });

  it('says a schema without USAGE does not exist (002003 / 02000)', async () => {
    await expectFailure(as('SELECT * FROM SALES.SECRET.KEYS'), '002003', '02000', /Schema 'SALES\.SECRET' does not exist or not authorized\./);
  });

  it('refuses USE ROLE of a role not granted to the user (003013)', async () => {
    await expectFailure(as('USE ROLE SYSADMIN'), '003013', '42501', /Requested role 'SYSADMIN' is not assigned to the executing user/);
    await as('USE ROLE AR_SALES_RO');
    await as('USE ROLE FR_ANALYST');
  });

  it('refuses a login with a role the user does not have', async () => {
    await expectFailure(db.engine.openSession('ANNA', { authentication: 'PASSWORD', role: 'ACCOUNTADMIN' }), '390189', '08004');
  });

  it('lets a view be read with the view owner\'s rights, not the reader\'s', async () => {
    await db.run('USE ROLE SECURITYADMIN');
    await db.run('GRANT SELECT ON VIEW SALES.CORE.ORDER_TOTALS TO ROLE AR_SALES_RO');
    await db.run('REVOKE SELECT ON TABLE SALES.CORE.ORDERS FROM ROLE AR_SALES_RO');
    await db.run('USE ROLE ACCOUNTADMIN');
    expect(objects(await as('SELECT N, TOTAL FROM SALES.CORE.ORDER_TOTALS'))).toEqual([{ N: '2', TOTAL: '30.00' }]);
    await expectFailure(as('SELECT * FROM SALES.CORE.ORDERS'), '002003', '42S02');
    await db.run('GRANT SELECT ON TABLE SALES.CORE.ORDERS TO ROLE AR_SALES_RO');
  });

  it('gives new tables the schema\'s future grants, and ALL TABLES grants existing ones', async () => {
    await db.run('USE ROLE SECURITYADMIN');
    await db.run('GRANT SELECT ON FUTURE TABLES IN SCHEMA SALES.CORE TO ROLE AR_SALES_RO');
    await db.run('USE ROLE SYSADMIN');
    await db.run('CREATE TABLE SALES.CORE.RETURNS (ID INT)');
    await db.run('USE ROLE ACCOUNTADMIN');
    expect(objects(await as('SELECT COUNT(*) AS N FROM SALES.CORE.RETURNS'))).toEqual([{ N: '0' }]);
    const grants = objects(await db.run('SHOW FUTURE GRANTS IN SCHEMA SALES.CORE'));
    expect(grants).toEqual([expect.objectContaining({ privilege: 'SELECT', grant_on: 'TABLE', grantee_name: 'AR_SALES_RO', name: 'SALES.CORE.<TABLE>' })]);
  });

  it('lists only what the role can see in SHOW TABLES', async () => {
    const names = objects(await as('SHOW TABLES IN SCHEMA SALES.CORE')).map((r) => r.name);
    expect(names).toEqual(['ORDERS', 'RETURNS']);
  });

  it('does not let USERADMIN grant privileges on objects it does not own', async () => {
    await db.run('USE ROLE USERADMIN');
    await expectFailure(db.run('GRANT SELECT ON TABLE SALES.CORE.SALARIES TO ROLE FR_ANALYST'), '002003', '42S02');
    await db.run('USE ROLE ACCOUNTADMIN');
  });

  it('needs OPERATE to suspend a warehouse and IMPORTED PRIVILEGES for ACCOUNT_USAGE', async () => {
    await expectFailure(as('ALTER WAREHOUSE COMPUTE_WH SUSPEND'), '003001', '42501', /warehouse 'COMPUTE_WH'/);
    await expectFailure(as('SELECT COUNT(*) FROM SNOWFLAKE.ACCOUNT_USAGE.QUERY_HISTORY'), '002003', '02000');
    expect(Number(await db.value('SELECT COUNT(*) FROM SNOWFLAKE.ACCOUNT_USAGE.QUERY_HISTORY'))).toBeGreaterThan(0);
  });

  it('hands ownership over with GRANT OWNERSHIP', async () => {
    await db.run('GRANT OWNERSHIP ON TABLE SALES.CORE.SALARIES TO ROLE FR_ANALYST');
    await as("INSERT INTO SALES.CORE.SALARIES VALUES ('x', 1)");
    expect(objects(await db.run('SHOW GRANTS ON TABLE SALES.CORE.SALARIES'))).toContainEqual(expect.objectContaining({ privilege: 'OWNERSHIP', grantee_name: 'FR_ANALYST' }));
  });

  it('takes access away on REVOKE', async () => {
    await db.run('REVOKE ROLE AR_SALES_RO FROM ROLE FR_ANALYST');
    await expectFailure(as('SELECT * FROM SALES.CORE.ORDERS'), '002003', '02000', /Database 'SALES'/);
    await db.run('GRANT ROLE AR_SALES_RO TO ROLE FR_ANALYST');
  });
});

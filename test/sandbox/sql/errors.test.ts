// Failures carry Snowflake's codes, SQL states and message shapes, never DuckDB's own text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectFailure, openFixture, type EngineFixture } from './engine-fixture.js';

let db: EngineFixture;

beforeAll(async () => {
  db = await openFixture();
  await db.run('CREATE DATABASE ERR_DB');
  await db.run('CREATE TABLE T (ID INT, NAME STRING)');
  await db.run("INSERT INTO T VALUES (1, 'a'), (2, 'b')");
});

afterAll(() => db.close());

describe('Snowflake errors', () => {
  it.each([
    ['SELEC 1', '001003', '42000', /^SQL compilation error:\nsyntax error line 1 at position 0 unexpected 'SELEC'\.$/],
    ['SELECT FROM WHERE', '001003', '42000', /syntax error line 1 at position \d+ unexpected/],
    ["SELECT 'open", '001003', '42000', /syntax error/],
    ['SELECT NOSUCH FROM T', '000904', '42000', /invalid identifier 'NOSUCH'/],
    ['SELECT * FROM NOSUCH', '002003', '42S02', /^SQL compilation error:\nObject 'NOSUCH' does not exist or not authorized\.$/],
    ['SELECT * FROM NODB.PUBLIC.T', '002003', '02000', /Database 'NODB' does not exist or not authorized\./],
    ['SELECT * FROM ERR_DB.NOSCHEMA.T', '002003', '02000', /Schema 'ERR_DB\.NOSCHEMA' does not exist or not authorized\./],
    ['CREATE TABLE T (X INT)', '002002', '42710', /Object 'T' already exists\./],
    ['SELECT 1 / 0', '100051', '22012', /^Division by zero$/],
    ['SELECT ID / (ID - 1) FROM T', '100051', '22012', /Division by zero/],
    ["SELECT 'abc'::NUMBER", '100038', '22018', /Numeric value 'abc' is not recognized/],
    ["SELECT TO_NUMBER('12x')", '100038', '22018', /Numeric value '12x' is not recognized/],
    ['SELECT (SELECT ID FROM T)', '090150', '22000', /Single-row subquery returns more than one row/],
    ['SELECT NO_SUCH_FUNCTION(1)', '002140', '42601', /Unknown function NO_SUCH_FUNCTION/],
    ['SELECT $NOT_SET', '002211', '02000', /Session variable '\$NOT_SET' does not exist/],
    ['USE WAREHOUSE NOSUCH_WH', '002043', '02000', /Object does not exist, or operation cannot be performed\./],
    ['DROP TABLE NOSUCH', '002003', '42S02', /does not exist or not authorized/],
  ])('%s', async (sql, code, sqlState, message) => {
    const error = await expectFailure(db.run(sql), code, sqlState, message);
    expect(error.message).not.toMatch(/(Binder|Catalog|Parser|Conversion|Invalid Input) Error/);
  });

  it('needs a current database for unqualified names', async () => {
    const other = await db.login();
    await expectFailure(db.runIn(other, 'SELECT * FROM T'), '090105', '22000', /does not have a current database/);
  });

  it('needs an active warehouse to read tables, not to compute constants', async () => {
    await db.run("CREATE USER NOWH PASSWORD = 'x' DEFAULT_ROLE = ACCOUNTADMIN");
    await db.run('GRANT ROLE ACCOUNTADMIN TO USER NOWH');
    const session = await db.login('NOWH');
    expect((await db.runIn(session, 'SELECT 1 + 1')).rows).toEqual([['2']]);
    await expectFailure(db.runIn(session, 'SELECT * FROM ERR_DB.PUBLIC.T'), '000606', '57P03', /No active warehouse selected in the current session/);
  });

  it('keeps DROP … IF EXISTS and CREATE … IF NOT EXISTS quiet', async () => {
    expect((await db.run('DROP TABLE IF EXISTS NOSUCH')).rows).toEqual([['Drop statement executed successfully (NOSUCH already dropped).']]);
    expect((await db.run('CREATE TABLE IF NOT EXISTS T (X INT)')).rows).toEqual([['T already exists, statement succeeded.']]);
  });

  it('records failures in the query history with their code', async () => {
    const failed = await db.run("SELECT ERROR_CODE, EXECUTION_STATUS FROM SNOWFLAKE.ACCOUNT_USAGE.QUERY_HISTORY WHERE QUERY_TEXT = 'SELECT 1 / 0'");
    expect(failed.rows).toEqual([['100051', 'FAIL']]);
  });
});

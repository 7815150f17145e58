// Loading from stages: the seeded source system, COPY INTO with formats, patterns and errors,
// SYSTEM$SANDBOX_PUT to fill a stage, LIST and COPY_HISTORY.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_COUNTS, seedFiles } from '../../../src/sandbox/sql/seed.js';
import { expectFailure, objects, openFixture, type EngineFixture } from './engine-fixture.js';

let db: EngineFixture;

beforeAll(async () => {
  db = await openFixture({ seed: true });
  await db.run('CREATE DATABASE ETL');
  await db.run('CREATE SCHEMA ETL.RAW');
  await db.run(`CREATE TABLE ETL.RAW.ORDERS (ORDER_ID NUMBER(12,0), CUSTOMER_ID NUMBER(10,0), ORDER_DATE DATE, STATUS VARCHAR(20),
    AMOUNT NUMBER(12,2), CURRENCY VARCHAR(3), UPDATED_AT TIMESTAMP_NTZ, NOTES VARCHAR(500), LOAD_DATE DATE)`);
});

afterAll(() => db.close());

describe('the seeded source system', () => {
  it('holds the documented tables with fixed contents', async () => {
    expect(await db.value('SELECT COUNT(*) FROM SOURCE_DB.PUBLIC.CUSTOMERS')).toBe(String(SEED_COUNTS.customers));
    expect(await db.value('SELECT COUNT(*) FROM SOURCE_DB.PUBLIC.ORDERS')).toBe(String(SEED_COUNTS.orders));
    expect(await db.value('SELECT COUNT(*) FROM SOURCE_DB.PUBLIC.ORDER_EVENTS')).toBe(String(SEED_COUNTS.events));
    expect(objects(await db.run('SELECT FIRST_NAME, LAST_NAME FROM SOURCE_DB.PUBLIC.CUSTOMERS WHERE CUSTOMER_ID IN (7, 13, 21) ORDER BY 1'))).toEqual([
      expect.objectContaining({ LAST_NAME: "O'Brien" }),
      expect.objectContaining({ LAST_NAME: 'Smith, Jr.' }),
      { FIRST_NAME: '李', LAST_NAME: '小龙' },
    ].sort((a, b) => String(a.FIRST_NAME ?? '').localeCompare(String(b.FIRST_NAME ?? ''))));
    expect(Number(await db.value('SELECT COUNT_IF(EMAIL IS NULL) FROM SOURCE_DB.PUBLIC.CUSTOMERS'))).toBeGreaterThan(0);
  });

  it('lists the landing files, the same as the seed produces', async () => {
    const files = objects(await db.run('LIST @SOURCE_DB.PUBLIC.LANDING'));
    expect(files.map((f) => f.name)).toEqual(Object.keys(seedFiles()).map((name) => `landing/${name}`).sort());
    const orders = objects(await db.run("LIST @SOURCE_DB.PUBLIC.LANDING PATTERN = '.*orders_2024-06-0[12].*'"));
    expect(orders).toHaveLength(2);
  });
});

describe('COPY INTO', () => {
  it('loads the orders files by PATTERN with the stage\'s file format, and skips them the second time', async () => {
    const loaded = objects(await db.run("COPY INTO ETL.RAW.ORDERS FROM @SOURCE_DB.PUBLIC.LANDING PATTERN = 'orders/.*[.]csv'"));
    expect(loaded.map((r) => [r.file, r.status, r.errors_seen])).toEqual([
      ['landing/orders/orders_2024-06-01.csv', 'LOADED', '0'],
      ['landing/orders/orders_2024-06-02.csv', 'LOADED', '0'],
      ['landing/orders/orders_2024-06-03.csv', 'LOADED', '0'],
    ]);
    expect(await db.value('SELECT COUNT(*) FROM ETL.RAW.ORDERS')).toBe(String(SEED_COUNTS.orders));
    expect(await db.value('SELECT COUNT(*) FROM (SELECT * FROM ETL.RAW.ORDERS MINUS SELECT * FROM SOURCE_DB.PUBLIC.ORDERS)')).toBe('0');
    const again = await db.run("COPY INTO ETL.RAW.ORDERS FROM @SOURCE_DB.PUBLIC.LANDING PATTERN = 'orders/.*[.]csv'");
    expect(again.rows).toEqual([['Copy executed with 0 files processed.']]);
  });

  it('records the loads in COPY_HISTORY and LOAD_HISTORY', async () => {
    const history = objects(await db.run(`SELECT FILE_NAME, STATUS, ROW_COUNT FROM TABLE(ETL.INFORMATION_SCHEMA.COPY_HISTORY(
      TABLE_NAME => 'RAW.ORDERS', START_TIME => DATEADD('hour', -24, CURRENT_TIMESTAMP()))) ORDER BY FILE_NAME`));
    expect(history.map((h) => h.STATUS)).toEqual(['Loaded', 'Loaded', 'Loaded']);
    expect(history.reduce((sum, h) => sum + Number(h.ROW_COUNT), 0)).toBe(SEED_COUNTS.orders);
    expect(await db.value("SELECT COUNT_IF(STATUS <> 'LOADED') FROM ETL.INFORMATION_SCHEMA.LOAD_HISTORY")).toBe('0');
  });

  it('fills a stage with SYSTEM$SANDBOX_PUT and reports bad rows: ON_ERROR = CONTINUE loads the rest', async () => {
    await db.run("CREATE STAGE ETL.RAW.INBOX FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1 FIELD_OPTIONALLY_ENCLOSED_BY = '\"')");
    const put = await db.value(`CALL SYSTEM$SANDBOX_PUT('@ETL.RAW.INBOX', 'fix/extra.csv', 'ORDER_ID,CUSTOMER_ID,ORDER_DATE,STATUS,AMOUNT,CURRENCY,UPDATED_AT,NOTES,LOAD_DATE
900001,1,2024-06-04,NEW,12.50,EUR,2024-06-04 10:00:00,"late, but fine",2024-06-04
900002,2,2024-06-04,NEW,not-a-number,EUR,2024-06-04 10:00:00,,2024-06-04
')`);
    expect(put).toMatch(/uploaded fix\/extra\.csv/);
    await expectFailure(db.run('COPY INTO ETL.RAW.ORDERS FROM @ETL.RAW.INBOX/fix/'), '100038', '22018', /Numeric value 'not-a-number' is not recognized/);
    const result = objects(await db.run('COPY INTO ETL.RAW.ORDERS FROM @ETL.RAW.INBOX/fix/ ON_ERROR = CONTINUE'));
    expect(result).toEqual([expect.objectContaining({ status: 'PARTIALLY_LOADED', rows_parsed: '2', rows_loaded: '1', errors_seen: '1', first_error_line: '3' })]);
    expect(await db.value("SELECT NOTES FROM ETL.RAW.ORDERS WHERE ORDER_ID = 900001")).toBe('late, but fine');
  });

  it('loads JSON into a VARIANT column and runs COPY transformations with $n', async () => {
    await db.run('CREATE TABLE ETL.RAW.EVENTS (RAW VARIANT)');
    await db.run("COPY INTO ETL.RAW.EVENTS FROM @SOURCE_DB.PUBLIC.LANDING/events/ FILE_FORMAT = (TYPE = JSON)");
    expect(await db.value("SELECT COUNT(*) FROM ETL.RAW.EVENTS WHERE RAW:type::STRING = 'refund'")).toBe('12');
    await db.run('CREATE TABLE ETL.RAW.CUSTOMER_NAMES (ID INT, FULL_NAME STRING, SOURCE_FILE STRING)');
    await db.run(`COPY INTO ETL.RAW.CUSTOMER_NAMES FROM (SELECT $1, $2 || ' ' || $3, METADATA$FILENAME FROM @SOURCE_DB.PUBLIC.LANDING)
      FILES = ('customers.csv')`);
    expect(objects(await db.run('SELECT FULL_NAME, SOURCE_FILE FROM ETL.RAW.CUSTOMER_NAMES WHERE ID = 21'))).toEqual([{ FULL_NAME: '李 小龙', SOURCE_FILE: 'landing/customers.csv' }]);
  });

  it('unloads a query to a stage and reads it back', async () => {
    const unloaded = objects(await db.run("COPY INTO @ETL.RAW.INBOX/export/big FROM (SELECT ORDER_ID, AMOUNT FROM ETL.RAW.ORDERS WHERE AMOUNT > 400) HEADER = TRUE"));
    expect(Number(unloaded[0]!.rows_unloaded)).toBeGreaterThan(0);
    expect(objects(await db.run('LIST @ETL.RAW.INBOX/export')).map((f) => f.name)).toEqual(['inbox/export/big_0_0_0.csv']);
  });

  it('says PUT is not available and how to fill a stage instead', async () => {
    await expectFailure(db.run("PUT file:///tmp/x.csv @ETL.RAW.INBOX"), '000002', '0A000', /SYSTEM\$SANDBOX_PUT/);
  });
});

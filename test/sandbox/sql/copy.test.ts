// COPY as the go-live pipeline uses it: deliver files between stages (COPY FILES), stage a bad
// delivery by unloading (SINGLE, HEADER, OVERWRITE), load with a named file format and load
// metadata, fail or skip bad files with Snowflake's messages, find them with VALIDATION_MODE,
// quarantine them, and read COPY_HISTORY / LOAD_HISTORY.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectFailure, objects, openFixture, type EngineFixture } from './engine-fixture.js';

let db: EngineFixture;
let dataDir: string;

const ORDER_COLUMNS = 'ORDER_ID, CUSTOMER_ID, ORDER_DATE, STATUS, AMOUNT, CURRENCY, UPDATED_AT, NOTES, LOAD_DATE';
const LOAD = `COPY INTO DW.RAW.ORDERS (${ORDER_COLUMNS}) FROM @DW.RAW.LANDING/orders/ FILE_FORMAT = (FORMAT_NAME = 'DW.RAW.FF_CSV')`;

/** Stages a one-row orders file by unloading a query, as the drills do. */
function deliver(name: string, orderDate: string, amount: string): ReturnType<EngineFixture['run']> {
  return db.run(`COPY INTO @DW.RAW.LANDING/orders/${name}
    FROM (SELECT 900000001 AS ORDER_ID, 1 AS CUSTOMER_ID, '${orderDate}' AS ORDER_DATE, 'SHIPPED' AS STATUS, ${amount} AS AMOUNT,
                 'EUR' AS CURRENCY, '2026-03-01 02:00:00' AS UPDATED_AT, NULL AS NOTES, '2026-03-01' AS LOAD_DATE)
    FILE_FORMAT = (TYPE = CSV COMPRESSION = NONE FIELD_OPTIONALLY_ENCLOSED_BY = '"') HEADER = TRUE SINGLE = TRUE OVERWRITE = TRUE`);
}

async function landingFiles(): Promise<string[]> {
  return objects(await db.run('LIST @DW.RAW.LANDING')).map((f) => f.name!);
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'baton-copy-'));
  db = await openFixture({ dataDir, seed: true });
  for (const sql of [
    'CREATE DATABASE DW',
    'CREATE SCHEMA DW.RAW',
    `CREATE FILE FORMAT DW.RAW.FF_CSV TYPE = CSV FIELD_DELIMITER = ',' SKIP_HEADER = 1 FIELD_OPTIONALLY_ENCLOSED_BY = '"'
       NULL_IF = ('', 'NULL') EMPTY_FIELD_AS_NULL = TRUE TRIM_SPACE = TRUE ERROR_ON_COLUMN_COUNT_MISMATCH = TRUE`,
    "CREATE STAGE DW.RAW.LANDING FILE_FORMAT = (FORMAT_NAME = 'DW.RAW.FF_CSV')",
    `CREATE TABLE DW.RAW.ORDERS (ORDER_ID NUMBER(12,0), CUSTOMER_ID NUMBER(10,0), ORDER_DATE DATE, STATUS VARCHAR(20),
       AMOUNT NUMBER(12,2), CURRENCY VARCHAR(3), UPDATED_AT TIMESTAMP_NTZ, NOTES VARCHAR(500), LOAD_DATE DATE,
       LOADED_AT TIMESTAMP_LTZ DEFAULT CURRENT_TIMESTAMP())`,
  ]) await db.run(sql);
});

afterAll(async () => {
  await db.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('COPY FILES', () => {
  it('copies a folder between internal stages keeping the names, and one file with FILES', async () => {
    const copied = objects(await db.run('COPY FILES INTO @DW.RAW.LANDING/orders/ FROM @SOURCE_DB.PUBLIC.LANDING/orders/'));
    expect(copied.map((r) => r.file)).toEqual(['orders/orders_2024-06-01.csv', 'orders/orders_2024-06-02.csv', 'orders/orders_2024-06-03.csv']);
    await db.run("COPY FILES INTO @DW.RAW.LANDING/customers/ FROM @SOURCE_DB.PUBLIC.LANDING FILES = ('customers.csv')");
    expect(await landingFiles()).toEqual([
      'landing/customers/customers.csv',
      'landing/orders/orders_2024-06-01.csv',
      'landing/orders/orders_2024-06-02.csv',
      'landing/orders/orders_2024-06-03.csv',
    ]);
    const [source] = objects(await db.run("LIST @SOURCE_DB.PUBLIC.LANDING PATTERN = '.*customers.csv'"));
    const [target] = objects(await db.run("LIST @DW.RAW.LANDING PATTERN = '.*customers.csv'"));
    expect(target!.md5).toBe(source!.md5);
  });
});

describe('loading with a named file format and load metadata', () => {
  it('loads every delivered file once: a rerun skips the files already loaded', async () => {
    const first = objects(await db.run(LOAD));
    expect(first.map((r) => [r.file, r.status])).toEqual([
      ['landing/orders/orders_2024-06-01.csv', 'LOADED'],
      ['landing/orders/orders_2024-06-02.csv', 'LOADED'],
      ['landing/orders/orders_2024-06-03.csv', 'LOADED'],
    ]);
    expect(await db.value('SELECT COUNT(*) FROM DW.RAW.ORDERS')).toBe('500');
    // The column left out of the list takes its DEFAULT.
    expect(await db.value('SELECT COUNT(*) FROM DW.RAW.ORDERS WHERE LOADED_AT IS NULL')).toBe('0');
    expect(objects(await db.run(LOAD))).toEqual([{ status: 'Copy executed with 0 files processed.' }]);
    expect(await db.value('SELECT COUNT(*) FROM DW.RAW.ORDERS')).toBe('500');
  });

  it('unloads a one-file delivery with SINGLE and HEADER: exactly the name given, dates as dates', async () => {
    const [unloaded] = objects(await deliver('orders_extra.csv', '2026-02-28', '12.50'));
    expect(unloaded).toMatchObject({ rows_unloaded: '1' });
    expect(await landingFiles()).toContain('landing/orders/orders_extra.csv');
    const text = await readFile(join(dataDir, 'stages', 'DW', 'RAW', 'LANDING', 'orders', 'orders_extra.csv'), 'utf8');
    expect(text).toBe(`${ORDER_COLUMNS.replace(/ /g, '')}\n900000001,1,"2026-02-28","SHIPPED",12.50,"EUR","2026-03-01 02:00:00",\\N,"2026-03-01"\n`);
    // Without OVERWRITE a second unload to the same name is refused.
    await expectFailure(
      db.run(`COPY INTO @DW.RAW.LANDING/orders/orders_extra.csv FROM (SELECT 1 AS X) FILE_FORMAT = (TYPE = CSV COMPRESSION = NONE) SINGLE = TRUE`),
      '100079', '22000', /already existing at the unload destination/,
    );
    const [loaded] = objects(await db.run(LOAD));
    expect(loaded).toMatchObject({ file: 'landing/orders/orders_extra.csv', status: 'LOADED', rows_loaded: '1' });
    expect(objects(await db.run('SELECT ORDER_DATE, AMOUNT, UPDATED_AT FROM DW.RAW.ORDERS WHERE ORDER_ID = 900000001'))).toEqual([
      { ORDER_DATE: String(Date.UTC(2026, 1, 28) / 86_400_000), AMOUNT: '12.50', UPDATED_AT: `${Date.UTC(2026, 2, 1, 2) / 1000}.000000000` },
    ]);
    await db.run("REMOVE '@DW.RAW.LANDING/orders/orders_extra.csv'");
    await db.run('DELETE FROM DW.RAW.ORDERS WHERE ORDER_ID = 900000001');
  });

  it('fails the statement on a bad date, naming file, line and column, and records the failed file', async () => {
    await deliver('orders_bad_date.csv', '2026-02-30', '12.50');
    const failure = await expectFailure(db.run(`${LOAD} ON_ERROR = ABORT_STATEMENT`), '100040', '22007', /^Date '2026-02-30' is not recognized/);
    expect(failure.message).toContain("File 'orders/orders_bad_date.csv', line 2, character");
    expect(failure.message).toContain('column "ORDERS"["ORDER_DATE":3]');
    expect(await db.value('SELECT COUNT(*) FROM DW.RAW.ORDERS')).toBe('500');
    const history = objects(await db.run(`SELECT FILE_NAME, STATUS, ROW_COUNT, FIRST_ERROR_MESSAGE, FIRST_ERROR_LINE_NUMBER
      FROM TABLE(DW.INFORMATION_SCHEMA.COPY_HISTORY(TABLE_NAME => 'DW.RAW.ORDERS', START_TIME => DATEADD('hour', -1, CURRENT_TIMESTAMP())))
      WHERE STATUS <> 'Loaded'`));
    expect(history).toEqual([
      { FILE_NAME: 'orders/orders_bad_date.csv', STATUS: 'Load failed', ROW_COUNT: '0', FIRST_ERROR_MESSAGE: "Date '2026-02-30' is not recognized", FIRST_ERROR_LINE_NUMBER: '2' },
    ]);
    const loadHistory = objects(await db.run(`SELECT TABLE_NAME, FILE_NAME, STATUS, ROW_COUNT FROM DW.INFORMATION_SCHEMA.LOAD_HISTORY ORDER BY LAST_LOAD_TIME, FILE_NAME`));
    expect(loadHistory.map((r) => r.STATUS)).toContain('LOAD_FAILED');
    expect(loadHistory.filter((r) => r.STATUS === 'LOADED')).toHaveLength(4);
  });

  it('VALIDATION_MODE = RETURN_ERRORS lists every error with its place and loads nothing; RESULT_SCAN reads it', async () => {
    const errors = objects(await db.run(`${LOAD} VALIDATION_MODE = RETURN_ERRORS`));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      ERROR: "Date '2026-02-30' is not recognized", FILE: 'landing/orders/orders_bad_date.csv', LINE: '2', CATEGORY: 'conversion',
      CODE: '100040', SQL_STATE: '22007', COLUMN_NAME: '"ORDERS"["ORDER_DATE":3]', ROW_NUMBER: '1', ROW_START_LINE: '2',
    });
    expect(errors[0]!.REJECTED_RECORD).toContain('"2026-02-30"');
    expect(Number(errors[0]!.BYTE_OFFSET)).toBeGreaterThan(Number(errors[0]!.CHARACTER));
    const [bad] = objects(await db.run(`SELECT SPLIT_PART("FILE", '/', -1) AS file_name, COUNT(*) AS errors, MIN("LINE") AS first_line,
      MIN_BY("ERROR", "LINE") AS first_error FROM TABLE(RESULT_SCAN(LAST_QUERY_ID())) GROUP BY file_name`));
    expect(bad).toEqual({ FILE_NAME: 'orders_bad_date.csv', ERRORS: '1', FIRST_LINE: '2', FIRST_ERROR: "Date '2026-02-30' is not recognized" });
    expect(await db.value('SELECT COUNT(*) FROM DW.RAW.ORDERS')).toBe('500');
  });

  it('ON_ERROR = SKIP_FILE loads the good files and skips the bad one', async () => {
    await deliver('orders_good.csv', '2026-03-01', '9.99');
    await deliver('orders_bad_amount.csv', '2026-03-01', "'twelve fifty'");
    const result = objects(await db.run(`${LOAD} ON_ERROR = SKIP_FILE`));
    expect(result.map((r) => [r.file, r.status, r.errors_seen, r.first_error])).toEqual([
      ['landing/orders/orders_bad_amount.csv', 'LOAD_FAILED', '1', "Numeric value 'twelve fifty' is not recognized"],
      ['landing/orders/orders_bad_date.csv', 'LOAD_FAILED', '1', "Date '2026-02-30' is not recognized"],
      ['landing/orders/orders_good.csv', 'LOADED', '0', null],
    ]);
    expect(await db.value('SELECT COUNT(*) FROM DW.RAW.ORDERS')).toBe('501');
    await expectFailure(db.run(LOAD), '100038', '22018', /^Numeric value 'twelve fifty' is not recognized\n {2}File 'orders\/orders_bad_amount.csv', line 2/);
  });

  it('quarantines a bad file: COPY FILES then REMOVE with a quoted path', async () => {
    await db.run("COPY FILES INTO @DW.RAW.LANDING/quarantine/ FROM @DW.RAW.LANDING/orders/ FILES = ('orders_bad_date.csv', 'orders_bad_amount.csv')");
    const removed = objects(await db.run("REMOVE '@DW.RAW.LANDING/orders/orders_bad_date.csv'"));
    expect(removed).toEqual([{ name: 'landing/orders/orders_bad_date.csv', result: 'removed' }]);
    await db.run("REMOVE '@DW.RAW.LANDING/orders/orders_bad_amount.csv'");
    const files = await landingFiles();
    expect(files.filter((f) => f.includes('/quarantine/'))).toEqual(['landing/quarantine/orders_bad_amount.csv', 'landing/quarantine/orders_bad_date.csv']);
    expect(files.filter((f) => f.includes('bad'))).toHaveLength(2);
    expect(objects(await db.run(LOAD))).toEqual([{ status: 'Copy executed with 0 files processed.' }]);
  });
});

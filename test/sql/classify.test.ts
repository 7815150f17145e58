import { describe, expect, it } from 'vitest';
import { classifySql, type Level } from '../../src/sql/classify.js';

// The guard's statement table: what it must call each statement, and why.
const TABLE: [sql: string, level: Level, reason?: RegExp][] = [
  // reads
  ['SELECT * FROM orders', 'read'],
  ['select count(*) from raw.orders where status = \'DROP TABLE x\'', 'read'],
  ['SHOW WAREHOUSES LIKE \'ETL%\'', 'read'],
  ['DESCRIBE TABLE raw.orders', 'read'],
  ['USE ROLE SYSADMIN', 'read'],
  ['USE WAREHOUSE etl_wh', 'read'],
  ['ALTER SESSION SET QUERY_TAG = \'x\'', 'read'],
  ['SET n = 5', 'read'],
  ['LIST @raw.landing', 'read'],
  ['EXPLAIN DELETE FROM orders', 'read'],
  ['WITH recent AS (SELECT * FROM orders WHERE d > 1) SELECT count(*) FROM recent', 'read'],
  ['(SELECT 1) UNION ALL (SELECT 2)', 'read'],
  ['SELECT "DELETE" FROM "DROP"', 'read'],
  ['-- DROP TABLE orders\nSELECT 1', 'read'],
  ['/* TRUNCATE t; */ SELECT 1', 'read'],
  ['SELECT $$ DROP TABLE t; $$', 'read'],
  ['BEGIN TRANSACTION', 'read'],
  ['COMMIT', 'read'],
  // writes
  ['INSERT INTO raw.orders VALUES (1)', 'write', /INSERT INTO RAW\.ORDERS/],
  ['MERGE INTO core.orders t USING raw.orders s ON t.id = s.id WHEN MATCHED THEN DELETE', 'write', /MERGE INTO CORE\.ORDERS/],
  ['UPDATE orders SET status = \'x\' WHERE id = 5', 'write', /UPDATE ORDERS WHERE/],
  ['DELETE FROM orders WHERE loaded_at < \'2024-01-01\'', 'write'],
  ['DELETE FROM orders USING stale WHERE orders.id = stale.id', 'write'],
  ['CREATE TABLE IF NOT EXISTS raw.orders (id INT)', 'write', /CREATE TABLE RAW\.ORDERS/],
  ['CREATE WAREHOUSE IF NOT EXISTS ETL_WH WAREHOUSE_SIZE = XSMALL', 'write', /CREATE WAREHOUSE ETL_WH/],
  ['CREATE TABLE orders_backup CLONE orders', 'write', /\(CLONE\)/],
  ['UNDROP TABLE orders', 'write', /UNDROP TABLE ORDERS/],
  ['ALTER WAREHOUSE etl_wh RESUME', 'write'],
  ['ALTER TASK load_orders RESUME', 'write'],
  ['ALTER TABLE orders ADD COLUMN note STRING', 'write'],
  ['GRANT SELECT ON ALL TABLES IN SCHEMA core TO ROLE analyst', 'write', /^GRANT SELECT ON ALL TABLES/],
  ['COPY INTO raw.orders FROM @landing FILE_FORMAT = (TYPE = CSV)', 'write', /COPY INTO RAW\.ORDERS/],
  ['PUT file:///tmp/a.csv @landing', 'write'],
  ['CALL load_orders(\'2024-01-01\')', 'write', /CALL LOAD_ORDERS: what the procedure changes is not known/],
  ['EXECUTE TASK load_orders', 'write'],
  ['COMMENT ON TABLE orders IS \'x\'', 'write'],
  ['SELECT SYSTEM$CANCEL_QUERY(\'01ab\')', 'write', /SYSTEM\$CANCEL_QUERY/],
  ['FROBNICATE everything', 'write', /not a statement the guard knows/],
  ['BEGIN INSERT INTO t VALUES (1); END', 'write', /INSERT INTO T/],
  // destructive
  ['DROP TABLE raw.orders', 'destructive', /^DROP TABLE RAW\.ORDERS$/],
  ['drop table if exists "Raw"."Orders"', 'destructive', /^DROP TABLE "Raw"\."Orders"$/],
  ['DROP MATERIALIZED VIEW mv_orders', 'destructive', /^DROP MATERIALIZED VIEW MV_ORDERS$/],
  ['DROP DATABASE analytics', 'destructive'],
  ['TRUNCATE TABLE raw.orders', 'destructive', /TRUNCATE TABLE RAW\.ORDERS deletes every row/],
  ['TRUNCATE orders', 'destructive'],
  ['DELETE FROM orders', 'destructive', /DELETE FROM ORDERS without WHERE deletes every row/],
  ['DELETE FROM orders WHERE 1=1', 'destructive', /WHERE 1 = 1 deletes every row/],
  ['DELETE FROM orders WHERE id IN (SELECT id FROM stale WHERE x = 1) ', 'write'],
  ['UPDATE orders SET status = (SELECT max(s) FROM t WHERE t.a = 1)', 'destructive', /UPDATE ORDERS without WHERE changes every row/],
  ['UPDATE orders SET x = 1 WHERE TRUE', 'destructive'],
  ['-- looks harmless\nDELETE /* every */ FROM orders', 'destructive'],
  ['CREATE OR REPLACE TABLE raw.orders (id INT)', 'destructive', /CREATE OR REPLACE TABLE RAW\.ORDERS replaces the existing one/],
  ['CREATE OR REPLACE VIEW v AS SELECT 1', 'destructive', /CREATE OR REPLACE VIEW V/],
  ['CREATE OR REPLACE TABLE orders_copy CLONE orders', 'destructive'],
  ['ALTER WAREHOUSE etl_wh SUSPEND', 'destructive', /ALTER WAREHOUSE ETL_WH SUSPEND stops it/],
  ['ALTER TASK load_orders SUSPEND', 'destructive'],
  ['ALTER TABLE orders SWAP WITH orders_new', 'destructive', /SWAP WITH ORDERS_NEW/],
  ['ALTER TABLE orders RENAME TO orders_old', 'destructive'],
  ['ALTER TABLE orders DROP COLUMN note', 'destructive', /DROP COLUMN NOTE/i],
  ['ALTER USER svc_etl SET RSA_PUBLIC_KEY = \'MIIB\'', 'destructive', /ALTER USER SVC_ETL changes a login/],
  ['ALTER WAREHOUSE etl_wh ABORT ALL QUERIES', 'destructive'],
  ['ALTER TABLE orders SET DATA_RETENTION_TIME_IN_DAYS = 0', 'destructive', /Time Travel/],
  ['ALTER PIPE p SET PIPE_EXECUTION_PAUSED = TRUE', 'destructive'],
  ['REVOKE SELECT ON TABLE orders FROM ROLE analyst', 'destructive', /loses access/],
  ['GRANT OWNERSHIP ON TABLE orders TO ROLE etl REVOKE CURRENT GRANTS', 'destructive'],
  ['INSERT OVERWRITE INTO core.daily SELECT * FROM raw.daily', 'destructive', /replaces all of its rows/],
  ['REMOVE @landing/2024/', 'destructive', /deletes files from a stage/],
  ['EXECUTE IMMEDIATE $$ DROP TABLE orders $$', 'destructive', /DROP TABLE ORDERS/],
  ["EXECUTE IMMEDIATE 'TRUNCATE TABLE orders'", 'destructive'],
  ['BEGIN\n  IF (1 = 1) THEN\n    DROP TABLE t;\n  END IF;\nEND', 'destructive', /DROP TABLE T/],
  ['DECLARE\n  rs RESULTSET;\nBEGIN\n  IF (TRUE) THEN\n    BEGIN\n      TRUNCATE TABLE t;\n    END;\n  END IF;\nEND', 'destructive', /TRUNCATE TABLE T/],
  ['BEGIN\n  LET rs RESULTSET := (DELETE FROM orders);\n  RETURN TABLE(rs);\nEND', 'destructive', /DELETE FROM ORDERS without WHERE/],
  ['BEGIN\n  FOR i IN 1 TO 3 DO\n    SELECT 1;\n  END FOR;\n  RETURN 1;\nEND', 'write', /Scripting block/],
  ['WITH gone AS (SELECT id FROM stale) DELETE FROM orders', 'destructive'],
  ['SELECT SYSTEM$CANCEL_ALL_QUERIES(123)', 'destructive'],
];

describe('the guard’s statement table', () => {
  it.each(TABLE)('%s → %s', (sql, level, reason) => {
    const verdict = classifySql(sql);
    expect(verdict.level).toBe(level);
    if (reason) expect(verdict.reasons.join(' | ')).toMatch(reason);
    if (level !== 'read') expect(verdict.reasons.length).toBeGreaterThan(0);
  });
});

describe('an action with several statements', () => {
  it('takes the highest level and keeps the reasons of each risky statement', () => {
    const verdict = classifySql('USE ROLE SYSADMIN;\nINSERT INTO log VALUES (1);\nDROP TABLE staging.tmp;\nSELECT 1;');
    expect(verdict.level).toBe('destructive');
    expect(verdict.reasons).toEqual(['INSERT INTO LOG', 'DROP TABLE STAGING.TMP']);
    expect(verdict.statements.map((s) => s.level)).toEqual(['read', 'write', 'destructive', 'read']);
    expect(verdict.statements.map((s) => s.kind)).toEqual(['USE', 'INSERT', 'DROP TABLE', 'SELECT']);
  });

  it('sees a statement smuggled after a string that contains a semicolon', () => {
    expect(classifySql("SELECT 'a;b'; DROP TABLE t").level).toBe('destructive');
    expect(classifySql("SELECT 'a;DROP TABLE t'").level).toBe('read');
  });

  it('calls an empty action a read', () => {
    expect(classifySql('-- nothing to run\n')).toMatchObject({ level: 'read', reasons: [], statements: [] });
  });
});

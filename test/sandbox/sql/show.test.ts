// SHOW and DESCRIBE answer with Snowflake's column names; account objects behave as documented.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectFailure, objects, openFixture, type EngineFixture } from './engine-fixture.js';

let db: EngineFixture;

const PUBLIC_KEY = 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAuN0pkXgsY2p6VKFMPJm1Dp0+8A0Li6hH0VVqyxwM2O+D1bKVXLAVjj5vbWTyQ9SXkmzJyQlHHhqLeFgO8qPwxfp6tkmUfvc9q+Z9I4yK2Z2sjd53FZWVYbR37L2Z3HZG3k0r8wfXmS8d5OQH4SV0NQbRaJ6t3mFjO0r7SF2fl6KkQ0+jIGGmVYF9ZnyNhPrQ1EugtJXfGR7AIRv7b8KJjhSnl28Nit3rOvVt1nwBRjoRxw8jQH5u2vSmN3D9xSM7a6Bq0H1OoBWlGZgvwMpY7oNNBJR7H7YX3O5S8Htv4O7wYKZH6TxcGDDMqK4pYxJJ6xRyU4cnO6f3WZq3P7MaOQIDAQAB';

beforeAll(async () => {
  db = await openFixture();
  for (const sql of [
    "CREATE WAREHOUSE IF NOT EXISTS WH_ETL WITH WAREHOUSE_SIZE = 'MEDIUM' AUTO_SUSPEND = 60 AUTO_RESUME = TRUE INITIALLY_SUSPENDED = TRUE COMMENT = 'ETL loads'",
    'CREATE DATABASE ANALYTICS',
    'CREATE SCHEMA ANALYTICS.CORE',
    "CREATE TABLE ANALYTICS.CORE.ORDERS (ORDER_ID NUMBER(38,0) NOT NULL COMMENT 'key', AMOUNT NUMBER(12,2), NOTE VARCHAR(100) DEFAULT 'none') CLUSTER BY (ORDER_ID)",
    'CREATE VIEW ANALYTICS.CORE.V_ORDERS AS SELECT ORDER_ID, AMOUNT FROM ANALYTICS.CORE.ORDERS',
    'CREATE MATERIALIZED VIEW ANALYTICS.CORE.MV_TOTAL AS SELECT SUM(AMOUNT) AS TOTAL FROM ANALYTICS.CORE.ORDERS',
    'CREATE STREAM ANALYTICS.CORE.ORDERS_STRM ON TABLE ANALYTICS.CORE.ORDERS',
    'CREATE STAGE ANALYTICS.CORE.LANDING',
    'CREATE FILE FORMAT ANALYTICS.CORE.CSV TYPE = CSV SKIP_HEADER = 1',
    "CREATE TASK ANALYTICS.CORE.T_LOAD WAREHOUSE = WH_ETL SCHEDULE = 'USING CRON 0 2 * * * UTC' AS SELECT 1",
    "CREATE ALERT ANALYTICS.CORE.A_STALE WAREHOUSE = WH_ETL SCHEDULE = '30 MINUTE' IF (EXISTS (SELECT 1)) THEN SELECT 2",
    "CREATE OR REPLACE RESOURCE MONITOR RM_ETL WITH CREDIT_QUOTA = 500 FREQUENCY = MONTHLY START_TIMESTAMP = IMMEDIATELY TRIGGERS ON 80 PERCENT DO NOTIFY ON 100 PERCENT DO SUSPEND ON 110 PERCENT DO SUSPEND_IMMEDIATE",
    'ALTER WAREHOUSE WH_ETL SET RESOURCE_MONITOR = RM_ETL',
    "CREATE NETWORK POLICY NP_OFFICE ALLOWED_IP_LIST = ('10.0.0.0/8') BLOCKED_IP_LIST = ('10.0.0.99')",
    'CREATE ROLE FR_ETL_LOADER',
    'GRANT USAGE, OPERATE ON WAREHOUSE WH_ETL TO ROLE FR_ETL_LOADER',
    'GRANT SELECT ON FUTURE TABLES IN DATABASE ANALYTICS TO ROLE FR_ETL_LOADER',
    `CREATE USER SVC_ETL TYPE = SERVICE DEFAULT_ROLE = FR_ETL_LOADER DEFAULT_WAREHOUSE = WH_ETL RSA_PUBLIC_KEY = '${PUBLIC_KEY}'`,
    'GRANT ROLE FR_ETL_LOADER TO USER SVC_ETL',
    'USE WAREHOUSE COMPUTE_WH',
  ]) await db.run(sql);
});

afterAll(() => db.close());

const columnsOf = async (sql: string): Promise<string[]> => (await db.run(sql)).columns.map((c) => c.name);

describe('SHOW column names', () => {
  it('SHOW WAREHOUSES, GRANTS TO ROLE and TASKS match the reference exactly (leading columns)', async () => {
    expect((await columnsOf("SHOW WAREHOUSES LIKE 'WH_ETL'")).slice(0, 31)).toEqual([
      'name', 'state', 'type', 'size', 'min_cluster_count', 'max_cluster_count', 'started_clusters', 'running', 'queued', 'is_default',
      'is_current', 'auto_suspend', 'auto_resume', 'available', 'provisioning', 'quiescing', 'other', 'created_on', 'resumed_on',
      'updated_on', 'owner', 'comment', 'enable_query_acceleration', 'query_acceleration_max_scale_factor', 'resource_monitor',
      'actives', 'pendings', 'failed', 'suspended', 'uuid', 'scaling_policy',
    ]);
    expect(await columnsOf('SHOW GRANTS TO ROLE FR_ETL_LOADER')).toEqual(['created_on', 'privilege', 'granted_on', 'name', 'granted_to', 'grantee_name', 'grant_option', 'granted_by']);
    expect(await columnsOf('SHOW TASKS IN SCHEMA ANALYTICS.CORE')).toEqual([
      'created_on', 'name', 'id', 'database_name', 'schema_name', 'owner', 'comment', 'warehouse', 'schedule', 'predecessors', 'state',
      'definition', 'condition', 'allow_overlapping_execution', 'error_integration', 'last_committed_on', 'last_suspended_on',
      'owner_role_type', 'config', 'budget', 'task_relations', 'last_suspended_reason',
    ]);
  });

  it.each([
    ['SHOW DATABASES', ['created_on', 'name', 'is_default', 'is_current', 'origin', 'owner', 'comment', 'options', 'retention_time', 'kind']],
    ['SHOW SCHEMAS IN DATABASE ANALYTICS', ['created_on', 'name', 'is_default', 'is_current', 'database_name', 'owner', 'comment', 'options', 'retention_time']],
    ['SHOW TABLES IN SCHEMA ANALYTICS.CORE', ['created_on', 'name', 'database_name', 'schema_name', 'kind', 'comment', 'cluster_by', 'rows', 'bytes', 'owner', 'retention_time']],
    ['SHOW VIEWS IN SCHEMA ANALYTICS.CORE', ['created_on', 'name', 'reserved', 'database_name', 'schema_name', 'owner', 'comment', 'text', 'is_secure', 'is_materialized']],
    ['SHOW COLUMNS IN TABLE ANALYTICS.CORE.ORDERS', ['table_name', 'schema_name', 'column_name', 'data_type', 'null?', 'default', 'kind', 'expression', 'comment', 'database_name', 'autoincrement']],
    ['SHOW USERS', ['name', 'created_on', 'login_name', 'display_name', 'first_name', 'last_name', 'email', 'mins_to_unlock', 'days_to_expiry', 'comment', 'disabled', 'must_change_password']],
    ['SHOW ROLES', ['created_on', 'name', 'is_default', 'is_current', 'is_inherited', 'assigned_to_users', 'granted_to_roles', 'granted_roles', 'owner', 'comment']],
    ['SHOW GRANTS TO USER SVC_ETL', ['created_on', 'role', 'granted_to', 'grantee_name', 'granted_by']],
    ['SHOW GRANTS OF ROLE FR_ETL_LOADER', ['created_on', 'role', 'granted_to', 'grantee_name', 'granted_by']],
    ['SHOW GRANTS ON WAREHOUSE WH_ETL', ['created_on', 'privilege', 'granted_on', 'name', 'granted_to', 'grantee_name', 'grant_option', 'granted_by']],
    ['SHOW FUTURE GRANTS IN DATABASE ANALYTICS', ['created_on', 'privilege', 'grant_on', 'name', 'grant_to', 'grantee_name', 'grant_option']],
    ['SHOW STREAMS IN SCHEMA ANALYTICS.CORE', ['created_on', 'name', 'database_name', 'schema_name', 'owner', 'comment', 'table_name', 'source_type', 'base_tables', 'type', 'stale', 'mode']],
    ['SHOW STAGES IN SCHEMA ANALYTICS.CORE', ['created_on', 'name', 'database_name', 'schema_name', 'url', 'has_credentials', 'has_encryption_key', 'owner', 'comment', 'region', 'type']],
    ['SHOW FILE FORMATS IN SCHEMA ANALYTICS.CORE', ['created_on', 'name', 'database_name', 'schema_name', 'type', 'owner', 'comment', 'format_options']],
    ['SHOW RESOURCE MONITORS', ['name', 'credit_quota', 'used_credits', 'remaining_credits', 'level', 'frequency', 'start_time', 'end_time', 'notify_at', 'suspend_at', 'suspend_immediately_at', 'created_on', 'owner', 'comment']],
    ['SHOW ALERTS IN SCHEMA ANALYTICS.CORE', ['created_on', 'name', 'database_name', 'schema_name', 'owner', 'comment', 'warehouse', 'schedule', 'state', 'condition', 'action']],
    ['SHOW MATERIALIZED VIEWS IN SCHEMA ANALYTICS.CORE', ['created_on', 'name', 'reserved', 'database_name', 'schema_name', 'cluster_by', 'rows', 'bytes', 'source_database_name']],
    ["SHOW PARAMETERS LIKE 'QUERY_TAG'", ['key', 'value', 'default', 'level', 'description', 'type']],
    ['SHOW NETWORK POLICIES', ['created_on', 'name', 'comment', 'entries_in_allowed_ip_list', 'entries_in_blocked_ip_list']],
    ['DESC TABLE ANALYTICS.CORE.ORDERS', ['name', 'type', 'kind', 'null?', 'default', 'primary key', 'unique key', 'check', 'expression', 'comment']],
    ['DESCRIBE VIEW ANALYTICS.CORE.V_ORDERS', ['name', 'type', 'kind', 'null?', 'default', 'primary key', 'unique key', 'check', 'expression', 'comment']],
    ['DESC USER SVC_ETL', ['property', 'value', 'default', 'description']],
    ['DESC WAREHOUSE WH_ETL', ['created_on', 'name', 'kind']],
    ['DESC TASK ANALYTICS.CORE.T_LOAD', ['created_on', 'name', 'id', 'database_name', 'schema_name', 'owner', 'comment', 'warehouse', 'schedule', 'predecessors', 'state']],
  ])('%s', async (sql, expected) => {
    expect((await columnsOf(sql)).slice(0, expected.length)).toEqual(expected);
  });
});

describe('what SHOW and DESCRIBE say', () => {
  it('DESC TABLE prints Snowflake types, nullability, defaults and comments', async () => {
    expect(objects(await db.run('DESC TABLE ANALYTICS.CORE.ORDERS')).map((r) => [r.name, r.type, r['null?'], r.default, r.comment])).toEqual([
      ['ORDER_ID', 'NUMBER(38,0)', 'N', null, 'key'],
      ['AMOUNT', 'NUMBER(12,2)', 'Y', null, null],
      ['NOTE', 'VARCHAR(100)', 'Y', "'none'", null],
    ]);
    expect(objects(await db.run('DESC VIEW ANALYTICS.CORE.V_ORDERS')).map((r) => [r.name, r.type])).toEqual([['ORDER_ID', 'NUMBER(38,0)'], ['AMOUNT', 'NUMBER(12,2)']]);
  });

  it('DESC USER shows the key fingerprint and never a password', async () => {
    const props = Object.fromEntries(objects(await db.run('DESC USER SVC_ETL')).map((r) => [r.property, r.value]));
    expect(props.TYPE).toBe('SERVICE');
    expect(props.RSA_PUBLIC_KEY_FP).toMatch(/^SHA256:[A-Za-z0-9+/]{43}=$/);
    expect(props.PASSWORD).toBe('null');
    await db.run("CREATE USER PW_USER PASSWORD = 'secret-pass'");
    const pw = Object.fromEntries(objects(await db.run('DESC USER PW_USER')).map((r) => [r.property, r.value]));
    expect(pw.PASSWORD).toBe('********');
    expect(JSON.stringify(await db.run('SHOW USERS'))).not.toContain('secret-pass');
  });

  it('a SERVICE user cannot have a password', async () => {
    await expectFailure(db.run("CREATE USER SVC_BAD TYPE = SERVICE PASSWORD = 'x'"), '391101', '22023');
  });

  it('warehouses: state, size, monitor; SUSPEND and RESUME with their state errors', async () => {
    let [wh] = objects(await db.run("SHOW WAREHOUSES LIKE 'WH_ETL'"));
    expect(wh).toMatchObject({ name: 'WH_ETL', state: 'SUSPENDED', size: 'Medium', auto_suspend: '60', auto_resume: 'true', resource_monitor: 'RM_ETL', comment: 'ETL loads' });
    await expectFailure(db.run('ALTER WAREHOUSE WH_ETL SUSPEND'), '090064', '22000', /Invalid state\. Warehouse 'WH_ETL' cannot be suspended\./);
    await db.run('ALTER WAREHOUSE WH_ETL RESUME');
    await expectFailure(db.run('ALTER WAREHOUSE WH_ETL RESUME'), '090063', '22000', /cannot be resumed/);
    await db.run('ALTER WAREHOUSE WH_ETL RESUME IF SUSPENDED');
    await db.run("ALTER WAREHOUSE WH_ETL SET WAREHOUSE_SIZE = 'LARGE'");
    [wh] = objects(await db.run("SHOW WAREHOUSES LIKE 'WH_ETL'"));
    expect(wh).toMatchObject({ state: 'STARTED', size: 'Large' });
  });

  it('resource monitors show quota, usage and triggers; metering reflects warehouse activity', async () => {
    const [rm] = objects(await db.run('SHOW RESOURCE MONITORS'));
    expect(rm).toMatchObject({ name: 'RM_ETL', credit_quota: '500.00', frequency: 'MONTHLY', notify_at: '80%', suspend_at: '100%', suspend_immediately_at: '110%', level: 'WAREHOUSE' });
    const metering = objects(await db.run("SELECT WAREHOUSE_NAME, CREDITS_USED FROM SNOWFLAKE.ACCOUNT_USAGE.WAREHOUSE_METERING_HISTORY WHERE WAREHOUSE_NAME = 'WH_ETL'"));
    expect(metering.length).toBeGreaterThan(0);
    expect(Number(metering[0]!.CREDITS_USED)).toBeGreaterThan(0);
  });

  it('a monitor whose quota is used up keeps its warehouse from resuming', async () => {
    await db.run("CREATE WAREHOUSE WH_TINY WAREHOUSE_SIZE = 'X6LARGE' AUTO_SUSPEND = 60");
    await db.run('CREATE RESOURCE MONITOR RM_TINY WITH CREDIT_QUOTA = 0.0001 TRIGGERS ON 100 PERCENT DO SUSPEND');
    await db.run('ALTER WAREHOUSE WH_TINY SET RESOURCE_MONITOR = RM_TINY');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await db.run('ALTER WAREHOUSE WH_TINY SUSPEND');
    await db.run('USE WAREHOUSE WH_TINY');
    await expectFailure(db.run('SELECT COUNT(*) FROM ANALYTICS.CORE.ORDERS'), '000606', '57P03', /resource monitor 'RM_TINY' has exceeded its quota/);
    await db.run('USE WAREHOUSE COMPUTE_WH');
  });

  it('INFORMATION_SCHEMA and ACCOUNT_USAGE list the objects', async () => {
    expect(objects(await db.run("SELECT TABLE_NAME, TABLE_TYPE FROM ANALYTICS.INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'CORE' ORDER BY 1"))).toEqual([
      { TABLE_NAME: 'MV_TOTAL', TABLE_TYPE: 'MATERIALIZED VIEW' },
      { TABLE_NAME: 'ORDERS', TABLE_TYPE: 'BASE TABLE' },
      { TABLE_NAME: 'V_ORDERS', TABLE_TYPE: 'VIEW' },
    ]);
    expect(objects(await db.run("SELECT COLUMN_NAME, DATA_TYPE, NUMERIC_SCALE FROM ANALYTICS.INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'ORDERS' ORDER BY ORDINAL_POSITION"))).toEqual([
      { COLUMN_NAME: 'ORDER_ID', DATA_TYPE: 'NUMBER', NUMERIC_SCALE: '0' },
      { COLUMN_NAME: 'AMOUNT', DATA_TYPE: 'NUMBER', NUMERIC_SCALE: '2' },
      { COLUMN_NAME: 'NOTE', DATA_TYPE: 'TEXT', NUMERIC_SCALE: null },
    ]);
    const logins = objects(await db.run("SELECT USER_NAME, FIRST_AUTHENTICATION_FACTOR, IS_SUCCESS FROM SNOWFLAKE.ACCOUNT_USAGE.LOGIN_HISTORY WHERE USER_NAME = 'OPERATOR'"));
    expect(logins[0]).toEqual({ USER_NAME: 'OPERATOR', FIRST_AUTHENTICATION_FACTOR: 'PASSWORD', IS_SUCCESS: 'YES' });
    const grants = objects(await db.run("SELECT PRIVILEGE, GRANTED_ON, NAME FROM SNOWFLAKE.ACCOUNT_USAGE.GRANTS_TO_ROLES WHERE GRANTEE_NAME = 'FR_ETL_LOADER' ORDER BY PRIVILEGE"));
    expect(grants).toEqual([{ PRIVILEGE: 'OPERATE', GRANTED_ON: 'WAREHOUSE', NAME: 'WH_ETL' }, { PRIVILEGE: 'USAGE', GRANTED_ON: 'WAREHOUSE', NAME: 'WH_ETL' }]);
  });

  it('network policies are stored and shown (not enforced)', async () => {
    expect(objects(await db.run('SHOW NETWORK POLICIES'))).toEqual([expect.objectContaining({ name: 'NP_OFFICE', entries_in_allowed_ip_list: '1', entries_in_blocked_ip_list: '1' })]);
  });

  it('SYSTEM$CLUSTERING_INFORMATION answers for a clustered table', async () => {
    const info = JSON.parse((await db.value("SELECT SYSTEM$CLUSTERING_INFORMATION('ANALYTICS.CORE.ORDERS')"))!);
    expect(info).toMatchObject({ cluster_by_keys: 'LINEAR(ORDER_ID)', total_partition_count: 1 });
  });
});

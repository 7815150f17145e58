// The Snowflake inventory over its statement seam: which SHOW commands it sends, how rows become
// items, and what happens when Snowflake refuses one. (The same code against a real sandbox over
// snowflake-sdk is in sandbox.test.ts.)
import { describe, expect, it } from 'vitest';
import { readSnowflakeInventory, type ShowResult } from '../../src/handover/snowflake-inventory.js';

/** A statement runner answering from a table of SQL → result, recording what was sent. */
function answering(answers: Record<string, ShowResult>) {
  const sent: string[] = [];
  const run = async (sql: string): Promise<ShowResult> => {
    sent.push(sql);
    return answers[sql] ?? { columns: ['name'], rows: [] };
  };
  return { run, sent };
}

const at = () => new Date('2026-11-24T07:30:00Z');

describe('the Snowflake inventory', () => {
  it('reads every kind of object, leaving out system databases and INFORMATION_SCHEMA', async () => {
    const { run, sent } = answering({
      'SHOW WAREHOUSES': { columns: ['name', 'state', 'size', 'auto_suspend', 'auto_resume', 'resource_monitor', 'comment'], rows: [['LOAD_WH', 'SUSPENDED', 'Small', 60, 'true', 'LOAD_MONITOR', null]] },
      'SHOW DATABASES': { columns: ['name', 'owner', 'retention_time', 'comment'], rows: [['SNOWFLAKE', '', '1', ''], ['SALES_DW', 'SYSADMIN', '7', 'the pipeline']] },
      'SHOW SCHEMAS IN ACCOUNT': { columns: ['name', 'database_name', 'owner', 'retention_time', 'comment'], rows: [['RAW', 'SALES_DW', 'SYSADMIN', '7', ''], ['INFORMATION_SCHEMA', 'SALES_DW', '', '7', ''], ['ACCOUNT_USAGE', 'SNOWFLAKE', '', '1', '']] },
      'SHOW TASKS IN ACCOUNT': { columns: ['name', 'database_name', 'schema_name', 'warehouse', 'schedule', 'predecessors', 'state', 'definition', 'condition'], rows: [['PUBLISH', 'SALES_DW', 'RAW', 'LOAD_WH', '', '["SALES_DW.RAW.MERGE","SALES_DW.RAW.CLEAN"]', 'started', 'CALL PUBLISH()', '']] },
      'SHOW STREAMS IN ACCOUNT': { columns: ['name', 'database_name', 'schema_name', 'table_name', 'type', 'mode', 'stale'], rows: [['ORDERS_S', 'SALES_DW', 'RAW', 'SALES_DW.RAW.ORDERS', 'DELTA', 'APPEND_ONLY', 'false']] },
      'SHOW RESOURCE MONITORS': { columns: ['name', 'credit_quota', 'used_credits', 'frequency', 'level', 'notify_at', 'suspend_at', 'suspend_immediately_at'], rows: [['LOAD_MONITOR', '100.00', '12.50', 'MONTHLY', 'WAREHOUSE', '80%', '100%', '110%']] },
      'SHOW ALERTS IN ACCOUNT': { columns: ['name', 'database_name', 'schema_name', 'warehouse', 'schedule', 'state', 'condition', 'action'], rows: [['STALE', 'SALES_DW', 'RAW', 'LOAD_WH', '60 MINUTE', 'started', 'SELECT 1', 'CALL NOTIFY()']] },
    });
    const inventory = await readSnowflakeInventory(run, 'account TEST', at);
    expect(sent).toEqual(['SHOW WAREHOUSES', 'SHOW DATABASES', 'SHOW SCHEMAS IN ACCOUNT', 'SHOW ROLES', 'SHOW TASKS IN ACCOUNT', 'SHOW STREAMS IN ACCOUNT', 'SHOW RESOURCE MONITORS', 'SHOW ALERTS IN ACCOUNT']);
    expect(inventory.takenAt).toBe('2026-11-24T07:30:00.000Z');
    expect(inventory.warehouses).toEqual([{ name: 'LOAD_WH', size: 'Small', state: 'SUSPENDED', autoSuspend: '60', autoResume: 'true', resourceMonitor: 'LOAD_MONITOR', comment: '' }]);
    expect(inventory.databases.map((d) => d.name)).toEqual(['SALES_DW']);
    expect(inventory.schemas.map((s) => `${s.database}.${s.name}`)).toEqual(['SALES_DW.RAW']);
    expect(inventory.tasks[0]).toMatchObject({ name: 'PUBLISH', predecessors: 'SALES_DW.RAW.MERGE, SALES_DW.RAW.CLEAN', state: 'started', definition: 'CALL PUBLISH()' });
    expect(inventory.streams[0]).toMatchObject({ table: 'SALES_DW.RAW.ORDERS', mode: 'APPEND_ONLY' });
    expect(inventory.resourceMonitors[0]).toMatchObject({ creditQuota: '100.00', suspendImmediatelyAt: '110%' });
    expect(inventory.alerts[0]).toMatchObject({ name: 'STALE', condition: 'SELECT 1', action: 'CALL NOTIFY()' });
    expect(inventory.errors).toEqual({});
  });

  it('reads the grants of each pipeline role, grouped per object, and skips the system roles', async () => {
    const grants = ['created_on', 'privilege', 'granted_on', 'name', 'granted_to', 'grantee_name', 'grant_option'];
    const { run, sent } = answering({
      'SHOW ROLES': { columns: ['name', 'owner', 'comment'], rows: [['SYSADMIN', '', ''], ['ETL_ROLE', 'SECURITYADMIN', 'loads'], ['Odd "Role"', 'SECURITYADMIN', '']] },
      'SHOW GRANTS TO ROLE "ETL_ROLE"': {
        columns: grants,
        rows: [
          [null, 'USAGE', 'DATABASE', 'SALES_DW', 'ROLE', 'ETL_ROLE', 'false'],
          [null, 'SELECT', 'TABLE', 'SALES_DW.RAW.ORDERS', 'ROLE', 'ETL_ROLE', 'false'],
          [null, 'INSERT', 'TABLE', 'SALES_DW.RAW.ORDERS', 'ROLE', 'ETL_ROLE', 'true'],
          [null, 'USAGE', 'ROLE', 'READER_ROLE', 'ROLE', 'ETL_ROLE', 'false'],
        ],
      },
      'SHOW GRANTS OF ROLE "ETL_ROLE"': { columns: ['role', 'granted_to', 'grantee_name'], rows: [['ETL_ROLE', 'USER', 'SVC_ETL'], ['ETL_ROLE', 'ROLE', 'SYSADMIN']] },
      'SHOW GRANTS TO ROLE "Odd ""Role"""': { error: "SQL access control error: Insufficient privileges to operate on role 'Odd \"Role\"'" },
    });
    const inventory = await readSnowflakeInventory(run, 'account TEST', at);
    expect(sent.filter((sql) => sql.includes('GRANTS'))).toEqual(['SHOW GRANTS TO ROLE "ETL_ROLE"', 'SHOW GRANTS OF ROLE "ETL_ROLE"', 'SHOW GRANTS TO ROLE "Odd ""Role"""', 'SHOW GRANTS OF ROLE "Odd ""Role"""']);
    const [system, etl, odd] = inventory.roles;
    expect(system).toMatchObject({ name: 'SYSADMIN', grantsNote: 'system role: grants not listed' });
    expect(etl).toMatchObject({
      inherits: ['READER_ROLE'],
      grantedTo: ['user SVC_ETL', 'role SYSADMIN'],
      grants: [
        { on: 'DATABASE', name: 'SALES_DW', privileges: ['USAGE'] },
        { on: 'TABLE', name: 'SALES_DW.RAW.ORDERS', privileges: ['SELECT', 'INSERT (with grant option)'] },
      ],
    });
    expect(odd!.grantsNote).toMatch(/^grants could not be read: SQL access control error/);
  });

  it('reports a SHOW that Snowflake refuses in its own section and reads the rest', async () => {
    const { run } = answering({
      'SHOW RESOURCE MONITORS': { error: 'SQL access control error: Insufficient privileges (003001)' },
      'SHOW WAREHOUSES': { columns: ['name'], rows: [['LOAD_WH']] },
    });
    const inventory = await readSnowflakeInventory(run, 'account TEST', at);
    expect(inventory.errors).toEqual({ resourceMonitors: 'SQL access control error: Insufficient privileges (003001)' });
    expect(inventory.resourceMonitors).toEqual([]);
    expect(inventory.warehouses.map((w) => w.name)).toEqual(['LOAD_WH']);
  });
});

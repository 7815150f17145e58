// What the Snowflake account holds now, read with SHOW commands through the same connection code a
// run uses: warehouses, databases and schemas, roles with their grants, tasks, streams, resource
// monitors and alerts. A SHOW the role may not run is reported in its section; the rest goes on.
// snowflake-sdk loads only when this runs (through the session module, imported lazily here).
import type { Environment } from '../config/environment.js';
import type { SnowflakeSession as SnowflakeSessionType } from '../snowflake/session.js';

/** A warehouse as SHOW WAREHOUSES reports it. */
export interface WarehouseItem {
  name: string;
  size: string;
  state: string;
  /** Seconds, as Snowflake reports it (`null`/empty means never). */
  autoSuspend: string;
  autoResume: string;
  resourceMonitor: string;
  comment: string;
}

/** A database. */
export interface DatabaseItem {
  name: string;
  owner: string;
  retentionDays: string;
  comment: string;
}

/** A schema. */
export interface SchemaItem {
  database: string;
  name: string;
  owner: string;
  retentionDays: string;
  comment: string;
}

/** Privileges a role holds on one object. */
export interface GrantItem {
  /** Object kind: `DATABASE`, `SCHEMA`, `TABLE`, `WAREHOUSE`, … */
  on: string;
  name: string;
  privileges: string[];
}

/** A role with its grants. */
export interface RoleItem {
  name: string;
  owner: string;
  comment: string;
  /** Roles whose privileges this role inherits. */
  inherits: string[];
  grants: GrantItem[];
  /** Users and roles that hold this role. */
  grantedTo: string[];
  /** Why grants are not listed: a system role, or the SHOW was refused. */
  grantsNote?: string;
}

/** What tasks and alerts share: a schema object run on a schedule by a warehouse when a condition holds. */
export interface ScheduledItem {
  database: string;
  schema: string;
  name: string;
  warehouse: string;
  schedule: string;
  /** `started` or `suspended`. */
  state: string;
  condition: string;
}

/** A task. */
export interface TaskItem extends ScheduledItem {
  predecessors: string;
  definition: string;
}

/** A stream. */
export interface StreamItem {
  database: string;
  schema: string;
  name: string;
  table: string;
  type: string;
  mode: string;
  stale: string;
}

/** A resource monitor. */
export interface MonitorItem {
  name: string;
  creditQuota: string;
  usedCredits: string;
  frequency: string;
  level: string;
  notifyAt: string;
  suspendAt: string;
  suspendImmediatelyAt: string;
}

/** An alert. */
export interface AlertItem extends ScheduledItem {
  action: string;
}

/** The inventory sections, in the order the document shows them. */
const SNOWFLAKE_SECTIONS = ['warehouses', 'databases', 'schemas', 'roles', 'tasks', 'streams', 'resourceMonitors', 'alerts'] as const;

/** One section of the inventory. */
export type SnowflakeSection = (typeof SNOWFLAKE_SECTIONS)[number];

/** The Snowflake part of the live inventory. */
export interface SnowflakeInventory {
  /** Where it was read: `account sandbox, user OPERATOR, password`, role. */
  source: string;
  /** ISO time. */
  takenAt: string;
  warehouses: WarehouseItem[];
  databases: DatabaseItem[];
  schemas: SchemaItem[];
  roles: RoleItem[];
  tasks: TaskItem[];
  streams: StreamItem[];
  resourceMonitors: MonitorItem[];
  alerts: AlertItem[];
  /** Sections that could not be read, with Snowflake's reason. */
  errors: Partial<Record<SnowflakeSection, string>>;
}

/** A SHOW result: column names and rows in column order, or Snowflake's error. */
export type ShowResult = { columns: string[]; rows: unknown[][] } | { error: string };

/** Runs one statement; the seam between the inventory and a Snowflake session. */
export type RunShow = (sql: string) => Promise<ShowResult>;

/** Databases every account has that say nothing about the pipeline. */
const SYSTEM_DATABASES = new Set(['SNOWFLAKE', 'SNOWFLAKE_SAMPLE_DATA']);

/** Roles Snowflake defines; their grants are the account's, not the pipeline's. */
const SYSTEM_ROLES = new Set(['ACCOUNTADMIN', 'SECURITYADMIN', 'SYSADMIN', 'USERADMIN', 'ORGADMIN', 'GLOBALORGADMIN', 'PUBLIC']);

/** Grants are read for at most this many roles: two statements each. */
const MAX_ROLES_WITH_GRANTS = 100;

/** Read the inventory through `run`, one SHOW after another. */
export async function readSnowflakeInventory(run: RunShow, source: string, now: () => Date = () => new Date()): Promise<SnowflakeInventory> {
  const inventory: SnowflakeInventory = {
    source,
    takenAt: now().toISOString(),
    warehouses: [],
    databases: [],
    schemas: [],
    roles: [],
    tasks: [],
    streams: [],
    resourceMonitors: [],
    alerts: [],
    errors: {},
  };
  const read = async <T>(section: SnowflakeSection, sql: string, map: (row: Row) => T | undefined): Promise<T[]> => {
    const result = await run(sql);
    if ('error' in result) {
      inventory.errors[section] = result.error;
      return [];
    }
    return rowsOf(result).flatMap((row) => {
      const item = map(row);
      return item === undefined ? [] : [item];
    });
  };
  inventory.warehouses = await read('warehouses', 'SHOW WAREHOUSES', (r) => ({
    name: r('name'),
    size: r('size'),
    state: r('state'),
    autoSuspend: r('auto_suspend'),
    autoResume: r('auto_resume'),
    resourceMonitor: r('resource_monitor'),
    comment: r('comment'),
  }));
  inventory.databases = await read('databases', 'SHOW DATABASES', (r) =>
    SYSTEM_DATABASES.has(r('name')) ? undefined : { name: r('name'), owner: r('owner'), retentionDays: r('retention_time'), comment: r('comment') },
  );
  const databases = new Set(inventory.databases.map((d) => d.name));
  inventory.schemas = await read('schemas', 'SHOW SCHEMAS IN ACCOUNT', (r) =>
    r('name') === 'INFORMATION_SCHEMA' || !databases.has(r('database_name'))
      ? undefined
      : { database: r('database_name'), name: r('name'), owner: r('owner'), retentionDays: r('retention_time'), comment: r('comment') },
  );
  inventory.roles = await read('roles', 'SHOW ROLES', (r) => ({ name: r('name'), owner: r('owner'), comment: r('comment'), inherits: [], grants: [], grantedTo: [] }));
  let withGrants = 0;
  for (const role of inventory.roles) {
    if (SYSTEM_ROLES.has(role.name)) {
      role.grantsNote = 'system role: grants not listed';
      continue;
    }
    if (++withGrants > MAX_ROLES_WITH_GRANTS) {
      role.grantsNote = `grants not listed: more than ${MAX_ROLES_WITH_GRANTS} roles`;
      continue;
    }
    await readGrants(run, role);
  }
  inventory.tasks = await read('tasks', 'SHOW TASKS IN ACCOUNT', (r) => ({ ...scheduled(r), predecessors: predecessorsText(r('predecessors')), definition: r('definition') }));
  inventory.streams = await read('streams', 'SHOW STREAMS IN ACCOUNT', (r) => ({
    database: r('database_name'),
    schema: r('schema_name'),
    name: r('name'),
    table: r('table_name'),
    type: r('type'),
    mode: r('mode'),
    stale: r('stale'),
  }));
  inventory.resourceMonitors = await read('resourceMonitors', 'SHOW RESOURCE MONITORS', (r) => ({
    name: r('name'),
    creditQuota: r('credit_quota'),
    usedCredits: r('used_credits'),
    frequency: r('frequency'),
    level: r('level'),
    notifyAt: r('notify_at'),
    suspendAt: r('suspend_at'),
    suspendImmediatelyAt: r('suspend_immediately_at'),
  }));
  inventory.alerts = await read('alerts', 'SHOW ALERTS IN ACCOUNT', (r) => ({ ...scheduled(r), action: r('action') }));
  return inventory;
}

async function readGrants(run: RunShow, role: RoleItem): Promise<void> {
  const name = quoteName(role.name);
  const to = await run(`SHOW GRANTS TO ROLE ${name}`);
  if ('error' in to) {
    role.grantsNote = `grants could not be read: ${to.error}`;
  } else {
    const grouped = new Map<string, GrantItem>();
    for (const r of rowsOf(to)) {
      const on = r('granted_on').toUpperCase();
      if (on === 'ROLE') {
        role.inherits.push(r('name'));
        continue;
      }
      const key = `${on}\u0000${r('name')}`;
      const grant = grouped.get(key) ?? { on, name: r('name'), privileges: [] };
      const privilege = r('privilege') + (r('grant_option').toLowerCase() === 'true' ? ' (with grant option)' : '');
      if (!grant.privileges.includes(privilege)) grant.privileges.push(privilege);
      grouped.set(key, grant);
    }
    role.grants = [...grouped.values()];
  }
  const of = await run(`SHOW GRANTS OF ROLE ${name}`);
  if (!('error' in of)) role.grantedTo = rowsOf(of).map((r) => `${r('granted_to').toLowerCase()} ${r('grantee_name')}`);
}

/** One row read by column name (case-insensitive); absent columns and nulls read as ''. */
type Row = (column: string) => string;

/** The columns SHOW TASKS and SHOW ALERTS have in common. */
function scheduled(r: Row): ScheduledItem {
  return { database: r('database_name'), schema: r('schema_name'), name: r('name'), warehouse: r('warehouse'), schedule: r('schedule'), state: r('state'), condition: r('condition') };
}

function rowsOf(result: { columns: string[]; rows: unknown[][] }): Row[] {
  const index = new Map(result.columns.map((name, i) => [name.toLowerCase(), i]));
  return result.rows.map((values) => (column: string) => {
    const i = index.get(column);
    const value = i === undefined ? undefined : values[i];
    return value === null || value === undefined ? '' : String(value);
  });
}

/** Task predecessors come as a JSON array of qualified names. */
function predecessorsText(raw: string): string {
  if (!raw.startsWith('[')) return raw;
  try {
    const list = JSON.parse(raw) as unknown;
    return Array.isArray(list) ? list.map(String).join(', ') : raw;
  } catch {
    return raw;
  }
}

/** A name as a quoted identifier, so any role name reads back exactly. */
function quoteName(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Options for reading the live inventory of an environment. */
export interface LiveOptions {
  /** baton's state folder: the sandbox of a sandbox environment lives under it. */
  stateDir: string;
  signal?: AbortSignal;
  /** Longest wait for one SHOW. */
  statementTimeoutMs?: number;
}

/** The Snowflake inventory of an environment over its own connection, or why it could not be read. */
export async function liveSnowflakeInventory(environment: Environment, options: LiveOptions): Promise<{ inventory: SnowflakeInventory; secrets: readonly string[] } | { error: string }> {
  const [{ resolveTarget }, { SnowflakeSession }, { formatFailure }] = await Promise.all([
    import('../snowflake/target.js'),
    import('../snowflake/session.js'),
    import('../snowflake/errors.js'),
  ]);
  let target: Awaited<ReturnType<typeof resolveTarget>> | undefined;
  let session: SnowflakeSessionType | undefined;
  try {
    target = await resolveTarget({ environment, stateDir: options.stateDir });
    session = await SnowflakeSession.open(target.connection, { ...(target.accessUrl ? { accessUrl: target.accessUrl } : {}), ...(options.signal ? { signal: options.signal } : {}) });
    const open = session;
    const identity = await open.identity('baton handover');
    const source = `account ${identity.account}, user ${identity.user}, role ${identity.role} (connection ${target.connection.name})`;
    const run: RunShow = async (sql) => {
      const outcome = await open.execute(sql, {
        keepRows: 100_000,
        queryTag: 'baton handover inventory',
        timeoutMs: options.statementTimeoutMs ?? 120_000,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      return outcome.error ? { error: formatFailure(outcome.error) } : { columns: outcome.columns, rows: outcome.firstRows };
    };
    return { inventory: await readSnowflakeInventory(run, source), secrets: open.secrets };
  } catch (error) {
    return { error: (error as Error).message };
  } finally {
    await session?.close();
    await target?.release?.();
  }
}

// SHOW and DESCRIBE, with Snowflake's column names (lower case) and only what the current role
// can see. Answers come from the catalog; table sizes from DuckDB.
import type { WireColumn, WireType } from '../engine-api.js';
import { keyFingerprint } from './account.js';
import { ACCOUNT_KINDS, accountKindOf, type DatabaseEntry, type ObjectEntry, type ObjectKind, type SchemaEntry } from './catalog.js';
import type { Cursor, ObjectName } from './cursor.js';
import { wireColumn } from './encode.js';
import { compilationError, notFound, unsupported } from './errors.js';
import type { Execution, Outcome } from './execution.js';
import { table } from './execution.js';
import { grantedOn } from './grants.js';
import { tableSql } from './history.js';
import { locate, locateDatabase, locateSchema } from './resolve.js';
import { formatOptionsJson } from './stages.js';
import { taskRow, TASK_COLUMNS } from './tasks.js';
import { typeJson, typeText } from './types.js';
import { applyAutoSuspend } from './warehouses.js';

type Spec = [name: string, type: WireType];

function columns(specs: Spec[]): WireColumn[] {
  return specs.map(([name, type]) => wireColumn(name, type));
}

/** Rows as objects keyed by column name → a result. */
function result(x: Execution, specs: Spec[], rows: Record<string, unknown>[]): Outcome {
  return table(columns(specs), rows.map((row) => specs.map(([name]) => row[name] ?? null)), x.statementClass.typeId);
}

/** A LIKE pattern as a case-insensitive matcher. */
function likeMatcher(pattern: string | undefined): (name: string) => boolean {
  if (pattern === undefined) return () => true;
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\' && i + 1 < pattern.length) source += pattern[++i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (ch === '%') source += '.*';
    else if (ch === '_') source += '.';
    else source += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  const regex = new RegExp(`^${source}$`, 'is');
  return (name) => regex.test(name);
}

/** The options common to SHOW commands. */
interface ShowOptions {
  terse: boolean;
  history: boolean;
  like: (name: string) => boolean;
  scope: { kind: 'ACCOUNT' } | { kind: 'DATABASE'; name?: ObjectName } | { kind: 'SCHEMA'; name?: ObjectName } | { kind: 'OBJECT'; objectKind: string; name: ObjectName } | undefined;
  startsWith?: string;
  limit?: number;
}

function readShowTail(cursor: Cursor, options: ShowOptions): void {
  if (cursor.acceptWords('HISTORY')) options.history = true;
  if (cursor.acceptWords('LIKE')) options.like = likeMatcher(String(cursor.value()));
  if (cursor.acceptWords('IN')) {
    if (cursor.acceptWords('ACCOUNT')) options.scope = { kind: 'ACCOUNT' };
    else if (cursor.acceptWords('DATABASE')) options.scope = { kind: 'DATABASE', name: cursor.atEnd() || cursor.isWords('STARTS') || cursor.isWords('LIMIT') ? undefined : cursor.objectName() };
    else if (cursor.acceptWords('SCHEMA')) options.scope = { kind: 'SCHEMA', name: cursor.atEnd() || cursor.isWords('STARTS') || cursor.isWords('LIMIT') ? undefined : cursor.objectName() };
    else {
      const kind = cursor.acceptAnyWord('TABLE', 'VIEW', 'WAREHOUSE', 'TASK', 'APPLICATION');
      const name = cursor.objectName();
      if (kind) options.scope = { kind: 'OBJECT', objectKind: kind, name };
      else if (name.parts.length === 2) options.scope = { kind: 'SCHEMA', name };
      else options.scope = { kind: 'DATABASE', name };
    }
  }
  if (cursor.acceptWords('STARTS', 'WITH')) options.startsWith = String(cursor.value());
  if (cursor.acceptWords('LIMIT')) {
    options.limit = Number(cursor.value());
    if (cursor.acceptWords('FROM')) cursor.value();
  }
  cursor.expectEnd();
}

/** Schemas a SHOW of schema objects looks in. */
function schemasInScope(x: Execution, options: ShowOptions): { database: DatabaseEntry; schema: SchemaEntry }[] {
  const roles = x.roles();
  const visible = (database: DatabaseEntry): { database: DatabaseEntry; schema: SchemaEntry }[] =>
    x.catalog.schemasOf(database.id).filter((schema) => x.access.schemaUsable(roles, schema.id)).map((schema) => ({ database, schema }));
  const scope = options.scope;
  if (scope?.kind === 'ACCOUNT') {
    return x.catalog.data.databases.filter((d) => !d.droppedOn && x.access.databaseUsable(roles, d.id)).flatMap(visible);
  }
  if (scope?.kind === 'DATABASE') return visible(locateDatabase(x, scope.name?.parts[0], x.scope()));
  if (scope?.kind === 'SCHEMA') {
    const located = scope.name ? locateSchema(x, scope.name.parts, x.scope()) : locateSchema(x, [], x.scope());
    return [located];
  }
  if (scope?.kind === 'OBJECT') throw compilationError(`SHOW … IN ${scope.objectKind} is not valid here`);
  if (x.session.database && x.session.schema) return [locateSchema(x, [], x.scope())];
  return visible(locateDatabase(x, undefined, x.scope()));
}

/** Objects of some kinds that the role can see, in scope, matching LIKE (dropped ones for HISTORY). */
function objectsInScope(x: Execution, options: ShowOptions, kinds: ObjectKind[], filter: (o: ObjectEntry) => boolean = () => true): { object: ObjectEntry; database: DatabaseEntry; schema: SchemaEntry }[] {
  const roles = x.roles();
  const out: { object: ObjectEntry; database: DatabaseEntry; schema: SchemaEntry }[] = [];
  for (const { database, schema } of schemasInScope(x, options)) {
    for (const object of x.catalog.data.objects) {
      if (object.schemaId !== schema.id || !kinds.includes(object.kind)) continue;
      if (object.droppedOn && !options.history) continue;
      if (object.table?.sessionId && object.table.sessionId !== x.session.id) continue;
      if (!x.access.hasAny(roles, { type: 'OBJECT', id: object.id })) continue;
      if (!options.like(object.name) || !filter(object)) continue;
      if (options.startsWith && !object.name.startsWith(options.startsWith)) continue;
      out.push({ object, database, schema });
    }
  }
  out.sort((a, b) => a.database.name.localeCompare(b.database.name) || a.schema.name.localeCompare(b.schema.name) || a.object.name.localeCompare(b.object.name));
  return options.limit !== undefined ? out.slice(0, options.limit) : out;
}

/** Row counts of tables, in one DuckDB query. */
async function rowCounts(x: Execution, ids: number[]): Promise<Map<number, number>> {
  const counts = new Map<number, number>();
  const live = ids.filter((id) => !x.catalog.objectById(id)?.droppedOn);
  if (live.length === 0) return counts;
  const reader = await x.run(`SELECT ${live.map((id) => `(SELECT count(*) FROM ${tableSql(id)})`).join(', ')}`);
  const row = reader.getRows()[0] ?? [];
  live.forEach((id, k) => counts.set(id, Number(row[k] ?? 0)));
  return counts;
}

const yn = (value: boolean): string => (value ? 'Y' : 'N');

/** SHOW …. */
export async function show(x: Execution, cursor: Cursor): Promise<Outcome> {
  cursor.expectWords('SHOW');
  const options: ShowOptions = { terse: cursor.acceptWords('TERSE'), history: false, like: () => true, scope: undefined };
  const first = cursor.next();
  const second = cursor.peek();
  let what = first.value;
  const two = `${first.value} ${second.value}`;
  if (['FILE FORMATS', 'RESOURCE MONITORS', 'MATERIALIZED VIEWS', 'NETWORK POLICIES', 'FUTURE GRANTS', 'NOTIFICATION INTEGRATIONS', 'STORAGE INTEGRATIONS', 'API INTEGRATIONS', 'SECURITY INTEGRATIONS', 'USER FUNCTIONS', 'EXTERNAL TABLES', 'PRIMARY KEYS', 'PROGRAMMATIC ACCESS', 'USER PROGRAMMATIC'].includes(two)) {
    cursor.next();
    what = two;
    if (two === 'USER PROGRAMMATIC' || two === 'PROGRAMMATIC ACCESS') {
      cursor.acceptWords('ACCESS');
      cursor.expectWords('TOKENS');
      what = 'PROGRAMMATIC ACCESS TOKENS';
    }
  }
  switch (what) {
    case 'GRANTS':
      return showGrants(x, cursor);
    case 'FUTURE GRANTS':
      return showFutureGrants(x, cursor);
    case 'PARAMETERS':
      return showParameters(x, cursor);
    case 'PROGRAMMATIC ACCESS TOKENS':
      return showTokens(x, cursor);
    default:
      break;
  }
  readShowTail(cursor, options);
  switch (what) {
    case 'DATABASES':
      return showDatabases(x, options);
    case 'SCHEMAS':
      return showSchemas(x, options);
    case 'TABLES':
    case 'OBJECTS':
    case 'EXTERNAL TABLES':
      return showTables(x, options, what === 'OBJECTS', what === 'EXTERNAL TABLES');
    case 'VIEWS':
      return showViews(x, options, false);
    case 'MATERIALIZED VIEWS':
      return showViews(x, options, true);
    case 'COLUMNS':
      return showColumns(x, options);
    case 'WAREHOUSES':
      return showWarehouses(x, options);
    case 'USERS':
      return showUsers(x, options);
    case 'ROLES':
      return showRoles(x, options);
    case 'TASKS': {
      const rows = objectsInScope(x, options, ['TASK']).map(({ object }) => ({ ...taskRow(x, object), kind: 'TASK' }));
      if (options.terse) return result(x, [['created_on', 'timestamp_ltz'], ['name', 'text'], ['kind', 'text'], ['database_name', 'text'], ['schema_name', 'text'], ['schedule', 'text']], rows);
      return result(x, TASK_COLUMNS, rows);
    }
    case 'STREAMS':
      return showStreams(x, options);
    case 'STAGES':
      return showStages(x, options);
    case 'FILE FORMATS':
      return showFileFormats(x, options);
    case 'RESOURCE MONITORS':
      return showResourceMonitors(x, options);
    case 'ALERTS':
      return showAlerts(x, options);
    case 'INTEGRATIONS':
    case 'NOTIFICATION INTEGRATIONS':
    case 'STORAGE INTEGRATIONS':
    case 'API INTEGRATIONS':
    case 'SECURITY INTEGRATIONS':
      return showIntegrations(x, options, what === 'INTEGRATIONS' ? undefined : what.split(' ')[0]!);
    case 'NETWORK POLICIES':
      return showNetworkPolicies(x, options);
    case 'SEQUENCES':
      return showSequences(x, options);
    case 'PROCEDURES':
    case 'USER FUNCTIONS':
    case 'FUNCTIONS':
      return showProcedures(x, options);
    case 'PRIMARY KEYS':
      return result(x, [['created_on', 'timestamp_ltz'], ['database_name', 'text'], ['schema_name', 'text'], ['table_name', 'text'], ['column_name', 'text'], ['key_sequence', 'fixed'], ['constraint_name', 'text']], []);
    case 'TRANSACTIONS':
    case 'LOCKS':
      return result(x, [['id', 'fixed'], ['user', 'text'], ['session', 'fixed'], ['name', 'text'], ['started_on', 'timestamp_ltz'], ['state', 'text']], []);
    default:
      throw unsupported(`SHOW ${what}`);
  }
}

// -------------------------------------------------------------------------------------------------

const DATABASE_COLUMNS: Spec[] = [
  ['created_on', 'timestamp_ltz'], ['name', 'text'], ['is_default', 'text'], ['is_current', 'text'], ['origin', 'text'],
  ['owner', 'text'], ['comment', 'text'], ['options', 'text'], ['retention_time', 'text'], ['kind', 'text'], ['budget', 'text'],
  ['owner_role_type', 'text'],
];

function showDatabases(x: Execution, options: ShowOptions): Outcome {
  const roles = x.roles();
  const specs = options.history ? [...DATABASE_COLUMNS.slice(0, 9), ['dropped_on', 'timestamp_ltz'] as Spec, ...DATABASE_COLUMNS.slice(9)] : DATABASE_COLUMNS;
  const rows = x.catalog.data.databases
    .filter((d) => (options.history || !d.droppedOn) && x.access.databaseVisible(roles, d.id) && options.like(d.name))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((d) => ({
      created_on: d.createdOn, name: d.name, is_default: 'N', is_current: yn(x.session.database === d.name && !d.droppedOn),
      origin: d.name === 'SNOWFLAKE' ? 'SNOWFLAKE.ACCOUNT_USAGE' : '', owner: d.owner, comment: d.comment ?? '',
      options: d.transient ? 'TRANSIENT' : '', retention_time: String(d.retentionDays ?? x.catalog.accountRetention()),
      kind: d.name === 'SNOWFLAKE' ? 'APPLICATION' : 'STANDARD', budget: null, owner_role_type: d.owner ? 'ROLE' : '',
      dropped_on: d.droppedOn ?? null,
    }));
  return result(x, options.terse ? [['created_on', 'timestamp_ltz'], ['name', 'text'], ['kind', 'text'], ['database_name', 'text'], ['schema_name', 'text']] : specs, rows);
}

const SCHEMA_COLUMNS: Spec[] = [
  ['created_on', 'timestamp_ltz'], ['name', 'text'], ['is_default', 'text'], ['is_current', 'text'], ['database_name', 'text'],
  ['owner', 'text'], ['comment', 'text'], ['options', 'text'], ['retention_time', 'text'], ['owner_role_type', 'text'], ['budget', 'text'],
];

function showSchemas(x: Execution, options: ShowOptions): Outcome {
  const roles = x.roles();
  let databases: DatabaseEntry[];
  if (options.scope?.kind === 'DATABASE') databases = [locateDatabase(x, options.scope.name?.parts[0], x.scope())];
  else if (options.scope?.kind === 'ACCOUNT' || !x.session.database) databases = x.catalog.data.databases.filter((d) => !d.droppedOn && x.access.databaseUsable(roles, d.id));
  else databases = [locateDatabase(x, undefined, x.scope())];
  const specs = options.history ? [...SCHEMA_COLUMNS.slice(0, 9), ['dropped_on', 'timestamp_ltz'] as Spec, ...SCHEMA_COLUMNS.slice(9)] : SCHEMA_COLUMNS;
  const rows: Record<string, unknown>[] = [];
  for (const database of databases.sort((a, b) => a.name.localeCompare(b.name))) {
    const schemas = x.catalog.data.schemas.filter((s) => s.databaseId === database.id && (options.history || !s.droppedOn) && x.access.hasAny(roles, { type: 'SCHEMA', id: s.id }));
    const entries = [...schemas.map((s) => ({ ...s })), { id: -1, name: 'INFORMATION_SCHEMA', owner: '', createdOn: database.createdOn, comment: 'Views describing the contents of schemas in this database', retentionDays: 1, transient: false, managedAccess: false, databaseId: database.id, droppedOn: undefined }];
    for (const s of entries.filter((s) => options.like(s.name)).sort((a, b) => a.name.localeCompare(b.name))) {
      rows.push({
        created_on: s.createdOn, name: s.name, is_default: 'N', is_current: yn(x.session.database === database.name && x.session.schema === s.name),
        database_name: database.name, owner: s.owner, comment: s.comment ?? '',
        options: [s.transient ? 'TRANSIENT' : '', s.managedAccess ? 'MANAGED ACCESS' : ''].filter(Boolean).join(', '),
        retention_time: String(s.retentionDays ?? database.retentionDays ?? x.catalog.accountRetention()),
        owner_role_type: s.owner ? 'ROLE' : '', budget: null, dropped_on: s.droppedOn ?? null,
      });
    }
  }
  return result(x, specs, rows);
}

const TABLE_COLUMNS: Spec[] = [
  ['created_on', 'timestamp_ltz'], ['name', 'text'], ['database_name', 'text'], ['schema_name', 'text'], ['kind', 'text'],
  ['comment', 'text'], ['cluster_by', 'text'], ['rows', 'fixed'], ['bytes', 'fixed'], ['owner', 'text'], ['retention_time', 'text'],
  ['automatic_clustering', 'text'], ['change_tracking', 'text'], ['search_optimization', 'text'], ['search_optimization_progress', 'text'],
  ['search_optimization_bytes', 'fixed'], ['is_external', 'text'], ['enable_schema_evolution', 'text'], ['owner_role_type', 'text'],
  ['is_event', 'text'], ['budget', 'text'], ['is_hybrid', 'text'], ['is_iceberg', 'text'], ['is_dynamic', 'text'], ['is_immutable', 'text'],
];

async function showTables(x: Execution, options: ShowOptions, objects: boolean, external: boolean): Promise<Outcome> {
  const found = external ? [] : objectsInScope(x, options, objects ? ['TABLE', 'VIEW'] : ['TABLE']);
  const counts = await rowCounts(x, found.filter((f) => f.object.kind === 'TABLE').map((f) => f.object.id));
  const specs = options.history ? [...TABLE_COLUMNS.slice(0, 11), ['dropped_on', 'timestamp_ltz'] as Spec, ...TABLE_COLUMNS.slice(11)] : TABLE_COLUMNS;
  const rows = found.map(({ object, database, schema }) => {
    const t = object.table;
    const rowsCount = counts.get(object.id) ?? 0;
    return {
      created_on: object.createdOn, name: object.name, database_name: database.name, schema_name: schema.name,
      kind: object.kind === 'VIEW' ? 'VIEW' : t?.tableKind === 'PERMANENT' ? 'TABLE' : t?.tableKind ?? 'TABLE',
      comment: object.comment ?? '', cluster_by: t && t.clusterBy.length > 0 ? `LINEAR(${t.clusterBy.join(', ')})` : '',
      rows: object.kind === 'TABLE' ? rowsCount : null, bytes: object.kind === 'TABLE' ? rowsCount * 64 : null, owner: object.owner,
      retention_time: String(object.kind === 'TABLE' ? x.catalog.retentionDays(object) : ''),
      automatic_clustering: t && t.clusterBy.length > 0 && !t.reclusterSuspended ? 'ON' : 'OFF', change_tracking: t?.changeTracking ? 'ON' : 'OFF',
      search_optimization: 'OFF', search_optimization_progress: null, search_optimization_bytes: null, is_external: 'N',
      enable_schema_evolution: 'N', owner_role_type: 'ROLE', is_event: 'N', budget: null, is_hybrid: 'N', is_iceberg: 'N',
      is_dynamic: 'N', is_immutable: 'N', dropped_on: object.droppedOn ?? null,
    };
  });
  if (options.terse) {
    return result(x, [['created_on', 'timestamp_ltz'], ['name', 'text'], ['kind', 'text'], ['database_name', 'text'], ['schema_name', 'text']], rows);
  }
  if (objects) return result(x, [...TABLE_COLUMNS.slice(0, 11), ['owner_role_type', 'text']], rows);
  return result(x, specs, rows);
}

function showViews(x: Execution, options: ShowOptions, materialized: boolean): Outcome {
  const found = objectsInScope(x, options, ['VIEW'], (o) => (materialized ? Boolean(o.view?.materialized) : true));
  const rows = found.map(({ object, database, schema }) => ({
    created_on: object.createdOn, name: object.name, reserved: '', database_name: database.name, schema_name: schema.name,
    owner: object.owner, comment: object.comment ?? '', text: object.view!.text, is_secure: String(object.view!.secure),
    is_materialized: String(object.view!.materialized), owner_role_type: 'ROLE', change_tracking: 'OFF', cluster_by: '',
    rows: null, bytes: null, source_database_name: database.name, source_schema_name: schema.name, source_table_name: '',
    refreshed_on: new Date().toISOString(), compacted_on: null, invalid: 'false', invalid_reason: '', behind_by: '0s',
    automatic_clustering: 'OFF', budget: null,
  }));
  if (materialized) {
    return result(x, [
      ['created_on', 'timestamp_ltz'], ['name', 'text'], ['reserved', 'text'], ['database_name', 'text'], ['schema_name', 'text'],
      ['cluster_by', 'text'], ['rows', 'fixed'], ['bytes', 'fixed'], ['source_database_name', 'text'], ['source_schema_name', 'text'],
      ['source_table_name', 'text'], ['refreshed_on', 'timestamp_ltz'], ['compacted_on', 'timestamp_ltz'], ['owner', 'text'],
      ['invalid', 'text'], ['invalid_reason', 'text'], ['behind_by', 'text'], ['comment', 'text'], ['text', 'text'], ['is_secure', 'text'],
      ['automatic_clustering', 'text'], ['owner_role_type', 'text'], ['budget', 'text'],
    ], rows);
  }
  return result(x, [
    ['created_on', 'timestamp_ltz'], ['name', 'text'], ['reserved', 'text'], ['database_name', 'text'], ['schema_name', 'text'],
    ['owner', 'text'], ['comment', 'text'], ['text', 'text'], ['is_secure', 'text'], ['is_materialized', 'text'],
    ['owner_role_type', 'text'], ['change_tracking', 'text'],
  ], rows);
}

async function viewColumns(x: Execution, object: ObjectEntry): Promise<{ name: string; type: string; json: string }[]> {
  const { describeViewColumns } = await import('./describe-view.js');
  return describeViewColumns(x, object);
}

async function showColumns(x: Execution, options: ShowOptions): Promise<Outcome> {
  let found: { object: ObjectEntry; database: DatabaseEntry; schema: SchemaEntry }[];
  if (options.scope?.kind === 'OBJECT') {
    const located = locate(x, options.scope.name, ['TABLE', 'VIEW'], x.scope());
    if (!located.object || !x.access.hasAny(x.roles(), { type: 'OBJECT', id: located.object.id })) throw notFound('Object', located.written);
    found = [{ object: located.object, database: located.database, schema: located.schema }];
  } else {
    found = objectsInScope(x, { ...options, like: () => true }, ['TABLE', 'VIEW']);
  }
  const rows: Record<string, unknown>[] = [];
  for (const { object, database, schema } of found) {
    const cols = object.table
      ? object.table.columns.map((c) => ({ name: c.name, json: typeJson(c.type, c.nullable), nullable: c.nullable, default: c.default, comment: c.comment, identity: c.identity }))
      : (await viewColumns(x, object)).map((c) => ({ name: c.name, json: c.json, nullable: true, default: null, comment: null, identity: undefined }));
    for (const c of cols) {
      if (!options.like(c.name)) continue;
      rows.push({
        table_name: object.name, schema_name: schema.name, column_name: c.name, data_type: c.json, 'null?': String(c.nullable),
        default: c.default ?? '', kind: 'COLUMN', expression: '', comment: c.comment ?? '', database_name: database.name,
        autoincrement: c.identity ? `IDENTITY START ${c.identity.start} INCREMENT ${c.identity.step} ORDER` : '',
      });
    }
  }
  return result(x, [
    ['table_name', 'text'], ['schema_name', 'text'], ['column_name', 'text'], ['data_type', 'text'], ['null?', 'text'], ['default', 'text'],
    ['kind', 'text'], ['expression', 'text'], ['comment', 'text'], ['database_name', 'text'], ['autoincrement', 'text'],
  ], rows);
}

const WAREHOUSE_COLUMNS: Spec[] = [
  ['name', 'text'], ['state', 'text'], ['type', 'text'], ['size', 'text'], ['min_cluster_count', 'fixed'], ['max_cluster_count', 'fixed'],
  ['started_clusters', 'fixed'], ['running', 'fixed'], ['queued', 'fixed'], ['is_default', 'text'], ['is_current', 'text'],
  ['auto_suspend', 'fixed'], ['auto_resume', 'text'], ['available', 'text'], ['provisioning', 'text'], ['quiescing', 'text'],
  ['other', 'text'], ['created_on', 'timestamp_ltz'], ['resumed_on', 'timestamp_ltz'], ['updated_on', 'timestamp_ltz'], ['owner', 'text'],
  ['comment', 'text'], ['enable_query_acceleration', 'text'], ['query_acceleration_max_scale_factor', 'fixed'],
  ['resource_monitor', 'text'], ['actives', 'fixed'], ['pendings', 'fixed'], ['failed', 'fixed'], ['suspended', 'fixed'],
  ['uuid', 'text'], ['scaling_policy', 'text'], ['budget', 'text'], ['owner_role_type', 'text'], ['resource_constraint', 'text'],
];

async function showWarehouses(x: Execution, options: ShowOptions): Promise<Outcome> {
  await applyAutoSuspend(x.engine.store, x.catalog.data.warehouses);
  const roles = x.roles();
  const user = x.catalog.user(x.session.user);
  const rows = x.catalog.data.warehouses
    .filter((w) => x.access.hasAny(roles, { type: 'WAREHOUSE', id: w.id }) && options.like(w.name))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((w) => {
      const started = w.state === 'STARTED';
      return {
        name: w.name, state: w.state, type: w.warehouseType, size: w.size, min_cluster_count: w.minClusterCount,
        max_cluster_count: w.maxClusterCount, started_clusters: started ? w.minClusterCount : 0, running: 0, queued: 0,
        is_default: yn(user?.defaultWarehouse === w.name), is_current: yn(x.session.warehouse === w.name),
        auto_suspend: w.autoSuspend, auto_resume: String(w.autoResume), available: started ? '100' : '', provisioning: started ? '0' : '',
        quiescing: started ? '0' : '', other: started ? '0' : '', created_on: w.createdOn, resumed_on: w.resumedOn,
        updated_on: w.updatedOn, owner: w.owner, comment: w.comment ?? '', enable_query_acceleration: String(w.enableQueryAcceleration),
        query_acceleration_max_scale_factor: w.queryAccelerationMaxScaleFactor, resource_monitor: w.resourceMonitor ?? 'null',
        actives: started ? w.minClusterCount : 0, pendings: 0, failed: 0, suspended: started ? 0 : w.minClusterCount,
        uuid: String(w.id).padStart(10, '0'), scaling_policy: w.scalingPolicy, budget: null, owner_role_type: 'ROLE',
        resource_constraint: w.warehouseType === 'STANDARD' ? null : 'MEMORY_16X',
      };
    });
  return result(x, WAREHOUSE_COLUMNS, rows);
}

function showUsers(x: Execution, options: ShowOptions): Outcome {
  const roles = x.roles();
  const canSeeAll = x.access.hasAccount(roles, 'MANAGE GRANTS') || roles.has('USERADMIN');
  const rows = x.catalog.data.users
    .filter((u) => (canSeeAll || roles.has(u.owner) || u.name === x.session.user) && options.like(u.name))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((u) => ({
      name: u.name, created_on: u.createdOn, login_name: u.loginName, display_name: u.displayName, first_name: u.firstName,
      last_name: u.lastName, email: u.email, mins_to_unlock: u.minsToUnlock, days_to_expiry: u.daysToExpiry, comment: u.comment ?? '',
      disabled: String(u.disabled), must_change_password: String(u.mustChangePassword), snowflake_lock: 'false',
      default_warehouse: u.defaultWarehouse, default_namespace: u.defaultNamespace, default_role: u.defaultRole,
      default_secondary_roles: null, ext_authn_duo: 'false', ext_authn_uid: null, mins_to_bypass_mfa: null, owner: u.owner,
      last_success_login: u.lastSuccessLogin, expires_at_time: null, locked_until_time: null, has_password: String(Boolean(u.passwordHash)),
      has_rsa_public_key: String(Boolean(u.rsaPublicKey || u.rsaPublicKey2)), type: u.type, has_mfa: 'false',
      has_workload_identity: 'false', has_pat: String(u.tokens.some((t) => t.kind === 'PAT')),
    }));
  return result(x, [
    ['name', 'text'], ['created_on', 'timestamp_ltz'], ['login_name', 'text'], ['display_name', 'text'], ['first_name', 'text'],
    ['last_name', 'text'], ['email', 'text'], ['mins_to_unlock', 'text'], ['days_to_expiry', 'text'], ['comment', 'text'],
    ['disabled', 'text'], ['must_change_password', 'text'], ['snowflake_lock', 'text'], ['default_warehouse', 'text'],
    ['default_namespace', 'text'], ['default_role', 'text'], ['default_secondary_roles', 'text'], ['ext_authn_duo', 'text'],
    ['ext_authn_uid', 'text'], ['mins_to_bypass_mfa', 'text'], ['owner', 'text'], ['last_success_login', 'timestamp_ltz'],
    ['expires_at_time', 'timestamp_ltz'], ['locked_until_time', 'timestamp_ltz'], ['has_password', 'text'],
    ['has_rsa_public_key', 'text'], ['type', 'text'], ['has_mfa', 'text'], ['has_workload_identity', 'text'], ['has_pat', 'text'],
  ], rows);
}

function showRoles(x: Execution, options: ShowOptions): Outcome {
  const grants = x.catalog.data.roleGrants;
  const mine = x.access.usableRoles(x.session.user);
  const current = x.roles();
  const user = x.catalog.user(x.session.user);
  const rows = x.catalog.data.roles
    .filter((r) => options.like(r.name))
    .sort((a, b) => a.createdOn.localeCompare(b.createdOn) || a.name.localeCompare(b.name))
    .map((r) => ({
      created_on: r.createdOn, name: r.name, is_default: yn(user?.defaultRole === r.name), is_current: yn(x.session.role === r.name),
      is_inherited: yn(current.has(r.name) && x.session.role !== r.name),
      assigned_to_users: grants.filter((g) => g.role === r.name && g.granteeType === 'USER').length,
      granted_to_roles: grants.filter((g) => g.role === r.name && g.granteeType === 'ROLE').length,
      granted_roles: grants.filter((g) => g.granteeType === 'ROLE' && g.grantee === r.name).length,
      owner: r.owner, comment: r.comment ?? '', owner_role_type: r.owner ? 'ROLE' : '', usable: mine.has(r.name),
    }));
  return result(x, [
    ['created_on', 'timestamp_ltz'], ['name', 'text'], ['is_default', 'text'], ['is_current', 'text'], ['is_inherited', 'text'],
    ['assigned_to_users', 'fixed'], ['granted_to_roles', 'fixed'], ['granted_roles', 'fixed'], ['owner', 'text'], ['comment', 'text'],
    ['owner_role_type', 'text'],
  ], rows);
}

// -------------------------------------------------------------------------------------------------
// Grants

const GRANT_COLUMNS: Spec[] = [
  ['created_on', 'timestamp_ltz'], ['privilege', 'text'], ['granted_on', 'text'], ['name', 'text'], ['granted_to', 'text'],
  ['grantee_name', 'text'], ['grant_option', 'text'], ['granted_by', 'text'],
];
const ROLE_GRANT_COLUMNS: Spec[] = [
  ['created_on', 'timestamp_ltz'], ['role', 'text'], ['granted_to', 'text'], ['grantee_name', 'text'], ['granted_by', 'text'],
];

/** Name and kind of a grant target, as SHOW GRANTS prints them. */
function targetLabel(x: Execution, on: { type: string; id?: number }): { grantedOn: string; name: string } | undefined {
  const c = x.catalog;
  switch (on.type) {
    case 'ACCOUNT':
      return { grantedOn: 'ACCOUNT', name: x.engine.account.toUpperCase() };
    case 'DATABASE': {
      const d = c.databaseById(on.id!);
      return d && !d.droppedOn ? { grantedOn: 'DATABASE', name: d.name } : undefined;
    }
    case 'SCHEMA': {
      const s = c.schemaById(on.id!);
      const d = s ? c.databaseById(s.databaseId) : undefined;
      return s && d && !s.droppedOn ? { grantedOn: 'SCHEMA', name: `${d.name}.${s.name}` } : undefined;
    }
    case 'OBJECT': {
      const o = c.objectById(on.id!);
      return o && !o.droppedOn ? { grantedOn: grantedOn(o), name: c.qualifiedName(o).join('.') } : undefined;
    }
    default: {
      const entry = accountKindOf(on.type)?.entries(c.data).find((e) => e.id === on.id);
      return entry ? { grantedOn: on.type, name: entry.name } : undefined;
    }
  }
}

/** Every grant as SHOW GRANTS rows, ownership included. */
function allGrantRows(x: Execution): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (const grant of x.catalog.data.grants) {
    const label = targetLabel(x, grant.on);
    if (!label) continue;
    rows.push({ created_on: grant.createdOn, privilege: grant.privilege, granted_on: label.grantedOn, name: label.name, granted_to: 'ROLE', grantee_name: grant.role, grant_option: String(grant.grantOption), granted_by: grant.grantedBy, on: grant.on });
  }
  const own = (on: { type: string; id: number }, owner: string, createdOn: string): void => {
    if (!owner) return;
    const label = targetLabel(x, on);
    if (label) rows.push({ created_on: createdOn, privilege: 'OWNERSHIP', granted_on: label.grantedOn, name: label.name, granted_to: 'ROLE', grantee_name: owner, grant_option: 'true', granted_by: owner, on });
  };
  const c = x.catalog.data;
  for (const d of c.databases) own({ type: 'DATABASE', id: d.id }, d.owner, d.createdOn);
  for (const s of c.schemas) own({ type: 'SCHEMA', id: s.id }, s.owner, s.createdOn);
  for (const o of c.objects) if (!o.table?.sessionId) own({ type: 'OBJECT', id: o.id }, o.owner, o.createdOn);
  for (const w of c.warehouses) own({ type: 'WAREHOUSE', id: w.id }, w.owner, w.createdOn);
  for (const r of c.roles) own({ type: 'ROLE', id: r.id }, r.owner, r.createdOn);
  for (const u of c.users) own({ type: 'USER', id: u.id }, u.owner, u.createdOn);
  for (const i of c.integrations) own({ type: 'INTEGRATION', id: i.id }, i.owner, i.createdOn);
  for (const m of c.resourceMonitors) own({ type: 'RESOURCE_MONITOR', id: m.id }, m.owner, m.createdOn);
  for (const p of c.networkPolicies) own({ type: 'NETWORK_POLICY', id: p.id }, p.owner, p.createdOn);
  return rows.sort((a, b) => String(a.created_on).localeCompare(String(b.created_on)));
}

async function showGrants(x: Execution, cursor: Cursor): Promise<Outcome> {
  const roles = x.roles();
  const manage = x.access.hasAccount(roles, 'MANAGE GRANTS');
  if (cursor.atEnd() || cursor.acceptWords('TO', 'USER') || (cursor.isWords('TO') && cursor.isWords('TO', 'USER'))) {
    const userName = cursor.atEnd() ? x.session.user : cursor.namePart().name;
    cursor.expectEnd();
    if (!x.catalog.user(userName)) throw notFound('User', userName);
    if (userName !== x.session.user && !manage && !roles.has('USERADMIN')) throw notFound('User', userName);
    const rows = x.catalog.data.roleGrants
      .filter((g) => g.granteeType === 'USER' && g.grantee === userName)
      .map((g) => ({ created_on: g.createdOn, role: g.role, granted_to: 'USER', grantee_name: userName, granted_by: g.grantedBy }));
    return result(x, ROLE_GRANT_COLUMNS, rows);
  }
  if (cursor.acceptWords('TO', 'ROLE') || cursor.acceptWords('TO')) {
    const roleName = cursor.namePart().name;
    cursor.expectEnd();
    if (!x.catalog.role(roleName)) throw notFound('Role', roleName);
    const rows = allGrantRows(x).filter((r) => r.grantee_name === roleName);
    const inherited = x.catalog.data.roleGrants
      .filter((g) => g.granteeType === 'ROLE' && g.grantee === roleName)
      .map((g) => ({ created_on: g.createdOn, privilege: 'USAGE', granted_on: 'ROLE', name: g.role, granted_to: 'ROLE', grantee_name: roleName, grant_option: 'false', granted_by: g.grantedBy }));
    return result(x, GRANT_COLUMNS, [...rows, ...inherited]);
  }
  if (cursor.acceptWords('OF', 'ROLE')) {
    const roleName = cursor.namePart().name;
    cursor.expectEnd();
    if (!x.catalog.role(roleName)) throw notFound('Role', roleName);
    const rows = x.catalog.data.roleGrants
      .filter((g) => g.role === roleName)
      .map((g) => ({ created_on: g.createdOn, role: roleName, granted_to: g.granteeType, grantee_name: g.grantee, granted_by: g.grantedBy }));
    return result(x, ROLE_GRANT_COLUMNS, rows);
  }
  if (cursor.acceptWords('ON')) {
    if (cursor.acceptWords('ACCOUNT')) {
      cursor.expectEnd();
      return result(x, GRANT_COLUMNS, allGrantRows(x).filter((r) => r.granted_on === 'ACCOUNT'));
    }
    const kindToken = cursor.next();
    let kind = kindToken.value;
    if (['FILE', 'RESOURCE', 'NETWORK', 'MATERIALIZED'].includes(kind)) kind = `${kind} ${cursor.next().value}`;
    if (/INTEGRATION$/.test(cursor.peek().value)) {
      cursor.next();
      kind = 'INTEGRATION';
    }
    const name = cursor.objectName();
    cursor.expectEnd();
    const label = await grantTargetOf(x, kind, name);
    return result(x, GRANT_COLUMNS, allGrantRows(x).filter((r) => JSON.stringify(r.on) === JSON.stringify(label)));
  }
  return cursor.fail();
}

async function grantTargetOf(x: Execution, kind: string, name: ObjectName): Promise<unknown> {
  const parts = name.parts.map((p) => p.name);
  switch (kind) {
    case 'DATABASE': {
      const d = locateDatabase(x, name.parts[0], x.scope());
      return { type: 'DATABASE', id: d.id };
    }
    case 'SCHEMA':
      return { type: 'SCHEMA', id: locateSchema(x, name.parts, x.scope()).schema.id };
    default: {
      const account = ACCOUNT_KINDS[kind];
      if (account) {
        const entry = account.entries(x.catalog.data).find((e) => e.name === parts[0]);
        if (!entry) throw notFound(account.missing, parts[0]!);
        return { type: account.type, id: entry.id };
      }
      const kinds: ObjectKind[] = kind === 'FILE FORMAT' ? ['FILE_FORMAT'] : kind === 'MATERIALIZED VIEW' ? ['VIEW'] : [kind as ObjectKind];
      const located = locate(x, name, kinds, x.scope());
      const roles = x.roles();
      const visible = located.object && (x.access.hasAny(roles, { type: 'OBJECT', id: located.object.id }) || x.access.hasAccount(roles, 'MANAGE GRANTS'));
      if (!located.object || !visible) throw notFound('Object', located.written);
      return { type: 'OBJECT', id: located.object.id };
    }
  }
}

async function showFutureGrants(x: Execution, cursor: Cursor): Promise<Outcome> {
  cursor.expectWords('IN');
  const which = cursor.expectAnyWord('SCHEMA', 'DATABASE');
  const name = cursor.objectName();
  cursor.expectEnd();
  let scopeId: number;
  let label: string;
  if (which === 'SCHEMA') {
    const { database, schema } = locateSchema(x, name.parts, x.scope());
    scopeId = schema.id;
    label = `${database.name}.${schema.name}`;
  } else {
    const database = locateDatabase(x, name.parts[0], x.scope());
    scopeId = database.id;
    label = database.name;
  }
  const rows = x.catalog.data.futureGrants
    .filter((g) => g.scope === which && g.scopeId === scopeId)
    .map((g) => ({
      created_on: g.createdOn, privilege: g.privilege, grant_on: g.objectKind.replace(' ', '_'), name: `${label}.<${g.objectKind}>`,
      grant_to: 'ROLE', grantee_name: g.role, grant_option: String(g.grantOption),
    }));
  return result(x, [['created_on', 'timestamp_ltz'], ['privilege', 'text'], ['grant_on', 'text'], ['name', 'text'], ['grant_to', 'text'], ['grantee_name', 'text'], ['grant_option', 'text']], rows);
}

// -------------------------------------------------------------------------------------------------
// Streams, stages, file formats, monitors, alerts, integrations, policies, sequences, procedures

/** SHOW STREAMS rows, also used by DESCRIBE STREAM. */
function streamRows(x: Execution, found: { object: ObjectEntry; database: DatabaseEntry; schema: SchemaEntry }[]): Record<string, unknown>[] {
  return found.map(({ object, database, schema }) => {
    const stream = object.stream!;
    const source = x.catalog.objectById(stream.tableId);
    const sourceName = source ? x.catalog.qualifiedName(source).join('.') : '';
    return {
      created_on: object.createdOn, name: object.name, database_name: database.name, schema_name: schema.name, owner: object.owner,
      comment: object.comment ?? '', table_name: sourceName, source_type: 'Table', base_tables: sourceName, type: 'DELTA',
      stale: String(!source || Boolean(source.droppedOn)), mode: stream.appendOnly ? 'APPEND_ONLY' : 'DEFAULT',
      stale_after: stream.staleAfter ?? new Date(Date.now() + 14 * 86_400_000).toISOString(),
      invalid_reason: !source || source.droppedOn ? 'Base table dropped' : 'N/A', owner_role_type: 'ROLE',
    };
  });
}

const STREAM_COLUMNS: Spec[] = [
  ['created_on', 'timestamp_ltz'], ['name', 'text'], ['database_name', 'text'], ['schema_name', 'text'], ['owner', 'text'],
  ['comment', 'text'], ['table_name', 'text'], ['source_type', 'text'], ['base_tables', 'text'], ['type', 'text'], ['stale', 'text'],
  ['mode', 'text'], ['stale_after', 'timestamp_ltz'], ['invalid_reason', 'text'], ['owner_role_type', 'text'],
];

function showStreams(x: Execution, options: ShowOptions): Outcome {
  return result(x, STREAM_COLUMNS, streamRows(x, objectsInScope(x, options, ['STREAM'])));
}

function showStages(x: Execution, options: ShowOptions): Outcome {
  const rows = objectsInScope(x, options, ['STAGE']).map(({ object, database, schema }) => ({
    created_on: object.createdOn, name: object.name, database_name: database.name, schema_name: schema.name,
    url: object.stage!.url ?? '', has_credentials: 'N', has_encryption_key: 'N', owner: object.owner, comment: object.comment ?? '',
    region: null, type: object.stage!.url ? 'EXTERNAL' : object.stage!.temporary ? 'INTERNAL TEMPORARY' : 'INTERNAL', cloud: null,
    notification_channel: null, storage_integration: null, endpoint: null, owner_role_type: 'ROLE', directory_enabled: 'N',
  }));
  return result(x, [
    ['created_on', 'timestamp_ltz'], ['name', 'text'], ['database_name', 'text'], ['schema_name', 'text'], ['url', 'text'],
    ['has_credentials', 'text'], ['has_encryption_key', 'text'], ['owner', 'text'], ['comment', 'text'], ['region', 'text'],
    ['type', 'text'], ['cloud', 'text'], ['notification_channel', 'text'], ['storage_integration', 'text'], ['endpoint', 'text'],
    ['owner_role_type', 'text'], ['directory_enabled', 'text'],
  ], rows);
}

function showFileFormats(x: Execution, options: ShowOptions): Outcome {
  const rows = objectsInScope(x, options, ['FILE_FORMAT']).map(({ object, database, schema }) => ({
    created_on: object.createdOn, name: object.name, database_name: database.name, schema_name: schema.name,
    type: object.fileFormat!.formatType, owner: object.owner, comment: object.comment ?? '',
    format_options: formatOptionsJson(object.fileFormat!.formatType, object.fileFormat!.options), owner_role_type: 'ROLE',
  }));
  return result(x, [
    ['created_on', 'timestamp_ltz'], ['name', 'text'], ['database_name', 'text'], ['schema_name', 'text'], ['type', 'text'],
    ['owner', 'text'], ['comment', 'text'], ['format_options', 'text'], ['owner_role_type', 'text'],
  ], rows);
}

async function showResourceMonitors(x: Execution, options: ShowOptions): Promise<Outcome> {
  const { creditsUsed } = await import('./monitors.js');
  const rows: Record<string, unknown>[] = [];
  for (const m of x.catalog.data.resourceMonitors.filter((m) => options.like(m.name))) {
    const used = await creditsUsed(x, m);
    const at = (action: string): string | null => {
      const t = m.triggers.filter((tr) => tr.action === action).map((tr) => `${tr.percent}%`);
      return t.length > 0 ? t.join(',') : null;
    };
    rows.push({
      name: m.name, credit_quota: m.creditQuota === null ? null : m.creditQuota.toFixed(2), used_credits: used.toFixed(2),
      remaining_credits: m.creditQuota === null ? null : Math.max(0, m.creditQuota - used).toFixed(2),
      level: m.level ?? (x.catalog.data.warehouses.some((w) => w.resourceMonitor === m.name) ? 'WAREHOUSE' : null), frequency: m.frequency,
      start_time: m.startTime, end_time: m.endTime, notify_at: at('NOTIFY'), suspend_at: at('SUSPEND'),
      suspend_immediately_at: at('SUSPEND_IMMEDIATE'), created_on: m.createdOn, owner: m.owner, comment: m.comment ?? '',
      notify_users: m.notifyUsers.join(', '),
    });
  }
  return result(x, [
    ['name', 'text'], ['credit_quota', 'text'], ['used_credits', 'text'], ['remaining_credits', 'text'], ['level', 'text'],
    ['frequency', 'text'], ['start_time', 'timestamp_ltz'], ['end_time', 'timestamp_ltz'], ['notify_at', 'text'], ['suspend_at', 'text'],
    ['suspend_immediately_at', 'text'], ['created_on', 'timestamp_ltz'], ['owner', 'text'], ['comment', 'text'], ['notify_users', 'text'],
  ], rows);
}

const ALERT_COLUMNS: Spec[] = [
  ['created_on', 'timestamp_ltz'], ['name', 'text'], ['database_name', 'text'], ['schema_name', 'text'], ['owner', 'text'],
  ['comment', 'text'], ['warehouse', 'text'], ['schedule', 'text'], ['state', 'text'], ['condition', 'text'], ['action', 'text'],
  ['owner_role_type', 'text'],
];

function alertRows(found: { object: ObjectEntry; database: DatabaseEntry; schema: SchemaEntry }[]): Record<string, unknown>[] {
  return found.map(({ object, database, schema }) => ({
    created_on: object.createdOn, name: object.name, database_name: database.name, schema_name: schema.name, owner: object.owner,
    comment: object.comment ?? '', warehouse: object.alert!.warehouse, schedule: object.alert!.schedule, state: object.alert!.state,
    condition: object.alert!.condition, action: object.alert!.action, owner_role_type: 'ROLE',
  }));
}

function showAlerts(x: Execution, options: ShowOptions): Outcome {
  return result(x, ALERT_COLUMNS, alertRows(objectsInScope(x, options, ['ALERT'])));
}

function showIntegrations(x: Execution, options: ShowOptions, category: string | undefined): Outcome {
  const rows = x.catalog.data.integrations
    .filter((i) => (!category || i.category === category) && options.like(i.name))
    .map((i) => ({ name: i.name, type: `${i.type}`, category: i.category, enabled: String(i.enabled), comment: i.comment ?? '', created_on: i.createdOn }));
  return result(x, [['name', 'text'], ['type', 'text'], ['category', 'text'], ['enabled', 'text'], ['comment', 'text'], ['created_on', 'timestamp_ltz']], rows);
}

function showNetworkPolicies(x: Execution, options: ShowOptions): Outcome {
  const rows = x.catalog.data.networkPolicies
    .filter((p) => options.like(p.name))
    .map((p) => ({
      created_on: p.createdOn, name: p.name, comment: p.comment ?? '', entries_in_allowed_ip_list: p.allowedIpList.length,
      entries_in_blocked_ip_list: p.blockedIpList.length, entries_in_allowed_network_rules: 0, entries_in_blocked_network_rules: 0,
    }));
  return result(x, [
    ['created_on', 'timestamp_ltz'], ['name', 'text'], ['comment', 'text'], ['entries_in_allowed_ip_list', 'fixed'],
    ['entries_in_blocked_ip_list', 'fixed'], ['entries_in_allowed_network_rules', 'fixed'], ['entries_in_blocked_network_rules', 'fixed'],
  ], rows);
}

function showSequences(x: Execution, options: ShowOptions): Outcome {
  const rows = objectsInScope(x, options, ['SEQUENCE']).map(({ object, database, schema }) => ({
    created_on: object.createdOn, name: object.name, schema_name: schema.name, database_name: database.name,
    next_value: object.sequence!.next, interval: object.sequence!.increment, owner: object.owner, comment: object.comment ?? '',
    owner_role_type: 'ROLE', ordered: 'N',
  }));
  return result(x, [
    ['created_on', 'timestamp_ltz'], ['name', 'text'], ['schema_name', 'text'], ['database_name', 'text'], ['next_value', 'fixed'],
    ['interval', 'fixed'], ['owner', 'text'], ['comment', 'text'], ['owner_role_type', 'text'], ['ordered', 'text'],
  ], rows);
}

function showProcedures(x: Execution, options: ShowOptions): Outcome {
  const rows = objectsInScope(x, options, ['PROCEDURE']).map(({ object, database, schema }) => ({
    created_on: object.createdOn, name: object.name, schema_name: schema.name, is_builtin: 'N', is_aggregate: 'N',
    is_ansi: 'N', min_num_arguments: object.procedure!.arguments.length, max_num_arguments: object.procedure!.arguments.length,
    arguments: `${object.name}${object.procedure!.signature} RETURN ${object.procedure!.returns}`, description: object.comment ?? 'user-defined procedure',
    catalog_name: database.name, is_table_function: 'N', valid_for_clustering: 'N', is_secure: 'N',
  }));
  return result(x, [
    ['created_on', 'timestamp_ltz'], ['name', 'text'], ['schema_name', 'text'], ['is_builtin', 'text'], ['is_aggregate', 'text'],
    ['is_ansi', 'text'], ['min_num_arguments', 'fixed'], ['max_num_arguments', 'fixed'], ['arguments', 'text'], ['description', 'text'],
    ['catalog_name', 'text'], ['is_table_function', 'text'], ['valid_for_clustering', 'text'], ['is_secure', 'text'],
  ], rows);
}

async function showTokens(x: Execution, cursor: Cursor): Promise<Outcome> {
  let userName = x.session.user;
  if (cursor.acceptWords('FOR', 'USER')) userName = cursor.namePart().name;
  cursor.expectEnd();
  const user = x.catalog.user(userName);
  if (!user) throw notFound('User', userName);
  const rows = user.tokens.filter((t) => t.kind === 'PAT').map((t) => ({
    name: t.name, user_name: user.name, role_restriction: t.role, expires_at: t.expiresOn, status: 'ACTIVE', comment: '',
    created_on: user.createdOn, created_by: user.name, mins_to_bypass_network_policy_requirement: null,
  }));
  return result(x, [
    ['name', 'text'], ['user_name', 'text'], ['role_restriction', 'text'], ['expires_at', 'timestamp_ltz'], ['status', 'text'],
    ['comment', 'text'], ['created_on', 'timestamp_ltz'], ['created_by', 'text'], ['mins_to_bypass_network_policy_requirement', 'fixed'],
  ], rows);
}

// -------------------------------------------------------------------------------------------------
// Parameters

const PARAMETER_DOCS: Record<string, [string, string]> = {
  DATA_RETENTION_TIME_IN_DAYS: ['1', 'number of days to retain the old version of deleted/updated data'],
  QUERY_TAG: ['', 'String (up to 4096 characters) used to tag statements executed by the session'],
  TIMEZONE: ['UTC', 'time zone (the sandbox defaults to UTC)'],
  STATEMENT_TIMEOUT_IN_SECONDS: ['172800', 'Timeout in seconds for statements'],
  AUTOCOMMIT: ['true', 'The autocommit property determines whether is statement should to be implicitly wrapped within a transaction or not.'],
  DATE_OUTPUT_FORMAT: ['YYYY-MM-DD', 'display format for date output'],
  TIMESTAMP_OUTPUT_FORMAT: ['YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM', 'Default display format for all timestamp types.'],
  BINARY_OUTPUT_FORMAT: ['HEX', 'Display format for binary output'],
  MAX_DATA_EXTENSION_TIME_IN_DAYS: ['14', 'Maximum number of days to extend data retention beyond the retention period to prevent a stream becoming stale.'],
  NETWORK_POLICY: ['', 'Network policy assigned for the account (not enforced by the sandbox)'],
};

async function showParameters(x: Execution, cursor: Cursor): Promise<Outcome> {
  let like: (name: string) => boolean = () => true;
  if (cursor.acceptWords('LIKE')) like = likeMatcher(String(cursor.value()));
  let values: Record<string, string> = { ...x.catalog.data.parameters, ...x.session.parameters };
  let level = 'SESSION';
  if (cursor.acceptWords('IN')) {
    const kind = cursor.expectAnyWord('SESSION', 'ACCOUNT', 'USER', 'WAREHOUSE', 'DATABASE', 'SCHEMA', 'TABLE', 'TASK');
    level = kind;
    if (kind === 'ACCOUNT') values = { ...x.catalog.data.parameters };
    else if (kind !== 'SESSION') {
      const name = cursor.objectName();
      if (kind === 'DATABASE') {
        const database = locateDatabase(x, name.parts[0], x.scope());
        values = { DATA_RETENTION_TIME_IN_DAYS: String(database.retentionDays ?? x.catalog.accountRetention()) };
      } else if (kind === 'SCHEMA') {
        const { database, schema } = locateSchema(x, name.parts, x.scope());
        values = { DATA_RETENTION_TIME_IN_DAYS: String(schema.retentionDays ?? database.retentionDays ?? x.catalog.accountRetention()) };
      } else if (kind === 'TABLE') {
        const located = locate(x, name, ['TABLE'], x.scope());
        if (!located.object) throw notFound('Object', located.written);
        values = { DATA_RETENTION_TIME_IN_DAYS: String(x.catalog.retentionDays(located.object)), CHANGE_TRACKING: String(located.object.table!.changeTracking) };
      } else if (kind === 'WAREHOUSE') {
        const warehouse = x.catalog.warehouse(name.parts[0]!.name);
        if (!warehouse) throw notFound('Warehouse', name.parts[0]!.name);
        values = { STATEMENT_TIMEOUT_IN_SECONDS: String(warehouse.statementTimeout), MAX_CONCURRENCY_LEVEL: '8' };
      } else if (kind === 'USER') {
        values = { ...x.session.parameters };
      } else if (kind === 'TASK') {
        values = { USER_TASK_TIMEOUT_MS: '3600000', SUSPEND_TASK_AFTER_NUM_FAILURES: '10' };
      }
    }
  }
  cursor.expectEnd();
  const keys = new Set([...Object.keys(PARAMETER_DOCS), ...Object.keys(values)]);
  const rows = [...keys]
    .filter((key) => like(key) && (level === 'SESSION' || key in values))
    .sort()
    .map((key) => {
      const [fallback, description] = PARAMETER_DOCS[key] ?? ['', ''];
      const value = values[key] ?? fallback;
      return {
        key, value, default: fallback, level: value === fallback ? '' : level, description,
        type: /^\d+$/.test(fallback) ? 'NUMBER' : /^(true|false)$/.test(fallback) ? 'BOOLEAN' : 'STRING',
      };
    });
  return result(x, [['key', 'text'], ['value', 'text'], ['default', 'text'], ['level', 'text'], ['description', 'text'], ['type', 'text']], rows);
}

// -------------------------------------------------------------------------------------------------
// DESCRIBE

/** DESCRIBE / DESC …. */
export async function describe(x: Execution, cursor: Cursor): Promise<Outcome> {
  cursor.expectAnyWord('DESC', 'DESCRIBE');
  let kind = cursor.acceptAnyWord('TABLE', 'VIEW', 'USER', 'WAREHOUSE', 'TASK', 'STREAM', 'STAGE', 'DATABASE', 'SCHEMA', 'ALERT', 'MATERIALIZED', 'FILE', 'INTEGRATION', 'NOTIFICATION', 'STORAGE', 'SEQUENCE', 'RESULT', 'NETWORK', 'PROCEDURE', 'EXTERNAL', 'DYNAMIC') ?? 'TABLE';
  if (kind === 'MATERIALIZED' || kind === 'EXTERNAL' || kind === 'DYNAMIC') {
    kind = kind === 'MATERIALIZED' ? 'VIEW' : 'TABLE';
    cursor.next();
  }
  if (kind === 'FILE') {
    cursor.expectWords('FORMAT');
    kind = 'FILE FORMAT';
  }
  if (kind === 'NOTIFICATION' || kind === 'STORAGE') {
    cursor.expectWords('INTEGRATION');
    kind = 'INTEGRATION';
  }
  if (kind === 'NETWORK') {
    cursor.expectWords('POLICY');
    kind = 'NETWORK POLICY';
  }
  if (kind === 'RESULT') throw unsupported('DESCRIBE RESULT');
  const name = cursor.objectName();
  if (kind === 'PROCEDURE' && cursor.peek().text === '(') cursor.group();
  if (cursor.acceptWords('TYPE')) {
    cursor.expectOp('=');
    cursor.next();
  }
  cursor.expectEnd();
  switch (kind) {
    case 'TABLE':
    case 'VIEW':
      return describeTable(x, name, kind);
    case 'USER':
      return describeUser(x, name);
    case 'WAREHOUSE': {
      const warehouse = x.catalog.warehouse(name.parts[0]!.name);
      if (!warehouse || !x.access.hasAny(x.roles(), { type: 'WAREHOUSE', id: warehouse.id })) throw notFound('Warehouse', name.parts[0]!.name);
      return result(x, [['created_on', 'timestamp_ltz'], ['name', 'text'], ['kind', 'text']], [{ created_on: warehouse.createdOn, name: warehouse.name, kind: 'WAREHOUSE' }]);
    }
    case 'DATABASE': {
      const database = locateDatabase(x, name.parts[0], x.scope());
      const rows = x.catalog.schemasOf(database.id).map((s) => ({ created_on: s.createdOn, name: s.name, kind: 'SCHEMA' }));
      return result(x, [['created_on', 'timestamp_ltz'], ['name', 'text'], ['kind', 'text']], rows);
    }
    case 'SCHEMA': {
      const { schema } = locateSchema(x, name.parts, x.scope());
      const rows = x.catalog.objectsOf(schema.id, ['TABLE', 'VIEW']).map((o) => ({ created_on: o.createdOn, name: o.name, kind: o.kind }));
      return result(x, [['created_on', 'timestamp_ltz'], ['name', 'text'], ['kind', 'text']], rows);
    }
    case 'TASK':
    case 'STREAM':
    case 'ALERT': {
      const objectKind = kind as ObjectKind;
      const located = locate(x, name, [objectKind], x.scope());
      if (!located.object || !x.access.hasAny(x.roles(), { type: 'OBJECT', id: located.object.id })) throw notFound('Object', located.written);
      const found = [{ object: located.object, database: located.database, schema: located.schema }];
      if (kind === 'TASK') return result(x, TASK_COLUMNS, [taskRow(x, located.object)]);
      if (kind === 'STREAM') return result(x, STREAM_COLUMNS, streamRows(x, found));
      return result(x, ALERT_COLUMNS, alertRows(found));
    }
    case 'STAGE':
    case 'FILE FORMAT': {
      const { describeStage, describeFileFormat } = await import('./stages.js');
      return kind === 'STAGE' ? describeStage(x, name) : describeFileFormat(x, name);
    }
    case 'INTEGRATION': {
      const integration = x.catalog.integration(name.parts[0]!.name);
      if (!integration) throw notFound('Object', name.parts[0]!.name);
      const rows = [
        { property: 'ENABLED', property_type: 'Boolean', property_value: String(integration.enabled), property_default: 'false' },
        ...Object.entries(integration.properties)
          .filter(([k]) => k !== 'ENABLED')
          .map(([k, v]) => ({ property: k, property_type: Array.isArray(v) ? 'List' : 'String', property_value: Array.isArray(v) ? v.join(',') : String(v), property_default: '' })),
        { property: 'COMMENT', property_type: 'String', property_value: integration.comment ?? '', property_default: '' },
      ];
      return result(x, [['property', 'text'], ['property_type', 'text'], ['property_value', 'text'], ['property_default', 'text']], rows);
    }
    case 'NETWORK POLICY': {
      const policy = x.catalog.networkPolicy(name.parts[0]!.name);
      if (!policy) throw notFound('Object', name.parts[0]!.name);
      return result(x, [['name', 'text'], ['value', 'text']], [
        { name: 'ALLOWED_IP_LIST', value: policy.allowedIpList.join(',') },
        { name: 'BLOCKED_IP_LIST', value: policy.blockedIpList.join(',') },
      ]);
    }
    default:
      throw unsupported(`DESCRIBE ${kind}`);
  }
}

async function describeTable(x: Execution, name: ObjectName, kind: 'TABLE' | 'VIEW'): Promise<Outcome> {
  const located = locate(x, name, ['TABLE', 'VIEW'], x.scope());
  if (!located.object || !x.access.hasAny(x.roles(), { type: 'OBJECT', id: located.object.id })) throw notFound('Object', located.written);
  const object = located.object;
  void kind;
  const specs: Spec[] = [
    ['name', 'text'], ['type', 'text'], ['kind', 'text'], ['null?', 'text'], ['default', 'text'], ['primary key', 'text'],
    ['unique key', 'text'], ['check', 'text'], ['expression', 'text'], ['comment', 'text'], ['policy name', 'text'],
    ['privacy domain', 'text'],
  ];
  if (object.table) {
    const rows = object.table.columns.map((c) => ({
      name: c.name, type: typeText(c.type), kind: 'COLUMN', 'null?': yn(c.nullable),
      default: c.identity ? `IDENTITY START ${c.identity.start} INCREMENT ${c.identity.step} ORDER` : c.default,
      'primary key': yn(Boolean(c.primaryKey)), 'unique key': 'N', check: null, expression: null, comment: c.comment,
      'policy name': null, 'privacy domain': null,
    }));
    return result(x, specs, rows);
  }
  const cols = await viewColumns(x, object);
  return result(x, specs, cols.map((c) => ({ name: c.name, type: c.type, kind: 'COLUMN', 'null?': 'Y', default: null, 'primary key': 'N', 'unique key': 'N' })));
}

function describeUser(x: Execution, name: ObjectName): Outcome {
  const userName = name.parts[0]!.name;
  const user = x.catalog.user(userName);
  const roles = x.roles();
  if (!user || (user.name !== x.session.user && !roles.has(user.owner) && !x.access.hasAccount(roles, 'MANAGE GRANTS'))) {
    throw notFound('User', userName);
  }
  const property = (key: string, value: unknown, fallback: unknown, description: string): Record<string, unknown> => ({
    property: key, value: value === null || value === undefined ? 'null' : String(value), default: fallback === null ? 'null' : String(fallback), description,
  });
  const rows = [
    property('NAME', user.name, null, 'Name'),
    property('COMMENT', user.comment, null, 'user comment associated to an object in the dictionary'),
    property('DISPLAY_NAME', user.displayName, null, 'Display name of the associated object'),
    property('TYPE', user.type, null, 'Type of the user'),
    property('LOGIN_NAME', user.loginName, null, 'Login name of the user'),
    property('FIRST_NAME', user.firstName, null, 'First name of the user'),
    property('MIDDLE_NAME', null, null, 'Middle name of the user'),
    property('LAST_NAME', user.lastName, null, 'Last name of the user'),
    property('EMAIL', user.email, null, 'Email address of the user'),
    property('PASSWORD', user.passwordHash ? '********' : null, null, 'Password of the user'),
    property('MUST_CHANGE_PASSWORD', user.mustChangePassword, false, 'User must change the password'),
    property('DISABLED', user.disabled, false, 'Whether the user is disabled'),
    property('SNOWFLAKE_LOCK', false, false, 'Whether the user or account is locked by Snowflake'),
    property('DAYS_TO_EXPIRY', user.daysToExpiry, null, 'User record will be treated as expired after specified number of days'),
    property('MINS_TO_UNLOCK', user.minsToUnlock, null, 'Temporary lock on the user will be removed after specified number of minutes'),
    property('DEFAULT_WAREHOUSE', user.defaultWarehouse, null, 'Default warehouse for this user'),
    property('DEFAULT_NAMESPACE', user.defaultNamespace, null, 'Default database namespace prefix for this user'),
    property('DEFAULT_ROLE', user.defaultRole, null, 'Primary principal of user session will be set to this role'),
    property('DEFAULT_SECONDARY_ROLES', null, null, 'The secondary roles will be set to all roles provided here'),
    property('EXT_AUTHN_DUO', false, false, 'Whether Duo Security is enabled as second factor authentication'),
    property('EXT_AUTHN_UID', null, null, 'External authentication ID of the user'),
    property('MINS_TO_BYPASS_MFA', null, null, 'Temporary bypass MFA for the user for a specified number of minutes'),
    property('MINS_TO_BYPASS_NETWORK_POLICY', null, null, 'Temporary bypass network policy on the user for a specified number of minutes'),
    property('RSA_PUBLIC_KEY', user.rsaPublicKey, null, 'RSA public key of the user'),
    property('RSA_PUBLIC_KEY_FP', user.rsaPublicKey ? keyFingerprint(user.rsaPublicKey) : null, null, 'Fingerprint of user\'s RSA public key.'),
    property('RSA_PUBLIC_KEY_2', user.rsaPublicKey2, null, 'Second RSA public key of the user'),
    property('RSA_PUBLIC_KEY_2_FP', user.rsaPublicKey2 ? keyFingerprint(user.rsaPublicKey2) : null, null, 'Fingerprint of user\'s second RSA public key.'),
    property('PASSWORD_LAST_SET_TIME', user.passwordHash ? user.createdOn : null, null, 'The timestamp on which the last non-null password was set for the user. Default to null if no password has been set yet.'),
    property('CUSTOM_LANDING_PAGE_URL', null, null, 'Snowflake Support is allowed to use the user or account'),
    property('NETWORK_POLICY', user.networkPolicy, null, 'Network policy of the user (stored; the sandbox does not enforce it)'),
  ];
  return result(x, [['property', 'text'], ['value', 'text'], ['default', 'text'], ['description', 'text']], rows);
}

// INFORMATION_SCHEMA (views of each database and its table functions) and
// SNOWFLAKE.ACCOUNT_USAGE, fed by the sandbox's own records: the query log, login, task, copy and
// alert history, warehouse activity and the catalog. No latency is simulated: what just ran is
// visible at once. RESULT_SCAN reads a kept result back as a table.
import { SandboxError } from '../engine-api.js';
import type { ColumnEntry } from './catalog.js';
import type { NamePart } from './cursor.js';
import { compilationError, notFound } from './errors.js';
import type { Execution, Scope } from './execution.js';
import { historySql, tableSql } from './history.js';
import { METERING_SQL } from './monitors.js';
import { locate, locateDatabase, requireWarehouse, type Resolver } from './resolve.js';
import { redactSecrets } from './statements.js';
import { nextRun, parseSchedule } from './schedule.js';
import { taskRow } from './tasks.js';
import { quoteString, type Token } from './tokens.js';
import { literalText, Translator, type FunctionArg } from './translate.js';
import { typeText, MAX_VARCHAR } from './types.js';
import { valuesTable, type BuiltColumn, type RawSql } from './values.js';

const V = 'VARCHAR';
const N = 'BIGINT';
const TS = 'TIMESTAMPTZ';
const B = 'BOOLEAN';

/** A system view's SQL for a name, or undefined if the name is not a system view. */
export function systemView(x: Execution, scope: Scope, parts: NamePart[]): string | undefined {
  const names = parts.map((p) => p.name);
  if (names.length >= 2 && names[names.length - 2] === 'INFORMATION_SCHEMA') {
    const database = locateDatabase(x, names.length === 3 ? parts[0] : undefined, scope);
    return informationSchemaView(x, scope, database.id, database.name, names[names.length - 1]!);
  }
  const isUsage = (names.length === 3 && names[0] === 'SNOWFLAKE' && names[1] === 'ACCOUNT_USAGE') || (names.length === 2 && names[0] === 'ACCOUNT_USAGE' && scope.database === 'SNOWFLAKE');
  if (isUsage) {
    const database = x.catalog.database('SNOWFLAKE');
    if (!database || !x.access.databaseUsable(scope.roles, database.id)) throw notFound('Database', 'SNOWFLAKE');
    return accountUsageView(x, names[names.length - 1]!);
  }
  return undefined;
}

// -------------------------------------------------------------------------------------------------
// Catalog listings shared by INFORMATION_SCHEMA and ACCOUNT_USAGE

function tablesRows(x: Execution, roles: Set<string>, databaseId: number | undefined, withDropped: boolean): unknown[][] {
  const rows: unknown[][] = [];
  for (const object of x.catalog.data.objects) {
    if (object.kind !== 'TABLE' && object.kind !== 'VIEW') continue;
    if (object.table?.sessionId && object.table.sessionId !== x.session.id) continue;
    if (object.droppedOn && !withDropped) continue;
    const schema = x.catalog.schemaById(object.schemaId);
    const database = schema ? x.catalog.databaseById(schema.databaseId) : undefined;
    if (!schema || !database || (databaseId !== undefined && database.id !== databaseId)) continue;
    if ((schema.droppedOn || database.droppedOn) && !withDropped) continue;
    if (!x.access.hasAny(roles, { type: 'OBJECT', id: object.id })) continue;
    const table = object.table;
    const type = object.kind === 'VIEW' ? (object.view?.materialized ? 'MATERIALIZED VIEW' : 'VIEW') : table!.tableKind === 'TEMPORARY' ? 'TEMPORARY TABLE' : 'BASE TABLE';
    const rowCount: RawSql | null = table && !object.droppedOn ? { sql: `(SELECT count(*) FROM ${tableSql(object.id)})` } : null;
    const clustered = Boolean(table && table.clusterBy.length > 0);
    const created = new Date(object.createdOn);
    const altered = new Date(table?.lastAltered ?? object.createdOn);
    rows.push([
      object.id, database.name, schema.name, object.name, object.owner, type, table?.tableKind === 'TRANSIENT' ? 'YES' : 'NO',
      clustered ? `LINEAR(${table!.clusterBy.join(', ')})` : null, rowCount, rowCount ? { sql: `${rowCount.sql} * 64` } : null,
      table ? x.catalog.retentionDays(object) : null, null, null, null, null, null, object.kind === 'TABLE' ? 'YES' : 'NO', 'YES', null,
      created, altered, created, object.owner, clustered && !table!.reclusterSuspended ? 'YES' : 'NO', object.comment,
      table?.tableKind === 'TEMPORARY' ? 'YES' : 'NO', 'NO', 'NO', 'NO', 'NO',
      object.droppedOn ? new Date(object.droppedOn) : null, schema.id, database.id,
    ]);
  }
  return rows;
}

const TABLE_COLUMNS: BuiltColumn[] = [
  ['TABLE_ID', N], ['TABLE_CATALOG', V], ['TABLE_SCHEMA', V], ['TABLE_NAME', V], ['TABLE_OWNER', V], ['TABLE_TYPE', V],
  ['IS_TRANSIENT', V], ['CLUSTERING_KEY', V], ['ROW_COUNT', N], ['BYTES', N], ['RETENTION_TIME', N],
  ['SELF_REFERENCING_COLUMN_NAME', V], ['REFERENCE_GENERATION', V], ['USER_DEFINED_TYPE_CATALOG', V], ['USER_DEFINED_TYPE_SCHEMA', V],
  ['USER_DEFINED_TYPE_NAME', V], ['IS_INSERTABLE_INTO', V], ['IS_TYPED', V], ['COMMIT_ACTION', V], ['CREATED', TS], ['LAST_ALTERED', TS],
  ['LAST_DDL', TS], ['LAST_DDL_BY', V], ['AUTO_CLUSTERING_ON', V], ['COMMENT', V], ['IS_TEMPORARY', V], ['IS_ICEBERG', V], ['IS_DYNAMIC', V],
  ['IS_IMMUTABLE', V], ['IS_HYBRID', V], ['DELETED', TS], ['TABLE_SCHEMA_ID', N], ['TABLE_CATALOG_ID', N],
];

/** TABLE_STORAGE_METRICS: live and dropped tables, with the bytes Time Travel keeps for each. */
function storageMetrics(x: Execution, roles: Set<string>, databaseId: number | undefined): string {
  const rows: unknown[][] = [];
  for (const object of x.catalog.data.objects) {
    if (object.kind !== 'TABLE' || !object.table || object.table.sessionId) continue;
    const schema = x.catalog.schemaById(object.schemaId);
    const database = schema ? x.catalog.databaseById(schema.databaseId) : undefined;
    if (!schema || !database || (databaseId !== undefined && database.id !== databaseId) || !x.access.hasAny(roles, { type: 'OBJECT', id: object.id })) continue;
    const dropped = object.droppedOn ?? schema.droppedOn ?? database.droppedOn;
    const live = { sql: `(SELECT count(*) * 64 FROM ${tableSql(object.id)})` };
    const kept = { sql: `(SELECT count(*) * 64 FROM ${historySql(object.id)} WHERE "_SB_TO" IS NOT NULL)` };
    rows.push([
      database.name, schema.name, object.name, object.id, object.id, object.table.tableKind === 'PERMANENT' ? 'NO' : 'YES',
      dropped ? 0 : live, dropped ? { sql: `${live.sql} + ${kept.sql}` } : kept, 0, 0, Boolean(dropped), new Date(object.createdOn),
      object.droppedOn ? new Date(object.droppedOn) : null, null, new Date(schema.createdOn), schema.droppedOn ? new Date(schema.droppedOn) : null,
      new Date(database.createdOn), database.droppedOn ? new Date(database.droppedOn) : null, object.comment,
    ]);
  }
  return valuesTable(
    [['TABLE_CATALOG', V], ['TABLE_SCHEMA', V], ['TABLE_NAME', V], ['ID', N], ['CLONE_GROUP_ID', N], ['IS_TRANSIENT', V], ['ACTIVE_BYTES', N],
      ['TIME_TRAVEL_BYTES', N], ['FAILSAFE_BYTES', N], ['RETAINED_FOR_CLONE_BYTES', N], ['DELETED', B], ['TABLE_CREATED', TS], ['TABLE_DROPPED', TS],
      ['TABLE_ENTERED_FAILSAFE', TS], ['SCHEMA_CREATED', TS], ['SCHEMA_DROPPED', TS], ['CATALOG_CREATED', TS], ['CATALOG_DROPPED', TS], ['COMMENT', V]],
    rows,
  );
}

function columnsRows(x: Execution, roles: Set<string>, databaseId: number | undefined, withDropped: boolean): unknown[][] {
  const rows: unknown[][] = [];
  for (const object of x.catalog.data.objects) {
    if ((object.kind !== 'TABLE' && object.kind !== 'VIEW') || (object.droppedOn && !withDropped)) continue;
    const schema = x.catalog.schemaById(object.schemaId);
    const database = schema ? x.catalog.databaseById(schema.databaseId) : undefined;
    if (!schema || !database || (databaseId !== undefined && database.id !== databaseId)) continue;
    if (!x.access.hasAny(roles, { type: 'OBJECT', id: object.id })) continue;
    const columns: Pick<ColumnEntry, 'name' | 'type' | 'nullable' | 'default' | 'comment' | 'identity'>[] = object.table?.columns
      ?? (object.view?.columns ?? []).map((c) => ({ name: c.name, type: c.type, nullable: true, default: null, comment: null }));
    columns.forEach((column, k) => {
      const t = column.type;
      const dataType = t.base === 'VARCHAR' ? 'TEXT' : t.base === 'FLOAT' ? 'FLOAT' : t.base;
      rows.push([
        database.name, schema.name, object.name, column.name, k + 1, column.default, column.nullable ? 'YES' : 'NO', dataType,
        t.base === 'VARCHAR' ? t.length ?? MAX_VARCHAR : null, t.base === 'VARCHAR' ? Math.min((t.length ?? MAX_VARCHAR) * 4, MAX_VARCHAR) : null,
        t.base === 'NUMBER' ? t.precision : null, t.base === 'NUMBER' ? 10 : null, t.base === 'NUMBER' ? t.scale : null,
        ['TIME', 'TIMESTAMP_NTZ', 'TIMESTAMP_LTZ', 'TIMESTAMP_TZ'].includes(t.base) ? t.scale ?? 9 : null, column.identity ? 'YES' : 'NO',
        column.comment, typeText(t), object.droppedOn ? new Date(object.droppedOn) : null,
      ]);
    });
  }
  return rows;
}

const COLUMN_COLUMNS: BuiltColumn[] = [
  ['TABLE_CATALOG', V], ['TABLE_SCHEMA', V], ['TABLE_NAME', V], ['COLUMN_NAME', V], ['ORDINAL_POSITION', N], ['COLUMN_DEFAULT', V],
  ['IS_NULLABLE', V], ['DATA_TYPE', V], ['CHARACTER_MAXIMUM_LENGTH', N], ['CHARACTER_OCTET_LENGTH', N], ['NUMERIC_PRECISION', N],
  ['NUMERIC_PRECISION_RADIX', N], ['NUMERIC_SCALE', N], ['DATETIME_PRECISION', N], ['IS_IDENTITY', V], ['COMMENT', V],
  ['DATA_TYPE_ALIAS', V], ['DELETED', TS],
];

function schemataRows(x: Execution, roles: Set<string>, databaseId: number | undefined, withDropped: boolean): unknown[][] {
  const rows: unknown[][] = [];
  for (const schema of x.catalog.data.schemas) {
    const database = x.catalog.databaseById(schema.databaseId);
    if (!database || (databaseId !== undefined && database.id !== databaseId)) continue;
    if ((schema.droppedOn || database.droppedOn) && !withDropped) continue;
    if (!x.access.hasAny(roles, { type: 'SCHEMA', id: schema.id })) continue;
    rows.push([schema.id, database.name, schema.name, schema.owner, schema.transient ? 'YES' : 'NO', schema.managedAccess ? 'YES' : 'NO',
      schema.retentionDays ?? database.retentionDays ?? x.catalog.accountRetention(), new Date(schema.createdOn), new Date(schema.createdOn),
      schema.comment, schema.droppedOn ? new Date(schema.droppedOn) : null]);
  }
  return rows;
}

const SCHEMATA_COLUMNS: BuiltColumn[] = [
  ['SCHEMA_ID', N], ['CATALOG_NAME', V], ['SCHEMA_NAME', V], ['SCHEMA_OWNER', V], ['IS_TRANSIENT', V], ['IS_MANAGED_ACCESS', V],
  ['RETENTION_TIME', N], ['CREATED', TS], ['LAST_ALTERED', TS], ['COMMENT', V], ['DELETED', TS],
];

function databasesRows(x: Execution, roles: Set<string>, withDropped: boolean): unknown[][] {
  return x.catalog.data.databases
    .filter((d) => (withDropped || !d.droppedOn) && x.access.databaseVisible(roles, d.id))
    .map((d) => [d.id, d.name, d.owner, d.transient ? 'YES' : 'NO', d.comment, new Date(d.createdOn), new Date(d.createdOn),
      d.retentionDays ?? x.catalog.accountRetention(), d.name === 'SNOWFLAKE' ? 'IMPORTED DATABASE' : 'STANDARD', d.droppedOn ? new Date(d.droppedOn) : null]);
}

const DATABASE_COLUMNS: BuiltColumn[] = [
  ['DATABASE_ID', N], ['DATABASE_NAME', V], ['DATABASE_OWNER', V], ['IS_TRANSIENT', V], ['COMMENT', V], ['CREATED', TS],
  ['LAST_ALTERED', TS], ['RETENTION_TIME', N], ['TYPE', V], ['DELETED', TS],
];

function viewsRows(x: Execution, roles: Set<string>, databaseId: number | undefined): unknown[][] {
  const rows: unknown[][] = [];
  for (const object of x.catalog.data.objects) {
    if (object.kind !== 'VIEW' || object.droppedOn) continue;
    const [database, schema] = x.catalog.qualifiedName(object);
    const schemaEntry = x.catalog.schemaById(object.schemaId)!;
    if (databaseId !== undefined && schemaEntry.databaseId !== databaseId) continue;
    if (!x.access.hasAny(roles, { type: 'OBJECT', id: object.id })) continue;
    const secure = object.view!.secure && !roles.has(object.owner);
    rows.push([database, schema, object.name, object.owner, secure ? '' : object.view!.text, 'NONE', 'NO', 'NO',
      object.view!.secure ? 'YES' : 'NO', new Date(object.createdOn), new Date(object.createdOn), object.comment]);
  }
  return rows;
}

const VIEW_COLUMNS: BuiltColumn[] = [
  ['TABLE_CATALOG', V], ['TABLE_SCHEMA', V], ['TABLE_NAME', V], ['TABLE_OWNER', V], ['VIEW_DEFINITION', V], ['CHECK_OPTION', V],
  ['IS_UPDATABLE', V], ['INSERTABLE_INTO', V], ['IS_SECURE', V], ['CREATED', TS], ['LAST_ALTERED', TS], ['COMMENT', V],
];

function grantRows(x: Execution, databaseId: number | undefined): unknown[][] {
  const rows: unknown[][] = [];
  for (const grant of x.catalog.data.grants) {
    if (grant.on.type !== 'OBJECT') continue;
    const object = x.catalog.objectById(grant.on.id);
    if (!object || object.droppedOn) continue;
    const schema = x.catalog.schemaById(object.schemaId)!;
    if (databaseId !== undefined && schema.databaseId !== databaseId) continue;
    const [database, schemaName] = x.catalog.qualifiedName(object);
    rows.push([grant.grantedBy, grant.role, database, schemaName, object.name, object.kind, grant.privilege, grant.grantOption ? 'YES' : 'NO', new Date(grant.createdOn)]);
  }
  return rows;
}

function informationSchemaView(x: Execution, scope: Scope, databaseId: number, databaseName: string, view: string): string {
  const roles = scope.roles;
  switch (view) {
    case 'TABLES':
      return `(SELECT * EXCLUDE ("TABLE_ID", "DELETED", "TABLE_SCHEMA_ID", "TABLE_CATALOG_ID") FROM ${valuesTable(TABLE_COLUMNS, tablesRows(x, roles, databaseId, false))})`;
    case 'COLUMNS':
      return `(SELECT * EXCLUDE ("DATA_TYPE_ALIAS", "DELETED") FROM ${valuesTable(COLUMN_COLUMNS, columnsRows(x, roles, databaseId, false))})`;
    case 'VIEWS':
      return valuesTable(VIEW_COLUMNS, viewsRows(x, roles, databaseId));
    case 'SCHEMATA': {
      const rows = schemataRows(x, roles, databaseId, false);
      rows.push([0, databaseName, 'INFORMATION_SCHEMA', '', 'NO', 'NO', 1, new Date(x.catalog.data.createdOn), new Date(x.catalog.data.createdOn), 'Views describing the contents of schemas in this database', null]);
      return `(SELECT * EXCLUDE ("SCHEMA_ID", "DELETED") FROM ${valuesTable(SCHEMATA_COLUMNS, rows)})`;
    }
    case 'DATABASES':
      return `(SELECT * EXCLUDE ("DATABASE_ID", "DELETED") FROM ${valuesTable(DATABASE_COLUMNS, databasesRows(x, roles, false))})`;
    case 'LOAD_HISTORY':
      return `(SELECT table_schema_name AS "SCHEMA_NAME", file_name AS "FILE_NAME", table_name AS "TABLE_NAME", last_load_time AS "LAST_LOAD_TIME",
          upper(replace(status, ' ', '_')) AS "STATUS", row_count AS "ROW_COUNT", row_parsed AS "ROW_PARSED",
          first_error_message AS "FIRST_ERROR_MESSAGE", first_error_line_number AS "FIRST_ERROR_LINE_NUMBER",
          first_error_character_pos AS "FIRST_ERROR_CHARACTER_POSITION", first_error_column_name AS "FIRST_ERROR_COL_NAME",
          error_count AS "ERROR_COUNT", error_limit AS "ERROR_LIMIT"
        FROM meta.copy_history WHERE table_catalog_name = ${quoteString(databaseName)})`;
    case 'STAGES':
      return stagesTable(x, roles, databaseId);
    case 'FILE_FORMATS':
      return valuesTable(
        [['FILE_FORMAT_CATALOG', V], ['FILE_FORMAT_SCHEMA', V], ['FILE_FORMAT_NAME', V], ['FILE_FORMAT_OWNER', V], ['FILE_FORMAT_TYPE', V], ['CREATED', TS], ['COMMENT', V]],
        x.catalog.data.objects
          .filter((o) => o.kind === 'FILE_FORMAT' && !o.droppedOn && x.catalog.schemaById(o.schemaId)!.databaseId === databaseId && x.access.hasAny(roles, { type: 'OBJECT', id: o.id }))
          .map((o) => [...x.catalog.qualifiedName(o), o.owner, o.fileFormat!.formatType, new Date(o.createdOn), o.comment]),
      );
    case 'SEQUENCES':
      return valuesTable(
        [['SEQUENCE_CATALOG', V], ['SEQUENCE_SCHEMA', V], ['SEQUENCE_NAME', V], ['SEQUENCE_OWNER', V], ['DATA_TYPE', V], ['START_VALUE', N], ['INCREMENT', N], ['CREATED', TS], ['COMMENT', V]],
        x.catalog.data.objects
          .filter((o) => o.kind === 'SEQUENCE' && !o.droppedOn && x.catalog.schemaById(o.schemaId)!.databaseId === databaseId && x.access.hasAny(roles, { type: 'OBJECT', id: o.id }))
          .map((o) => [...x.catalog.qualifiedName(o), o.owner, 'NUMBER', o.sequence!.next, o.sequence!.increment, new Date(o.createdOn), o.comment]),
      );
    case 'TABLE_PRIVILEGES':
    case 'OBJECT_PRIVILEGES':
      return valuesTable(
        [['GRANTOR', V], ['GRANTEE', V], ['TABLE_CATALOG', V], ['TABLE_SCHEMA', V], ['TABLE_NAME', V], ['OBJECT_TYPE', V], ['PRIVILEGE_TYPE', V], ['IS_GRANTABLE', V], ['CREATED', TS]],
        grantRows(x, databaseId),
      );
    case 'APPLICABLE_ROLES':
    case 'ENABLED_ROLES':
      return valuesTable(
        [['GRANTEE', V], ['ROLE_NAME', V], ['ROLE_OWNER', V], ['IS_GRANTABLE', V]],
        [...roles].map((role) => [x.session.user, role, x.catalog.role(role)?.owner ?? '', 'NO']),
      );
    case 'TABLE_STORAGE_METRICS':
      return storageMetrics(x, roles, databaseId);
    case 'PROCEDURES':
    case 'FUNCTIONS':
    case 'TABLE_CONSTRAINTS':
    case 'REFERENTIAL_CONSTRAINTS':
      return valuesTable([['CONSTRAINT_CATALOG', V], ['CONSTRAINT_SCHEMA', V], ['CONSTRAINT_NAME', V]], []);
    default:
      throw notFound('Object', `${databaseName}.INFORMATION_SCHEMA.${view}`);
  }
}

function stagesTable(x: Execution, roles: Set<string>, databaseId: number | undefined): string {
  return valuesTable(
    [['STAGE_CATALOG', V], ['STAGE_SCHEMA', V], ['STAGE_NAME', V], ['STAGE_URL', V], ['STAGE_OWNER', V], ['STAGE_TYPE', V], ['CREATED', TS], ['COMMENT', V]],
    x.catalog.data.objects
      .filter((o) => o.kind === 'STAGE' && !o.droppedOn && (databaseId === undefined || x.catalog.schemaById(o.schemaId)!.databaseId === databaseId) && x.access.hasAny(roles, { type: 'OBJECT', id: o.id }))
      .map((o) => [...x.catalog.qualifiedName(o), o.stage!.url, o.owner, o.stage!.url ? 'External Named' : 'Internal Named', new Date(o.createdOn), o.comment]),
  );
}

// -------------------------------------------------------------------------------------------------
// ACCOUNT_USAGE

const QUERY_COLUMNS = `query_id AS "QUERY_ID", query_text AS "QUERY_TEXT", database_name AS "DATABASE_NAME", schema_name AS "SCHEMA_NAME",
  query_type AS "QUERY_TYPE", session_id AS "SESSION_ID", user_name AS "USER_NAME", role_name AS "ROLE_NAME",
  warehouse_name AS "WAREHOUSE_NAME", warehouse_size AS "WAREHOUSE_SIZE", CASE WHEN warehouse_size IS NULL THEN NULL ELSE 'STANDARD' END AS "WAREHOUSE_TYPE",
  CASE WHEN warehouse_size IS NULL THEN NULL ELSE 1 END AS "CLUSTER_NUMBER", query_tag AS "QUERY_TAG"`;
/** Micro-partitions a statement touched: one per 16 MB scanned (none for statements that read no table). */
const PARTITIONS = 'CAST(ceil(coalesce(bytes_scanned, 0) / 16777216.0) AS BIGINT)';
/** The query text with its literals as `?`, so repeated queries that differ only in values hash alike. */
const PARAMETERIZED = `regexp_replace(regexp_replace(query_text, '''(?:[^'']|'''')*''', '?', 'g'), '\\b[0-9]+(\\.[0-9]+)?\\b', '?', 'g')`;
const QUERY_TAIL = `error_code AS "ERROR_CODE", error_message AS "ERROR_MESSAGE", start_time AS "START_TIME", end_time AS "END_TIME",
  total_elapsed_time AS "TOTAL_ELAPSED_TIME", bytes_scanned AS "BYTES_SCANNED", 0 AS "PERCENTAGE_SCANNED_FROM_CACHE", 0 AS "BYTES_WRITTEN",
  0 AS "BYTES_WRITTEN_TO_RESULT", 0 AS "BYTES_READ_FROM_RESULT",
  rows_produced AS "ROWS_PRODUCED", rows_inserted AS "ROWS_INSERTED", rows_updated AS "ROWS_UPDATED", rows_deleted AS "ROWS_DELETED",
  0 AS "ROWS_UNLOADED", 0 AS "BYTES_DELETED", ${PARTITIONS} AS "PARTITIONS_SCANNED", ${PARTITIONS} AS "PARTITIONS_TOTAL",
  0 AS "BYTES_SPILLED_TO_LOCAL_STORAGE", 0 AS "BYTES_SPILLED_TO_REMOTE_STORAGE", 0 AS "BYTES_SENT_OVER_THE_NETWORK",
  0 AS "COMPILATION_TIME", total_elapsed_time AS "EXECUTION_TIME", 0 AS "QUEUED_PROVISIONING_TIME", 0 AS "QUEUED_REPAIR_TIME",
  0 AS "QUEUED_OVERLOAD_TIME", 0 AS "TRANSACTION_BLOCKED_TIME", 0 AS "OUTBOUND_DATA_TRANSFER_BYTES", 0 AS "INBOUND_DATA_TRANSFER_BYTES",
  0 AS "LIST_EXTERNAL_FILES_TIME", CAST(0 AS DOUBLE) AS "CREDITS_USED_CLOUD_SERVICES", md5(query_text) AS "QUERY_HASH", 0 AS "QUERY_HASH_VERSION",
  md5(${PARAMETERIZED}) AS "QUERY_PARAMETERIZED_HASH", 0 AS "QUERY_PARAMETERIZED_HASH_VERSION", 'ROLE' AS "ROLE_TYPE"`;

/** The next run of every started root task with a schedule, as the SCHEDULED row Snowflake shows. */
function scheduledRuns(x: Execution): string {
  const rows: unknown[][] = [];
  for (const object of x.catalog.data.objects) {
    const task = object.task;
    if (!task || object.droppedOn || task.state !== 'started' || !task.schedule || task.predecessors.length > 0) continue;
    let next: Date;
    try {
      next = task.nextRun ? new Date(task.nextRun) : nextRun(parseSchedule(task.schedule), new Date());
    } catch {
      continue;
    }
    const [database, schema] = x.catalog.qualifiedName(object);
    rows.push([object.name, database, schema, task.definition, task.condition, 'SCHEDULED', next, `01${String(object.id).padStart(14, '0')}`, 1, 'SCHEDULE', 1]);
  }
  return valuesTable(
    [['name', V], ['database_name', V], ['schema_name', V], ['query_text', V], ['condition_text', V], ['state', V], ['scheduled_time', TS],
      ['root_task_id', V], ['graph_version', N], ['scheduled_from', V], ['attempt_number', N]],
    rows,
  );
}

/** Statements still waiting or running, as query log rows (end_time NULL, elapsed time so far). */
function activeQueries(x: Execution): string {
  const now = Date.now();
  return valuesTable(
    [['query_id', V], ['query_text', V], ['query_type', V], ['session_id', V], ['user_name', V], ['role_name', V], ['warehouse_name', V],
      ['warehouse_size', V], ['database_name', V], ['schema_name', V], ['execution_status', V], ['start_time', TS], ['end_time', TS],
      ['total_elapsed_time', N], ['rows_produced', N], ['rows_inserted', N], ['rows_updated', N], ['rows_deleted', N], ['bytes_scanned', N], ['query_tag', V]],
    x.engine.activeQueries().map((q) => {
      const warehouse = q.session.warehouse ? x.catalog.warehouse(q.session.warehouse) : undefined;
      return [q.queryId, redactSecrets(q.sql), q.queryType, q.session.id, q.session.user, q.session.role, q.session.warehouse, warehouse?.size ?? null,
        q.session.database, q.session.schema, q.state, q.start, null, now - q.start.getTime(), 0, 0, 0, 0, 0, q.session.parameters.QUERY_TAG ?? ''];
    }),
  );
}

function accountUsageView(x: Execution, view: string): string {
  const roles = new Set(['ACCOUNTADMIN', ...x.roles()]);
  switch (view) {
    case 'QUERY_HISTORY':
      return `(SELECT ${QUERY_COLUMNS}, execution_status AS "EXECUTION_STATUS", ${QUERY_TAIL} FROM meta.query_log)`;
    case 'LOGIN_HISTORY':
      return `(SELECT event_id AS "EVENT_ID", event_timestamp AS "EVENT_TIMESTAMP", event_type AS "EVENT_TYPE", user_name AS "USER_NAME",
          client_ip AS "CLIENT_IP", reported_client_type AS "REPORTED_CLIENT_TYPE", reported_client_version AS "REPORTED_CLIENT_VERSION",
          first_authentication_factor AS "FIRST_AUTHENTICATION_FACTOR", second_authentication_factor AS "SECOND_AUTHENTICATION_FACTOR",
          is_success AS "IS_SUCCESS", error_code AS "ERROR_CODE", error_message AS "ERROR_MESSAGE", related_event_id AS "RELATED_EVENT_ID",
          connection AS "CONNECTION" FROM meta.login_history)`;
    case 'TASK_HISTORY':
      return `(SELECT ${TASK_HISTORY_COLUMNS} FROM meta.task_history)`;
    case 'COPY_HISTORY':
      return `(SELECT ${COPY_COLUMNS} FROM meta.copy_history)`;
    case 'LOAD_HISTORY':
      return `(SELECT table_id AS "TABLE_ID", table_name AS "TABLE_NAME", NULL AS "SCHEMA_ID", table_schema_name AS "SCHEMA_NAME",
          NULL AS "CATALOG_ID", table_catalog_name AS "CATALOG_NAME", file_name AS "FILE_NAME", last_load_time AS "LAST_LOAD_TIME",
          upper(replace(status, ' ', '_')) AS "STATUS", row_count AS "ROW_COUNT", row_parsed AS "ROW_PARSED",
          first_error_message AS "FIRST_ERROR_MESSAGE", first_error_line_number AS "FIRST_ERROR_LINE_NUMBER",
          first_error_character_pos AS "FIRST_ERROR_CHARACTER_POSITION", first_error_column_name AS "FIRST_ERROR_COL_NAME",
          error_count AS "ERROR_COUNT", error_limit AS "ERROR_LIMIT" FROM meta.copy_history)`;
    case 'WAREHOUSE_METERING_HISTORY':
      return `(SELECT ${METERING_COLUMNS} FROM ${METERING_SQL})`;
    case 'METERING_HISTORY':
      return `(SELECT 'WAREHOUSE_METERING' AS "SERVICE_TYPE", start_time AS "START_TIME", end_time AS "END_TIME", warehouse_id AS "ENTITY_ID",
          warehouse_name AS "NAME", credits_compute AS "CREDITS_USED_COMPUTE", credits_compute * 0.05 AS "CREDITS_USED_CLOUD_SERVICES",
          credits_compute * 1.05 AS "CREDITS_USED" FROM ${METERING_SQL})`;
    case 'ALERT_HISTORY':
      return `(SELECT ${ALERT_COLUMNS} FROM meta.alert_history)`;
    case 'TABLES':
      return valuesTable(TABLE_COLUMNS, tablesRows(x, roles, undefined, true));
    case 'COLUMNS':
      return valuesTable(COLUMN_COLUMNS, columnsRows(x, roles, undefined, true));
    case 'VIEWS':
      return valuesTable(VIEW_COLUMNS, viewsRows(x, roles, undefined));
    case 'SCHEMATA':
      return valuesTable(SCHEMATA_COLUMNS, schemataRows(x, roles, undefined, true));
    case 'DATABASES':
      return valuesTable(DATABASE_COLUMNS, databasesRows(x, roles, true));
    case 'MATERIALIZED_VIEW_REFRESH_HISTORY':
      // Materialized views here are always current without background refreshes: nothing is billed.
      return valuesTable(
        [['START_TIME', TS], ['END_TIME', TS], ['CREDITS_USED', V], ['TABLE_ID', N], ['TABLE_NAME', V], ['SCHEMA_ID', N], ['SCHEMA_NAME', V],
          ['DATABASE_ID', N], ['DATABASE_NAME', V]],
        [],
      );
    case 'STAGES':
      return stagesTable(x, roles, undefined);
    case 'TABLE_STORAGE_METRICS':
      return storageMetrics(x, roles, undefined);
    case 'USERS':
      return valuesTable(
        [['USER_ID', N], ['NAME', V], ['CREATED_ON', TS], ['DELETED_ON', TS], ['LOGIN_NAME', V], ['DISPLAY_NAME', V], ['FIRST_NAME', V],
          ['LAST_NAME', V], ['EMAIL', V], ['COMMENT', V], ['DISABLED', B], ['SNOWFLAKE_LOCK', B], ['DEFAULT_WAREHOUSE', V],
          ['DEFAULT_NAMESPACE', V], ['DEFAULT_ROLE', V], ['HAS_PASSWORD', B], ['HAS_RSA_PUBLIC_KEY', B], ['TYPE', V], ['OWNER', V],
          ['LAST_SUCCESS_LOGIN', TS], ['HAS_MFA', B]],
        x.catalog.data.users.map((u) => [u.id, u.name, new Date(u.createdOn), null, u.loginName, u.displayName, u.firstName, u.lastName, u.email,
          u.comment, u.disabled, false, u.defaultWarehouse, u.defaultNamespace, u.defaultRole, Boolean(u.passwordHash),
          Boolean(u.rsaPublicKey || u.rsaPublicKey2), u.type, u.owner, u.lastSuccessLogin ? new Date(u.lastSuccessLogin) : null, false]),
      );
    case 'ROLES':
      return valuesTable(
        [['ROLE_ID', N], ['CREATED_ON', TS], ['DELETED_ON', TS], ['NAME', V], ['COMMENT', V], ['OWNER', V], ['ROLE_TYPE', V]],
        x.catalog.data.roles.map((r) => [r.id, new Date(r.createdOn), null, r.name, r.comment, r.owner, 'ROLE']),
      );
    case 'GRANTS_TO_USERS':
      return valuesTable(
        [['CREATED_ON', TS], ['DELETED_ON', TS], ['ROLE', V], ['GRANTED_TO', V], ['GRANTEE_NAME', V], ['GRANTED_BY', V]],
        x.catalog.data.roleGrants.filter((g) => g.granteeType === 'USER').map((g) => [new Date(g.createdOn), null, g.role, 'USER', g.grantee, g.grantedBy]),
      );
    case 'GRANTS_TO_ROLES':
      return valuesTable(
        [['CREATED_ON', TS], ['MODIFIED_ON', TS], ['PRIVILEGE', V], ['GRANTED_ON', V], ['NAME', V], ['TABLE_CATALOG', V], ['TABLE_SCHEMA', V],
          ['GRANTED_TO', V], ['GRANTEE_NAME', V], ['GRANT_OPTION', B], ['GRANTED_BY', V], ['DELETED_ON', TS]],
        [
          ...x.catalog.data.grants.map((g) => {
            const object = g.on.type === 'OBJECT' ? x.catalog.objectById(g.on.id) : undefined;
            const place = object ? x.catalog.qualifiedName(object) : [];
            const name = object ? object.name : g.on.type === 'ACCOUNT' ? x.engine.account.toUpperCase() : grantName(x, g.on);
            return [new Date(g.createdOn), new Date(g.createdOn), g.privilege, g.on.type === 'OBJECT' ? object?.kind ?? 'OBJECT' : g.on.type, name,
              place[0] ?? null, place[1] ?? null, 'ROLE', g.role, g.grantOption, g.grantedBy, null];
          }),
          ...x.catalog.data.roleGrants.filter((g) => g.granteeType === 'ROLE').map((g) => [new Date(g.createdOn), new Date(g.createdOn), 'USAGE', 'ROLE', g.role, null, null, 'ROLE', g.grantee, false, g.grantedBy, null]),
        ],
      );
    case 'SESSIONS':
      return valuesTable(
        [['SESSION_ID', V], ['CREATED_ON', TS], ['USER_NAME', V], ['AUTHENTICATION_METHOD', V], ['CLIENT_APPLICATION_ID', V], ['CLIENT_ENVIRONMENT', V]],
        [...x.engine.sessions.values()].map((s) => [s.id, s.createdOn, s.user, s.authentication, 'JavaScript 3.3.0', '{}']),
      );
    case 'STORAGE_USAGE':
      return `(SELECT CAST(current_date AS DATE) AS "USAGE_DATE", CAST((SELECT coalesce(sum(estimated_size), 0) * 64 FROM duckdb_tables() WHERE schema_name = 'data') AS BIGINT) AS "STORAGE_BYTES", 0 AS "STAGE_BYTES", 0 AS "FAILSAFE_BYTES", 0 AS "HYBRID_TABLE_STORAGE_BYTES")`;
    default:
      throw notFound('Object', `SNOWFLAKE.ACCOUNT_USAGE.${view}`);
  }
}

function grantName(x: Execution, on: { type: string; id?: number }): string {
  const c = x.catalog;
  switch (on.type) {
    case 'DATABASE':
      return c.databaseById(on.id!)?.name ?? '';
    case 'SCHEMA':
      return c.schemaById(on.id!)?.name ?? '';
    case 'WAREHOUSE':
      return c.data.warehouses.find((w) => w.id === on.id)?.name ?? '';
    case 'INTEGRATION':
      return c.data.integrations.find((i) => i.id === on.id)?.name ?? '';
    default:
      return '';
  }
}

/** Each query that ran on a warehouse, cut into the 5-minute intervals it overlapped (t). */
const WAREHOUSE_BUSY = `(SELECT warehouse_name, start_time AS s, end_time AS e, t
  FROM meta.query_log, unnest(generate_series(time_bucket(INTERVAL 5 MINUTE, start_time), end_time, INTERVAL 5 MINUTE)) AS g(t)
  WHERE warehouse_size IS NOT NULL AND end_time >= start_time)`;

/** A database's bytes: 64 per row of its live tables (the same estimate as TABLES.BYTES). */
function databaseBytes(x: Execution, databaseId: number): RawSql | number {
  const counts = x.catalog.data.objects
    .filter((o) => o.kind === 'TABLE' && o.table && !o.droppedOn && !o.table.sessionId && x.catalog.schemaById(o.schemaId)?.databaseId === databaseId && !x.catalog.schemaById(o.schemaId)?.droppedOn)
    .map((o) => `(SELECT count(*) FROM ${tableSql(o.id)})`);
  return counts.length === 0 ? 0 : { sql: `(${counts.join(' + ')}) * 64` };
}

const TASK_HISTORY_COLUMNS = `query_id AS "QUERY_ID", name AS "NAME", database_name AS "DATABASE_NAME", schema_name AS "SCHEMA_NAME",
  query_text AS "QUERY_TEXT", condition_text AS "CONDITION_TEXT", state AS "STATE", error_code AS "ERROR_CODE",
  error_message AS "ERROR_MESSAGE", scheduled_time AS "SCHEDULED_TIME", query_start_time AS "QUERY_START_TIME",
  next_scheduled_time AS "NEXT_SCHEDULED_TIME", completed_time AS "COMPLETED_TIME", root_task_id AS "ROOT_TASK_ID",
  graph_version AS "GRAPH_VERSION", run_id AS "RUN_ID", return_value AS "RETURN_VALUE", scheduled_from AS "SCHEDULED_FROM",
  attempt_number AS "ATTEMPT_NUMBER"`;
const COPY_COLUMNS = `file_name AS "FILE_NAME", stage_location AS "STAGE_LOCATION", last_load_time AS "LAST_LOAD_TIME",
  row_count AS "ROW_COUNT", row_parsed AS "ROW_PARSED", file_size AS "FILE_SIZE", first_error_message AS "FIRST_ERROR_MESSAGE",
  first_error_line_number AS "FIRST_ERROR_LINE_NUMBER", first_error_character_pos AS "FIRST_ERROR_CHARACTER_POS",
  first_error_column_name AS "FIRST_ERROR_COLUMN_NAME", error_count AS "ERROR_COUNT", error_limit AS "ERROR_LIMIT", status AS "STATUS",
  table_id AS "TABLE_ID", table_catalog_name AS "TABLE_CATALOG_NAME", table_schema_name AS "TABLE_SCHEMA_NAME", table_name AS "TABLE_NAME",
  pipe_catalog_name AS "PIPE_CATALOG_NAME", pipe_schema_name AS "PIPE_SCHEMA_NAME", pipe_name AS "PIPE_NAME",
  pipe_received_time AS "PIPE_RECEIVED_TIME"`;
const METERING_COLUMNS = `start_time AS "START_TIME", end_time AS "END_TIME", warehouse_id AS "WAREHOUSE_ID", warehouse_name AS "WAREHOUSE_NAME",
  credits_compute * 1.05 AS "CREDITS_USED", credits_compute AS "CREDITS_USED_COMPUTE", credits_compute * 0.05 AS "CREDITS_USED_CLOUD_SERVICES",
  credits_compute * 0.9 AS "CREDITS_ATTRIBUTED_COMPUTE_QUERIES"`;
const ALERT_COLUMNS = `name AS "NAME", database_name AS "DATABASE_NAME", schema_name AS "SCHEMA_NAME", condition AS "CONDITION",
  sql_id AS "CONDITION_QUERY_ID", action AS "ACTION", NULL AS "ACTION_QUERY_ID", state AS "STATE", error_code AS "SQL_ERROR_CODE",
  error_message AS "SQL_ERROR_MESSAGE", scheduled_time AS "SCHEDULED_TIME", completed_time AS "COMPLETED_TIME"`;

// -------------------------------------------------------------------------------------------------
// Table functions

function arg(args: FunctionArg[], name: string, position?: number): FunctionArg | undefined {
  return args.find((a) => a.name === name) ?? (position !== undefined && args[position] && !args[position]!.name ? args[position] : undefined);
}

function limitOf(args: FunctionArg[], fallback = 100): string {
  const limit = arg(args, 'RESULT_LIMIT');
  if (!limit) return String(fallback);
  const value = Number(limit.sql);
  if (!Number.isInteger(value) || value < 1 || value > 10000) throw compilationError(`invalid value [${limit.sql}] for parameter 'RESULT_LIMIT'`);
  return String(value);
}

/** A system table function's SQL: RESULT_SCAN or an INFORMATION_SCHEMA function. */
export function systemTableFunction(x: Execution, scope: Scope, name: string[], args: FunctionArg[], token: Token, resolver: Resolver): string {
  const fn = name[name.length - 1]!;
  if (fn === 'RESULT_SCAN' && name.length === 1) return resultScan(x, args);
  const inInfo = name.length >= 2 && name[name.length - 2] === 'INFORMATION_SCHEMA';
  if (!inInfo && name.length !== 1) throw compilationError(`Unknown table function ${name.join('.')}`);
  const database = locateDatabase(x, name.length === 3 ? { name: name[0]!, quoted: false } : undefined, scope);
  requireWarehouse(x);
  const roles = scope.roles;
  const seesAll = roles.has('ACCOUNTADMIN') || x.access.hasAccount(roles, 'MONITOR EXECUTION');
  const own = seesAll ? 'true' : `user_name = ${quoteString(x.session.user)}`;
  const time = (a: FunctionArg | undefined): string | undefined => (a ? `CAST(${a.sql} AS TIMESTAMPTZ)` : undefined);
  switch (fn) {
    case 'QUERY_HISTORY':
    case 'QUERY_HISTORY_BY_SESSION':
    case 'QUERY_HISTORY_BY_USER':
    case 'QUERY_HISTORY_BY_WAREHOUSE': {
      const where = [own];
      const from = time(arg(args, 'END_TIME_RANGE_START'));
      const to = time(arg(args, 'END_TIME_RANGE_END'));
      if (from) where.push(`end_time >= ${from}`);
      if (to) where.push(`end_time <= ${to}`);
      const session = arg(args, 'SESSION_ID', 0);
      if (fn === 'QUERY_HISTORY_BY_SESSION') where.push(`session_id = CAST(${session ? session.sql : quoteString(x.session.id)} AS VARCHAR)`);
      const user = arg(args, 'USER_NAME', 0);
      if (fn === 'QUERY_HISTORY_BY_USER') where.push(`user_name = ${user ? `upper(${user.sql})` : quoteString(x.session.user)}`);
      const warehouse = arg(args, 'WAREHOUSE_NAME', 0);
      if (fn === 'QUERY_HISTORY_BY_WAREHOUSE') where.push(`warehouse_name = ${warehouse ? `upper(${warehouse.sql})` : quoteString(x.session.warehouse ?? '')}`);
      return `(SELECT ${QUERY_COLUMNS}, CASE execution_status WHEN 'FAIL' THEN 'FAILED_WITH_ERROR' WHEN 'INCIDENT' THEN 'FAILED_WITH_INCIDENT' ELSE execution_status END AS "EXECUTION_STATUS", ${QUERY_TAIL}
        FROM (SELECT * FROM meta.query_log UNION ALL BY NAME SELECT * FROM ${activeQueries(x)}) WHERE ${where.join(' AND ')} ORDER BY start_time DESC LIMIT ${limitOf(args)})`;
    }
    case 'TASK_HISTORY': {
      const where = [`database_name = ${quoteString(database.name)}`];
      const from = time(arg(args, 'SCHEDULED_TIME_RANGE_START'));
      const to = time(arg(args, 'SCHEDULED_TIME_RANGE_END'));
      if (from) where.push(`scheduled_time >= ${from}`);
      if (to) where.push(`scheduled_time <= ${to}`);
      const task = arg(args, 'TASK_NAME');
      if (task) where.push(`name = upper(${task.sql})`);
      const errorOnly = arg(args, 'ERROR_ONLY');
      if (errorOnly && /TRUE/i.test(errorOnly.sql)) where.push(`state IN ('FAILED', 'CANCELLED')`);
      return `(SELECT ${TASK_HISTORY_COLUMNS} FROM (SELECT * FROM meta.task_history UNION ALL BY NAME SELECT * FROM ${scheduledRuns(x)})
        WHERE ${where.join(' AND ')} ORDER BY scheduled_time DESC LIMIT ${limitOf(args)})`;
    }
    case 'COPY_HISTORY': {
      const tableArg = arg(args, 'TABLE_NAME', 0);
      const tableText = tableArg ? literalText(tableArg.sql) : undefined;
      if (!tableText) throw compilationError('COPY_HISTORY needs TABLE_NAME => \'<table>\'');
      const translator = new Translator(tableText, resolver);
      const chain = translator.nameChain(translator.tree(), 0);
      if (!chain) throw compilationError(`invalid table name '${tableText}'`);
      const parts = chain.name.parts.length === 3 ? chain.name.parts : [{ name: database.name, quoted: false }, ...chain.name.parts];
      const located = locate(x, { parts, token: chain.name.token }, ['TABLE'], scope);
      if (!located.object) throw notFound('Object', located.written);
      const where = [`table_id = ${located.object.id}`];
      const from = time(arg(args, 'START_TIME', 1));
      const to = time(arg(args, 'END_TIME', 2));
      if (from) where.push(`last_load_time >= ${from}`);
      if (to) where.push(`last_load_time <= ${to}`);
      return `(SELECT ${COPY_COLUMNS.replace(/table_id AS "TABLE_ID",\s*/, '')} FROM meta.copy_history WHERE ${where.join(' AND ')} ORDER BY last_load_time)`;
    }
    case 'LOGIN_HISTORY':
    case 'LOGIN_HISTORY_BY_USER': {
      const where = [seesAll ? 'true' : `user_name = ${quoteString(x.session.user)}`];
      const from = time(arg(args, 'TIME_RANGE_START'));
      const to = time(arg(args, 'TIME_RANGE_END'));
      if (from) where.push(`event_timestamp >= ${from}`);
      if (to) where.push(`event_timestamp <= ${to}`);
      const user = arg(args, 'USER_NAME', 0);
      if (fn === 'LOGIN_HISTORY_BY_USER') where.push(`user_name = ${user ? `upper(${user.sql})` : quoteString(x.session.user)}`);
      return `(SELECT event_id AS "EVENT_ID", event_timestamp AS "EVENT_TIMESTAMP", event_type AS "EVENT_TYPE", user_name AS "USER_NAME",
          client_ip AS "CLIENT_IP", reported_client_type AS "REPORTED_CLIENT_TYPE", reported_client_version AS "REPORTED_CLIENT_VERSION",
          first_authentication_factor AS "FIRST_AUTHENTICATION_FACTOR", second_authentication_factor AS "SECOND_AUTHENTICATION_FACTOR",
          is_success AS "IS_SUCCESS", error_code AS "ERROR_CODE", error_message AS "ERROR_MESSAGE", related_event_id AS "RELATED_EVENT_ID"
        FROM meta.login_history WHERE ${where.join(' AND ')} ORDER BY event_timestamp DESC LIMIT ${limitOf(args)})`;
    }
    case 'WAREHOUSE_METERING_HISTORY': {
      const where = ['true'];
      const from = time(arg(args, 'DATE_RANGE_START', 0));
      const to = time(arg(args, 'DATE_RANGE_END', 1));
      if (from) where.push(`end_time > ${from}`);
      if (to) where.push(`start_time < ${to}`);
      const warehouse = arg(args, 'WAREHOUSE_NAME', 2);
      if (warehouse) where.push(`warehouse_name = upper(${warehouse.sql})`);
      return `(SELECT ${METERING_COLUMNS} FROM ${METERING_SQL} WHERE ${where.join(' AND ')})`;
    }
    case 'WAREHOUSE_LOAD_HISTORY': {
      const where = ['true'];
      const from = time(arg(args, 'DATE_RANGE_START', 0));
      const to = time(arg(args, 'DATE_RANGE_END', 1));
      if (from) where.push(`t >= ${from}`);
      if (to) where.push(`t < ${to}`);
      const warehouse = arg(args, 'WAREHOUSE_NAME', 2);
      if (warehouse) where.push(`warehouse_name = upper(${warehouse.sql})`);
      return `(SELECT t AS "START_TIME", t + INTERVAL 5 MINUTE AS "END_TIME", warehouse_name AS "WAREHOUSE_NAME",
          CAST(sum(epoch(least(e, t + INTERVAL 5 MINUTE) - greatest(s, t))) / 300.0 AS DOUBLE) AS "AVG_RUNNING",
          CAST(0 AS DOUBLE) AS "AVG_QUEUED_LOAD", CAST(0 AS DOUBLE) AS "AVG_QUEUED_PROVISIONING", CAST(0 AS DOUBLE) AS "AVG_BLOCKED"
        FROM ${WAREHOUSE_BUSY} WHERE ${where.join(' AND ')} GROUP BY t, warehouse_name ORDER BY t)`;
    }
    case 'DATABASE_STORAGE_USAGE_HISTORY': {
      const from = time(arg(args, 'DATE_RANGE_START', 0)) ?? `(now() - INTERVAL 10 DAY)`;
      const to = time(arg(args, 'DATE_RANGE_END', 1)) ?? 'now()';
      const wanted = arg(args, 'DATABASE_NAME', 2);
      const databases = x.catalog.data.databases.filter((d) => !d.droppedOn && x.access.databaseVisible(roles, d.id));
      const sizes = valuesTable(
        [['database_name', V], ['created', TS], ['bytes', N]],
        databases.map((d) => [d.name, new Date(d.createdOn), databaseBytes(x, d.id)]),
      );
      return `(SELECT CAST(day AS DATE) AS "USAGE_DATE", database_name AS "DATABASE_NAME", bytes AS "AVERAGE_DATABASE_BYTES",
          0 AS "AVERAGE_FAILSAFE_BYTES", 0 AS "AVERAGE_HYBRID_TABLE_STORAGE_BYTES"
        FROM ${sizes}, unnest(generate_series(CAST(${from} AS DATE), CAST(${to} AS DATE), INTERVAL 1 DAY)) AS g(day)
        WHERE day >= CAST(created AS DATE)${wanted ? ` AND database_name = upper(${wanted.sql})` : ''} ORDER BY day, database_name)`;
    }
    case 'MATERIALIZED_VIEW_REFRESH_HISTORY':
      // Materialized views here are always current without background refreshes: nothing is billed.
      return valuesTable([['START_TIME', TS], ['END_TIME', TS], ['CREDITS_USED', V], ['MATERIALIZED_VIEW_NAME', V], ['SCHEMA_NAME', V], ['DATABASE_NAME', V]], []);
    case 'NOTIFICATION_HISTORY':
      return `(SELECT sent_at AS "CREATED", sent_at AS "PROCESSED", 'SYSTEM$SEND_EMAIL' AS "MESSAGE_SOURCE", integration AS "INTEGRATION_NAME",
          json_object('recipients', recipients, 'subject', subject, 'body', body, 'content_type', content_type) AS "MESSAGE",
          'SUCCESS' AS "STATUS", NULL AS "ERROR_MESSAGE" FROM meta.emails ORDER BY sent_at DESC LIMIT ${limitOf(args)})`;
    case 'ALERT_HISTORY': {
      const where = [`database_name = ${quoteString(database.name)}`];
      const alert = arg(args, 'ALERT_NAME');
      if (alert) where.push(`name = upper(${alert.sql})`);
      const from = time(arg(args, 'SCHEDULED_TIME_RANGE_START'));
      const to = time(arg(args, 'SCHEDULED_TIME_RANGE_END'));
      if (from) where.push(`scheduled_time >= ${from}`);
      if (to) where.push(`scheduled_time <= ${to}`);
      return `(SELECT ${ALERT_COLUMNS} FROM meta.alert_history WHERE ${where.join(' AND ')} ORDER BY scheduled_time DESC LIMIT ${limitOf(args)})`;
    }
    case 'TASK_DEPENDENTS': {
      const taskArg = arg(args, 'TASK_NAME', 0);
      const taskText = taskArg ? literalText(taskArg.sql) : undefined;
      if (!taskText) throw compilationError("TASK_DEPENDENTS needs TASK_NAME => '<task>'");
      const translator = new Translator(taskText, resolver);
      const chain = translator.nameChain(translator.tree(), 0)!;
      const located = locate(x, chain.name, ['TASK'], scope);
      if (!located.object) throw notFound('Object', located.written);
      const recursive = !/FALSE/i.test(arg(args, 'RECURSIVE')?.sql ?? 'TRUE');
      const found = [located.object];
      for (let k = 0; k < found.length && (recursive || k === 0); k++) {
        for (const o of x.catalog.data.objects) if (o.task && !o.droppedOn && o.task.predecessors.includes(found[k]!.id) && !found.includes(o)) found.push(o);
      }
      const rows = found.map((o) => taskRow(x, o));
      return valuesTable(
        [['created_on', TS], ['name', V], ['id', V], ['database_name', V], ['schema_name', V], ['owner', V], ['comment', V], ['warehouse', V], ['schedule', V], ['predecessors', V], ['state', V], ['definition', V], ['condition', V]],
        rows.map((r) => [new Date(String(r.created_on)), r.name, r.id, r.database_name, r.schema_name, r.owner, r.comment, r.warehouse, r.schedule, r.predecessors, r.state, r.definition, r.condition]),
      );
    }
    default:
      throw new SandboxError('002140', '42601', `SQL compilation error:\nUnknown table function ${name.join('.')} (error line ${token.line} at position ${token.column})`);
  }
}

/** RESULT_SCAN('query id'): a kept result as a table, values decoded back to their types. */
function resultScan(x: Execution, args: FunctionArg[]): string {
  const id = args[0] ? literalText(args[0].sql) : undefined;
  if (!id) throw compilationError('RESULT_SCAN needs a query id');
  const kept = x.engine.results.get(id);
  if (!kept || kept.user !== x.session.user) {
    throw new SandboxError('002003', '02000', `SQL compilation error:\nQuery ${id} does not exist or not authorized.`);
  }
  const { columns, rows } = kept.outcome;
  if (columns.length === 0) throw compilationError(`Query ${id} has no result to scan.`);
  const built: BuiltColumn[] = columns.map((c) => [c.name, duckFor(c.type, c.scale)]);
  const decoded = rows.map((row) => row.map((value, k): unknown => (value === null ? null : { sql: decode(value, columns[k]!.type) })));
  return valuesTable(built, decoded);
}

function duckFor(type: string, scale: number | null): string {
  switch (type) {
    case 'fixed':
      return scale ? `DECIMAL(38,${scale})` : 'DECIMAL(38,0)';
    case 'real':
      return 'DOUBLE';
    case 'boolean':
      return 'BOOLEAN';
    case 'date':
      return 'DATE';
    case 'time':
      return 'TIME';
    case 'timestamp_ntz':
      return 'TIMESTAMP';
    case 'timestamp_ltz':
    case 'timestamp_tz':
      return 'TIMESTAMPTZ';
    case 'variant':
    case 'object':
    case 'array':
      return 'VARIANT';
    case 'binary':
      return 'BLOB';
    default:
      return 'VARCHAR';
  }
}

function decode(value: string, type: string): string {
  switch (type) {
    case 'fixed':
    case 'real':
      return /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(value) ? value : `CAST(${quoteString(value)} AS DOUBLE)`;
    case 'boolean':
      return value === '1' ? 'TRUE' : 'FALSE';
    case 'date':
      return `CAST(DATE '1970-01-01' + ${Number(value)} AS DATE)`;
    case 'time':
      return `CAST(TIMESTAMP '1970-01-01' + to_microseconds(CAST(${Number(value) * 1e6} AS BIGINT)) AS TIME)`;
    case 'timestamp_ntz':
      return `make_timestamp(CAST(${value.split(' ')[0]} * 1000000 AS BIGINT))`;
    case 'timestamp_ltz':
    case 'timestamp_tz':
      return `to_timestamp(${value.split(' ')[0]})`;
    case 'variant':
    case 'object':
    case 'array':
      return `sf_parse_json(${quoteString(value)})`;
    case 'binary':
      return `unhex(${quoteString(value)})`;
    default:
      return quoteString(value);
  }
}

// The DuckDB file behind the sandbox: one database holding the user tables (`data` schema,
// physical names t<id>, with h<id> history tables for Time Travel and streams) and the sandbox's
// own records (`meta` schema: the catalog document, the query log, login/task/copy history,
// warehouse activity, recorded e-mails). DuckDB is imported lazily by the caller.
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { CatalogData } from './catalog.js';
import { quoteString } from './tokens.js';

/** Settings every connection gets: UTC, Snowflake's NULL ordering. */
export const CONNECTION_SETTINGS = [
  "SET TimeZone = 'UTC'",
  "SET default_null_order = 'nulls_last_on_asc_first_on_desc'",
];

const SCHEMA = [
  'CREATE SCHEMA IF NOT EXISTS meta',
  'CREATE SCHEMA IF NOT EXISTS data',
  'CREATE SEQUENCE IF NOT EXISTS meta.version_seq START 1',
  'CREATE SEQUENCE IF NOT EXISTS meta.row_seq START 1',
  'CREATE TABLE IF NOT EXISTS meta.catalog (id INTEGER PRIMARY KEY, doc VARCHAR)',
  `CREATE TABLE IF NOT EXISTS meta.query_log (
    query_id VARCHAR, query_text VARCHAR, query_type VARCHAR, statement_type_id BIGINT, session_id VARCHAR,
    user_name VARCHAR, role_name VARCHAR, warehouse_name VARCHAR, warehouse_size VARCHAR, database_name VARCHAR,
    schema_name VARCHAR, execution_status VARCHAR, error_code VARCHAR, error_message VARCHAR,
    start_time TIMESTAMPTZ, end_time TIMESTAMPTZ, total_elapsed_time BIGINT, rows_produced BIGINT,
    rows_inserted BIGINT, rows_updated BIGINT, rows_deleted BIGINT, bytes_scanned BIGINT, query_tag VARCHAR,
    version BIGINT, watermark BIGINT)`,
  `CREATE TABLE IF NOT EXISTS meta.login_history (
    event_id BIGINT, event_timestamp TIMESTAMPTZ, event_type VARCHAR, user_name VARCHAR, client_ip VARCHAR,
    reported_client_type VARCHAR, reported_client_version VARCHAR, first_authentication_factor VARCHAR,
    second_authentication_factor VARCHAR, is_success VARCHAR, error_code BIGINT, error_message VARCHAR,
    related_event_id BIGINT, connection VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS meta.task_history (
    query_id VARCHAR, name VARCHAR, database_name VARCHAR, schema_name VARCHAR, query_text VARCHAR,
    condition_text VARCHAR, state VARCHAR, error_code VARCHAR, error_message VARCHAR, scheduled_time TIMESTAMPTZ,
    query_start_time TIMESTAMPTZ, next_scheduled_time TIMESTAMPTZ, completed_time TIMESTAMPTZ, root_task_id VARCHAR,
    graph_version BIGINT, run_id BIGINT, return_value VARCHAR, scheduled_from VARCHAR, attempt_number BIGINT)`,
  `CREATE TABLE IF NOT EXISTS meta.copy_history (
    file_name VARCHAR, stage_location VARCHAR, last_load_time TIMESTAMPTZ, row_count BIGINT, row_parsed BIGINT,
    file_size BIGINT, first_error_message VARCHAR, first_error_line_number BIGINT, first_error_character_pos BIGINT,
    first_error_column_name VARCHAR, error_count BIGINT, error_limit BIGINT, status VARCHAR, table_id BIGINT,
    table_catalog_name VARCHAR, table_schema_name VARCHAR, table_name VARCHAR, pipe_catalog_name VARCHAR,
    pipe_schema_name VARCHAR, pipe_name VARCHAR, pipe_received_time TIMESTAMPTZ, file_md5 VARCHAR, query_id VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS meta.warehouse_events (
    warehouse_id BIGINT, warehouse_name VARCHAR, size VARCHAR, event VARCHAR, event_time TIMESTAMPTZ)`,
  `CREATE TABLE IF NOT EXISTS meta.emails (
    sent_at TIMESTAMPTZ, integration VARCHAR, recipients VARCHAR, subject VARCHAR, body VARCHAR, content_type VARCHAR,
    query_id VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS meta.alert_history (
    name VARCHAR, database_name VARCHAR, schema_name VARCHAR, condition VARCHAR, action VARCHAR, state VARCHAR,
    scheduled_time TIMESTAMPTZ, completed_time TIMESTAMPTZ, error_code VARCHAR, error_message VARCHAR,
    sql_id VARCHAR)`,
];

/** One row of the query log. */
export interface QueryLogEntry {
  queryId: string;
  queryText: string;
  queryType: string;
  statementTypeId: number;
  sessionId: string;
  userName: string;
  roleName: string;
  warehouseName: string | null;
  warehouseSize: string | null;
  databaseName: string | null;
  schemaName: string | null;
  executionStatus: 'SUCCESS' | 'FAIL' | 'INCIDENT';
  errorCode: string | null;
  errorMessage: string | null;
  startTime: Date;
  endTime: Date;
  rowsProduced: number;
  rowsInserted: number;
  rowsUpdated: number;
  rowsDeleted: number;
  queryTag: string;
  /** The change version this statement created, if it changed data. */
  version: number | null;
  /** The newest version committed when the statement started. */
  watermark: number;
}

/** The DuckDB database of a sandbox. */
export class Store {
  private constructor(
    readonly instance: DuckDBInstance,
    /** A connection for the sandbox's own bookkeeping (catalog, logs). */
    readonly admin: DuckDBConnection,
    readonly persistent: boolean,
  ) {}

  /** Opens (or creates) the database file under dataDir, or an in-memory one. */
  static async open(duckdb: typeof import('@duckdb/node-api'), path: string | ':memory:'): Promise<Store> {
    const instance = await duckdb.DuckDBInstance.create(path, { storage_compatibility_version: 'latest' });
    const admin = await instance.connect();
    for (const setting of CONNECTION_SETTINGS) await admin.run(setting);
    for (const statement of SCHEMA) await admin.run(statement);
    return new Store(instance, admin, path !== ':memory:');
  }

  /** A new connection with the sandbox's settings. */
  async connect(): Promise<DuckDBConnection> {
    const connection = await this.instance.connect();
    for (const setting of CONNECTION_SETTINGS) await connection.run(setting);
    return connection;
  }

  /** The saved catalog, or undefined for a new database. */
  async loadCatalog(): Promise<CatalogData | undefined> {
    const reader = await this.admin.runAndReadAll('SELECT doc FROM meta.catalog WHERE id = 1');
    const rows = reader.getRows();
    if (rows.length === 0) return undefined;
    return JSON.parse(String(rows[0]![0])) as CatalogData;
  }

  /** Saves the catalog through a connection (inside the caller's transaction). */
  async saveCatalog(connection: DuckDBConnection, data: CatalogData): Promise<void> {
    await connection.run('INSERT OR REPLACE INTO meta.catalog VALUES (1, $1)', [JSON.stringify(data)]);
  }

  /** The next change version (never reused, even after a rollback or a crash). */
  async nextVersion(connection: DuckDBConnection): Promise<number> {
    const reader = await connection.runAndReadAll("SELECT nextval('meta.version_seq')");
    return Number(reader.getRows()[0]![0]);
  }

  /**
   * The newest change version in use: the highest logged one, or a higher one found in the history
   * tables (a change whose log row was lost to a crash). The sequence itself only says what comes next.
   */
  async currentVersion(tableIds: number[]): Promise<number> {
    await this.flush();
    const parts = ['SELECT coalesce(max(version), 0) AS v FROM meta.query_log'];
    for (const id of tableIds) parts.push(`SELECT coalesce(greatest(max("_SB_FROM"), max("_SB_TO")), 0) FROM data.h${id}`);
    const reader = await this.admin.runAndReadAll(`SELECT max(v) FROM (${parts.join(' UNION ALL ')})`);
    return Number(reader.getRows()[0]![0] ?? 0);
  }

  private readonly pending: QueryLogEntry[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  /**
   * Appends a statement to the query log. Entries are buffered and written in batches (a one-row
   * INSERT costs milliseconds, which would cap the sandbox far below a real account's pace); anything
   * that reads the log flushes first, and the buffer is written at least every second.
   */
  async logQuery(entry: QueryLogEntry): Promise<void> {
    this.pending.push(entry);
    if (this.pending.length >= 200) await this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flush().catch(() => undefined);
      }, 1000);
      this.timer.unref();
    }
  }

  /** Writes buffered query log entries, if any. */
  flush(): Promise<void> {
    if (this.pending.length === 0) return this.flushing;
    const batch = this.pending.splice(0);
    this.flushing = this.flushing.then(() => this.append(batch));
    return this.flushing;
  }

  /** Flushes the query log before SQL that reads the sandbox's own records. */
  async flushFor(sql: string): Promise<void> {
    if (this.pending.length > 0 && sql.includes('meta.')) await this.flush();
  }

  /**
   * Writes a batch with one INSERT: it runs on DuckDB's threads, so the event loop keeps answering
   * queries while the batch commits (an appender's flush would hold it for the whole commit).
   */
  private async append(batch: QueryLogEntry[]): Promise<void> {
    const text = (value: string | null): string => (value === null ? 'NULL' : quoteString(value));
    const big = (value: number | null): string => (value === null ? 'NULL' : String(Math.round(value)));
    const time = (value: Date): string => `make_timestamptz(${BigInt(value.getTime()) * 1000n})`;
    const rows = batch.map((e) =>
      [
        text(e.queryId), text(e.queryText), text(e.queryType), big(e.statementTypeId), text(e.sessionId), text(e.userName), text(e.roleName),
        text(e.warehouseName), text(e.warehouseSize), text(e.databaseName), text(e.schemaName), text(e.executionStatus), text(e.errorCode),
        text(e.errorMessage), time(e.startTime), time(e.endTime), big(e.endTime.getTime() - e.startTime.getTime()), big(e.rowsProduced),
        big(e.rowsInserted), big(e.rowsUpdated), big(e.rowsDeleted), '0', text(e.queryTag), big(e.version), big(e.watermark),
      ].join(', '),
    );
    await this.admin.run(`INSERT INTO meta.query_log VALUES (${rows.join('), (')})`);
  }

  /** Runs one statement on the bookkeeping connection with positional parameters. */
  async record(sql: string, values: (string | number | boolean | null)[]): Promise<void> {
    await this.flush();
    await this.admin.run(sql, values);
  }

  /** Flushes and closes the database. */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    await this.flush().catch(() => undefined);
    if (this.persistent) await this.admin.run('CHECKPOINT').catch(() => undefined);
    this.admin.closeSync();
    this.instance.closeSync();
  }
}

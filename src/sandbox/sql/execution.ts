// One statement being executed: its session, text, binds and signal, the change version it takes,
// counts for the query log, and the transaction discipline Snowflake has — DDL commits whatever is
// open and runs in its own transaction; DML outside BEGIN … COMMIT commits by itself.
import type { DuckDBConnection, DuckDBPreparedStatement, DuckDBResultReader } from '@duckdb/node-api';
import type { StatementOutcome, StatementRequest, WireBind, WireColumn, WireType } from '../engine-api.js';
import type { Access } from './access.js';
import type { Catalog } from './catalog.js';
import type { QueryLookup } from './history.js';
import { wireColumn, encodeValue } from './encode.js';
import { cancelled, compilationError, fromDuckError, numericNotRecognized } from './errors.js';
import type { Session } from './session.js';
import type { StageFiles } from './stage-files.js';
import type { StatementClass } from './statements.js';
import type { Store } from './store.js';
import { quoteString, significantTokens, type Token } from './tokens.js';

/** What every statement can reach of the engine. */
export interface EngineState {
  readonly account: string;
  readonly catalog: Catalog;
  readonly access: Access;
  readonly store: Store;
  readonly stageFiles: StageFiles;
  /** Folder where SYSTEM$SEND_EMAIL leaves each message as a file a trainee can open (none in memory). */
  readonly outbox: string | undefined;
  /** Results kept for RESULT_SCAN, by query id. */
  readonly results: Map<string, { user: string; outcome: StatementOutcome }>;
  /** Runs a statement as part of another (task bodies, alert actions, procedure bodies). */
  runNested(parent: Execution, sql: string, options: NestedOptions): Promise<StatementOutcome>;
  /** Sessions currently open, by id. */
  readonly sessions: Map<string, Session>;
  /** A recent statement's place in the change history, by query id. */
  readonly queryPoint: QueryLookup;
  /** Interrupts a running query of this user (or any, for ACCOUNTADMIN); false if it is not running. */
  cancelQuery(queryId: string, user: string, roles: Set<string>): boolean;
  /** Statements waiting for their turn or running now. */
  activeQueries(): ActiveQuery[];
}

/** A statement the engine is working on: waiting for its turn (BLOCKED) or running. */
export interface ActiveQuery {
  queryId: string;
  session: Session;
  sql: string;
  start: Date;
  queryType: string;
  state: 'BLOCKED' | 'RUNNING';
  /** Stops it: a running one is interrupted in DuckDB, a waiting one never starts. */
  cancel: AbortController;
}


/** How a statement run inside another differs from its parent's session. */
export interface NestedOptions {
  /** Runs on managed compute: no warehouse needed (a task without WAREHOUSE). */
  serverless?: boolean;
  role?: string;
  user?: string;
  queryId?: string;
  database?: string;
  schema?: string;
  warehouse?: string | null;
}

/** Where unqualified names resolve and whose privileges apply. */
export interface Scope {
  database: string | null;
  schema: string | null;
  /** The role whose hierarchy the checks use (the current role, or a view's owner). */
  role: string;
  roles: Set<string>;
}

/** The statement result before it goes on the wire. */
export type Outcome = StatementOutcome;

/** A statement in progress. */
export class Execution {
  /** The change version this statement took, if it changed data. */
  version: number | null = null;
  readonly counts = { produced: 0, inserted: 0, updated: 0, deleted: 0 };
  /** Streams read by this statement (consumed if it is DML that commits). */
  readonly streamsRead = new Map<number, number>();
  /** For array binds: the row whose values `?` stands for. */
  bindRow = 0;
  /** Whether the statement needs a running warehouse (set while translating). */
  needsWarehouse = false;
  /** Runs on managed compute (a serverless task): no warehouse is needed. */
  serverless = false;
  /** Inside a task run: the task's name, its predecessor's return value, and its own. */
  taskName: string | undefined;
  predecessorReturnValue: string | undefined;
  returnValue: string | undefined;
  /** Side effects of SYSTEM$ functions, run after translation and before the query. */
  readonly effects: (() => Promise<void>)[] = [];

  constructor(
    readonly engine: EngineState,
    readonly session: Session,
    readonly request: StatementRequest,
    /** The statement text. */
    readonly sql: string,
    readonly statementClass: StatementClass,
    readonly signal: AbortSignal,
    /** The newest change version when the statement started. */
    readonly watermark: number,
  ) {}

  get catalog(): Catalog {
    return this.engine.catalog;
  }

  get access(): Access {
    return this.engine.access;
  }

  /** The session's role and every role it inherits. */
  roles(): Set<string> {
    return this.access.closure(this.session.role);
  }

  /** The session's own scope. */
  scope(): Scope {
    return { database: this.session.database, schema: this.session.schema, role: this.session.role, roles: this.roles() };
  }

  /** Runs DuckDB SQL on the session's connection; a cancel interrupts it. */
  async run(sql: string, values?: (string | number | boolean | null)[]): Promise<DuckDBResultReader> {
    if (this.signal.aborted) throw cancelled();
    await this.engine.store.flushFor(sql);
    const connection = this.session.connection;
    const onAbort = (): void => connection.interrupt();
    this.signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await connection.runAndReadAll(sql, values);
    } catch (error) {
      if (this.signal.aborted) throw cancelled();
      throw fromDuckError(error, (word) => this.locate(word));
    } finally {
      this.signal.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Runs a query through a prepared statement kept for this connection: a small query repeated by
   * a client (a dashboard, a poll, a watch) skips DuckDB's parse and plan after the first time.
   * DuckDB plans with the statistics of the data as it was when it prepared (it folds `x IS NULL`
   * to true on a column that held only NULLs), so a statement is reused only while no change
   * version and no DDL came since; queries of the sandbox's own records, which change with every
   * statement, are never kept.
   */
  async runPrepared(sql: string): Promise<DuckDBResultReader> {
    if (sql.includes('meta.')) return this.run(sql);
    if (this.signal.aborted) throw cancelled();
    const connection = this.session.connection;
    const onAbort = (): void => connection.interrupt();
    this.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const prepared = await preparedFor(connection, sql, `${this.catalog.generation}/${this.watermark}`);
      return await prepared.runAndReadAll();
    } catch (error) {
      if (this.signal.aborted) throw cancelled();
      throw fromDuckError(error, (word) => this.locate(word));
    } finally {
      this.signal.removeEventListener('abort', onAbort);
    }
  }

  /** The first token of the statement that spells `word`, for error positions. */
  locate(word: string): Token | undefined {
    if (word === '<EOF>') return this.tokens().at(-1);
    const upper = word.toUpperCase();
    return this.tokens().find((token) => token.value.toUpperCase() === upper || token.text.toUpperCase() === upper);
  }

  private tokenCache: Token[] | undefined;

  /** The statement's significant tokens. */
  tokens(): Token[] {
    this.tokenCache ??= tokenizeSignificant(this.sql);
    return this.tokenCache;
  }

  /** A new change version for this statement. */
  async newVersion(): Promise<number> {
    if (this.version === null) this.version = await this.engine.store.nextVersion(this.session.connection);
    return this.version;
  }

  /** Commits the session's open transaction, as any DDL does in Snowflake. */
  async commitOpen(): Promise<void> {
    if (!this.session.inTransaction) return;
    await this.session.connection.run('COMMIT');
    this.session.inTransaction = false;
    this.applyPendingOffsets();
  }

  /**
   * Writes the buffered query log before a transaction starts if the statement may read it: rows
   * appended after a transaction began are invisible to it.
   */
  async flushLogIfRead(): Promise<void> {
    if (/HISTORY|ACCOUNT_USAGE|INFORMATION_SCHEMA|\b(AT|BEFORE|CHANGES)\s*\(/i.test(this.sql)) await this.engine.store.flush();
  }

  /** Moves stream offsets that waited for the transaction to commit. */
  applyPendingOffsets(): void {
    for (const [streamId, version] of this.session.pendingOffsets) {
      const stream = this.catalog.objectById(streamId)?.stream;
      if (stream) {
        stream.offsetVersion = version;
        stream.initialConsumed = true;
      }
    }
    this.session.pendingOffsets.clear();
  }

  /**
   * Runs a DDL change: commits any open transaction, then runs `change` and saves the catalog in one
   * transaction. A failure rolls back both the data and the in-memory catalog.
   */
  async ddl<T>(change: () => Promise<T>): Promise<T> {
    this.catalog.generation++;
    await this.commitOpen();
    const before = this.catalog.snapshot();
    const connection = this.session.connection;
    await this.flushLogIfRead();
    await connection.run('BEGIN TRANSACTION');
    try {
      const result = await change();
      await this.engine.store.saveCatalog(connection, this.catalog.data);
      await connection.run('COMMIT');
      return result;
    } catch (error) {
      await connection.run('ROLLBACK').catch(() => undefined);
      this.catalog.restore(before);
      throw error;
    }
  }

  /** Runs a data change: in its own transaction unless one is open (then the change joins it). */
  async dml<T>(change: () => Promise<T>): Promise<T> {
    const connection = this.session.connection;
    if (this.session.inTransaction) {
      const result = await change();
      this.consumeStreams(true);
      return result;
    }
    await this.flushLogIfRead();
    await connection.run('BEGIN TRANSACTION');
    try {
      const result = await change();
      this.consumeStreams(false);
      await this.engine.store.saveCatalog(connection, this.catalog.data);
      await connection.run('COMMIT');
      return result;
    } catch (error) {
      await connection.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /** A DML statement that read a stream moves the stream's offset to what it read. */
  private consumeStreams(deferred: boolean): void {
    for (const [streamId] of this.streamsRead) {
      if (deferred) {
        this.session.pendingOffsets.set(streamId, this.watermark);
        continue;
      }
      const stream = this.catalog.objectById(streamId)?.stream;
      if (stream) {
        stream.offsetVersion = this.watermark;
        stream.initialConsumed = true;
      }
    }
  }

  /** A bind value as a SQL literal and as text. */
  bind(index: number, token: Token): { sql: string; text: string } {
    const bind: WireBind | undefined = this.request.binds?.[String(index)];
    if (!bind) throw compilationError(`Bind variable ${token.text} not set. (error line ${token.line} at position ${token.column})`);
    const raw = Array.isArray(bind.value) ? bind.value[this.bindRow] ?? null : bind.value;
    return bindLiteral(bind.type, raw);
  }

  /** How many rows an array bind carries (1 for plain binds). */
  bindRowCount(): number {
    let count = 1;
    for (const bind of Object.values(this.request.binds ?? {})) {
      if (Array.isArray(bind.value)) count = Math.max(count, bind.value.length);
    }
    return count;
  }

  /** A one-column `status` result, as DDL statements answer. */
  status(message: string): Outcome {
    return single('status', 'text', message, this.statementClass.typeId);
  }
}

/** How many prepared queries each connection keeps, least recently used dropped first. */
const PREPARED_KEPT = 64;
const preparedByConnection = new WeakMap<DuckDBConnection, { generation: string; statements: Map<string, DuckDBPreparedStatement> }>();

/** Lets go of a connection's prepared statements (before it closes). */
export function forgetPrepared(connection: DuckDBConnection): void {
  for (const statement of preparedByConnection.get(connection)?.statements.values() ?? []) statement.destroySync();
  preparedByConnection.delete(connection);
}

/** The connection's prepared statement for `sql`, prepared now if it has none from this generation (DDL count / change version). */
async function preparedFor(connection: DuckDBConnection, sql: string, generation: string): Promise<DuckDBPreparedStatement> {
  let kept = preparedByConnection.get(connection);
  if (!kept || kept.generation !== generation) {
    for (const statement of kept?.statements.values() ?? []) statement.destroySync();
    kept = { generation, statements: new Map() };
    preparedByConnection.set(connection, kept);
  }
  const found = kept.statements.get(sql);
  if (found) {
    kept.statements.delete(sql);
    kept.statements.set(sql, found);
    return found;
  }
  const prepared = await connection.prepare(sql);
  kept.statements.set(sql, prepared);
  if (kept.statements.size > PREPARED_KEPT) {
    const [oldest, statement] = kept.statements.entries().next().value!;
    kept.statements.delete(oldest);
    statement.destroySync();
  }
  return prepared;
}

/** A result with one column and one row. */
export function single(name: string, type: WireType, value: unknown, statementTypeId: number): Outcome {
  return { columns: [wireColumn(name, type)], rows: [[encodeValue(value, type)]], statementTypeId };
}

/** A result from plain JS rows, each value encoded for its column's wire type. */
export function table(columns: WireColumn[], rows: unknown[][], statementTypeId: number): Outcome {
  return {
    columns,
    rows: rows.map((row) => row.map((value, k) => encodeValue(value, columns[k]!.type))),
    statementTypeId,
  };
}

/** A bind value as a SQL literal. */
export function bindLiteral(type: string, value: string | null): { sql: string; text: string } {
  if (value === null) return { sql: 'NULL', text: '' };
  switch (type.toUpperCase()) {
    case 'FIXED':
      if (!/^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(value.trim())) throw numericNotRecognized(value);
      return { sql: value.trim(), text: value };
    case 'REAL':
      return { sql: `CAST(${quoteString(value)} AS DOUBLE)`, text: value };
    case 'BOOLEAN':
      return { sql: /^(true|1)$/i.test(value) ? 'TRUE' : 'FALSE', text: value };
    case 'VARIANT':
    case 'OBJECT':
    case 'ARRAY':
      return { sql: `sf_parse_json(${quoteString(value)})`, text: value };
    case 'BINARY':
      return { sql: `unhex(${quoteString(value)})`, text: value };
    case 'DATE':
      return /^\d+$/.test(value)
        ? { sql: `CAST(to_timestamp(${Number(value) / 1000}) AS DATE)`, text: value }
        : { sql: `CAST(${quoteString(value)} AS DATE)`, text: value };
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_TZ':
      return /^\d+$/.test(value)
        ? { sql: `to_timestamp(${Number(BigInt(value) / 1000n) / 1_000_000})`, text: value }
        : { sql: `CAST(${quoteString(value)} AS TIMESTAMP)`, text: value };
    default:
      return { sql: quoteString(value), text: value };
  }
}

function tokenizeSignificant(sql: string): Token[] {
  try {
    return significantTokens(sql);
  } catch {
    return [];
  }
}

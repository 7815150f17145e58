// One Snowflake session through snowflake-sdk: log in, run statements one at a time with their rows
// streamed, cancel on the server when asked, and log out. A run keeps one session across its steps
// so `USE ROLE` and `USE WAREHOUSE` carry over; if the session is lost it logs in again and replays
// those context statements, so a reconnect does not silently change role.
import type { Connection as SdkConnection, RowStatement } from 'snowflake-sdk';
import type { Writable } from 'node:stream';
import { ConnectionError, type Connection } from '../config/connections.js';
import { driverLogin, type DriverLogin } from '../config/credentials.js';
import { driverMessages, keepDriverCodeSoon, loadDriver } from './driver.js';
import { explainError, formatFailure, type SqlFailure } from './errors.js';

/** The outcome of one statement. */
export interface StatementOutcome {
  queryId?: string;
  /** Column names in order. */
  columns: string[];
  /** Rows the statement returned (all of them, not only those kept). */
  rows: number;
  /** The first rows, as arrays in column order. */
  firstRows: unknown[][];
  /** Rows inserted, updated, deleted or merged, for DML. */
  updated?: number;
  durationMs: number;
  error?: SqlFailure;
  /** Stopped before its end by cancel or timeout. */
  interrupted?: 'aborted' | 'timeout';
}

/** How to run one statement. */
export interface StatementOptions {
  /** Session parameter sent with the statement: identifies runbook, step and run in query history. */
  queryTag?: string;
  signal?: AbortSignal;
  /** Cancel on the server after this long. */
  timeoutMs?: number;
  /** How many rows to keep in memory (the rest are counted). Default 100. */
  keepRows?: number;
  /** Receives every row; when given, all rows are streamed through it (CSV). */
  sink?: RowSink;
}

/** Where every row of a result goes (a CSV file), with backpressure. */
export interface RowSink {
  /** Called once with the column names, before the first row. */
  begin(columns: string[]): void;
  /** Takes one row; false asks the stream to wait for the writable's `drain`. */
  write(row: unknown[]): boolean;
  writable: Pick<Writable, 'once'>;
}

/** Who and where a session is, as Snowflake itself reports it. */
export interface SessionIdentity {
  account: string;
  user: string;
  role: string;
  warehouse: string | null;
}

/** How long a cancelled statement may take to confirm before baton stops waiting for it. */
const CANCEL_GRACE_MS = 2000;

/** Statements whose effect lives in the session, replayed after a reconnect. */
const SESSION_CONTEXT = /^\s*(USE\s|ALTER\s+SESSION\s|SET\s)/i;

/** A logged-in session. Not safe for two statements at once: statements run one after another. */
export class SnowflakeSession {
  private connection: SdkConnection;
  private readonly context: string[] = [];
  private closed = false;

  private constructor(
    connection: SdkConnection,
    /** What was used to log in: the summary is safe to show; the options are not. */
    private readonly login: DriverLogin,
    /** The connection's name in connections.toml (or `sandbox`). */
    readonly connectionName: string,
  ) {
    this.connection = connection;
  }

  /** Log in with a connection; `accessUrl` overrides its address (the sandbox). */
  static async open(connection: Connection, options: { accessUrl?: string; signal?: AbortSignal } = {}): Promise<SnowflakeSession> {
    const login = await driverLogin(connection, options.accessUrl);
    const sdkConnection = await logIn(login, connection.name, options.signal);
    return new SnowflakeSession(sdkConnection, login, connection.name);
  }

  /** "account myorg-prod, user SVC_ETL, key pair" — never a credential. */
  get summary(): string {
    return this.login.summary;
  }

  /** Secret values used to log in, to mask in anything shown. */
  get secrets(): readonly string[] {
    return this.login.secrets;
  }

  /** Run one statement. Never rejects for SQL or network errors: they come back in `error`. */
  async execute(sql: string, options: StatementOptions = {}): Promise<StatementOutcome> {
    if (this.closed) throw new Error('the Snowflake session is closed');
    const outcome = await runStatement(this.connection, sql, options);
    if (!outcome.error && !outcome.interrupted) this.establish(sql);
    if (outcome.error && isSessionGone(outcome.error)) await this.reconnect();
    return outcome;
  }

  /** The USE / ALTER SESSION / SET statements that made this session what it is, in order. */
  get established(): readonly string[] {
    return this.context;
  }

  /**
   * Run statements that set up an earlier session of the same run (a run resumed in a new
   * process), so its role, warehouse and schema hold again before its next statement. Throws
   * {@link ConnectionError} naming the statement that no longer works.
   */
  async restore(statements: readonly string[], signal?: AbortSignal): Promise<void> {
    await this.replay(statements, 'restoring the run\'s session', signal);
    for (const statement of statements) this.establish(statement);
  }

  /** Log in again after the session was lost, and replay USE/ALTER SESSION/SET in order. */
  async reconnect(signal?: AbortSignal): Promise<void> {
    const old = this.connection;
    this.connection = await logIn(this.login, this.connectionName, signal);
    await destroy(old);
    await this.replay(this.context, 'after reconnecting', signal);
  }

  private async replay(statements: readonly string[], why: string, signal?: AbortSignal): Promise<void> {
    for (const statement of statements) {
      const replayed = await runStatement(this.connection, statement, { keepRows: 0, ...(signal ? { signal } : {}) });
      if (replayed.error) throw new ConnectionError(`${why}, replaying "${statement}" failed: ${formatFailure(replayed.error)}`);
    }
  }

  /** Remember a context statement, unless it repeats the one now in force for the same thing. */
  private establish(sql: string): void {
    if (!SESSION_CONTEXT.test(sql)) return;
    const text = normalised(sql);
    const kind = contextKind(text);
    const current = kind ? this.context.findLast((earlier) => contextKind(normalised(earlier)) === kind) : undefined;
    // `USE ROLE X` while X is in force changes nothing; replaying it on every resume would.
    if (current !== undefined && normalised(current) === text) return;
    this.context.push(sql);
  }

  /** The live account, user, role and warehouse of this session. */
  async identity(queryTag?: string): Promise<SessionIdentity> {
    const outcome = await this.execute('SELECT CURRENT_ACCOUNT(), CURRENT_USER(), CURRENT_ROLE(), CURRENT_WAREHOUSE()', { keepRows: 1, ...(queryTag ? { queryTag } : {}) });
    if (outcome.error) throw new ConnectionError(`could not ask Snowflake where this session is: ${formatFailure(outcome.error)}`);
    const [account, user, role, warehouse] = outcome.firstRows[0] ?? [];
    return { account: String(account ?? ''), user: String(user ?? ''), role: String(role ?? ''), warehouse: warehouse == null ? null : String(warehouse) };
  }

  /** Log out. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await destroy(this.connection);
  }
}

function normalised(sql: string): string {
  return sql.trim().replace(/;\s*$/, '').replace(/\s+/g, ' ');
}

/**
 * What a context statement sets, for statements that set one thing whatever came before: the
 * role, the secondary roles, the warehouse, the current database and schema (one thing, since
 * `USE DATABASE` also resets the schema), or one session parameter. Undefined for anything else
 * (`SET x = …` may mean something new each time it runs), which is always kept.
 */
function contextKind(text: string): string | undefined {
  const use = /^USE\s+(ROLE|SECONDARY\s+ROLES|WAREHOUSE)\b/i.exec(text);
  if (use) return use[1]!.toUpperCase().replace(/\s+/g, ' ');
  if (/^USE\s/i.test(text)) return 'NAMESPACE';
  const parameter = /^ALTER\s+SESSION\s+(?:UN)?SET\s+([A-Za-z_][A-Za-z0-9_]*)/i.exec(text);
  if (parameter && !text.includes(',')) return `PARAMETER ${parameter[1]!.toUpperCase()}`;
  return undefined;
}

/** Session-expired and session-gone codes: the driver cannot go on with this session. */
function isSessionGone(failure: SqlFailure): boolean {
  return failure.code === '390112' || failure.code === '390114' || failure.code === '390111' || failure.code === '407002';
}

async function logIn(login: DriverLogin, name: string, signal?: AbortSignal): Promise<SdkConnection> {
  const sdk = await loadDriver();
  const local = typeof login.options.accessUrl === 'string' && /^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(login.options.accessUrl);
  const connection = sdk.createConnection({
    ...login.options,
    // Fail fast where nothing can be waited for (a sandbox that is not running); a real account
    // gets a couple of retries with the driver's backoff.
    sfRetryMaxLoginRetries: local ? 0 : 2,
    clientSessionKeepAlive: login.options.clientSessionKeepAlive ?? false,
  } as Parameters<typeof sdk.createConnection>[0]);
  try {
    if (signal?.aborted) throw new ConnectionError('login cancelled');
    if (login.needsBrowser) await connection.connectAsync();
    else await new Promise<void>((resolve, reject) => connection.connect((error) => (error ? reject(error) : resolve())));
    return connection;
  } catch (error) {
    if (error instanceof ConnectionError) throw error;
    const failure = explainError(error);
    const where = typeof login.options.accessUrl === 'string' ? login.options.accessUrl : `account ${String(login.options.account)}`;
    if (failure.network) {
      const sandbox = local ? ' — is the sandbox running? start it with `baton sandbox start`' : ' — check the account name, the network and any proxy';
      throw new ConnectionError(`connection ${name}: nothing answers at ${where}${sandbox} (${failure.message})`);
    }
    const fingerprint = login.publicKeyFingerprint && failure.code === '390144' ? ` (this key's fingerprint: ${login.publicKeyFingerprint})` : '';
    // Without a Snowflake code the driver's own last complaint is the best clue there is.
    const clue = !failure.code && driverMessages.length ? ` (driver: ${driverMessages.at(-1)})` : '';
    throw new ConnectionError(`connection ${name}: login refused (${login.summary}): ${formatFailure(failure)}${fingerprint}${clue}`);
  }
}

function destroy(connection: SdkConnection): Promise<void> {
  return new Promise((resolve) => {
    try {
      connection.destroy(() => resolve());
    } catch {
      resolve();
    }
  });
}

/** Run one statement with its rows streamed; resolves once every kept row (and the sink) is done. */
function runStatement(connection: SdkConnection, sqlText: string, options: StatementOptions): Promise<StatementOutcome> {
  const keepRows = options.keepRows ?? 100;
  const started = performance.now();
  return new Promise((resolve) => {
    let statement: RowStatement | undefined;
    let interrupted: StatementOutcome['interrupted'];
    let stream: NodeJS.ReadableStream & { destroy?: () => void } | undefined;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const cleanup = () => {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    const finish = (outcome: Omit<StatementOutcome, 'durationMs' | 'interrupted' | 'queryId'>) => {
      if (settled) return;
      settled = true;
      cleanup();
      const queryId = statement?.getQueryId() || outcome.error?.queryId;
      const done: StatementOutcome = { ...outcome, durationMs: performance.now() - started };
      if (queryId) done.queryId = queryId;
      if (!outcome.error) keepDriverCodeSoon();
      if (interrupted) {
        done.interrupted = interrupted;
        const error = done.error ?? { message: '' };
        done.error = { ...error, cancelled: true, message: interrupted === 'timeout' ? `cancelled on the server after its timeout (${error.message || 'no answer yet'})` : `cancelled by the operator (${error.message || 'no answer yet'})` };
        if (queryId) done.error.queryId = queryId;
      }
      resolve(done);
    };
    const cancel = (why: 'aborted' | 'timeout') => {
      if (settled || interrupted) return;
      interrupted = why;
      // Cancel on the server: the query stops using the warehouse, not only this client.
      statement?.cancel(() => {});
      stream?.destroy?.();
      if (stream) finish({ columns: [], rows: 0, firstRows: [] });
      // The driver may be resending the request through a broken network and never call back:
      // give the cancel a moment to be answered, then stop waiting.
      else setTimeout(() => finish({ columns: [], rows: 0, firstRows: [] }), CANCEL_GRACE_MS).unref();
    };
    const onAbort = () => cancel(isTimeout(options.signal?.reason) ? 'timeout' : 'aborted');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.timeoutMs !== undefined) timer = setTimeout(() => cancel('timeout'), options.timeoutMs);

    statement = connection.execute({
      sqlText,
      streamResult: true,
      rowMode: 'array',
      fetchAsString: ['Date'],
      ...(options.queryTag ? { parameters: { QUERY_TAG: options.queryTag } } : {}),
      complete: (error, stmt) => {
        if (error) {
          finish({ columns: [], rows: 0, firstRows: [], error: explainError(error, stmt?.getQueryId()) });
          return;
        }
        if (interrupted) return finish({ columns: [], rows: 0, firstRows: [] });
        const columns = (stmt.getColumns() ?? []).map((c) => c.getName());
        const total = stmt.getNumRows();
        // The driver answers -1 for anything but DML.
        const dml = stmt.getNumUpdatedRows();
        const updated = dml !== undefined && dml >= 0 ? dml : undefined;
        const firstRows: unknown[][] = [];
        const sink = options.sink;
        sink?.begin(columns);
        if (!sink && (keepRows === 0 || total === 0)) {
          finish({ columns, rows: total, firstRows, ...(updated !== undefined ? { updated } : {}) });
          return;
        }
        // Without a sink only the kept rows are read; the driver already knows the total.
        const rows = sink ? stmt.streamRows() : stmt.streamRows({ start: 0, end: Math.min(keepRows, total) - 1 });
        stream = rows;
        let count = 0;
        rows.on('data', (row: unknown[]) => {
          count++;
          if (firstRows.length < keepRows) firstRows.push(row.map(plainValue));
          if (sink && !sink.write(row.map(plainValue))) {
            rows.pause();
            sink.writable.once('drain', () => rows.resume());
          }
        });
        rows.on('error', (streamError: unknown) => finish({ columns, rows: count, firstRows, error: explainError(streamError, stmt.getQueryId()) }));
        rows.on('end', () => finish({ columns, rows: sink ? count : total, firstRows, ...(updated !== undefined ? { updated } : {}) }));
      },
    }) as RowStatement;
    if (options.signal?.aborted) onAbort();
  });
}

function isTimeout(reason: unknown): boolean {
  if (typeof reason === 'symbol') return reason.description === 'timeout';
  return reason instanceof Error && (reason.name === 'TimeoutError' || /timeout|timed out/i.test(reason.message));
}

/** A value as plain data for records, `expect` and CSV: no Buffers, no BigInts. */
export function plainValue(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return value.toString('hex').toUpperCase();
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return value.toJSON();
  return value;
}

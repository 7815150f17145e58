// The real snowflake-sdk, loaded the quiet way, with small promise wrappers for the tests.
import type { Binds, Connection, ConnectionOptions, RowStatement, SnowflakeError, StatementOption } from 'snowflake-sdk';
import { loadDriver } from '../../src/snowflake/driver.js';

/** snowflake-sdk with platform probes, connection telemetry and console logging turned off (baton's own loader). */
export { loadDriver };

/** Connects to a sandbox at `url` as OPERATOR unless the options say otherwise. */
export async function connect(url: string, options: Partial<ConnectionOptions> = {}): Promise<Connection> {
  const sdk = await loadDriver();
  const connection = sdk.createConnection({
    account: 'sandbox',
    accessUrl: url,
    username: 'operator',
    password: 'sandbox',
    sfRetryMaxLoginRetries: 0,
    ...options,
  } as ConnectionOptions);
  await new Promise<void>((resolve, reject) => connection.connect((error) => (error ? reject(error) : resolve())));
  return connection;
}

/** The outcome of one statement: its rows, or the driver's error, and the statement itself. */
export interface Ran {
  rows: Record<string, unknown>[];
  error?: SnowflakeError;
  statement: RowStatement;
}

/** Statement options the tests use. */
export type RunOptions = Partial<StatementOption> & { binds?: Binds };

/** Starts one statement: the statement at once (to cancel it), its outcome later. */
export function begin(connection: Connection, sqlText: string, options: RunOptions = {}): { statement: RowStatement; done: Promise<Ran> } {
  let finish!: (ran: Ran) => void;
  const done = new Promise<Ran>((resolve) => (finish = resolve));
  const statement = connection.execute({
    sqlText,
    ...options,
    complete: (error, stmt, rows) => finish({ rows: (rows ?? []) as Record<string, unknown>[], error: error ?? undefined, statement: stmt as RowStatement }),
  }) as RowStatement;
  return { statement, done };
}

/** Runs one statement and collects everything. Never rejects: errors are part of the outcome. */
export function run(connection: Connection, sqlText: string, options: RunOptions = {}): Promise<Ran> {
  return begin(connection, sqlText, options).done;
}

/** Closes a connection, ignoring a session the server already forgot. */
export function destroy(connection: Connection): Promise<void> {
  return new Promise((resolve) => connection.destroy(() => resolve()));
}

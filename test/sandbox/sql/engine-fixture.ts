// An engine opened on ':memory:' (or a temp folder) with a logged-in session, and small helpers
// to run SQL and read results by column name.
import { randomUUID } from 'node:crypto';
import { expect, vi } from 'vitest';
import { SandboxError, type EngineSession, type SandboxEngine, type StatementOutcome } from '../../../src/sandbox/engine-api.js';
import { openSandboxEngine } from '../../../src/sandbox/sql/index.js';

// Opening an engine (DuckDB, macros, seed) takes a second or more on a busy machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

/** An engine and a session to run statements in. */
export interface EngineFixture {
  engine: SandboxEngine;
  session: EngineSession;
  /** Runs one statement and returns its outcome (throws SandboxError on failure). */
  run(sql: string, options?: { binds?: Record<string, { type: string; value: string | null | (string | null)[] }>; queryId?: string }): Promise<StatementOutcome & { queryId: string }>;
  /** Runs a statement and returns its rows as objects keyed by column name (wire-encoded values). */
  rows(sql: string): Promise<Record<string, string | null>[]>;
  /** Runs a statement and returns the first value of the first row. */
  value(sql: string): Promise<string | null>;
  /** A new session for a user (OPERATOR by default). */
  login(user?: string, role?: string): Promise<EngineSession>;
  /** Runs a statement in another session. */
  runIn(session: EngineSession, sql: string): Promise<StatementOutcome>;
  close(): Promise<void>;
}

/** Opens an engine with a session for OPERATOR. */
export async function openFixture(options: { dataDir?: string; seed?: boolean } = {}): Promise<EngineFixture> {
  const engine = await openSandboxEngine({ dataDir: options.dataDir ?? ':memory:', seed: options.seed ?? false });
  const login = (user = 'OPERATOR', role?: string): Promise<EngineSession> => engine.openSession(user, { authentication: 'PASSWORD', role });
  const session = await login();
  const signal = new AbortController().signal;
  const runIn = (target: EngineSession, sql: string): Promise<StatementOutcome> => engine.execute(target, { sql, queryId: randomUUID() }, signal);
  const run: EngineFixture['run'] = async (sql, opts = {}) => {
    const queryId = opts.queryId ?? randomUUID();
    const outcome = await engine.execute(session, { sql, queryId, binds: opts.binds }, signal);
    return { ...outcome, queryId };
  };
  const rows = async (sql: string): Promise<Record<string, string | null>[]> => objects(await run(sql));
  return {
    engine,
    session,
    run,
    rows,
    value: async (sql) => (await run(sql)).rows[0]?.[0] ?? null,
    login,
    runIn,
    close: () => engine.close(),
  };
}

/** Rows as objects keyed by column name. */
export function objects(outcome: StatementOutcome): Record<string, string | null>[] {
  return outcome.rows.map((row) => Object.fromEntries(outcome.columns.map((column, k) => [column.name, row[k] ?? null])));
}

/** Expects a statement to fail with a Snowflake code and SQL state; returns the error. */
export async function expectFailure(promise: Promise<unknown>, code: string, sqlState: string, message?: RegExp): Promise<SandboxError> {
  let error: unknown;
  try {
    await promise;
  } catch (caught) {
    error = caught;
  }
  expect(error, 'the statement should have failed').toBeInstanceOf(SandboxError);
  const failure = error as SandboxError;
  expect({ code: failure.code, sqlState: failure.sqlState }).toEqual({ code, sqlState });
  if (message) expect(failure.message).toMatch(message);
  return failure;
}

// The `sql` executor: runs an action's statements in order on the run's Snowflake session, records
// each (query id, kind, rows, rows changed), keeps the first rows for the screen and `expect`, and
// optionally writes every row as CSV beside the run's logs. The session is opened on first use and
// kept in the run's scope, so USE ROLE / USE WAREHOUSE carry over from step to step.
import { closeSync, createWriteStream, open, writeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ConnectionError } from '../config/connections.js';
import { maskSecrets, type Filled } from '../runbook/template.js';
import { classifySql, classifyStatement, type StatementClass } from '../sql/classify.js';
import { splitStatements, type Statement } from '../sql/tokens.js';
import { fillSql, UnsafeValueError } from '../sql/variables.js';
import { formatFailure, type SqlFailure } from '../snowflake/errors.js';
import { csvLine, formatTable, rowObjects } from '../snowflake/format.js';
import type { SnowflakeSession, StatementOutcome } from '../snowflake/session.js';
import { connectionNameFor } from '../snowflake/target.js';
import type { ActionResult, Classification, ExecutionContext, Executor, ExecutorEvent } from './types.js';

/** Rows kept in memory per statement for the screen, `expect` and `capture`. */
export const KEPT_ROWS = 100;
/** Rows shown on screen and in the excerpt. */
const SHOWN_ROWS = 10;
/** Rows written to the attempt's log (the CSV, when asked for, has all of them). */
const LOGGED_ROWS = KEPT_ROWS;

/** What the record keeps about one statement. */
export interface StatementRecord {
  /** From 1, in the order run. */
  index: number;
  /** `SELECT`, `INSERT`, `CREATE TABLE`, …, from the guard's reading of it. */
  kind: string;
  /** The statement as shown (secrets masked), cut to a few hundred characters; absent when it is the action's only one. */
  text?: string;
  queryId?: string;
  rows: number;
  updated?: number;
  durationMs: number;
  /** Where its full result was written, with `csv`. */
  csv?: string;
  error?: SqlFailure;
  /** Network failures this read was retried after, in order. */
  retriedAfter?: string[];
}

/** The `sql` executor, registered for kind `sql` (languages `sql` and `snowflake`). */
export const sqlExecutor: Executor = {
  kinds: ['sql'],

  classify(code: string): Classification {
    const { level, reasons } = classifySql(code);
    return { level, reasons };
  },

  async describeTarget(context: ExecutionContext): Promise<string> {
    const session = await sessionFor(context);
    const who = await session.identity(queryTag(context));
    return `account ${who.account}, user ${who.user}, role ${who.role}, warehouse ${who.warehouse ?? '(none)'} (connection ${session.connectionName})`;
  },

  run(context: ExecutionContext): AsyncIterable<ExecutorEvent> {
    return runSql(context);
  },

  fill: fillSql,
};

async function* runSql(context: ExecutionContext): AsyncGenerator<ExecutorEvent> {
  const started = performance.now();
  const deadline = context.timeoutMs !== undefined ? started + context.timeoutMs : undefined;
  const records: StatementRecord[] = [];
  let secrets = [...context.secrets];
  const fail = (error: SqlFailure, extra: Partial<ActionResult> = {}, where = ''): ExecutorEvent => {
    const message = maskSecrets(where + formatFailure(error), secrets);
    // What `expect` reads: Snowflake's own code, state and message, so a runbook can assert the reason.
    const reason = { code: error.code ?? null, sqlState: error.sqlState ?? null, message: maskSecrets(error.message, secrets) };
    return {
      type: 'result',
      result: {
        ok: false,
        fields: { ok: false, error: reason, duration: performance.now() - started },
        excerpt: message,
        error: { message, ...pick(error) },
        details: { statements: records },
        ...extra,
      },
    };
  };

  let code: string;
  try {
    const filled = fillFromTemplate(context);
    code = filled.text;
    secrets = [...new Set([...secrets, ...filled.secrets])];
  } catch (error) {
    if (error instanceof UnsafeValueError) {
      yield fail({ message: `refused, nothing ran: ${error.message}` }, { retrySafe: false });
      return;
    }
    throw error;
  }
  const statements = splitStatements(code);
  if (statements.length === 0) {
    yield { type: 'result', result: { ok: true, fields: { ok: true, rows: 0, rowcount: 0, columns: [], value: null, row: [], updated: 0, queryId: null, queryIds: [], error: null, duration: 0 }, excerpt: 'nothing to run (only comments)' } };
    return;
  }

  // Opened now, written as statements finish, complete before the attempt ends.
  const log = new AttemptLog(context.logFile);
  try {
    let session: SnowflakeSession;
    try {
      const opening = sessionFor(context);
      const { warnings, notes } = await takeWarnings(context);
      for (const warning of warnings) yield { type: 'output', stream: 'stderr', line: `warning: ${warning}` };
      for (const note of notes) {
        const line = `-- ${maskSecrets(note, secrets)}`;
        log.write(`${line}\n`);
        yield { type: 'output', stream: 'stdout', line };
      }
      session = await opening;
      secrets = [...new Set([...secrets, ...session.secrets])];
    } catch (error) {
      const message = error instanceof ConnectionError ? error.message : `could not connect to Snowflake: ${(error as Error).message}`;
      log.write(`connection failed: ${maskSecrets(message, secrets)}\n`);
      // Nothing reached the server: running the action again is safe.
      yield fail({ message }, { retrySafe: true });
      return;
    }

    const tag = queryTag(context);
    const retries = context.action.attrs.retries ?? 0;
    const sinkFiles: string[] = [];
    let last: { outcome: StatementOutcome; record: StatementRecord } | undefined;
    for (const [i, statement] of statements.entries()) {
      const verdict = classifyStatement(statement);
      const shown = clip(maskSecrets(statement.text, secrets), 400);
      yield { type: 'progress', message: `statement ${i + 1} of ${statements.length}: ${verdict.kind}${verdict.target ? ` ${verdict.target}` : ''}` };
      const csvFile = context.action.attrs.csv ? csvPath(context, i, statements.length) : undefined;
      // A lone statement is the action's code, which the record already holds.
      const record: StatementRecord = { index: i + 1, kind: verdict.kind, ...(statements.length > 1 ? { text: shown } : {}), rows: 0, durationMs: 0 };
      let outcome: StatementOutcome;
      for (let attempt = 0; ; attempt++) {
        outcome = await runOne(session, statement, { tag, deadline, signal: context.signal, csvFile });
        const retryable = outcome.error?.network && !outcome.interrupted && verdict.level === 'read' && attempt < retries;
        if (!retryable) break;
        // Only a read is retried here: running it twice changes nothing. A write's outcome is unknown.
        (record.retriedAfter ??= []).push(outcome.error!.message);
        yield { type: 'output', stream: 'stderr', line: `network error on a read, retrying statement ${i + 1} (${attempt + 1} of ${retries})` };
      }
      Object.assign(record, recordOf(outcome));
      if (csvFile && !outcome.error) {
        record.csv = csvFile;
        sinkFiles.push(csvFile);
      }
      records.push(record);
      keepContext(context, session, secrets);
      if (outcome.queryId) yield { type: 'query', queryId: outcome.queryId, statement: shown };
      const lines = resultLines(record, outcome, statements.length, verdict, secrets);
      yield { type: 'lines', stream: outcome.error ? 'stderr' : 'stdout', lines: lines.shown };
      log.write([`-- statement ${i + 1} of ${statements.length}`, shown, ...lines.logged, ''].join('\n') + '\n');
      if (outcome.error) {
        const failure: SqlFailure = { ...outcome.error };
        // A write that hit a network error may have run on the server; say so rather than guess.
        if (failure.network && verdict.level !== 'read') failure.hint = 'the network failed mid-statement: it may or may not have run on the server — check query history before running it again';
        const where = statements.length > 1 ? `statement ${i + 1} of ${statements.length} (${verdict.kind}): ` : '';
        const result = fail(
          failure,
          { queryIds: queryIds(records), ...retryAdvice(failure, verdict) },
          where,
        );
        if (outcome.interrupted && result.type === 'result') result.result.interrupted = outcome.interrupted;
        yield result;
        return;
      }
      last = { outcome, record };
    }

    // The result fields read the last statement, as a worksheet shows the last result: `SHOW …;
    // SELECT … FROM TABLE(RESULT_SCAN(LAST_QUERY_ID()))` gives the SELECT's rows. `updated` is what
    // the whole action changed (`BEGIN; DELETE …; COMMIT` reports the DELETE's rows, not the
    // COMMIT's zero). Each statement's own counts are in the record.
    const { outcome } = last!;
    const kept = rowObjects(outcome.columns, outcome.firstRows);
    const updated = records.reduce((sum, r) => sum + (r.updated ?? 0), 0);
    const ids = queryIds(records);
    const fields: Record<string, unknown> = {
      ok: true,
      rows: outcome.rows,
      rowcount: outcome.rows,
      columns: outcome.columns,
      value: outcome.firstRows[0]?.[0] ?? null,
      row: kept,
      updated,
      queryId: ids.at(-1) ?? null,
      queryIds: ids,
      error: null,
      duration: performance.now() - started,
    };
    const summary = records.length > 1 ? `${records.length} statements · ` : '';
    const table = outcome.columns.length ? formatTable(outcome.columns, outcome.firstRows.slice(0, SHOWN_ROWS)) : [];
    const more = outcome.rows > SHOWN_ROWS ? [`… ${outcome.rows - SHOWN_ROWS} more rows`] : [];
    const excerpt = maskSecrets([`${summary}${rowSummary(last!.record)}`, ...table, ...more].join('\n'), secrets);
    const details: Record<string, unknown> = { statements: records };
    if (sinkFiles.length) details.csv = sinkFiles;
    yield { type: 'result', result: { ok: true, fields, excerpt, queryIds: ids, details } };
  } finally {
    await log.close();
  }
}

/** The session of this run for the action's connection, logged in on first use. */
function sessionFor(context: ExecutionContext): Promise<SnowflakeSession> {
  const slot = slotFor(context);
  if (!slot.session) {
    const opening = (async () => {
      const [{ resolveTarget }, { SnowflakeSession }] = await Promise.all([import('../snowflake/target.js'), import('../snowflake/session.js')]);
      const target = await resolveTarget({
        environment: context.environment,
        ...(context.runbook.connection ? { connection: context.runbook.connection } : {}),
        ...(context.stateDir ? { stateDir: context.stateDir } : {}),
      });
      slot.warnings.push(...target.warnings);
      if (target.release) slot.release = target.release;
      const session = await SnowflakeSession.open(target.connection, { ...(target.accessUrl ? { accessUrl: target.accessUrl } : {}), signal: context.signal });
      // A run resumed in a new process: set the session up as the run had it (USE ROLE, USE WAREHOUSE …).
      const kept = keptContext(context);
      if (kept.length > 0) {
        try {
          await session.restore(kept, context.signal);
        } catch (error) {
          await session.close();
          throw error;
        }
        slot.notes.push(`restored the run's session: ${kept.map((statement) => statement.trim().replace(/;\s*$/, '')).join('; ')}`);
      }
      return session;
    })();
    slot.session = opening;
    // A failed login is not kept: the next attempt tries again.
    opening.catch(() => {
      if (slot.session === opening) slot.session = undefined;
    });
  }
  return slot.session;
}

interface SessionSlot {
  session?: Promise<SnowflakeSession>;
  /** Stops a sandbox started for this run, after the session is closed. */
  release?: () => Promise<void>;
  warnings: string[];
  /** Said once on the first action's output: what was done to the session before it (a restore). */
  notes: string[];
  warned: boolean;
}

/** The run scope's key for the action's connection: its session, and its context in the record. */
function sessionKey(context: ExecutionContext): string {
  const name = connectionNameFor({ environment: context.environment, ...(context.runbook.connection ? { connection: context.runbook.connection } : {}) });
  return `snowflake:${name ?? '(default connection)'}`;
}

/** The context statements an earlier process of this run kept for the action's connection. */
function keptContext(context: ExecutionContext): string[] {
  const kept = context.scope.kept(sessionKey(context));
  return Array.isArray(kept) ? kept.filter((statement): statement is string => typeof statement === 'string') : [];
}

/**
 * Keep the session's context in the run's record, so a resume in a new process restores it.
 * A statement holding a secret is left out: secrets never reach the record.
 */
function keepContext(context: ExecutionContext, session: SnowflakeSession, secrets: readonly string[]): void {
  const statements = session.established.filter((statement) => !secrets.some((secret) => secret !== '' && statement.includes(secret)));
  const kept = keptContext(context);
  if (statements.length === kept.length && statements.every((statement, i) => statement === kept[i])) return;
  context.scope.keep(sessionKey(context), statements);
}

function slotFor(context: ExecutionContext): SessionSlot {
  return context.scope.get(sessionKey(context), () => {
    const slot: SessionSlot = { warnings: [], notes: [], warned: false };
    context.scope.onClose(async () => {
      const session = await slot.session?.catch(() => undefined);
      await session?.close();
      await slot.release?.();
    });
    return slot;
  });
}

/** File warnings and restore notes are shown once per run, after the first login attempt. */
async function takeWarnings(context: ExecutionContext): Promise<{ warnings: string[]; notes: string[] }> {
  const slot = slotFor(context);
  await slot.session?.catch(() => undefined);
  const notes = slot.notes.splice(0);
  if (slot.warned) return { warnings: [], notes };
  slot.warned = true;
  return { warnings: slot.warnings, notes };
}

/** The action's SQL with variables placed safely; the engine's plain filling is redone by place. */
function fillFromTemplate(context: ExecutionContext): Filled {
  const template = context.action.code;
  if (!template.includes('{{')) return { text: context.code, shown: context.shownCode, missing: [], secrets: [] };
  const filled = fillSql(template, (name) => {
    const value = context.variable(name);
    return value === undefined ? undefined : { value, secret: context.secrets.includes(value) };
  });
  // A name the engine could fill but this lookup cannot (it resolved it another way): keep its text.
  return filled.missing.length ? { text: context.code, shown: context.shownCode, missing: [], secrets: [] } : filled;
}

/** Identifies the statement in Snowflake's query history: runbook, step, action, run, operator. */
function queryTag(context: ExecutionContext): string {
  const tag = {
    app: 'baton',
    runbook: context.runbook.id,
    step: context.step.id,
    action: context.action.id,
    run: context.scope.runId,
    attempt: context.attempt,
    operator: context.operator,
  };
  return JSON.stringify(tag).slice(0, 2000);
}

async function runOne(
  session: SnowflakeSession,
  statement: Statement,
  options: { tag: string; deadline: number | undefined; signal: AbortSignal; csvFile: string | undefined },
): Promise<StatementOutcome> {
  const timeoutMs = options.deadline !== undefined ? Math.max(1, options.deadline - performance.now()) : undefined;
  const base = { queryTag: options.tag, signal: options.signal, keepRows: KEPT_ROWS, ...(timeoutMs !== undefined ? { timeoutMs } : {}) };
  if (!options.csvFile) return session.execute(statement.text, base);
  await mkdir(path.dirname(options.csvFile), { recursive: true });
  const file = createWriteStream(options.csvFile);
  const outcome = await session.execute(statement.text, {
    ...base,
    sink: {
      writable: file,
      begin: (columns) => file.write(csvLine(columns)),
      write: (row) => file.write(csvLine(row)),
    },
  });
  await new Promise<void>((resolve, reject) => file.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return outcome;
}

function recordOf(outcome: StatementOutcome): Partial<StatementRecord> {
  const part: Partial<StatementRecord> = { rows: outcome.rows, durationMs: Math.round(outcome.durationMs) };
  if (outcome.queryId) part.queryId = outcome.queryId;
  if (outcome.updated !== undefined) part.updated = outcome.updated;
  if (outcome.error) part.error = outcome.error;
  return part;
}

/** Lines for the screen (a few rows) and for the log (more rows). */
function resultLines(record: StatementRecord, outcome: StatementOutcome, count: number, verdict: StatementClass, secrets: string[]) {
  const head = `-- ${count > 1 ? `${record.index}/${count} ` : ''}${verdict.kind}${record.queryId ? ` · query ${record.queryId}` : ''} · ${outcome.error ? 'failed' : rowSummary(record)}`;
  if (outcome.error) {
    const line = maskSecrets(formatFailure(outcome.error), secrets);
    return { shown: [head, line], logged: [head, line] };
  }
  const table = (n: number) => (outcome.columns.length ? formatTable(outcome.columns, outcome.firstRows.slice(0, n)) : []);
  const more = (n: number) => (outcome.rows > n ? [`… ${outcome.rows - n} more rows${record.csv ? ` (all in ${record.csv})` : ''}`] : []);
  const mask = (lines: string[]) => lines.map((l) => maskSecrets(l, secrets));
  const shown = mask([head, ...table(SHOWN_ROWS), ...more(SHOWN_ROWS)]);
  // A result that fits on the screen is logged the same way.
  if (outcome.rows <= SHOWN_ROWS) return { shown, logged: shown };
  return { shown, logged: mask([head, ...table(LOGGED_ROWS), ...more(LOGGED_ROWS)]) };
}

function rowSummary(record: StatementRecord): string {
  const rows = `${record.rows} row${record.rows === 1 ? '' : 's'}`;
  return record.updated !== undefined ? `${record.updated} row${record.updated === 1 ? '' : 's'} changed` : rows;
}

function csvPath(context: ExecutionContext, index: number, count: number): string {
  const base = (context.action.attrs.name ?? context.action.id).replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '') || 'result';
  return path.join(context.artefactDir, `${base}${count > 1 ? `-${index + 1}` : ''}.csv`);
}

/** A write cut off by the network may have run: not safe to run again. A SQL error says nothing either way. */
function retryAdvice(failure: SqlFailure, verdict: StatementClass): Pick<ActionResult, 'retrySafe'> {
  if (!failure.network || failure.cancelled) return {};
  return { retrySafe: verdict.level === 'read' };
}

function queryIds(records: StatementRecord[]): string[] {
  return records.flatMap((r) => (r.queryId ? [r.queryId] : []));
}

function pick(failure: SqlFailure): { code?: string; sqlState?: string; queryId?: string } {
  const out: { code?: string; sqlState?: string; queryId?: string } = {};
  if (failure.code) out.code = failure.code;
  if (failure.sqlState) out.sqlState = failure.sqlState;
  if (failure.queryId) out.queryId = failure.queryId;
  return out;
}

/**
 * An attempt's log, opened in the background as the attempt starts: creating a file can wait on a
 * busy disk, and the first statement's round trip is time enough for it. Lines are written
 * synchronously once it is open (a few lines into the page cache cost less than trips through the
 * thread pool); the log is a convenience, so a line that cannot be written is let go.
 */
class AttemptLog {
  #fd?: number;
  #waiting = '';
  /** The file could not be opened: lines are let go instead of kept. */
  #lost = false;
  readonly #opened: Promise<void>;

  constructor(path: string) {
    this.#opened = new Promise((resolve) => {
      open(path, 'a', (error, fd) => {
        if (error) {
          this.#lost = true;
          this.#waiting = '';
        } else {
          this.#fd = fd;
          this.#flush();
        }
        resolve();
      });
    });
  }

  write(text: string): void {
    if (this.#lost) return;
    this.#waiting += text;
    if (this.#fd !== undefined) this.#flush();
  }

  /** Once everything written so far is in the file. */
  async close(): Promise<void> {
    await this.#opened;
    this.#release();
  }

  #flush(): void {
    if (this.#waiting === '' || this.#fd === undefined) return;
    try {
      writeSync(this.#fd, this.#waiting);
    } catch {
      // Losing a line of the log must not fail the step.
    }
    this.#waiting = '';
  }

  #release(): void {
    if (this.#fd === undefined) return;
    this.#flush();
    closeSync(this.#fd);
    this.#fd = undefined;
  }
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

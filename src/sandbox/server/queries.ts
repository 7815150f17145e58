// Every query the sandbox ran, by query id: its status, its result or error, and a way to wait for
// it. The driver fetches results again by id (333333 polling, multi-statement children, async
// queries, its own error recovery), so results stay here after the first answer — bounded by age
// and by the number of values kept, oldest first.
import { randomUUID } from 'node:crypto';
import { SandboxError, type StatementOutcome } from '../engine-api.js';
import { WIRE_ERRORS } from './wire.js';

/** Status names as `/monitoring/queries` reports them. */
export type QueryStatus = 'RUNNING' | 'SUCCESS' | 'FAILED_WITH_ERROR' | 'ABORTED';

/** A finished statement's result, with the session's names as they were when it ended. */
export interface StoredResult extends StatementOutcome {
  finalDatabaseName: string | null;
  finalSchemaName: string | null;
  finalWarehouseName: string | null;
  finalRoleName: string;
  /** Comma-separated child query ids of a multi-statement request. */
  resultIds?: string;
  /** Unguessable key in chunk URLs, which the driver fetches without the session token. */
  chunkKey: string;
}

/** One query, running or done. */
export interface QueryRecord {
  readonly id: string;
  readonly sessionId: number;
  readonly user: string;
  readonly sql: string;
  readonly requestId: string | undefined;
  readonly startedAt: number;
  status: QueryStatus;
  endedAt?: number;
  result?: StoredResult;
  /** Set when the result was dropped to bound memory. */
  purged?: boolean;
  error?: SandboxError;
  readonly controller: AbortController;
  /** Resolves when the query has ended, whatever the outcome. */
  readonly ended: Promise<void>;
}

/** Limits on what the book keeps. */
export interface QueryBookLimits {
  /** Results older than this are forgotten (Snowflake keeps them 24 hours). */
  retentionMs: number;
  /** Most result values (rows × columns) kept across all results; the newest result is always kept. */
  maxValues: number;
}

/** The sandbox's record of queries. */
export class QueryBook {
  private readonly records = new Map<string, QueryRecord>();
  private readonly byRequest = new Map<string, string>();
  private readonly settle = new Map<string, () => void>();
  /** Request ids cancelled before their query arrived (cancel races the query request). */
  private readonly cancelledRequests = new Map<string, number>();
  private keptValues = 0;

  constructor(
    private readonly limits: QueryBookLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Registers a new running query. */
  start(sessionId: number, user: string, sql: string, requestId: string | undefined): QueryRecord {
    let markEnded!: () => void;
    const ended = new Promise<void>((resolve) => (markEnded = resolve));
    const record: QueryRecord = {
      id: randomUUID(),
      sessionId,
      user,
      sql,
      requestId,
      startedAt: this.now(),
      status: 'RUNNING',
      controller: new AbortController(),
      ended,
    };
    this.records.set(record.id, record);
    this.settle.set(record.id, markEnded);
    if (requestId) {
      this.byRequest.set(requestKey(sessionId, requestId), record.id);
      if (this.cancelledRequests.delete(requestKey(sessionId, requestId))) this.abort(record);
    }
    return record;
  }

  /** Records a query's result. Ignored when the query already ended (cancelled meanwhile). */
  succeed(record: QueryRecord, result: StoredResult): void {
    if (record.status !== 'RUNNING') return;
    record.status = 'SUCCESS';
    record.result = result;
    this.keptValues += valueCount(result);
    this.end(record);
    this.trim();
  }

  /** Records a query's failure. Ignored when the query already ended. */
  fail(record: QueryRecord, error: SandboxError): void {
    if (record.status !== 'RUNNING') return;
    record.status = 'FAILED_WITH_ERROR';
    record.error = error;
    this.end(record);
  }

  /** Cancels a running query: it ends at once as ABORTED and the engine is told through the signal. */
  abort(record: QueryRecord, error: SandboxError = cancelled()): void {
    if (record.status !== 'RUNNING') return;
    record.status = 'ABORTED';
    record.error = error;
    this.end(record);
    record.controller.abort(error);
  }

  /** Cancels the query of a request id, or remembers to cancel it when it arrives. */
  abortRequest(sessionId: number, requestId: string): void {
    const key = requestKey(sessionId, requestId);
    const id = this.byRequest.get(key);
    const record = id ? this.records.get(id) : undefined;
    if (record) this.abort(record);
    else this.cancelledRequests.set(key, this.now());
  }

  /** A query by id. */
  get(id: string): QueryRecord | undefined {
    return this.records.get(id);
  }

  /** The query a session started with a request id: the driver reuses the id when it retries. */
  forRequest(sessionId: number, requestId: string): QueryRecord | undefined {
    const id = this.byRequest.get(requestKey(sessionId, requestId));
    return id ? this.records.get(id) : undefined;
  }

  /** Waits until the query ends or `ms` pass; never polls. */
  async waitFor(record: QueryRecord, ms: number): Promise<void> {
    if (record.status !== 'RUNNING') return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([record.ended, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
  }

  /** Running queries. */
  running(): QueryRecord[] {
    return [...this.records.values()].filter((record) => record.status === 'RUNNING');
  }

  /** Forgets queries past retention. */
  sweep(): void {
    const oldest = this.now() - this.limits.retentionMs;
    for (const record of this.records.values()) {
      if (record.status !== 'RUNNING' && (record.endedAt ?? 0) < oldest) this.forget(record);
    }
    for (const [key, at] of this.cancelledRequests) if (at < oldest) this.cancelledRequests.delete(key);
  }

  private end(record: QueryRecord): void {
    record.endedAt = this.now();
    this.settle.get(record.id)?.();
    this.settle.delete(record.id);
  }

  /** Drops the oldest results until the kept values fit; the newest result always stays. */
  private trim(): void {
    if (this.keptValues <= this.limits.maxValues) return;
    const withResults = [...this.records.values()].filter((record) => record.result && record.result.rows.length > 0);
    for (const record of withResults.slice(0, -1)) {
      if (this.keptValues <= this.limits.maxValues) break;
      this.keptValues -= valueCount(record.result!);
      record.result = undefined;
      record.purged = true;
    }
  }

  private forget(record: QueryRecord): void {
    if (record.result) this.keptValues -= valueCount(record.result);
    this.records.delete(record.id);
    if (record.requestId) this.byRequest.delete(requestKey(record.sessionId, record.requestId));
  }
}

function requestKey(sessionId: number, requestId: string): string {
  return `${sessionId}/${requestId}`;
}

function valueCount(result: StoredResult): number {
  return result.rows.length * Math.max(1, result.columns.length);
}

function cancelled(): SandboxError {
  return new SandboxError(WIRE_ERRORS.canceled.code, WIRE_ERRORS.canceled.sqlState, WIRE_ERRORS.canceled.message);
}

// The Snowflake endpoints snowflake-sdk calls (SNOWFLAKE-PROTOCOL.md §2), on top of a SandboxEngine.
// This layer owns HTTP, tokens, query ids, stored results, chunks, async queries and cancel; the
// engine owns what the SQL means.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SandboxError, type EngineSession, type SandboxEngine, type WireBind } from '../engine-api.js';
import type { SandboxService, SandboxServiceOptions } from '../service.js';
import { bindsPerStatement } from './binds.js';
import { authenticate } from './login.js';
import { loginParameters, queryParameters } from './parameters.js';
import { QueryBook, type QueryBookLimits, type QueryRecord, type StoredResult } from './queries.js';
import { CHUNK_PATH, resultData, sendChunk, sendMissingChunk, type ChunkSizing } from './results.js';
import { SNOWFLAKE_TOKEN_VALIDITY, SessionTable, type TokenValidity, type WireSession } from './sessions.js';
import { WIRE_ERRORS, WireRejection, failureFrom, readJsonBody, sendFailure, sendJson, sendSuccess, tokenOf } from './wire.js';

/** Options of the Snowflake service; everything but the engine has a Snowflake-like default. */
export interface SnowflakeServiceOptions extends SandboxServiceOptions {
  /** The SQL engine; the service closes it when it closes. */
  engine: SandboxEngine;
  /** Token lifetimes in seconds; a test sets a short session validity to force a renewal. */
  tokenValidity?: Partial<TokenValidity>;
  /** Values per result chunk (default 100,000: 25,000 rows of four columns). */
  chunkValues?: number;
  /** How long a query request is held for its result before answering "still running" (333333). */
  firstAnswerWaitMs?: number;
  /** How long a result request for a running query is held before answering 333333 again. */
  resultWaitMs?: number;
  /** What stays kept of past results. */
  retention?: Partial<QueryBookLimits>;
  /** How often expired sessions are closed and old results forgotten (default one minute). */
  sweepIntervalMs?: number;
}

const DEFAULTS = {
  chunkValues: 100_000,
  firstAnswerWaitMs: 30_000,
  resultWaitMs: 30_000,
  retention: { retentionMs: 24 * 3600 * 1000, maxValues: 5_000_000 } satisfies QueryBookLimits,
};

/** A statement request's `parameters` and flags, read from its JSON body. */
interface QueryRequest {
  sql: string;
  binds?: Record<string, WireBind>;
  parameters: Record<string, unknown>;
  describeOnly: boolean;
  asyncExec: boolean;
}

const MULTI_STATEMENT_SETTING = /^\s*alter\s+session\s+(?:set\s+(?:[\s\S]*?[\s,])?multi_statement_count\s*=\s*(\d+)|unset\s+(?:[\s\S]*?[\s,])?multi_statement_count\b)/i;

/** The Snowflake service mounted at `/` of the sandbox. */
export function createSnowflakeService(options: SnowflakeServiceOptions): SandboxService & { readonly sessions: SessionTable; readonly queries: QueryBook } {
  const engine = options.engine;
  const log = options.log ?? (() => {});
  const sessions = new SessionTable({ ...SNOWFLAKE_TOKEN_VALIDITY, ...options.tokenValidity });
  const queries = new QueryBook({ ...DEFAULTS.retention, ...options.retention });
  const sizing: ChunkSizing = { chunkValues: options.chunkValues ?? DEFAULTS.chunkValues };
  const firstAnswerWaitMs = options.firstAnswerWaitMs ?? DEFAULTS.firstAnswerWaitMs;
  const resultWaitMs = options.resultWaitMs ?? DEFAULTS.resultWaitMs;
  let closing = false;

  const sweeper = setInterval(() => {
    queries.sweep();
    for (const session of sessions.expired()) void closeSession(session);
  }, options.sweepIntervalMs ?? 60_000);
  sweeper.unref();

  function baseUrlOf(request: IncomingMessage): string {
    // Chunk URLs must reach this server the way the client did (127.0.0.1, localhost, …).
    return request.headers.host ? `http://${request.headers.host}` : options.baseUrl();
  }

  function parametersOf(session: WireSession): { name: string; value: unknown }[] {
    return queryParameters({ ...session.loginParameters, ...session.engine.parameters });
  }

  async function closeSession(session: WireSession): Promise<void> {
    if (session.closed) return;
    sessions.forget(session);
    // Queries still running (async ones) finish first: the engine session must outlive them.
    await Promise.allSettled([...session.running]);
    await engine.closeSession(session.engine).catch((error: unknown) => log(`closing session ${session.id} failed: ${String(error)}`));
  }

  async function login(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const body = await readJsonBody(request);
    const data = (body.data ?? {}) as Record<string, unknown>;
    const identity = await authenticate(engine, data, log);
    const sessionParameters = stringValues(data.SESSION_PARAMETERS);
    const engineSession = await engine.openSession(identity.user.name, {
      role: url.searchParams.get('roleName') ?? undefined,
      warehouse: url.searchParams.get('warehouse') ?? undefined,
      database: url.searchParams.get('databaseName') ?? undefined,
      schema: url.searchParams.get('schemaName') ?? undefined,
      parameters: sessionParameters,
      authentication: identity.authentication,
      clientIp: request.socket.remoteAddress,
    });
    const session = sessions.open(identity.user.name, engineSession, sessionParameters);
    sendSuccess(response, {
      token: session.sessionToken,
      masterToken: session.masterToken,
      validityInSeconds: sessions.sessionSeconds,
      masterValidityInSeconds: sessions.masterSeconds,
      sessionId: session.id,
      displayUserName: identity.user.name,
      serverVersion: 'sandbox',
      firstLogin: false,
      remMeToken: null,
      remMeValidityInSeconds: 0,
      healthCheckInterval: 45,
      newClientForUpgrade: null,
      idToken: null,
      idTokenValidityInSeconds: 0,
      responseData: null,
      mfaToken: null,
      mfaTokenValidityInSeconds: 0,
      parameters: loginParameters({ ...sessionParameters, ...engineSession.parameters }),
      sessionInfo: sessionInfo(engineSession),
    });
  }

  async function renewToken(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readJsonBody(request);
    if (body.requestType !== undefined && body.requestType !== 'RENEW') {
      throw new WireRejection({ ...WIRE_ERRORS.badRequest, message: `Token request type ${String(body.requestType)} is not supported by the sandbox.` });
    }
    const oldSessionToken = typeof body.oldSessionToken === 'string' ? body.oldSessionToken : undefined;
    const session = sessions.renew(tokenOf(request), oldSessionToken);
    sendSuccess(response, {
      sessionToken: session.sessionToken,
      validityInSecondsST: sessions.sessionSeconds,
      masterToken: session.masterToken,
      validityInSecondsMT: sessions.masterSeconds,
      sessionId: session.id,
    });
  }

  async function logout(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    if (url.searchParams.get('delete') !== 'true') throw new WireRejection(WIRE_ERRORS.badRequest);
    const session = sessions.find(tokenOf(request));
    if (!session) throw new WireRejection(WIRE_ERRORS.sessionGone);
    await closeSession(session);
    sendSuccess(response, null);
  }

  async function queryRequest(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const session = sessions.authenticate(tokenOf(request));
    const body = await readJsonBody(request);
    const requestId = url.searchParams.get('requestId') ?? undefined;
    // A retried request carries the same request id: answer with the query it started, never run it twice.
    const earlier = requestId ? queries.forRequest(session.id, requestId) : undefined;
    const query = readQueryRequest(body);
    const record = earlier ?? startQuery(session, query, requestId);
    if (query.asyncExec) {
      sendSuccess(
        response,
        { queryId: record.id, getResultUrl: `/queries/${record.id}/result`, queryAbortsAfterSecs: 300, progressDesc: null },
        '333334',
        'Asynchronous execution in progress. Use provided query id to perform query monitoring and management.',
      );
      return;
    }
    await answerWith(response, request, session, record, firstAnswerWaitMs);
  }

  function startQuery(session: WireSession, query: QueryRequest, requestId: string | undefined): QueryRecord {
    const record = queries.start(session.id, session.user, query.sql, requestId);
    const run = runQuery(session, record, query);
    session.running.add(run);
    void run.finally(() => session.running.delete(run));
    return record;
  }

  async function runQuery(session: WireSession, record: QueryRecord, query: QueryRequest): Promise<void> {
    // The statement's own setting, else the session's (ALTER SESSION SET STATEMENT_TIMEOUT_IN_SECONDS).
    const timeoutSeconds = Number(query.parameters.STATEMENT_TIMEOUT_IN_SECONDS ?? session.engine.parameters?.STATEMENT_TIMEOUT_IN_SECONDS ?? 0);
    const timer =
      timeoutSeconds > 0
        ? setTimeout(() => {
            const message = `Statement reached its statement or warehouse timeout of ${timeoutSeconds} second(s) and was canceled.`;
            queries.abort(record, new SandboxError(WIRE_ERRORS.timedOut.code, WIRE_ERRORS.timedOut.sqlState, message));
          }, timeoutSeconds * 1000)
        : undefined;
    try {
      const statements = query.sql.trim() === '' ? [] : engine.splitStatements(query.sql);
      if (statements.length === 0) throw new SandboxError(WIRE_ERRORS.emptyStatement.code, WIRE_ERRORS.emptyStatement.sqlState, WIRE_ERRORS.emptyStatement.message);
      const requested = query.parameters.MULTI_STATEMENT_COUNT;
      const wanted = requested === undefined || requested === null || requested === '' ? session.multiStatementCount : Number(requested);
      if (statements.length === 1 && (wanted === 0 || wanted === 1)) {
        queries.succeed(record, await execute(session, record, statements[0]!, query.binds, query));
        return;
      }
      if (wanted !== 0 && wanted !== statements.length) {
        throw new SandboxError('000008', '0A000', `Actual statement count ${statements.length} did not match the desired statement count ${wanted}.`);
      }
      queries.succeed(record, await executeEach(session, record, statements, query));
    } catch (error) {
      queries.fail(record, sandboxErrorOf(error, record));
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs the statements of a multi-statement request one after the other, each a query of its own. */
  async function executeEach(session: WireSession, parent: QueryRecord, statements: string[], query: QueryRequest): Promise<StoredResult> {
    const binds = bindsPerStatement(statements, query.binds);
    const childIds: string[] = [];
    for (const [index, statement] of statements.entries()) {
      if (parent.status !== 'RUNNING') break;
      const child = queries.start(session.id, session.user, statement, undefined);
      childIds.push(child.id);
      const cancelChild = (): void => queries.abort(child, parent.error);
      parent.controller.signal.addEventListener('abort', cancelChild, { once: true });
      try {
        queries.succeed(child, await execute(session, child, statement, binds[index], query));
      } catch (error) {
        const failure = sandboxErrorOf(error, child);
        queries.fail(child, failure);
        throw failure;
      } finally {
        parent.controller.signal.removeEventListener('abort', cancelChild);
      }
      if (child.status === 'ABORTED' && child.error) throw child.error;
    }
    return {
      columns: [textColumn('multiple statement execution')],
      rows: [['Multiple statements executed successfully.']],
      statementTypeId: 0x1000,
      ...finalNames(session.engine),
      resultIds: childIds.join(','),
      chunkKey: newChunkKey(),
    };
  }

  async function execute(session: WireSession, record: QueryRecord, sql: string, binds: Record<string, WireBind> | undefined, query: QueryRequest): Promise<StoredResult> {
    const outcome = await engine.execute(
      session.engine,
      { sql, binds, queryId: record.id, describeOnly: query.describeOnly, parameters: { ...session.loginParameters, ...query.parameters } },
      record.controller.signal,
    );
    const setting = MULTI_STATEMENT_SETTING.exec(sql);
    if (setting) session.multiStatementCount = setting[1] === undefined ? 1 : Number(setting[1]);
    return { ...outcome, ...finalNames(session.engine), chunkKey: newChunkKey() };
  }

  function sandboxErrorOf(error: unknown, record: QueryRecord): SandboxError {
    if (error instanceof SandboxError) return error;
    // An engine fault is the sandbox's bug, not the user's: keep the details for whoever runs it.
    if (!(error instanceof WireRejection)) log(`query ${record.id} failed inside the engine: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    const failure = failureFrom(error, record.id);
    return new SandboxError(failure.code, failure.sqlState, failure.message);
  }

  async function answerWith(response: ServerResponse, request: IncomingMessage, session: WireSession, record: QueryRecord, waitMs: number): Promise<void> {
    await queries.waitFor(record, closing ? 0 : waitMs);
    if (record.status === 'RUNNING') {
      // The driver asks again at once: holding each request (above) is what keeps this from spinning.
      sendSuccess(response, { queryId: record.id, getResultUrl: `/queries/${record.id}/result`, progressDesc: null, queryAbortsAfterSecs: 300 }, '333333', 'Execution in progress.');
    } else if (record.error) {
      sendFailure(response, { code: record.error.code, sqlState: record.error.sqlState, message: record.error.message, queryId: record.id });
    } else if (!record.result) {
      sendFailure(response, noLongerKept(record.id));
    } else {
      sendSuccess(response, resultData(record, record.result, sizing, baseUrlOf(request), parametersOf(session)));
    }
  }

  /** A query of the same user, or the "does not exist" Snowflake answers for anyone else's. */
  function ownQuery(session: WireSession, queryId: string): QueryRecord {
    const record = queries.get(queryId);
    if (!record || record.user !== session.user) {
      throw new WireRejection({ code: '000709', sqlState: '02000', message: `Statement ${queryId} not found`, queryId });
    }
    return record;
  }

  async function resultRequest(request: IncomingMessage, response: ServerResponse, queryId: string): Promise<void> {
    const session = sessions.authenticate(tokenOf(request));
    await answerWith(response, request, session, ownQuery(session, queryId), resultWaitMs);
  }

  async function abortRequest(request: IncomingMessage, response: ServerResponse, queryId: string | undefined): Promise<void> {
    const session = sessions.authenticate(tokenOf(request));
    if (queryId) {
      queries.abort(ownQuery(session, queryId));
    } else {
      const body = await readJsonBody(request);
      if (typeof body.requestId !== 'string') throw new WireRejection({ ...WIRE_ERRORS.badRequest, message: 'An abort request needs the requestId of the statement.' });
      queries.abortRequest(session.id, body.requestId);
    }
    sendSuccess(response, null);
  }

  function monitoring(request: IncomingMessage, response: ServerResponse, queryId: string): void {
    const session = sessions.authenticate(tokenOf(request));
    const record = queries.get(queryId);
    if (!record || record.user !== session.user) {
      sendSuccess(response, { queries: [] });
      return;
    }
    const entry = {
      id: record.id,
      status: record.status,
      state: record.status === 'RUNNING' ? 'RUNNING' : record.status === 'SUCCESS' ? 'SUCCEEDED' : 'FAILED',
      sqlText: record.sql,
      startTime: record.startedAt,
      endTime: record.endedAt ?? 0,
      totalDuration: (record.endedAt ?? Date.now()) - record.startedAt,
      sessionId: record.sessionId,
      ...(record.error ? { errorCode: record.error.code, errorMessage: record.error.message } : {}),
    };
    // On a failed query the driver builds its error from the top-level code and data.sqlState.
    const body = { queries: [entry], ...(record.error ? { sqlState: record.error.sqlState } : {}) };
    sendJson(response, { success: true, code: record.error?.code ?? null, message: null, data: body });
  }

  function chunk(response: ServerResponse, url: URL, queryId: string, index: number): void {
    const record = queries.get(queryId);
    const result = record?.result;
    if (!result || url.searchParams.get('key') !== result.chunkKey) {
      sendMissingChunk(response);
      return;
    }
    sendChunk(response, result, index, sizing);
  }

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://sandbox');
    const path = url.pathname;
    const method = request.method ?? 'GET';
    if (method === 'GET') {
      const chunkMatch = CHUNK_PATH.exec(path);
      if (chunkMatch) return chunk(response, url, chunkMatch[1]!, Number(chunkMatch[2]));
      const resultMatch = /^\/queries\/([^/]+)\/result$/.exec(path);
      if (resultMatch) return resultRequest(request, response, resultMatch[1]!);
      const monitoringMatch = /^\/monitoring\/queries\/([^/]+)$/.exec(path);
      if (monitoringMatch) return monitoring(request, response, monitoringMatch[1]!);
    } else if (method === 'POST') {
      switch (path) {
        case '/session/v1/login-request':
          return login(request, response, url);
        case '/session/token-request':
          return renewToken(request, response);
        case '/session/heartbeat':
          sessions.authenticate(tokenOf(request));
          return sendSuccess(response, null);
        case '/session':
          return logout(request, response, url);
        case '/queries/v1/query-request':
          return queryRequest(request, response, url);
        case '/queries/v1/abort-request':
          return abortRequest(request, response, undefined);
        case '/telemetry/send':
          // Accepted and dropped: the driver ignores the answer anyway.
          request.resume();
          return sendSuccess(response, 'Log Received');
      }
      const abortMatch = /^\/queries\/([^/]+)\/abort-request$/.exec(path);
      if (abortMatch) return abortRequest(request, response, abortMatch[1]!);
    }
    throw new WireRejection({ ...WIRE_ERRORS.badRequest, message: `${method} ${path} is not a Snowflake endpoint the sandbox serves.` });
  }

  return {
    name: 'snowflake',
    prefix: '/',
    sessions,
    queries,
    async handle(request, response) {
      try {
        await route(request, response);
      } catch (error) {
        if (!(error instanceof WireRejection) && !(error instanceof SandboxError)) log(`${request.method} ${request.url} failed: ${String(error)}`);
        if (!response.headersSent) sendFailure(response, failureFrom(error));
      }
    },
    async close() {
      closing = true;
      clearInterval(sweeper);
      for (const record of queries.running()) queries.abort(record);
      await Promise.allSettled(sessions.all().map(closeSession));
      await engine.close();
    },
  };
}

function readQueryRequest(body: Record<string, unknown>): QueryRequest {
  const parameters = body.parameters !== null && typeof body.parameters === 'object' ? (body.parameters as Record<string, unknown>) : {};
  const bindings = body.bindings !== null && typeof body.bindings === 'object' ? (body.bindings as Record<string, WireBind>) : undefined;
  return {
    sql: typeof body.sqlText === 'string' ? body.sqlText : '',
    binds: bindings,
    parameters,
    describeOnly: body.describeOnly === true,
    asyncExec: body.asyncExec === true,
  };
}

function stringValues(value: unknown): Record<string, string> {
  if (value === null || typeof value !== 'object') return {};
  const values: Record<string, string> = {};
  for (const [name, entry] of Object.entries(value as Record<string, unknown>)) {
    if (entry !== null && entry !== undefined) values[name.toUpperCase()] = String(entry);
  }
  return values;
}

function finalNames(session: EngineSession): Pick<StoredResult, 'finalDatabaseName' | 'finalSchemaName' | 'finalWarehouseName' | 'finalRoleName'> {
  return {
    finalDatabaseName: session.database,
    finalSchemaName: session.schema,
    finalWarehouseName: session.warehouse,
    finalRoleName: session.role,
  };
}

function sessionInfo(session: EngineSession): Record<string, string | null> {
  return { databaseName: session.database, schemaName: session.schema, warehouseName: session.warehouse, roleName: session.role };
}

function newChunkKey(): string {
  return randomBytes(16).toString('hex');
}

function textColumn(name: string): StoredResult['columns'][number] {
  return { name, type: 'text', precision: null, scale: null, length: 16777216, byteLength: 16777216, nullable: false, database: '', schema: '', table: '' };
}

function noLongerKept(queryId: string): { code: string; sqlState: string; message: string; queryId: string } {
  return {
    code: '000709',
    sqlState: '02000',
    message: `Result for query ${queryId} is no longer available: the sandbox keeps only the results of recent queries.`,
    queryId,
  };
}

// What the Snowflake wire needs from every answer (SNOWFLAKE-PROTOCOL.md §1): HTTP 200 and a JSON
// content type even for failures, `code` as a string, `data.sqlState` on every error (without it
// the driver re-runs the statement), and request bodies that may be gzip whatever the headers say.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { SandboxError } from '../engine-api.js';

const gunzipAsync = promisify(gunzip);

/** A `success:false` answer: Snowflake code, SQL state and message, plus optional query id. */
export interface WireFailure {
  code: string;
  sqlState: string;
  message: string;
  queryId?: string;
  /** More fields for `data` (errorCode, …). */
  data?: Record<string, unknown>;
}

/** The codes the sandbox answers with outside the engine's own SQL errors. */
export const WIRE_ERRORS = {
  incorrectLogin: { code: '390100', sqlState: '08004', message: 'Incorrect username or password was specified.' },
  userDisabled: { code: '390102', sqlState: '08004', message: 'User access disabled. Contact your local system administrator.' },
  jwtInvalid: { code: '390144', sqlState: '08004', message: 'JWT token is invalid.' },
  oauthInvalid: { code: '390303', sqlState: '08004', message: 'Invalid OAuth access token.' },
  patInvalid: { code: '394400', sqlState: '08004', message: 'Programmatic access token is invalid.' },
  sessionTokenInvalid: { code: '390104', sqlState: '08001', message: 'Authentication token is not valid: log in again.' },
  sessionGone: { code: '390111', sqlState: '08001', message: 'Session no longer exists. New login required to access the service.' },
  sessionTokenExpired: { code: '390112', sqlState: '08001', message: 'Your session has expired. Please login again.' },
  masterTokenExpired: { code: '390114', sqlState: '08001', message: 'Authentication token has expired. The user must authenticate again.' },
  canceled: { code: '000604', sqlState: '57014', message: 'SQL execution canceled' },
  timedOut: { code: '000630', sqlState: '57014', message: 'Statement reached its statement or warehouse timeout and was canceled.' },
  internal: { code: '000603', sqlState: 'XX000', message: 'Processing aborted due to an internal error in the sandbox.' },
  emptyStatement: { code: '000900', sqlState: '42000', message: 'SQL compilation error:\nEmpty SQL statement.' },
  badRequest: { code: '390400', sqlState: '08P01', message: 'The request is not one the Snowflake sandbox understands.' },
} as const satisfies Record<string, WireFailure>;

/** A failure as a throwable value, so handlers can bail out from anywhere. */
export class WireRejection extends Error {
  constructor(readonly failure: WireFailure) {
    super(failure.message);
    this.name = 'WireRejection';
  }
}

/** Turns anything thrown while serving a request into what the driver should see. */
export function failureFrom(error: unknown, queryId?: string): WireFailure {
  if (error instanceof WireRejection) return { ...error.failure, queryId: error.failure.queryId ?? queryId };
  if (error instanceof SandboxError) {
    return { code: error.code, sqlState: error.sqlState, message: error.message, queryId };
  }
  const reason = error instanceof Error ? error.message : String(error);
  return { ...WIRE_ERRORS.internal, message: `${WIRE_ERRORS.internal.message}\n${reason}`, queryId };
}

/** Writes a JSON answer with HTTP 200, as every Snowflake API answer must be. */
export function sendJson(response: ServerResponse, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(200, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  response.end(text);
}

/** `{success:true, code, message:null, data}`. */
export function sendSuccess(response: ServerResponse, data: unknown, code: string | null = null, message: string | null = null): void {
  sendJson(response, { success: true, code, message, data });
}

/** `{success:false, code, message, data:{sqlState, queryId, …}}`. */
export function sendFailure(response: ServerResponse, failure: WireFailure): void {
  sendJson(response, {
    success: false,
    code: failure.code,
    message: failure.message,
    data: {
      ...failure.data,
      errorCode: failure.code,
      sqlState: failure.sqlState,
      queryId: failure.queryId ?? null,
      internalError: false,
      age: 0,
    },
    headers: null,
  });
}

/** Largest request body accepted; big array binds stay well below it. */
const MAX_BODY_BYTES = 256 * 1024 * 1024;

/** Reads a request body as JSON, gunzipping it when it starts with the gzip magic bytes. */
export async function readJsonBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of request) {
    const buffer = part as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) {
      throw new WireRejection({ ...WIRE_ERRORS.badRequest, message: 'The request body is larger than the sandbox accepts (256 MB).' });
    }
    parts.push(buffer);
  }
  let bytes: Buffer = Buffer.concat(parts);
  if (bytes.length === 0) return {};
  // The driver may label a plain body as gzip (or the reverse): trust the bytes, not the header.
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = await gunzipAsync(bytes);
  try {
    const parsed: unknown = JSON.parse(bytes.toString('utf8'));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    throw new WireRejection({ ...WIRE_ERRORS.badRequest, message: 'The request body is not valid JSON.' });
  }
}

/** The token of `Authorization: Snowflake Token="…"`, or undefined. */
export function tokenOf(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Snowflake\s+Token="([^"]*)"/i.exec(header);
  return match?.[1] || undefined;
}

// Snowflake and driver errors as an operator needs them: the code, the SQL state, the message, the
// query id to look up in query history, and — for the failures people meet most — what to do.

/** A failed statement or login, ready to show and record. */
export interface SqlFailure {
  message: string;
  /** Snowflake error code ("002003") or driver code ("401001"). */
  code?: string;
  sqlState?: string;
  queryId?: string;
  /** What to do about it, when baton knows. */
  hint?: string;
  /** The network failed: the statement may or may not have reached the server. */
  network?: boolean;
  /** The statement was cancelled (by the operator or a timeout). */
  cancelled?: boolean;
}

/** Driver codes for "could not reach Snowflake" (connect, response, large-result download). */
const NETWORK_CODES = new Set(['401001', '401002', '402001', '402002']);
const NETWORK_CAUSES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

const HINTS: Record<string, string> = {
  '390100': 'the user name or password is wrong; check the connection (baton connections list)',
  '390144': 'the key pair was refused: register the public key with ALTER USER … SET RSA_PUBLIC_KEY and compare fingerprints (DESC USER shows RSA_PUBLIC_KEY_FP)',
  '390318': 'the OAuth access token has expired: get a fresh token',
  '390303': 'the OAuth access token is not valid for this account or user',
  '394304': 'the programmatic access token is not valid or has expired: create a new one',
  '390189': 'the role in the connection is not granted to this user: change role in the connection or ask for the grant',
  '390201': 'the warehouse, database or schema in the connection does not exist or the role cannot use it',
  '390112': 'the session expired; baton reconnects on the next step',
  '390114': 'the login expired; run the step again to log in afresh',
  '000606': 'no warehouse is in use: add USE WAREHOUSE … or set warehouse in the connection',
  '002003': 'check the name, and that the current role can see the object',
  '003001': 'the current role lacks a privilege for this statement: USE ROLE … or ask for the grant',
  '000630': 'the statement ran past its timeout and was cancelled',
  '000604': 'the statement was cancelled',
};

/** Turn a driver error into a {@link SqlFailure}. `queryId` is the statement's, when known. */
export function explainError(error: unknown, queryId?: string): SqlFailure {
  const e = (error ?? {}) as { message?: string; code?: string | number; sqlState?: string; data?: { queryId?: string }; cause?: { code?: string } };
  const code = e.code === undefined || e.code === null ? undefined : String(e.code);
  const failure: SqlFailure = { message: cleanMessage(String(e.message ?? error)) };
  if (code) failure.code = code;
  if (e.sqlState) failure.sqlState = e.sqlState;
  const id = queryId || e.data?.queryId;
  if (id) failure.queryId = id;
  const causeCode = e.cause?.code;
  if ((code && NETWORK_CODES.has(code)) || (causeCode && NETWORK_CAUSES.has(causeCode))) failure.network = true;
  if (code === '000604' || code === '604' || /cancel?led/i.test(failure.message)) failure.cancelled = true;
  const hint = code ? HINTS[code.padStart(6, '0')] : undefined;
  if (hint) failure.hint = hint;
  return failure;
}

/** One line for the screen: `002003 (42S02): SQL compilation error: … — hint [query 01b…]`. */
export function formatFailure(failure: SqlFailure): string {
  const head = failure.code ? `${failure.code}${failure.sqlState ? ` (${failure.sqlState})` : ''}: ` : '';
  const hint = failure.hint ? ` — ${failure.hint}` : '';
  const query = failure.queryId ? ` [query ${failure.queryId}]` : '';
  return `${head}${failure.message}${hint}${query}`;
}

function cleanMessage(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').trim();
}

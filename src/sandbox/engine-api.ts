// The seam between the sandbox's wire protocol (server/) and its SQL engine (sql/).
// The server owns HTTP, tokens, query ids, result storage, chunks, async and cancel; the engine
// owns Snowflake semantics: SQL on DuckDB, sessions' current role/warehouse/database/schema,
// account objects, RBAC, Time Travel and the query log. Values cross this seam already encoded
// as the wire wants them (SNOWFLAKE-PROTOCOL.md §3), so the server never looks inside a value.

/** Snowflake's rowtype `type` names as the driver reads them. */
export type WireType =
  | 'fixed'
  | 'real'
  | 'text'
  | 'boolean'
  | 'date'
  | 'time'
  | 'timestamp_ntz'
  | 'timestamp_ltz'
  | 'timestamp_tz'
  | 'variant'
  | 'object'
  | 'array'
  | 'binary';

/** One column of a result, as the `rowtype` entry on the wire. */
export interface WireColumn {
  name: string;
  type: WireType;
  precision: number | null;
  scale: number | null;
  length: number | null;
  byteLength: number | null;
  nullable: boolean;
  database: string;
  schema: string;
  table: string;
}

/** A bind value as the driver sends it: `{type: 'FIXED', value: '42'}`; arrays for array binds. */
export interface WireBind {
  type: string;
  value: string | null | (string | null)[];
}

/** A Snowflake error the server reports as `success:false` with `code` and `data.sqlState`. */
export class SandboxError extends Error {
  constructor(
    /** Snowflake error code as a string, e.g. "002003". */
    readonly code: string,
    /** SQL state, e.g. "42S02". Always set: without it the driver re-runs the statement. */
    readonly sqlState: string,
    message: string,
  ) {
    super(message);
    this.name = 'SandboxError';
  }
}

/** The result of one statement. */
export interface StatementOutcome {
  columns: WireColumn[];
  /** Wire-encoded rows: every value a string or null. */
  rows: (string | null)[][];
  /** 0x1000 SELECT, 0x3100 INSERT, 0x3200 UPDATE, 0x3300 DELETE, 0x3400 MERGE, ≥0x6000 DDL … */
  statementTypeId: number;
}

/** A user as the login needs to see it. */
export interface SandboxUser {
  name: string;
  disabled: boolean;
  /** Checks a password; false when the user has none. */
  checkPassword(password: string): boolean;
  /** Public keys set with `ALTER USER … SET RSA_PUBLIC_KEY[_2]`, as PEM or base64 DER SPKI. */
  rsaPublicKeys: string[];
  /** Checks an OAuth access token or a programmatic access token registered for this user. */
  checkToken(token: string): boolean;
  defaultRole?: string;
  defaultWarehouse?: string;
  defaultNamespace?: string;
}

/** How a login asked to start its session (query parameters of the login request). */
export interface SessionRequest {
  role?: string;
  warehouse?: string;
  database?: string;
  schema?: string;
  /** QUERY_TAG and other session parameters sent with the login. */
  parameters?: Record<string, string>;
  /** The authentication method, for LOGIN_HISTORY: PASSWORD, RSA_KEYPAIR, OAUTH_ACCESS_TOKEN, … */
  authentication: string;
  clientIp?: string;
}

/** An open session; the engine keeps its state (current role, warehouse, namespace, variables). */
export interface EngineSession {
  readonly id: string;
  readonly user: string;
  /** The current role/warehouse/database/schema, for `final*Name` in responses. */
  readonly role: string;
  readonly warehouse: string | null;
  readonly database: string | null;
  readonly schema: string | null;
  /**
   * Session parameters set with ALTER SESSION that shape how the driver renders values (TIMEZONE,
   * DATE_OUTPUT_FORMAT, BINARY_OUTPUT_FORMAT, …); sent in every query answer over the defaults.
   */
  readonly parameters?: Readonly<Record<string, string>>;
}

/** One statement to run. */
export interface StatementRequest {
  sql: string;
  binds?: Record<string, WireBind>;
  /** Assigned by the server (a UUID); the engine records it in the query log. */
  queryId: string;
  /** Only describe the result's columns, do not run. */
  describeOnly?: boolean;
  /** Session parameters sent with this request (e.g. QUERY_TAG). */
  parameters?: Record<string, unknown>;
}

/** The SQL engine behind the sandbox server. */
export interface SandboxEngine {
  /** A user by login name (case-insensitive, as Snowflake), or undefined. */
  findUser(loginName: string): Promise<SandboxUser | undefined>;
  /** Open a session for an authenticated user; throws SandboxError when the role is not granted, etc. */
  openSession(user: string, request: SessionRequest): Promise<EngineSession>;
  /** Split a multi-statement text into statements (comments and strings respected). */
  splitStatements(sql: string): string[];
  /** Run one statement. Throws SandboxError for Snowflake errors; honours the signal (cancel). */
  execute(session: EngineSession, statement: StatementRequest, signal: AbortSignal): Promise<StatementOutcome>;
  closeSession(session: EngineSession): Promise<void>;
  /** Flush and close the database. */
  close(): Promise<void>;
}

/** The documented default login of a fresh sandbox. */
export const SANDBOX_DEFAULTS = {
  account: 'sandbox',
  user: 'OPERATOR',
  password: 'sandbox',
  role: 'ACCOUNTADMIN',
  host: '127.0.0.1',
  port: 8085,
} as const;

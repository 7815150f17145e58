// One logged-in session: who, which role/warehouse/database/schema is current, its variables and
// parameters, its open transaction, and the DuckDB connection its statements run on (one per
// session, so cancelling one query interrupts only that session).
import type { DuckDBConnection } from '@duckdb/node-api';
import type { EngineSession } from '../engine-api.js';

/** A session variable's value as SQL and as text (for IDENTIFIER($x)). */
export interface VariableValue {
  sql: string;
  text: string;
}

/** Session parameters a new session starts with. */
export const DEFAULT_SESSION_PARAMETERS: Record<string, string> = {
  QUERY_TAG: '',
  TIMEZONE: 'UTC',
  AUTOCOMMIT: 'true',
  DATE_OUTPUT_FORMAT: 'YYYY-MM-DD',
  TIME_OUTPUT_FORMAT: 'HH24:MI:SS',
  TIMESTAMP_OUTPUT_FORMAT: 'YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM',
  TIMESTAMP_NTZ_OUTPUT_FORMAT: 'YYYY-MM-DD HH24:MI:SS.FF3',
  TIMESTAMP_LTZ_OUTPUT_FORMAT: '',
  TIMESTAMP_TZ_OUTPUT_FORMAT: '',
  TIMESTAMP_TYPE_MAPPING: 'TIMESTAMP_NTZ',
  BINARY_OUTPUT_FORMAT: 'HEX',
  STATEMENT_TIMEOUT_IN_SECONDS: '172800',
  LOCK_TIMEOUT: '43200',
  ERROR_ON_NONDETERMINISTIC_MERGE: 'true',
  USE_CACHED_RESULT: 'true',
  WEEK_START: '0',
};

/** A sandbox session. */
export class Session implements EngineSession {
  role: string;
  warehouse: string | null;
  database: string | null;
  schema: string | null;
  readonly variables = new Map<string, VariableValue>();
  readonly parameters: Record<string, string> = { ...DEFAULT_SESSION_PARAMETERS };
  /** Inside BEGIN … COMMIT. */
  inTransaction = false;
  /** Stream offsets to move when the open transaction commits (stream id → version). */
  readonly pendingOffsets = new Map<number, number>();
  /** Query ids of this session, oldest first, for LAST_QUERY_ID(). */
  readonly queryIds: string[] = [];
  readonly createdOn = new Date();
  /** Temporary tables and stages created in this session (dropped when it closes). */
  readonly temporaryObjects = new Set<number>();

  constructor(
    readonly id: string,
    readonly user: string,
    readonly connection: DuckDBConnection,
    start: { role: string; warehouse: string | null; database: string | null; schema: string | null },
    readonly authentication: string,
    readonly clientIp: string,
  ) {
    this.role = start.role;
    this.warehouse = start.warehouse;
    this.database = start.database;
    this.schema = start.schema;
  }
}

// A tiny SandboxEngine for testing the wire protocol alone, at the seam the design names. It knows
// a handful of made-up statements (see `execute`) and records what it was asked, so the tests can
// check what crossed the seam. The real engine (src/sandbox/sql) is tested through the same server.
import { SandboxError, type EngineSession, type SandboxEngine, type SandboxUser, type StatementOutcome, type StatementRequest, type WireColumn, type WireType } from '../../src/sandbox/engine-api.js';

/** A user of the memory engine. */
export interface MemoryUser {
  name: string;
  password?: string;
  rsaPublicKeys?: string[];
  tokens?: string[];
  disabled?: boolean;
}

/** What a test can read back from the engine. */
export interface MemoryEngine extends SandboxEngine {
  readonly executed: StatementRequest[];
  readonly aborted: string[];
  readonly closedSessions: string[];
  closed: boolean;
}

interface MutableSession extends EngineSession {
  role: string;
  warehouse: string | null;
  database: string | null;
  schema: string | null;
  parameters: Record<string, string>;
}

/** Builds a column of a wire type. */
export function column(name: string, type: WireType, scale: number | null = null): WireColumn {
  return { name, type, precision: type === 'fixed' ? 38 : null, scale, length: null, byteLength: null, nullable: true, database: 'DB', schema: 'PUBLIC', table: '' };
}

/** One row holding every wire type, encoded as SNOWFLAKE-PROTOCOL.md §3 says. */
export const ALL_TYPES: StatementOutcome = {
  columns: [
    column('FIXED', 'fixed', 2),
    column('REAL', 'real'),
    column('TEXT', 'text'),
    column('BOOL', 'boolean'),
    column('DATE', 'date'),
    column('TIME', 'time', 9),
    column('NTZ', 'timestamp_ntz', 9),
    column('LTZ', 'timestamp_ltz', 9),
    column('TZ', 'timestamp_tz', 9),
    column('VARIANT', 'variant'),
    column('OBJECT', 'object'),
    column('ARRAY', 'array'),
    column('BINARY', 'binary'),
    column('NOTHING', 'text'),
  ],
  rows: [
    [
      '123.45',
      '1.5',
      'héllo, wörld',
      '1',
      '19723',
      '45296.789000000',
      '1704112496.789000000',
      '1704112496.789000000',
      '1704112496.789000000 1500',
      '{"a":[1,2]}',
      '{"k":"v"}',
      '[1,"x"]',
      'DEADBEEF',
      null,
    ],
  ],
  statementTypeId: 0x1000,
};

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    }, { once: true });
  });
}

/** An engine with the given users (OPERATOR/sandbox always exists). */
export function memoryEngine(users: MemoryUser[] = []): MemoryEngine {
  const all = [{ name: 'OPERATOR', password: 'sandbox' }, ...users];
  let nextSession = 1;
  const engine: MemoryEngine = {
    executed: [],
    aborted: [],
    closedSessions: [],
    closed: false,
    async findUser(loginName) {
      const user = all.find((candidate) => candidate.name.toUpperCase() === loginName.toUpperCase());
      if (!user) return undefined;
      const found: SandboxUser = {
        name: user.name,
        disabled: user.disabled ?? false,
        checkPassword: (password) => user.password !== undefined && password === user.password,
        rsaPublicKeys: user.rsaPublicKeys ?? [],
        checkToken: (token) => (user.tokens ?? []).includes(token),
      };
      return found;
    },
    async openSession(user, request) {
      if (request.role && request.role.toUpperCase() === 'NOT_GRANTED') {
        throw new SandboxError('390189', '08004', `Role '${request.role}' specified in the connect string is not granted to this user.`);
      }
      const session: MutableSession = {
        id: String(nextSession++),
        user,
        role: request.role?.toUpperCase() ?? 'ACCOUNTADMIN',
        warehouse: request.warehouse ?? 'COMPUTE_WH',
        database: request.database ?? null,
        schema: request.schema ?? null,
        parameters: {},
      };
      return session;
    },
    splitStatements(sql) {
      return sql
        .split(';')
        .map((part) => part.trim())
        .filter((part) => part !== '');
    },
    async execute(session, statement, signal) {
      engine.executed.push(statement);
      signal.addEventListener('abort', () => engine.aborted.push(statement.queryId), { once: true });
      const sql = statement.sql.trim().replace(/;$/, '');
      const words = sql.split(/\s+/);
      const mutable = session as MutableSession;
      let match: RegExpExecArray | null;
      if (/^select all types$/i.test(sql)) return ALL_TYPES;
      if ((match = /^select rows (\d+)$/i.exec(sql))) {
        const count = Number(match[1]);
        const rows: (string | null)[][] = [];
        for (let i = 1; i <= count; i++) rows.push([String(i), `row ${i}`]);
        return { columns: [column('N', 'fixed', 0), column('LABEL', 'text')], rows, statementTypeId: 0x1000 };
      }
      if (/^select binds$/i.test(sql)) {
        const binds = Object.entries(statement.binds ?? {});
        return {
          columns: binds.map(([key]) => column(`B${key}`, 'text')),
          rows: [binds.map(([, bind]) => `${bind.type}:${JSON.stringify(bind.value)}`)],
          statementTypeId: 0x1000,
        };
      }
      if ((match = /^wait (\d+)$/i.exec(sql))) {
        await sleep(Number(match[1]), signal);
        return { columns: [column('WAITED', 'fixed', 0)], rows: [[match[1]!]], statementTypeId: 0x1000 };
      }
      if ((match = /^fail (\d+) (\w+) (.*)$/i.exec(sql))) throw new SandboxError(match[1]!, match[2]!, match[3]!);
      if (/^crash$/i.test(sql)) throw new Error('the engine fell over');
      if ((match = /^insert (\d+)$/i.exec(sql))) {
        return { columns: [column('number of rows inserted', 'fixed', 0)], rows: [[match[1]!]], statementTypeId: 0x3100 };
      }
      if ((match = /^use role (\w+)$/i.exec(sql))) {
        mutable.role = match[1]!.toUpperCase();
        return statusOutcome(`Statement executed successfully.`);
      }
      if ((match = /^alter session set timezone\s*=\s*'([^']+)'$/i.exec(sql))) {
        mutable.parameters.TIMEZONE = match[1]!;
        return statusOutcome('Statement executed successfully.');
      }
      if (/^alter session/i.test(sql)) return statusOutcome('Statement executed successfully.');
      throw new SandboxError('001003', '42000', `SQL compilation error:\nsyntax error line 1 at position 0 unexpected '${words[0] ?? ''}'.`);
    },
    async closeSession(session) {
      engine.closedSessions.push(session.id);
    },
    async close() {
      engine.closed = true;
    },
  };
  return engine;
}

function statusOutcome(text: string): StatementOutcome {
  return { columns: [column('status', 'text')], rows: [[text]], statementTypeId: 0x6000 };
}

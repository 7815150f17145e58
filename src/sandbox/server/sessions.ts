// Logged-in sessions and their tokens. A session token is short-lived; when it expires the driver
// gets 390112 and trades the master token for a new one at /session/token-request. The master
// token lives as long as the session is used: it expires after a period without any request, as a
// Snowflake session does when nothing keeps it alive.
import { randomBytes } from 'node:crypto';
import type { EngineSession } from '../engine-api.js';
import { WIRE_ERRORS, WireRejection } from './wire.js';

/** How long tokens live, in seconds (fractions allowed, so a test can force a renewal). */
export interface TokenValidity {
  /** Session token lifetime; Snowflake's is one hour. */
  sessionSeconds: number;
  /** Master token lifetime after the last request; Snowflake's is four hours. */
  masterSeconds: number;
}

/** The default validity: Snowflake's own. */
export const SNOWFLAKE_TOKEN_VALIDITY: TokenValidity = { sessionSeconds: 3600, masterSeconds: 4 * 3600 };

/** One logged-in session of the sandbox. */
export interface WireSession {
  /** Numeric id, as Snowflake reports sessions. */
  readonly id: number;
  readonly user: string;
  readonly engine: EngineSession;
  /** Session parameters from the login (QUERY_TAG, JS_TREAT_INTEGER_AS_BIGINT, …). */
  readonly loginParameters: Record<string, string>;
  /** MULTI_STATEMENT_COUNT of the session: 1 unless changed with ALTER SESSION. */
  multiStatementCount: number;
  sessionToken: string;
  sessionExpiresAt: number;
  readonly masterToken: string;
  masterExpiresAt: number;
  /** Queries of this session still running, so closing waits for them. */
  readonly running: Set<Promise<unknown>>;
  closed: boolean;
}

function newToken(kind: 'ST' | 'MT'): string {
  return `sandbox-${kind}-${randomBytes(24).toString('base64url')}`;
}

/** The sandbox's logged-in sessions, found by their tokens. */
export class SessionTable {
  private readonly bySessionToken = new Map<string, WireSession>();
  /** Session tokens replaced by a renewal: they still answer 390112 so in-flight requests renew too. */
  private readonly retired = new Map<string, WireSession>();
  private readonly byMasterToken = new Map<string, WireSession>();
  private nextId = 1;

  constructor(
    private readonly validity: TokenValidity,
    private readonly now: () => number = Date.now,
  ) {
    // Session ids keep increasing across restarts, as query history shows them.
    this.nextId = Math.floor(this.now() / 1000) * 1000;
  }

  /** Starts a session for a logged-in user. */
  open(user: string, engine: EngineSession, loginParameters: Record<string, string>): WireSession {
    const now = this.now();
    const session: WireSession = {
      id: this.nextId++,
      user,
      engine,
      loginParameters,
      multiStatementCount: 1,
      sessionToken: newToken('ST'),
      sessionExpiresAt: now + this.validity.sessionSeconds * 1000,
      masterToken: newToken('MT'),
      masterExpiresAt: now + this.validity.masterSeconds * 1000,
      running: new Set(),
      closed: false,
    };
    this.bySessionToken.set(session.sessionToken, session);
    this.byMasterToken.set(session.masterToken, session);
    return session;
  }

  /** The session a session token belongs to; throws the code the driver acts on when it cannot be used. */
  authenticate(token: string | undefined): WireSession {
    if (!token) throw new WireRejection(WIRE_ERRORS.sessionTokenInvalid);
    const now = this.now();
    const session = this.bySessionToken.get(token) ?? this.retired.get(token);
    if (!session) throw new WireRejection(WIRE_ERRORS.sessionTokenInvalid);
    if (session.closed) throw new WireRejection(WIRE_ERRORS.sessionGone);
    // The sweeper closes it; until then it is as good as gone.
    if (session.masterExpiresAt <= now) throw new WireRejection(WIRE_ERRORS.sessionGone);
    if (session.sessionToken !== token || session.sessionExpiresAt <= now) throw new WireRejection(WIRE_ERRORS.sessionTokenExpired);
    session.masterExpiresAt = now + this.validity.masterSeconds * 1000;
    return session;
  }

  /** The open session a session token belongs to, expired or not (logging out needs no fresh token). */
  find(token: string | undefined): WireSession | undefined {
    if (!token) return undefined;
    const session = this.bySessionToken.get(token) ?? this.retired.get(token);
    return session && !session.closed ? session : undefined;
  }

  /** Issues a new session token for the session of a master token (`/session/token-request`). */
  renew(masterToken: string | undefined, oldSessionToken: string | undefined): WireSession {
    const session = masterToken ? this.byMasterToken.get(masterToken) : undefined;
    if (!session || session.closed) throw new WireRejection(WIRE_ERRORS.sessionTokenInvalid);
    const now = this.now();
    if (session.masterExpiresAt <= now) throw new WireRejection(WIRE_ERRORS.masterTokenExpired);
    // A second renewal of the same old token (two requests saw 390112) gets the token already issued.
    const alreadyRenewed = oldSessionToken !== undefined && this.retired.get(oldSessionToken) === session && session.sessionExpiresAt > now;
    if (!alreadyRenewed) {
      this.bySessionToken.delete(session.sessionToken);
      this.retired.set(session.sessionToken, session);
      session.sessionToken = newToken('ST');
      session.sessionExpiresAt = now + this.validity.sessionSeconds * 1000;
      this.bySessionToken.set(session.sessionToken, session);
    }
    session.masterExpiresAt = now + this.validity.masterSeconds * 1000;
    return session;
  }

  /** Seconds a newly issued session token lives. */
  get sessionSeconds(): number {
    return this.validity.sessionSeconds;
  }

  /** Seconds a master token lives after the last request. */
  get masterSeconds(): number {
    return this.validity.masterSeconds;
  }

  /** Marks a session closed and forgets its tokens. */
  forget(session: WireSession): void {
    session.closed = true;
    this.bySessionToken.delete(session.sessionToken);
    this.byMasterToken.delete(session.masterToken);
    for (const [token, owner] of this.retired) if (owner === session) this.retired.delete(token);
  }

  /** Sessions whose master token has expired (nobody used them for too long). */
  expired(): WireSession[] {
    const now = this.now();
    return [...this.byMasterToken.values()].filter((session) => session.masterExpiresAt <= now);
  }

  /** Every open session. */
  all(): WireSession[] {
    return [...this.byMasterToken.values()];
  }
}

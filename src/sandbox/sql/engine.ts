// The sandbox's SQL engine: sessions, statement dispatch, the query log, and the lock that keeps
// catalog changes from interleaving (queries share it; everything that changes state holds it
// alone). Implements the SandboxEngine seam the wire-protocol server calls.
import { createHash, randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  SandboxError, type EngineSession, type SandboxEngine, type SandboxUser, type SessionRequest, type StatementOutcome,
  type StatementRequest,
} from '../engine-api.js';
import { Access } from './access.js';
import { bootstrapCatalog } from './bootstrap.js';
import { Catalog, type UserEntry } from './catalog.js';
import { checkPassword, hashPassword } from './passwords.js';
import { Cursor } from './cursor.js';
import { cancelled, compilationError, fromDuckError, unsupported } from './errors.js';
import { Execution, type EngineState, type NestedOptions } from './execution.js';
import { MACROS, raisedError } from './functions.js';
import { describeQuery, runDml, runQuery } from './query.js';
import { Session } from './session.js';
import { alterSession, setVariables, transaction, unsetVariables, use } from './session-commands.js';
import { FolderStageFiles, MemoryStageFiles, type StageFiles } from './stage-files.js';
import { classifyStatement, redactSecrets, splitStatements } from './statements.js';
import { Store } from './store.js';
import { TokenizeError } from './tokens.js';
import { syntaxError } from './errors.js';
import { alterWarehouse, applyAutoSuspend, createWarehouse } from './warehouses.js';
import { dispatchDdl } from './dispatch.js';
import { seedSandbox } from './seed.js';

/** Options for opening the engine. */
export interface EngineOptions {
  /** Folder for the database and stage files, or ':memory:' for a throwaway sandbox. */
  dataDir: string | ':memory:';
  /** Load the sample source data (default true). */
  seed?: boolean;
}

/** A readers–writer lock: queries share it, changes take it alone, in arrival order. */
class StatementLock {
  private readers = 0;
  private writer = false;
  private readonly queue: { exclusive: boolean; grant: () => void }[] = [];

  async acquire(exclusive: boolean): Promise<() => void> {
    if (this.canGrant(exclusive) && this.queue.length === 0) return this.grant(exclusive);
    return new Promise((resolve) => {
      this.queue.push({ exclusive, grant: () => resolve(this.grant(exclusive)) });
    });
  }

  private canGrant(exclusive: boolean): boolean {
    return exclusive ? !this.writer && this.readers === 0 : !this.writer;
  }

  private grant(exclusive: boolean): () => void {
    if (exclusive) this.writer = true;
    else this.readers++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (exclusive) this.writer = false;
      else this.readers--;
      this.drain();
    };
  }

  private drain(): void {
    while (this.queue.length > 0 && this.canGrant(this.queue[0]!.exclusive)) {
      const next = this.queue.shift()!;
      next.grant();
      if (next.exclusive) break;
    }
  }
}

const READ_ONLY_VERBS = new Set(['query', 'show', 'describe', 'list', 'explain']);

/** The SQL engine behind the sandbox. */
export class SnowflakeEngine implements SandboxEngine, EngineState {
  readonly account = 'sandbox';
  readonly access: Access;
  readonly sessions = new Map<string, Session>();
  readonly results = new Map<string, { user: string; outcome: StatementOutcome }>();
  private readonly lock = new StatementLock();
  private readonly running = new Map<string, Session>();
  private sessionCounter = 0;

  private constructor(
    readonly catalog: Catalog,
    readonly store: Store,
    readonly stageFiles: StageFiles,
  ) {
    this.access = new Access(catalog);
  }

  /** Opens the sandbox database under dataDir (creating and seeding it the first time). */
  static async open(options: EngineOptions): Promise<SnowflakeEngine> {
    const duckdb = await import('@duckdb/node-api');
    let store: Store;
    let stageFiles: StageFiles;
    if (options.dataDir === ':memory:') {
      store = await Store.open(duckdb, ':memory:');
      stageFiles = new MemoryStageFiles();
    } else {
      await mkdir(options.dataDir, { recursive: true });
      store = await Store.open(duckdb, join(options.dataDir, 'snowflake.duckdb'));
      stageFiles = new FolderStageFiles(join(options.dataDir, 'stages'));
    }
    await store.admin.run(MACROS.join(";\n"));
    const saved = await store.loadCatalog();
    const fresh = !saved;
    const catalog = new Catalog(saved ?? bootstrapCatalog(new Date().toISOString(), hashPassword));
    const engine = new SnowflakeEngine(catalog, store, stageFiles);
    engine.lastVersion = await store.currentVersion(catalog.data.objects.filter((o) => o.kind === 'TABLE').map((o) => o.id));
    if (fresh) {
      await store.saveCatalog(store.admin, catalog.data);
      if (options.seed !== false) await seedSandbox(engine);
    }
    return engine;
  }

  // ---------------------------------------------------------------------------------------------
  // Users and sessions

  async findUser(loginName: string): Promise<SandboxUser | undefined> {
    const user = this.catalog.userByLogin(loginName);
    if (!user) return undefined;
    return this.sandboxUser(user);
  }

  private sandboxUser(user: UserEntry): SandboxUser {
    return {
      name: user.name,
      disabled: user.disabled,
      checkPassword: (password) => checkPassword(password, user.passwordHash),
      rsaPublicKeys: [user.rsaPublicKey, user.rsaPublicKey2].filter((key): key is string => Boolean(key)),
      checkToken: (token) => {
        const hash = createHash('sha256').update(token).digest('hex');
        const now = Date.now();
        return user.tokens.some((t) => t.hash === hash && (!t.expiresOn || Date.parse(t.expiresOn) > now));
      },
      defaultRole: user.defaultRole ?? undefined,
      defaultWarehouse: user.defaultWarehouse ?? undefined,
      defaultNamespace: user.defaultNamespace ?? undefined,
    };
  }

  async openSession(userName: string, request: SessionRequest, options: { record?: boolean } = {}): Promise<EngineSession> {
    const user = this.catalog.userByLogin(userName);
    if (!user) throw new SandboxError('390100', '08004', 'Incorrect username or password was specified.');
    if (user.disabled) throw new SandboxError('390101', '08004', 'User access disabled. Contact your local system administrator.');
    const usable = this.access.usableRoles(user.name);
    const upper = (value: string | undefined): string | undefined => (value ? (/^".*"$/.test(value) ? value.slice(1, -1) : value.toUpperCase()) : undefined);
    const requestedRole = upper(request.role);
    if (requestedRole && (!this.catalog.role(requestedRole) || !usable.has(requestedRole))) {
      await this.recordLogin(user.name, request, false, '390189');
      throw new SandboxError(
        '390189',
        '08004',
        `Role '${requestedRole}' specified in the connect string is not granted to this user. Contact your local system administrator, or attempt to login with another role, e.g. PUBLIC.`,
      );
    }
    const role = requestedRole ?? (user.defaultRole && usable.has(user.defaultRole) ? user.defaultRole : 'PUBLIC');
    const roles = this.access.closure(role);
    const [defaultDb, defaultSchema] = (user.defaultNamespace ?? '').split('.').map((p) => p || undefined);
    const warehouseName = upper(request.warehouse) ?? user.defaultWarehouse ?? undefined;
    const warehouse = warehouseName ? this.catalog.warehouse(warehouseName) : undefined;
    const databaseName = upper(request.database) ?? defaultDb;
    const database = databaseName ? this.catalog.database(databaseName) : undefined;
    const usableDb = database && this.access.databaseUsable(roles, database.id) ? database : undefined;
    const schemaName = upper(request.schema) ?? defaultSchema ?? (usableDb ? 'PUBLIC' : undefined);
    const schema = usableDb && schemaName ? this.catalog.schema(usableDb.id, schemaName) : undefined;
    const connection = await this.store.connect();
    const id = `${Date.now()}${String(++this.sessionCounter).padStart(4, '0')}`;
    const session = new Session(
      id,
      user.name,
      connection,
      {
        role,
        warehouse: warehouse && this.access.hasAny(roles, { type: 'WAREHOUSE', id: warehouse.id }) ? warehouse.name : null,
        database: usableDb?.name ?? null,
        schema: schema && this.access.schemaUsable(roles, schema.id) ? schema.name : null,
      },
      request.authentication,
      request.clientIp ?? '127.0.0.1',
    );
    for (const [key, value] of Object.entries(request.parameters ?? {})) session.parameters[key.toUpperCase()] = String(value);
    this.sessions.set(id, session);
    if (options.record !== false) {
      user.lastSuccessLogin = new Date().toISOString();
      await this.recordLogin(user.name, request, true, null);
    }
    return session;
  }

  /** Records a login attempt in LOGIN_HISTORY. */
  async recordLogin(userName: string, request: SessionRequest, success: boolean, errorCode: string | null, errorMessage?: string): Promise<void> {
    await this.store.record(
      `INSERT INTO meta.login_history VALUES (nextval('meta.row_seq'), now(), 'LOGIN', $1, $2, 'JAVASCRIPT_DRIVER', '3.3.0', $3, NULL, $4, $5, $6, NULL, NULL)`,
      [userName, request.clientIp ?? '127.0.0.1', request.authentication, success ? 'YES' : 'NO', errorCode === null ? null : Number(errorCode), errorMessage ?? null],
    );
  }

  /** Records a failed login the server refused before a session existed. */
  async recordFailedLogin(loginName: string, authentication: string, code: string, message: string): Promise<void> {
    await this.recordLogin(loginName.toUpperCase(), { authentication }, false, code, message);
  }

  splitStatements(sql: string): string[] {
    try {
      return splitStatements(sql);
    } catch (error) {
      if (error instanceof TokenizeError) throw syntaxError(error.token);
      throw error;
    }
  }

  async closeSession(engineSession: EngineSession): Promise<void> {
    const session = this.sessions.get(engineSession.id);
    if (!session) return;
    this.sessions.delete(session.id);
    if (session.inTransaction) await session.connection.run('ROLLBACK').catch(() => undefined);
    if (session.temporaryObjects.size > 0) {
      const release = await this.lock.acquire(true);
      try {
        for (const id of session.temporaryObjects) {
          const object = this.catalog.objectById(id);
          if (object) this.catalog.data.objects.splice(this.catalog.data.objects.indexOf(object), 1);
          await session.connection.run(`DROP TABLE IF EXISTS data.t${id}; DROP TABLE IF EXISTS data.h${id}`).catch(() => undefined);
        }
        await this.store.saveCatalog(this.store.admin, this.catalog.data);
      } finally {
        release();
      }
    }
    session.connection.closeSync();
  }

  async close(): Promise<void> {
    for (const session of [...this.sessions.values()]) await this.closeSession(session);
    await this.store.saveCatalog(this.store.admin, this.catalog.data).catch(() => undefined);
    await this.store.close();
  }

  cancelQuery(queryId: string, user: string, roles: Set<string>): boolean {
    const session = this.running.get(queryId);
    if (!session) return false;
    if (session.user !== user && !roles.has('ACCOUNTADMIN')) return false;
    session.connection.interrupt();
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // Statements

  async execute(engineSession: EngineSession, request: StatementRequest, signal: AbortSignal): Promise<StatementOutcome> {
    const session = this.sessions.get(engineSession.id);
    if (!session) throw new SandboxError('390111', '08001', 'Session no longer exists.  New login required to access the service.');
    return this.executeIn(session, request, signal, undefined);
  }

  /** The newest change version handed out (the watermark of a statement that starts now). */
  lastVersion = 0;

  /** Runs one statement in a session; `parent` is set for statements run inside another (tasks). */
  async executeIn(session: Session, request: StatementRequest, signal: AbortSignal, parent: Execution | undefined): Promise<StatementOutcome> {
    const statementClass = classifyStatement(request.sql);
    const exclusive = !READ_ONLY_VERBS.has(statementClass.verb);
    const release = parent ? () => undefined : await this.lock.acquire(exclusive);
    const start = new Date();
    let x: Execution | undefined;
    this.running.set(request.queryId, session);
    try {
      if (signal.aborted) throw cancelled();
      if (await applyAutoSuspend(this.store, this.catalog.data.warehouses, start)) {
        await this.store.saveCatalog(this.store.admin, this.catalog.data);
      }
      x = new Execution(this, session, request, request.sql, statementClass, signal, this.lastVersion);
      if (parent) {
        x.taskName = parent.taskName;
        x.predecessorReturnValue = parent.predecessorReturnValue;
      }
      const outcome = request.describeOnly ? await this.describe(x) : await this.dispatch(x);
      if (parent && x.returnValue !== undefined) parent.returnValue = x.returnValue;
      if (x.version !== null) this.lastVersion = Math.max(this.lastVersion, x.version);
      await this.log(x, start, null);
      session.queryIds.push(request.queryId);
      this.keepResult(request.queryId, session.user, outcome);
      return outcome;
    } catch (thrown) {
      const error = toSandboxError(thrown, signal);
      if (x) await this.log(x, start, error).catch(() => undefined);
      session.queryIds.push(request.queryId);
      throw error;
    } finally {
      this.running.delete(request.queryId);
      release();
    }
  }

  private keepResult(queryId: string, user: string, outcome: StatementOutcome): void {
    if (outcome.rows.length > 100_000) return;
    this.results.set(queryId, { user, outcome });
    if (this.results.size > 200) this.results.delete(this.results.keys().next().value!);
  }

  private async log(x: Execution, start: Date, error: SandboxError | null): Promise<void> {
    const session = x.session;
    const warehouse = session.warehouse ? this.catalog.warehouse(session.warehouse) : undefined;
    await this.store.logQuery({
      queryId: x.request.queryId,
      queryText: redactSecrets(x.sql),
      queryType: x.statementClass.queryType,
      statementTypeId: x.statementClass.typeId,
      sessionId: session.id,
      userName: session.user,
      roleName: session.role,
      warehouseName: session.warehouse,
      warehouseSize: warehouse && x.needsWarehouse ? warehouse.size : null,
      databaseName: session.database,
      schemaName: session.schema,
      executionStatus: error ? 'FAIL' : 'SUCCESS',
      errorCode: error ? String(Number(error.code)) : null,
      errorMessage: error ? error.message : null,
      startTime: start,
      endTime: new Date(),
      rowsProduced: x.counts.produced,
      rowsInserted: x.counts.inserted,
      rowsUpdated: x.counts.updated,
      rowsDeleted: x.counts.deleted,
      queryTag: String(x.request.parameters?.QUERY_TAG ?? session.parameters.QUERY_TAG ?? ''),
      version: error ? null : x.version,
      watermark: x.watermark,
    });
  }

  private async describe(x: Execution): Promise<StatementOutcome> {
    if (x.statementClass.verb === 'query') return describeQuery(x);
    return { columns: [], rows: [], statementTypeId: x.statementClass.typeId };
  }

  /** Runs a statement inside another one (a task's body, an alert's action, a procedure's statements). */
  async runNested(
    parent: Execution,
    sql: string,
    options: NestedOptions,
  ): Promise<StatementOutcome> {
    const outer = parent.session;
    const session = new Session(outer.id, options.user ?? outer.user, outer.connection, {
      role: options.role ?? outer.role,
      warehouse: options.warehouse === undefined ? outer.warehouse : options.warehouse,
      database: options.database ?? outer.database,
      schema: options.schema ?? outer.schema,
    }, outer.authentication, outer.clientIp);
    for (const [key, value] of outer.variables) session.variables.set(key, value);
    Object.assign(session.parameters, outer.parameters);
    return this.executeIn(session, { sql, queryId: options.queryId ?? randomUUID() }, parent.signal, parent);
  }

  private async dispatch(x: Execution): Promise<StatementOutcome> {
    const { verb, object } = x.statementClass;
    switch (verb) {
      case 'query':
        return runQuery(x);
      case 'insert':
      case 'update':
      case 'delete':
      case 'merge':
        return runDml(x);
      case 'use':
        return use(x, new Cursor(x.sql));
      case 'set':
        return setVariables(x, new Cursor(x.sql));
      case 'unset':
        return unsetVariables(x, new Cursor(x.sql));
      case 'begin':
      case 'commit':
      case 'rollback':
        return transaction(x);
      case 'alter':
        if (object === 'SESSION') return alterSession(x, new Cursor(x.sql));
        if (object === 'WAREHOUSE') {
          const cursor = new Cursor(x.sql);
          cursor.expectWords('ALTER', 'WAREHOUSE');
          return alterWarehouse(x, cursor);
        }
        return dispatchDdl(x);
      case 'create':
        if (object === 'WAREHOUSE') {
          const cursor = new Cursor(x.sql);
          cursor.expectWords('CREATE');
          const orReplace = cursor.acceptWords('OR', 'REPLACE');
          cursor.expectWords('WAREHOUSE');
          return createWarehouse(x, cursor, orReplace);
        }
        return dispatchDdl(x);
      case 'put':
      case 'get':
        throw unsupported(
          `${verb.toUpperCase()} is not available in the sandbox; fill a stage with CALL SYSTEM$SANDBOX_PUT('@stage', 'file.csv', '<content>') or copy files into the stage's folder under the sandbox data directory`,
        );
      case 'unknown':
        throw syntaxError(new Cursor(x.sql).peek());
      default:
        return dispatchDdl(x);
    }
  }
}

/** Any failure as the Snowflake error the client should see. */
function toSandboxError(thrown: unknown, signal: AbortSignal): SandboxError {
  if (thrown instanceof SandboxError) return thrown;
  if (signal.aborted) return cancelled();
  if (thrown instanceof TokenizeError) return syntaxError(thrown.token);
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  const raised = raisedError(message);
  if (raised) return new SandboxError(raised.code, raised.sqlState, raised.message);
  if (/Interrupted/.test(message)) return cancelled();
  const mapped = fromDuckError(thrown, () => undefined);
  return mapped.code === '002140' ? compilationError(mapped.message.replace(/^SQL compilation error:\n/, '')) : mapped;
}

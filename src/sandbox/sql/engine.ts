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
import type { QueryPoint } from './history.js';
import { checkPassword, hashPassword } from './passwords.js';
import { Cursor } from './cursor.js';
import { cancelled, compilationError, fromDuckError, unsupported } from './errors.js';
import { Execution, forgetPrepared, type ActiveQuery, type EngineState, type NestedOptions } from './execution.js';
import { MACROS, raisedError } from './functions.js';
import { describeQuery, runDml, runQuery } from './query.js';
import { Session } from './session.js';
import { alterSession, setVariables, transaction, unsetVariables, use } from './session-commands.js';
import { FolderStageFiles, MemoryStageFiles, type StageFiles } from './stage-files.js';
import { classifyStatement, isScriptingBlock, redactSecrets, splitStatements } from './statements.js';
import { anonymousBlock } from './procedures.js';
import { Store } from './store.js';
import { TokenizeError } from './tokens.js';
import { syntaxError } from './errors.js';
import { alterWarehouse, applyAutoSuspend, createWarehouse } from './warehouses.js';
import { dispatchDdl } from './dispatch.js';
import { seedSandbox } from './seed.js';
import { runDueWork } from './tasks.js';

/** Options for opening the engine. */
export interface EngineOptions {
  /** Folder for the database and stage files, or ':memory:' for a throwaway sandbox. */
  dataDir: string | ':memory:';
  /** Load the sample source data (default true). */
  seed?: boolean;
  /** Run started tasks and alerts on their schedules while open (default true). */
  schedule?: boolean;
}

/** How often due tasks and alerts are looked for. */
const SCHEDULE_TICK_MS = 5_000;

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
  /** Statements in progress (waiting for the lock, or running), for QUERY_HISTORY and cancel. */
  private readonly active = new Map<string, ActiveQuery>();
  private sessionCounter = 0;

  private constructor(
    readonly catalog: Catalog,
    readonly store: Store,
    readonly stageFiles: StageFiles,
    readonly outbox: string | undefined,
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
    const outbox = options.dataDir === ':memory:' ? undefined : join(options.dataDir, 'outbox');
    const engine = new SnowflakeEngine(catalog, store, stageFiles, outbox);
    engine.lastVersion = await store.currentVersion(catalog.data.objects.filter((o) => o.kind === 'TABLE').map((o) => o.id));
    if (fresh) {
      await store.saveCatalog(store.admin, catalog.data);
      if (options.seed !== false) await seedSandbox(engine);
    }
    if (!fresh) await engine.purgeExpired();
    if (options.schedule !== false) engine.startSchedule();
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
    forgetPrepared(session.connection);
    session.connection.closeSync();
  }

  async close(): Promise<void> {
    if (this.scheduleTimer) clearInterval(this.scheduleTimer);
    while (this.ticking) await new Promise((resolve) => setTimeout(resolve, 20));
    this.scheduleSession?.connection.closeSync();
    for (const session of [...this.sessions.values()]) await this.closeSession(session);
    await this.store.saveCatalog(this.store.admin, this.catalog.data).catch(() => undefined);
    await this.store.close();
  }

  /**
   * Lets go of what retention no longer keeps: dropped tables, schemas and databases past their
   * retention, and row versions older than it (unless a stream still needs them).
   */
  async purgeExpired(now = Date.now()): Promise<void> {
    const c = this.catalog;
    const data = c.data;
    const day = 86_400_000;
    const gone = (droppedOn: string | undefined, days: number): boolean => droppedOn !== undefined && Date.parse(droppedOn) + days * day < now;
    const doomedDatabases = new Set(data.databases.filter((d) => gone(d.droppedOn, d.retentionDays ?? c.accountRetention())).map((d) => d.id));
    const doomedSchemas = new Set(
      data.schemas
        .filter((s) => doomedDatabases.has(s.databaseId) || gone(s.droppedOn, s.retentionDays ?? c.databaseById(s.databaseId)?.retentionDays ?? c.accountRetention()))
        .map((s) => s.id),
    );
    const doomedObjects = data.objects.filter((o) => doomedSchemas.has(o.schemaId) || (o.kind === 'TABLE' && gone(o.droppedOn, c.retentionDays(o))));
    if (doomedObjects.length === 0 && doomedSchemas.size === 0 && doomedDatabases.size === 0) {
      await this.trimHistory(now);
      return;
    }
    for (const object of doomedObjects) {
      if (object.kind === 'TABLE') await this.store.admin.run(`DROP TABLE IF EXISTS data.t${object.id}; DROP TABLE IF EXISTS data.h${object.id}`);
    }
    const doomedIds = new Set(doomedObjects.map((o) => o.id));
    data.objects = data.objects.filter((o) => !doomedIds.has(o.id));
    data.schemas = data.schemas.filter((s) => !doomedSchemas.has(s.id));
    data.databases = data.databases.filter((d) => !doomedDatabases.has(d.id));
    data.grants = data.grants.filter((g) => !(g.on.type === 'OBJECT' && doomedIds.has(g.on.id)) && !(g.on.type === 'SCHEMA' && doomedSchemas.has(g.on.id)) && !(g.on.type === 'DATABASE' && doomedDatabases.has(g.on.id)));
    await this.store.saveCatalog(this.store.admin, data);
    await this.trimHistory(now);
  }

  /** Deletes row versions that ended before a table's retention period, unless a stream still reads them. */
  private async trimHistory(now: number): Promise<void> {
    for (const object of this.catalog.data.objects) {
      if (object.kind !== 'TABLE' || object.droppedOn || !object.table) continue;
      const days = this.catalog.retentionDays(object);
      const streams = this.catalog.data.objects.filter((o) => o.stream?.tableId === object.id && !o.droppedOn).map((o) => o.stream!.offsetVersion);
      const cutoff = new Date(now - Math.max(days, 0) * 86_400_000).toISOString();
      const limit = streams.length > 0 ? `LEAST(v, ${Math.min(...streams)})` : 'v';
      await this.store.admin.run(
        `DELETE FROM data.h${object.id} WHERE "_SB_TO" IS NOT NULL AND "_SB_TO" <= (SELECT ${limit} FROM (SELECT coalesce(max(version), 0) AS v FROM meta.query_log WHERE version IS NOT NULL AND end_time < CAST($1 AS TIMESTAMPTZ)))`,
        [cutoff],
      );
    }
  }

  private scheduleTimer: NodeJS.Timeout | undefined;
  private scheduleSession: Session | undefined;
  private ticking = false;

  /** Looks for due tasks and alerts every few seconds while the engine is open. */
  private startSchedule(): void {
    this.scheduleTimer = setInterval(() => void this.runSchedule().catch(() => undefined), SCHEDULE_TICK_MS);
    this.scheduleTimer.unref();
  }

  /** Runs the tasks and alerts whose schedule has come round (also callable directly). */
  async runSchedule(now = new Date()): Promise<void> {
    if (this.ticking) return;
    const pending = this.catalog.data.objects.some((o) => !o.droppedOn && ((o.task?.state === 'started' && o.task.schedule) || (o.alert?.state === 'started' && o.alert.schedule)));
    if (!pending) return;
    this.ticking = true;
    const release = await this.lock.acquire(true);
    try {
      this.scheduleSession ??= new Session('scheduler', 'SYSTEM', await this.store.connect(), { role: 'ACCOUNTADMIN', warehouse: null, database: null, schema: null }, 'INTERNAL', '127.0.0.1');
      const request = { sql: 'EXECUTE TASK scheduled', queryId: randomUUID() };
      const x = new Execution(this, this.scheduleSession, request, request.sql, classifyStatement(request.sql), new AbortController().signal, this.lastVersion);
      if (await runDueWork(x, now)) await this.store.saveCatalog(this.store.admin, this.catalog.data);
    } finally {
      release();
      this.ticking = false;
    }
  }

  cancelQuery(queryId: string, user: string, roles: Set<string>): boolean {
    const query = this.active.get(queryId);
    if (!query) return false;
    if (query.session.user !== user && !roles.has('ACCOUNTADMIN')) return false;
    this.interrupt(query);
    return true;
  }

  activeQueries(): ActiveQuery[] {
    return [...this.active.values()];
  }

  private interrupt(query: ActiveQuery): void {
    query.cancel.abort();
    if (query.state === 'RUNNING') query.session.connection.interrupt();
  }

  /**
   * ALTER WAREHOUSE … ABORT ALL QUERIES cancels what runs on the warehouse before the statement
   * waits for its turn: the queries it stops are the ones it would otherwise wait for.
   */
  private abortWarehouseQueries(session: Session, queryId: string, sql: string): void {
    let name: string;
    try {
      const cursor = new Cursor(sql);
      cursor.expectWords('ALTER', 'WAREHOUSE');
      cursor.acceptIfExists();
      name = cursor.objectName().parts[0]!.name;
    } catch {
      return;
    }
    const warehouse = this.catalog.warehouse(name);
    // Without OPERATE nothing is touched; the statement itself then fails with the reason.
    if (!warehouse || !this.access.has(this.access.closure(session.role), { type: 'WAREHOUSE', id: warehouse.id }, 'OPERATE')) return;
    for (const query of this.active.values()) {
      if (query.queryId !== queryId && query.session.warehouse === warehouse.name) this.interrupt(query);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Statements

  async execute(engineSession: EngineSession, request: StatementRequest, signal: AbortSignal): Promise<StatementOutcome> {
    const session = this.sessions.get(engineSession.id);
    if (!session) throw new SandboxError('390111', '08001', 'Session no longer exists.  New login required to access the service.');
    return this.executeIn(session, request, signal, undefined);
  }

  private readonly points = new Map<string, QueryPoint>();

  /** A recent statement's place in the change history (the newest 100,000 are kept in memory). */
  readonly queryPoint = (queryId: string): QueryPoint | undefined => this.points.get(queryId);

  /** The newest change version handed out (the watermark of a statement that starts now). */
  lastVersion = 0;

  /** Runs one statement in a session; `parent` is set for statements run inside another (tasks). */
  async executeIn(session: Session, request: StatementRequest, outerSignal: AbortSignal, parent: Execution | undefined, nested?: NestedOptions): Promise<StatementOutcome> {
    const statementClass = classifyStatement(request.sql);
    const exclusive = !READ_ONLY_VERBS.has(statementClass.verb);
    const start = new Date();
    const cancel = new AbortController();
    const query: ActiveQuery = { queryId: request.queryId, session, sql: request.sql, start, queryType: statementClass.queryType, state: parent ? 'RUNNING' : 'BLOCKED', cancel };
    this.active.set(request.queryId, query);
    if (statementClass.object === 'WAREHOUSE' && statementClass.verb === 'alter' && /\bABORT\s+ALL\s+QUERIES\b/i.test(request.sql)) {
      this.abortWarehouseQueries(session, request.queryId, request.sql);
    }
    const onCancel = (): void => cancel.abort();
    if (outerSignal.aborted) cancel.abort();
    else outerSignal.addEventListener('abort', onCancel, { once: true });
    const signal = cancel.signal;
    let release: () => void = () => undefined;
    let x: Execution | undefined;
    try {
      if (!parent) release = await this.lock.acquire(exclusive);
      query.state = 'RUNNING';
      if (signal.aborted) throw cancelled();
      if (await applyAutoSuspend(this.store, this.catalog.data.warehouses, start)) {
        await this.store.saveCatalog(this.store.admin, this.catalog.data);
      }
      x = new Execution(this, session, request, request.sql, statementClass, signal, this.lastVersion);
      if (parent) {
        x.serverless = Boolean(nested?.serverless);
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
      outerSignal.removeEventListener('abort', onCancel);
      this.active.delete(request.queryId);
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
    this.points.set(x.request.queryId, { version: error ? null : x.version, watermark: x.watermark, start, end: new Date() });
    if (this.points.size > 100_000) this.points.delete(this.points.keys().next().value!);
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
      // For DML Snowflake reports the rows the statement affected.
      rowsProduced: x.counts.produced || x.counts.inserted + x.counts.updated + x.counts.deleted,
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
    return this.executeIn(session, { sql, queryId: options.queryId ?? randomUUID() }, parent.signal, parent, options);
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
        if (isScriptingBlock(x.sql)) return anonymousBlock(x);
        return transaction(x);
      case 'execute-immediate':
        return anonymousBlock(x);
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

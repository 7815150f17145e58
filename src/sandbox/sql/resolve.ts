// Names → objects, with Snowflake's rules: unqualified names use the current database and schema,
// a database or schema the role cannot use "does not exist or not authorized", and reading or
// writing an object needs the privilege for it. The Resolver is the translator's environment: it
// turns table references into DuckDB SQL (history for AT/BEFORE, change rows for streams, the
// view's own query for views) and answers session and SYSTEM$ functions.
import type { ObjectName, NamePart } from './cursor.js';
import { displayName } from './cursor.js';
import type { DatabaseEntry, ObjectEntry, ObjectKind, SchemaEntry } from './catalog.js';
import {
  compilationError, insufficientPrivileges, noActiveWarehouse, noCurrentDatabase, noCurrentSchema, notFound,
  unsupported, variableNotFound,
} from './errors.js';
import type { Execution, Scope } from './execution.js';
import { asOfSql, changesRange, changesSql, columnList, tableSql, travelVersionSql, type TravelTable } from './history.js';
import { quoteName, quoteString, type Token } from './tokens.js';
import {
  literalText, Translator, type ChangesClause, type DmlAction, type FunctionArg, type QueryEnvironment, type TargetTable,
  type TimeTravel,
} from './translate.js';
import { engineFunction } from './engine-functions.js';
import type { WireType } from '../engine-api.js';
import { wireType } from './types.js';
import { systemTableFunction, systemView } from './monitoring.js';

/** How the current statement is named in "Cannot perform X" messages. */
export function actionName(x: Execution): string {
  return x.statementClass.queryType.replace(/_/g, ' ');
}

/** A database by name, visible to the scope's roles. */
export function locateDatabase(x: Execution, part: NamePart | undefined, scope: Scope): DatabaseEntry {
  const name = part?.name ?? scope.database;
  if (!name) throw noCurrentDatabase(actionName(x));
  const database = x.catalog.database(name);
  if (!database || !x.access.databaseUsable(scope.roles, database.id)) throw notFound('Database', displayName([name]));
  return database;
}

/** A schema from up to two name parts ([db.]schema), visible to the scope's roles. */
export function locateSchema(x: Execution, parts: NamePart[], scope: Scope): { database: DatabaseEntry; schema: SchemaEntry } {
  const database = locateDatabase(x, parts.length === 2 ? parts[0] : undefined, scope);
  const schemaName = parts.length > 0 ? parts[parts.length - 1]!.name : scope.schema;
  if (!schemaName) throw noCurrentSchema(actionName(x));
  const schema = x.catalog.schema(database.id, schemaName);
  if (!schema || !x.access.schemaUsable(scope.roles, schema.id)) throw notFound('Schema', displayName([database.name, schemaName]));
  return { database, schema };
}

/** Where a possibly qualified object name points. */
export interface Located {
  database: DatabaseEntry;
  schema: SchemaEntry;
  /** The object's own name. */
  name: string;
  /** The name as written, for messages. */
  written: string;
  object: ObjectEntry | undefined;
}

/** A live object visible in this session: its own temporary objects first, others' never. */
export function findObject(x: Execution, schemaId: number, name: string, kinds: ObjectKind[]): ObjectEntry | undefined {
  const candidates = x.catalog.data.objects.filter(
    (o) => o.schemaId === schemaId && o.name === name && !o.droppedOn && kinds.includes(o.kind),
  );
  return candidates.find((o) => o.table?.sessionId === x.session.id) ?? candidates.find((o) => !o.table?.sessionId);
}

/** Resolves [db.][schema.]name against a scope. */
export function locate(x: Execution, name: ObjectName, kinds: ObjectKind[], scope: Scope): Located {
  const parts = name.parts;
  const last = parts[parts.length - 1]!;
  const { database, schema } = locateSchema(x, parts.slice(0, -1), scope);
  return { database, schema, name: last.name, written: displayName(parts.map((p) => p.name)), object: findObject(x, schema.id, last.name, kinds) };
}

/** What Snowflake calls an object kind in "Insufficient privileges to operate on …". */
export function kindWord(object: ObjectEntry): string {
  switch (object.kind) {
    case 'TABLE':
      return 'table';
    case 'VIEW':
      return object.view?.materialized ? 'materialized view' : 'view';
    case 'FILE_FORMAT':
      return 'file format';
    default:
      return object.kind.toLowerCase();
  }
}

/**
 * Requires a privilege on an object: an object the roles have no privilege on at all "does not
 * exist or not authorized"; one they can see but not use this way has "insufficient privileges".
 */
export function requirePrivilege(x: Execution, located: Located & { object: ObjectEntry }, privilege: string, roles: Set<string>): void {
  const target = { type: 'OBJECT' as const, id: located.object.id };
  if (x.access.has(roles, target, privilege)) return;
  if (!x.access.hasAny(roles, target)) throw notFound('Object', located.written);
  throw insufficientPrivileges(kindWord(located.object), located.object.name);
}

/** Marks the statement as needing a warehouse; fails at once if the session has none. */
export function requireWarehouse(x: Execution): void {
  x.needsWarehouse = true;
  if (!x.session.warehouse) throw noActiveWarehouse();
}

const MAX_VIEW_DEPTH = 16;

/** The translator's environment for one scope (the session's, or a view's owner inside a view). */
export class Resolver implements QueryEnvironment {
  constructor(
    private readonly x: Execution,
    readonly scope: Scope,
    private readonly depth = 0,
  ) {}

  /** A translator for SQL text in this scope. */
  translator(sql: string): Translator {
    return new Translator(sql, this);
  }

  relation(name: ObjectName, travel?: TimeTravel, changes?: ChangesClause): string {
    const x = this.x;
    const parts = name.parts;
    const system = systemView(x, this.scope, parts);
    if (system !== undefined) {
      requireWarehouse(x);
      return system;
    }
    const located = locate(x, name, ['TABLE', 'VIEW', 'STREAM'], this.scope);
    if (!located.object) throw notFound('Object', located.written);
    const object = located.object;
    requirePrivilege(x, { ...located, object }, 'SELECT', this.scope.roles);
    requireWarehouse(x);
    if (object.kind === 'VIEW') {
      if (travel || changes) throw unsupported('Time Travel on a view');
      return this.view(object, located);
    }
    if (object.kind === 'STREAM') {
      if (travel || changes) throw unsupported('Time Travel on a stream');
      return this.stream(object);
    }
    const table = object.table!;
    const travelTable: TravelTable = { name: located.name, createdVersion: table.createdVersion, retentionDays: x.catalog.retentionDays(object) };
    const streamOffset = (t: TimeTravel | undefined): number | undefined => (t?.kind === 'STREAM' ? this.streamOffset(t) : undefined);
    if (changes) {
      const range = changesRange(changes, travelTable, streamOffset(changes.from));
      return changesSql(object.id, table.columns, range.from, range.to, changes.appendOnly);
    }
    if (travel) {
      return asOfSql(object.id, table.columns, travelVersionSql(travel, travelTable, streamOffset(travel)));
    }
    return `(SELECT ${columnList(table.columns)} FROM ${tableSql(object.id)})`;
  }

  /** AT(STREAM => 'name'): the stream's offset. */
  private streamOffset(travel: TimeTravel): number {
    const text = literalText(travel.sql);
    if (text === undefined) throw compilationError('STREAM => needs a stream name in quotes');
    const name = new Translator(text, this).nameChain(new Translator(text, this).tree(), 0);
    if (!name) throw compilationError(`invalid stream name '${text}'`);
    const located = locate(this.x, name.name, ['STREAM'], this.scope);
    if (!located.object?.stream) throw notFound('Stream', located.written);
    return located.object.stream.offsetVersion;
  }

  private view(object: ObjectEntry, located: Located): string {
    if (this.depth >= MAX_VIEW_DEPTH) throw compilationError(`View '${located.written}' refers to itself or nests too deeply`);
    const view = object.view!;
    const owner = this.x.access.closure(object.owner);
    const inner = new Resolver(this.x, { database: located.database.name, schema: located.schema.name, role: object.owner, roles: owner }, this.depth + 1);
    const translator = inner.translator(view.query);
    const sql = translator.query(translator.tree(), true);
    if (view.columnNames) return `(SELECT * FROM (${sql}) AS v(${view.columnNames.map(quoteName).join(', ')}))`;
    return `(${sql})`;
  }

  private stream(object: ObjectEntry): string {
    const x = this.x;
    const stream = object.stream!;
    const table = x.catalog.objectById(stream.tableId);
    if (!table?.table || table.droppedOn) {
      throw compilationError(`Base table '${table ? x.catalog.qualifiedName(table).join('.') : stream.tableId}' dropped, cannot read from stream '${object.name}'`);
    }
    const offset = stream.showInitialRows && !stream.initialConsumed ? 0 : stream.offsetVersion;
    x.streamsRead.set(object.id, offset);
    return changesSql(table.id, table.table.columns, String(offset), null, stream.appendOnly);
  }

  target(name: ObjectName, action: DmlAction): TargetTable {
    const x = this.x;
    const located = locate(x, name, ['TABLE', 'VIEW', 'STREAM'], this.scope);
    if (!located.object) throw notFound('Object', located.written);
    const object = located.object;
    if (object.kind !== 'TABLE') {
      if (!x.access.hasAny(this.scope.roles, { type: 'OBJECT', id: object.id })) throw notFound('Object', located.written);
      throw compilationError(`Object '${located.written}' is not a table; ${action} is only allowed on tables.`);
    }
    if (action === 'MERGE') {
      const roles = this.scope.roles;
      const target = { type: 'OBJECT' as const, id: object.id };
      if (!['INSERT', 'UPDATE', 'DELETE'].some((p) => x.access.has(roles, target, p))) {
        requirePrivilege(x, { ...located, object }, 'UPDATE', roles);
      }
    } else {
      requirePrivilege(x, { ...located, object }, action, this.scope.roles);
    }
    requireWarehouse(x);
    targets(x).add(object.id);
    return { sql: tableSql(object.id), columns: object.table!.columns.map((c) => quoteName(c.name)), alias: object.name };
  }

  tableFunction(name: string[], args: FunctionArg[], token: Token): string {
    return systemTableFunction(this.x, this.scope, name, args, token, this);
  }

  variable(name: string, token: Token): { sql: string; text: string } {
    const value = this.x.session.variables.get(name);
    if (!value) throw variableNotFound(name, token);
    return value;
  }

  bind(index: number, token: Token): { sql: string; text: string } {
    return this.x.bind(index, token);
  }

  engineFunction(name: string, args: FunctionArg[], token: Token): string | undefined {
    return engineFunction(this.x, this, name, args, token);
  }

  columnsOf(name: ObjectName): { name: string; type: WireType }[] | undefined {
    if (name.parts.some((p) => p.name === 'INFORMATION_SCHEMA' || p.name === 'ACCOUNT_USAGE')) return undefined;
    try {
      const located = locate(this.x, name, ['TABLE', 'VIEW', 'STREAM'], this.scope);
      const table = located.object?.table;
      if (table) return table.columns.map((c) => ({ name: c.name, type: wireType(c.type) }));
      const stream = located.object?.stream ? this.x.catalog.objectById(located.object.stream.tableId)?.table : undefined;
      if (stream) {
        return [...stream.columns.map((c) => ({ name: c.name, type: wireType(c.type) })), { name: 'METADATA$ACTION', type: 'text' as WireType }, { name: 'METADATA$ISUPDATE', type: 'boolean' as WireType }, { name: 'METADATA$ROW_ID', type: 'text' as WireType }];
      }
    } catch {
      return undefined;
    }
    return undefined;
  }

  sequence(name: ObjectName): string {
    const located = locate(this.x, name, ['SEQUENCE'], this.scope);
    if (!located.object) throw notFound('Object', located.written);
    requirePrivilege(this.x, { ...located, object: located.object }, 'USAGE', this.scope.roles);
    return `nextval('meta.seq_o${located.object.id}')`;
  }

  /** Change rows of a stream for SYSTEM$STREAM_HAS_DATA (does not consume it). */
  streamChanges(streamName: string): string {
    const x = this.x;
    const translator = new Translator(streamName, this);
    const chain = translator.nameChain(translator.tree(), 0);
    if (!chain) throw compilationError(`invalid stream name '${streamName}'`);
    const located = locate(x, chain.name, ['STREAM'], this.scope);
    if (!located.object?.stream) throw notFound('Object', located.written);
    requirePrivilege(x, { ...located, object: located.object }, 'SELECT', this.scope.roles);
    const stream = located.object.stream;
    const table = x.catalog.objectById(stream.tableId);
    if (!table?.table) return '(SELECT 1 WHERE false)';
    const offset = stream.showInitialRows && !stream.initialConsumed ? 0 : stream.offsetVersion;
    return changesSql(table.id, table.table.columns, String(offset), null, stream.appendOnly);
  }
}

const touched = new WeakMap<Execution, Set<number>>();

/** Tables a statement writes (their history is recorded after the change). */
export function targets(x: Execution): Set<number> {
  let set = touched.get(x);
  if (!set) {
    set = new Set();
    touched.set(x, set);
  }
  return set;
}

/** A constant string argument of a SYSTEM$ function or procedure. */
export function constantText(arg: FunctionArg | undefined, what: string): string {
  const compact = arg?.sql.replace(/\s+/g, '');
  const text = arg ? literalText(arg.sql) ?? (/^-?\d+(\.\d+)?$/.test(compact!) ? compact : undefined) : undefined;
  if (text === undefined) throw compilationError(`${what} must be a constant`);
  return text;
}

/** Quotes a constant for SQL. */
export function sqlText(text: string): string {
  return quoteString(text);
}

// Databases, schemas, tables and views: CREATE (with CTAS, LIKE and CLONE at a point in time),
// ALTER (rename, swap, columns, retention, clustering), DROP, UNDROP and TRUNCATE. Dropped objects
// are kept until their retention ends, so UNDROP brings back data, history and grants.
import type { DatabaseEntry, ObjectEntry, ObjectKind, SchemaEntry, ColumnEntry } from './catalog.js';
import { displayName, type Cursor, type ObjectName, type PropertyValue } from './cursor.js';
import { alreadyExists, compilationError, insufficientPrivileges, notFound, statementNotFound } from './errors.js';
import type { Execution, Outcome } from './execution.js';
import {
  asOfSql, columnList, createTableSql, historySql, pointSql, recordChangesSql, ROW_ID, tableSql, travelVersionSql,
} from './history.js';
import { applyFutureGrants, copyGrants } from './grants.js';
import { prepare } from './query.js';
import { findObject, locate, locateDatabase, locateSchema, Resolver, requireWarehouse, type Located } from './resolve.js';
import { isOp, isWord, quoteName } from './tokens.js';
import { literalText, Translator, type TimeTravel } from './translate.js';
import { duckType, readType, typeFromDuck } from './types.js';

const OK = 'Statement executed successfully.';

/** Requires ownership (or a privilege) of an entry for DDL. */
function requireOwner(x: Execution, owner: string, kind: string, name: string): void {
  if (!x.roles().has(owner)) throw insufficientPrivileges(kind, name);
}

/** Retention (days) from a DATA_RETENTION_TIME_IN_DAYS property, validated. */
function retention(value: PropertyValue | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || value < 0 || value > 90) throw compilationError(`invalid value [${String(value)}] for parameter 'DATA_RETENTION_TIME_IN_DAYS'`);
  return value;
}

/** Parses an optional AT(…)/BEFORE(…) after CLONE source. */
function clonePoint(x: Execution, cursor: Cursor): TimeTravel | undefined {
  if (!cursor.isWords('AT') && !cursor.isWords('BEFORE')) return undefined;
  const start = cursor.peek().start;
  cursor.next();
  cursor.group();
  const end = cursor.tokens[cursor.index - 1]!;
  const text = x.sql.slice(start, end.start + 1);
  const resolver = new Resolver(x, x.scope());
  return new Translator(text, resolver).pointInTime();
}

// -------------------------------------------------------------------------------------------------
// Databases and schemas

/** CREATE DATABASE. */
export async function createDatabase(x: Execution, cursor: Cursor, orReplace: boolean, transient: boolean): Promise<Outcome> {
  const ifNotExists = cursor.acceptIfNotExists();
  const name = cursor.objectName();
  if (name.parts.length !== 1) cursor.fail(name.token);
  const dbName = name.parts[0]!.name;
  let cloneOf: { database: DatabaseEntry; point?: TimeTravel | number } | undefined;
  if (cursor.acceptWords('CLONE')) {
    const source = cursor.objectName();
    const database = locateDatabase(x, source.parts[0], x.scope());
    cloneOf = { database, point: clonePoint(x, cursor) };
  }
  const props = cursor.properties();
  cursor.expectEnd();
  const roles = x.roles();
  if (!x.access.hasAccount(roles, 'CREATE DATABASE')) throw insufficientPrivileges('account', x.engine.account.toUpperCase());
  const existing = x.catalog.database(dbName);
  if (existing && ifNotExists) return x.status(`${dbName} already exists, statement succeeded.`);
  if (existing && !orReplace) throw alreadyExists(dbName);
  if (existing) requireOwner(x, existing.owner, 'database', dbName);
  return x.ddl(async () => {
    const now = new Date().toISOString();
    if (existing) existing.droppedOn = now;
    const database: DatabaseEntry = {
      id: x.catalog.newId(), name: dbName, owner: x.session.role, createdOn: now,
      comment: props.COMMENT === undefined ? null : String(props.COMMENT), transient,
      retentionDays: retention(props.DATA_RETENTION_TIME_IN_DAYS),
    };
    x.catalog.data.databases.push(database);
    if (cloneOf) {
      if (cloneOf.point !== undefined && typeof cloneOf.point !== 'number') {
        const value = (await x.run(`SELECT ${pointSql(cloneOf.point, undefined, x.engine.queryPoint).version}`)).getRows()[0]![0];
        if (value === null || value === undefined) throw statementNotFound(literalText(cloneOf.point.sql) ?? cloneOf.point.sql);
        cloneOf.point = Number(value);
      }
      for (const schema of x.catalog.schemasOf(cloneOf.database.id)) {
        await cloneSchemaInto(x, schema, database, schema.name, cloneOf.point);
      }
    } else {
      x.catalog.data.schemas.push({
        id: x.catalog.newId(), databaseId: database.id, name: 'PUBLIC', owner: x.session.role, createdOn: now,
        comment: null, transient, managedAccess: false,
      });
    }
    x.session.database = database.name;
    x.session.schema = x.catalog.schema(database.id, 'PUBLIC') ? 'PUBLIC' : null;
    return x.status(`Database ${dbName} successfully created.`);
  });
}

/** CREATE SCHEMA. */
export async function createSchema(x: Execution, cursor: Cursor, orReplace: boolean, transient: boolean): Promise<Outcome> {
  const ifNotExists = cursor.acceptIfNotExists();
  const name = cursor.objectName();
  if (name.parts.length > 2) cursor.fail(name.token);
  const database = locateDatabase(x, name.parts.length === 2 ? name.parts[0] : undefined, x.scope());
  const schemaName = name.parts[name.parts.length - 1]!.name;
  let cloneOf: { schema: SchemaEntry; point?: TimeTravel } | undefined;
  if (cursor.acceptWords('CLONE')) {
    const source = cursor.objectName();
    const located = locateSchema(x, source.parts, x.scope());
    cloneOf = { schema: located.schema, point: clonePoint(x, cursor) };
  }
  const managedAccess = cursor.acceptWords('WITH', 'MANAGED', 'ACCESS');
  const props = cursor.properties();
  cursor.expectEnd();
  const roles = x.roles();
  if (!x.access.has(roles, { type: 'DATABASE', id: database.id }, 'CREATE SCHEMA')) throw insufficientPrivileges('database', database.name);
  const existing = x.catalog.schema(database.id, schemaName);
  if (existing && ifNotExists) return x.status(`${schemaName} already exists, statement succeeded.`);
  if (existing && !orReplace) throw alreadyExists(schemaName);
  if (existing) requireOwner(x, existing.owner, 'schema', schemaName);
  return x.ddl(async () => {
    const now = new Date().toISOString();
    if (existing) existing.droppedOn = now;
    if (cloneOf) {
      const schema = await cloneSchemaInto(x, cloneOf.schema, database, schemaName, cloneOf.point);
      schema.owner = x.session.role;
    } else {
      x.catalog.data.schemas.push({
        id: x.catalog.newId(), databaseId: database.id, name: schemaName, owner: x.session.role, createdOn: now,
        comment: props.COMMENT === undefined ? null : String(props.COMMENT), transient: transient || database.transient,
        managedAccess, retentionDays: retention(props.DATA_RETENTION_TIME_IN_DAYS),
      });
    }
    x.session.database = database.name;
    x.session.schema = schemaName;
    return x.status(`Schema ${schemaName} successfully created.`);
  });
}

/** Copies a schema and its tables and views into a database (zero-copy in Snowflake; a real copy here). */
async function cloneSchemaInto(x: Execution, source: SchemaEntry, database: DatabaseEntry, name: string, point?: TimeTravel | number): Promise<SchemaEntry> {
  const now = new Date().toISOString();
  // A schema cloned at a point holds the tables that existed then, as they were then.
  if (point !== undefined && typeof point !== 'number') {
    const { version } = pointSql(point, undefined, x.engine.queryPoint);
    const value = (await x.run(`SELECT ${version}`)).getRows()[0]![0];
    if (value === null || value === undefined) throw statementNotFound(literalText(point.sql) ?? point.sql);
    point = Number(value);
  }
  const schema: SchemaEntry = { ...structuredClone(source), id: x.catalog.newId(), databaseId: database.id, name, createdOn: now, owner: source.owner };
  delete schema.droppedOn;
  x.catalog.data.schemas.push(schema);
  for (const object of x.catalog.objectsOf(source.id, ['TABLE', 'VIEW', 'FILE_FORMAT', 'SEQUENCE', 'STAGE', 'TASK'])) {
    if (object.table?.tableKind === 'TEMPORARY') continue;
    if (typeof point === 'number' && object.table && object.table.createdVersion > point) continue;
    if (object.kind === 'TABLE') await cloneTable(x, object, schema, object.name, point, object.owner, true);
    else {
      const copy: ObjectEntry = { ...structuredClone(object), id: x.catalog.newId(), schemaId: schema.id, createdOn: now };
      if (copy.task) copy.task.state = 'suspended';
      x.catalog.data.objects.push(copy);
      // A cloned container's child objects keep the privileges granted on them.
      copyGrants(x, object.id, copy.id);
    }
  }
  return schema;
}

// -------------------------------------------------------------------------------------------------
// Tables

interface ColumnDraft {
  column: ColumnEntry;
  defaultSql: string | null;
  sequence?: { start: number; step: number };
}

/** Reads `(col type [constraints], …)` of CREATE TABLE. */
function columnDefinitions(x: Execution, cursor: Cursor): ColumnDraft[] {
  cursor.expectOp('(');
  const drafts: ColumnDraft[] = [];
  for (;;) {
    if (cursor.isWords('CONSTRAINT') || cursor.isWords('PRIMARY') || cursor.isWords('UNIQUE') || cursor.isWords('FOREIGN')) {
      skipConstraint(cursor);
    } else {
      drafts.push(columnDefinition(x, cursor));
    }
    if (cursor.acceptOp(',')) continue;
    cursor.expectOp(')');
    break;
  }
  const seen = new Set<string>();
  for (const draft of drafts) {
    if (seen.has(draft.column.name.toUpperCase())) throw compilationError(`duplicate column name '${draft.column.name}'`);
    seen.add(draft.column.name.toUpperCase());
  }
  return drafts;
}

function skipConstraint(cursor: Cursor): void {
  let depth = 0;
  while (!cursor.atEnd()) {
    const token = cursor.peek();
    if (depth === 0 && (isOp(token, ',') || isOp(token, ')'))) return;
    if (isOp(token, '(')) depth++;
    if (isOp(token, ')')) depth--;
    cursor.next();
  }
}

/** One column definition. */
function columnDefinition(x: Execution, cursor: Cursor): ColumnDraft {
  const part = cursor.namePart();
  const { type, next } = readType(cursor.tokens, cursor.index);
  cursor.index = next;
  const column: ColumnEntry = { name: part.name, type, nullable: true, default: null, comment: null };
  const draft: ColumnDraft = { column, defaultSql: null };
  for (;;) {
    const token = cursor.peek();
    if (token.kind === 'end' || isOp(token, ',') || isOp(token, ')')) break;
    if (cursor.acceptWords('NOT', 'NULL')) column.nullable = false;
    else if (cursor.acceptWords('NULL')) column.nullable = true;
    else if (cursor.acceptWords('DEFAULT')) {
      const start = cursor.index;
      let depth = 0;
      while (!cursor.atEnd()) {
        const t = cursor.peek();
        if (depth === 0 && (isOp(t, ',') || isOp(t, ')') || isWord(t, 'NOT', 'NULL', 'PRIMARY', 'UNIQUE', 'COMMENT', 'CONSTRAINT', 'REFERENCES', 'COLLATE'))) break;
        if (isOp(t, '(')) depth++;
        if (isOp(t, ')')) depth--;
        cursor.next();
      }
      const first = cursor.tokens[start]!;
      const last = cursor.tokens[cursor.index - 1]!;
      column.default = x.sql.slice(first.start, last.start + last.text.length);
      const resolver = new Resolver(x, x.scope());
      const translator = new Translator(column.default, resolver);
      draft.defaultSql = translator.expr(translator.tree());
    } else if (cursor.acceptAnyWord('AUTOINCREMENT', 'IDENTITY')) {
      let start = 1;
      let step = 1;
      if (cursor.acceptOp('(')) {
        start = Number(cursor.value());
        cursor.expectOp(',');
        step = Number(cursor.value());
        cursor.expectOp(')');
      } else if (cursor.acceptWords('START')) {
        start = Number(cursor.value());
        cursor.expectWords('INCREMENT');
        step = Number(cursor.value());
      }
      if (cursor.acceptWords('ORDER') || cursor.acceptWords('NOORDER')) {
        // accepted; the sandbox always hands out values in order
      }
      column.identity = { start, step };
      draft.sequence = { start, step };
    } else if (cursor.acceptWords('PRIMARY', 'KEY')) column.primaryKey = true;
    else if (cursor.acceptWords('UNIQUE')) {
      // accepted and not enforced, as in Snowflake
    } else if (cursor.acceptWords('COMMENT')) column.comment = String(cursor.value());
    else if (cursor.acceptWords('COLLATE')) cursor.value();
    else if (cursor.acceptWords('CONSTRAINT')) cursor.namePart();
    else if (cursor.acceptWords('REFERENCES')) {
      cursor.objectName();
      if (isOp(cursor.peek(), '(')) cursor.group();
    } else if (cursor.acceptWords('WITH')) {
      // WITH MASKING POLICY / WITH TAG: accepted, not modelled
      while (!cursor.atEnd() && !isOp(cursor.peek(), ',') && !isOp(cursor.peek(), ')')) {
        if (isOp(cursor.peek(), '(')) cursor.group();
        else cursor.next();
      }
    } else cursor.fail();
  }
  return draft;
}

/** Table options after the column list or query: CLUSTER BY, retention, change tracking, comment. */
function tableOptions(cursor: Cursor, stopAtAs: boolean): { clusterBy: string[]; props: Record<string, PropertyValue>; copyGrants: boolean } {
  const clusterBy: string[] = [];
  const props: Record<string, PropertyValue> = {};
  let copyGrants = false;
  for (;;) {
    if (cursor.atEnd() || (stopAtAs && cursor.isWords('AS'))) break;
    if (cursor.acceptWords('CLUSTER', 'BY')) {
      if (cursor.acceptWords('LINEAR')) {
        // LINEAR(…) is the same as (…)
      }
      const inner = cursor.group();
      clusterBy.push(...inner.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean));
      continue;
    }
    if (cursor.acceptWords('COPY', 'GRANTS')) {
      copyGrants = true;
      continue;
    }
    if (cursor.acceptWords('WITH')) continue;
    const token = cursor.peek();
    if (token.kind !== 'word') cursor.fail();
    cursor.next();
    if (!cursor.acceptOp('=')) cursor.fail(token);
    props[token.value] = cursor.value();
  }
  return { clusterBy, props, copyGrants };
}

/** Where a new table goes, after checking the CREATE privilege on its schema. */
function placeNew(x: Execution, name: ObjectName, kind: ObjectKind, privilege: string): Located {
  const located = locate(x, name, ['TABLE', 'VIEW', 'STREAM'], x.scope());
  if (!x.access.has(x.roles(), { type: 'SCHEMA', id: located.schema.id }, privilege)) {
    throw insufficientPrivileges('schema', located.schema.name);
  }
  void kind;
  return located;
}

/** A new table entry (not yet in the catalog). */
function newTable(x: Execution, schema: SchemaEntry, name: string, columns: ColumnEntry[], tableKind: 'PERMANENT' | 'TRANSIENT' | 'TEMPORARY', version: number): ObjectEntry {
  const now = new Date().toISOString();
  return {
    id: x.catalog.newId(), kind: 'TABLE', schemaId: schema.id, name, owner: x.session.role, createdOn: now, comment: null,
    table: {
      tableKind: schema.transient && tableKind === 'PERMANENT' ? 'TRANSIENT' : tableKind, columns, createdVersion: version,
      clusterBy: [], changeTracking: false, lastAltered: now,
      sessionId: tableKind === 'TEMPORARY' ? x.session.id : undefined,
    },
  };
}

/** Creates a table's physical storage (with identity sequences) and records its first version. */
async function materialize(x: Execution, object: ObjectEntry, drafts: { defaultSql: string | null; sequence?: { start: number; step: number } }[], fill?: string): Promise<void> {
  const table = object.table!;
  const defaults = await Promise.all(
    drafts.map(async (draft, k) => {
      if (!draft.sequence) return draft.defaultSql;
      const sequence = `meta.seq_${object.id}_${k}`;
      await x.run(`CREATE SEQUENCE ${sequence} START ${draft.sequence.start} INCREMENT ${draft.sequence.step}`);
      return `nextval('${sequence}')`;
    }),
  );
  for (const sql of createTableSql(object.id, table.columns, defaults)) await x.run(sql);
  if (fill) await x.run(fill);
  await x.run(recordChangesSql(object.id, table.columns, table.createdVersion));
}

/** Marks a table (or view) dropped; with no retention its storage goes at once. */
async function dropObject(x: Execution, object: ObjectEntry): Promise<void> {
  object.droppedOn = new Date().toISOString();
  if (object.kind === 'TABLE' && x.catalog.retentionDays(object) === 0) await purgeObject(x, object);
}

/** Removes an object and its storage for good. */
export async function purgeObject(x: Execution, object: ObjectEntry): Promise<void> {
  if (object.kind === 'TABLE') {
    await x.run(`DROP TABLE IF EXISTS ${tableSql(object.id)}; DROP TABLE IF EXISTS ${historySql(object.id)}`);
  }
  const index = x.catalog.data.objects.indexOf(object);
  if (index >= 0) x.catalog.data.objects.splice(index, 1);
  x.catalog.data.grants = x.catalog.data.grants.filter((g) => !(g.on.type === 'OBJECT' && g.on.id === object.id));
}

/**
 * Copies a table (at a point in time) into a schema under a name. `keepGrants`: a table cloned with
 * its schema or database, or with COPY GRANTS, keeps the privileges granted on the source.
 */
async function cloneTable(x: Execution, source: ObjectEntry, schema: SchemaEntry, name: string, point: TimeTravel | number | undefined, owner: string, keepGrants: boolean): Promise<ObjectEntry> {
  const version = await x.newVersion();
  const columns = structuredClone(source.table!.columns);
  const clone = newTable(x, schema, name, columns, source.table!.tableKind === 'TEMPORARY' ? 'TEMPORARY' : source.table!.tableKind, version);
  clone.owner = owner;
  clone.table!.clusterBy = [...source.table!.clusterBy];
  clone.table!.retentionDays = source.table!.retentionDays;
  clone.comment = source.comment;
  const cols = columnList(columns);
  let from: string;
  if (point !== undefined) {
    const travelVersion = typeof point === 'number' ? String(point) : travelVersionSql(point, { name: source.name, createdVersion: source.table!.createdVersion, retentionDays: x.catalog.retentionDays(source) }, undefined, x.engine.queryPoint);
    from = `SELECT ${ROW_ID}, ${cols} FROM ${asOfSql(source.id, columns, travelVersion, true)}`;
  } else {
    from = `SELECT ${ROW_ID}, ${cols} FROM ${tableSql(source.id)}`;
  }
  x.catalog.data.objects.push(clone);
  await materialize(x, clone, columns.map((c) => ({ defaultSql: null, ...(c.identity ? { sequence: c.identity } : {}) })), `INSERT INTO ${tableSql(clone.id)} (${ROW_ID}, ${cols}) ${from}`);
  if (keepGrants) copyGrants(x, source.id, clone.id);
  return clone;
}

/** CREATE TABLE in all its forms. */
export async function createTable(x: Execution, cursor: Cursor, orReplace: boolean, tableKind: 'PERMANENT' | 'TRANSIENT' | 'TEMPORARY'): Promise<Outcome> {
  const ifNotExists = cursor.acceptIfNotExists();
  const name = cursor.objectName();
  const located = placeNew(x, name, 'TABLE', 'CREATE TABLE');
  const existing = located.object;
  const finish = (): Outcome => x.status(`Table ${located.name} successfully created.`);
  if (existing && ifNotExists) return x.status(`${located.name} already exists, statement succeeded.`);
  if (existing && !orReplace) throw alreadyExists(located.name);
  if (existing && existing.kind !== 'TABLE') throw compilationError(`Object found is of type '${existing.kind}', not specified type 'TABLE'.`);
  if (existing) requireOwner(x, existing.owner, 'table', located.name);

  // CLONE and LIKE
  if (cursor.isWords('CLONE') || cursor.isWords('LIKE')) {
    const like = cursor.acceptWords('LIKE');
    if (!like) cursor.expectWords('CLONE');
    const sourceName = cursor.objectName();
    const source = locate(x, sourceName, ['TABLE'], x.scope());
    if (!source.object?.table) throw notFound('Object', source.written);
    if (!x.access.has(x.roles(), { type: 'OBJECT', id: source.object.id }, like ? 'SELECT' : 'SELECT') && !x.access.hasAny(x.roles(), { type: 'OBJECT', id: source.object.id })) {
      throw notFound('Object', source.written);
    }
    const point = like ? undefined : clonePoint(x, cursor);
    const options = tableOptions(cursor, false);
    cursor.expectEnd();
    return x.ddl(async () => {
      if (existing) await dropObject(x, existing);
      let created: ObjectEntry;
      if (like) {
        const version = await x.newVersion();
        created = newTable(x, located.schema, located.name, structuredClone(source.object!.table!.columns), tableKind, version);
        x.catalog.data.objects.push(created);
        await materialize(x, created, created.table!.columns.map(() => ({ defaultSql: null })));
      } else {
        created = await cloneTable(x, source.object!, located.schema, located.name, point, x.session.role, options.copyGrants);
        created.owner = x.session.role;
      }
      applyTableProps(created, options.props, options.clusterBy);
      if (tableKind === 'TEMPORARY') x.session.temporaryObjects.add(created.id);
      applyFutureGrants(x, created, located);
      return finish();
    });
  }

  let drafts: ColumnDraft[] | undefined;
  let columnNames: string[] | undefined;
  if (isOp(cursor.peek(), '(')) {
    // (a, b) AS SELECT … names CTAS columns; (a TYPE, …) defines them.
    const save = cursor.index;
    const namesOnly = tryNameList(cursor);
    if (namesOnly && cursor.isWords('AS')) columnNames = namesOnly;
    else {
      cursor.index = save;
      drafts = columnDefinitions(x, cursor);
    }
  }
  const options = tableOptions(cursor, true);
  let query: string | undefined;
  if (cursor.acceptWords('AS')) {
    query = cursor.rest();
    if (!query) cursor.fail();
  }
  cursor.expectEnd();
  if (!drafts && query === undefined) cursor.fail();

  return x.ddl(async () => {
    if (existing) await dropObject(x, existing);
    const version = await x.newVersion();
    let created: ObjectEntry;
    if (query !== undefined) {
      // CREATE TABLE … AS query: the columns are the query's.
      const resolver = new Resolver(x, x.scope());
      const translator = resolver.translator(query);
      const sql = translator.query(translator.tree(), true);
      requireWarehouse(x);
      await prepare(x);
      const prepared = await x.session.connection.prepare(sql).catch((error: unknown) => {
        throw compilationError(error instanceof Error ? error.message : String(error));
      });
      const columns: ColumnEntry[] = [];
      for (let k = 0; k < prepared.columnCount; k++) {
        const name = columnNames?.[k] ?? prepared.columnName(k);
        const draft = drafts?.[k]?.column;
        columns.push(draft ?? { name, type: typeFromDuck(prepared.columnType(k).toString()), nullable: true, default: null, comment: null });
      }
      prepared.destroySync();
      if (columnNames && columnNames.length !== columns.length) throw compilationError('Invalid column list: it does not match the number of columns of the query');
      created = newTable(x, located.schema, located.name, columns, tableKind, version);
      x.catalog.data.objects.push(created);
      const selected = columns.map((c, k) => `CAST(q.${quoteName(columns[k] === c ? (columnNames ? `col${k}` : c.name) : c.name)} AS ${duckType(c.type)})`);
      const aliased = columnNames ? `(SELECT * FROM (${sql}) AS s(${columns.map((_, k) => `col${k}`).join(', ')}))` : `(${sql})`;
      await materialize(x, created, columns.map(() => ({ defaultSql: null })), `INSERT INTO ${tableSql(created.id)} (${columnList(columns)}) SELECT ${selected.join(', ')} FROM ${aliased} AS q`);
      const count = await x.run(`SELECT count(*) FROM ${tableSql(created.id)}`);
      x.counts.inserted = Number(count.getRows()[0]![0]);
    } else {
      created = newTable(x, located.schema, located.name, drafts!.map((d) => d.column), tableKind, version);
      x.catalog.data.objects.push(created);
      await materialize(x, created, drafts!);
    }
    applyTableProps(created, options.props, options.clusterBy);
    if (tableKind === 'TEMPORARY') x.session.temporaryObjects.add(created.id);
    if (options.copyGrants && existing) copyGrants(x, existing.id, created.id);
    applyFutureGrants(x, created, located);
    return finish();
  });
}

function tryNameList(cursor: Cursor): string[] | undefined {
  if (!cursor.acceptOp('(')) return undefined;
  const names: string[] = [];
  for (;;) {
    const token = cursor.peek();
    if (token.kind !== 'word' && token.kind !== 'quoted') return undefined;
    cursor.next();
    names.push(token.value);
    if (cursor.acceptOp(',')) continue;
    if (cursor.acceptOp(')')) return names;
    return undefined;
  }
}

function applyTableProps(object: ObjectEntry, props: Record<string, PropertyValue>, clusterBy: string[]): void {
  const table = object.table!;
  if (clusterBy.length > 0) table.clusterBy = clusterBy;
  for (const [key, value] of Object.entries(props)) {
    switch (key) {
      case 'DATA_RETENTION_TIME_IN_DAYS': {
        const days = retention(value);
        if (table.tableKind !== 'PERMANENT' && days !== undefined && days > 1) {
          throw compilationError(`invalid value [${days}] for parameter 'DATA_RETENTION_TIME_IN_DAYS'`);
        }
        table.retentionDays = days;
        break;
      }
      case 'CHANGE_TRACKING':
        table.changeTracking = value === true || String(value).toUpperCase() === 'TRUE';
        break;
      case 'COMMENT':
        object.comment = value === null ? null : String(value);
        break;
      case 'MAX_DATA_EXTENSION_TIME_IN_DAYS':
      case 'DEFAULT_DDL_COLLATION':
      case 'ENABLE_SCHEMA_EVOLUTION':
      case 'STAGE_FILE_FORMAT':
      case 'STAGE_COPY_OPTIONS':
      case 'TAG':
        break;
      default:
        throw compilationError(`invalid property '${key}' for 'TABLE'`);
    }
  }
}

// -------------------------------------------------------------------------------------------------
// Views

/** CREATE [SECURE] [MATERIALIZED] VIEW. */
export async function createView(x: Execution, cursor: Cursor, orReplace: boolean, secure: boolean, materialized: boolean, recursive: boolean): Promise<Outcome> {
  const ifNotExists = cursor.acceptIfNotExists();
  const name = cursor.objectName();
  const located = placeNew(x, name, 'VIEW', materialized ? 'CREATE MATERIALIZED VIEW' : 'CREATE VIEW');
  let columnNames: string[] | null = null;
  if (isOp(cursor.peek(), '(')) {
    columnNames = [];
    cursor.expectOp('(');
    for (;;) {
      columnNames.push(cursor.namePart().name);
      if (cursor.isWords('COMMENT')) {
        cursor.next();
        cursor.value();
      }
      if (cursor.acceptOp(',')) continue;
      cursor.expectOp(')');
      break;
    }
  }
  const props: Record<string, PropertyValue> = {};
  let keepGrants = false;
  for (;;) {
    if (cursor.acceptWords('COPY', 'GRANTS')) {
      keepGrants = true;
      continue;
    }
    if (cursor.isWords('AS')) break;
    if (cursor.acceptWords('CLUSTER', 'BY')) {
      cursor.group();
      continue;
    }
    const token = cursor.peek();
    if (token.kind !== 'word' || !isOp(cursor.peek(1), '=')) cursor.fail();
    cursor.index += 2;
    props[token.value] = cursor.value();
  }
  cursor.expectWords('AS');
  const query = cursor.rest();
  if (!query) cursor.fail();
  const existing = located.object;
  if (existing && ifNotExists) return x.status(`${located.name} already exists, statement succeeded.`);
  if (existing && !orReplace) throw alreadyExists(located.name);
  if (existing && existing.kind !== 'VIEW') throw compilationError(`Object found is of type '${existing.kind}', not specified type 'VIEW'.`);
  if (existing) requireOwner(x, existing.owner, 'view', located.name);
  // Compile the view now, as its future owner would read it, so a broken view fails here.
  const owner = x.session.role;
  const resolver = new Resolver(x, { database: located.database.name, schema: located.schema.name, role: owner, roles: x.access.closure(owner) });
  const translator = resolver.translator(query);
  const sql = translator.query(translator.tree(), true);
  const prepared = await x.session.connection.prepare(sql).catch((error: unknown) => {
    throw compilationError(error instanceof Error ? error.message.replace(/^\w+ Error: /, '').replace(/\n[\s\S]*$/, '') : String(error));
  });
  const count = prepared.columnCount;
  const compiled = Array.from({ length: count }, (_, k) => ({ name: columnNames?.[k] ?? prepared.columnName(k), type: typeFromDuck(prepared.columnType(k).toString()) }));
  prepared.destroySync();
  if (columnNames && columnNames.length !== count) throw compilationError(`invalid number of result columns for view ${located.name}: ${count} columns in the query, ${columnNames.length} names`);
  x.needsWarehouse = false;
  x.streamsRead.clear();
  return x.ddl(async () => {
    if (existing) await dropObject(x, existing);
    const view: ObjectEntry = {
      id: x.catalog.newId(), kind: 'VIEW', schemaId: located.schema.id, name: located.name, owner, createdOn: new Date().toISOString(),
      comment: props.COMMENT === undefined ? null : String(props.COMMENT),
      view: { query, text: x.sql, columnNames, columns: compiled, secure: secure || props.SECURE === true, materialized, recursive },
    };
    x.catalog.data.objects.push(view);
    applyFutureGrants(x, view, located);
    // COPY GRANTS keeps the replaced view's privileges on the new one.
    if (keepGrants && existing) copyGrants(x, existing.id, view.id);
    return x.status(`View ${located.name} successfully created.`);
  });
}

// -------------------------------------------------------------------------------------------------
// DROP / UNDROP / TRUNCATE

/** DROP DATABASE | SCHEMA | TABLE | VIEW | MATERIALIZED VIEW. */
export async function dropContainerOrTable(x: Execution, cursor: Cursor, kind: 'DATABASE' | 'SCHEMA' | 'TABLE' | 'VIEW' | 'MATERIALIZED VIEW'): Promise<Outcome> {
  const ifExists = cursor.acceptIfExists();
  const name = cursor.objectName();
  cursor.acceptAnyWord('CASCADE', 'RESTRICT');
  cursor.expectEnd();
  const last = name.parts[name.parts.length - 1]!.name;
  const missing = (): Outcome => {
    if (ifExists) return x.status(`Drop statement executed successfully (${last} already dropped).`);
    if (kind === 'DATABASE') throw notFound('Database', displayName(name.parts.map((p) => p.name)));
    if (kind === 'SCHEMA') throw notFound('Schema', displayName(name.parts.map((p) => p.name)));
    throw notFound('Object', displayName(name.parts.map((p) => p.name)));
  };
  const roles = x.roles();
  if (kind === 'DATABASE') {
    if (name.parts.length !== 1) cursor.fail(name.token);
    const database = x.catalog.database(last);
    if (!database || !x.access.databaseVisible(roles, database.id)) return missing();
    if (database.name === 'SNOWFLAKE') throw insufficientPrivileges('database', 'SNOWFLAKE');
    requireOwner(x, database.owner, 'database', database.name);
    return x.ddl(async () => {
      database.droppedOn = new Date().toISOString();
      if (x.session.database === database.name) {
        x.session.database = null;
        x.session.schema = null;
      }
      return x.status(`${database.name} successfully dropped.`);
    });
  }
  if (kind === 'SCHEMA') {
    let located;
    try {
      located = { database: locateDatabase(x, name.parts.length === 2 ? name.parts[0] : undefined, x.scope()) };
    } catch (error) {
      if (ifExists) return missing();
      throw error;
    }
    const schema = x.catalog.schema(located.database.id, last);
    if (!schema || !x.access.hasAny(roles, { type: 'SCHEMA', id: schema.id })) return missing();
    requireOwner(x, schema.owner, 'schema', schema.name);
    return x.ddl(async () => {
      schema.droppedOn = new Date().toISOString();
      if (x.session.database === located.database.name && x.session.schema === schema.name) x.session.schema = null;
      return x.status(`${schema.name} successfully dropped.`);
    });
  }
  let located: Located;
  try {
    located = locate(x, name, ['TABLE', 'VIEW', 'STREAM'], x.scope());
  } catch (error) {
    if (ifExists) return missing();
    throw error;
  }
  const object = located.object;
  if (!object || !x.access.hasAny(roles, { type: 'OBJECT', id: object.id })) return missing();
  const wanted = kind === 'TABLE' ? 'TABLE' : 'VIEW';
  const isMaterialized = Boolean(object.view?.materialized);
  if (object.kind !== wanted || (kind === 'MATERIALIZED VIEW' && !isMaterialized)) {
    const found = object.kind === 'VIEW' && isMaterialized ? 'MATERIALIZED_VIEW' : object.kind;
    throw compilationError(`Object found is of type '${found}', not specified type '${kind.replace(' ', '_')}'.`);
  }
  requireOwner(x, object.owner, kind.toLowerCase(), object.name);
  return x.ddl(async () => {
    await dropObject(x, object);
    x.session.temporaryObjects.delete(object.id);
    return x.status(`${object.name} successfully dropped.`);
  });
}

/** UNDROP TABLE | SCHEMA | DATABASE: the most recently dropped one of that name, within retention. */
export async function undrop(x: Execution, cursor: Cursor): Promise<Outcome> {
  cursor.expectWords('UNDROP');
  const kind = cursor.expectAnyWord('TABLE', 'SCHEMA', 'DATABASE');
  const name = cursor.objectName();
  cursor.expectEnd();
  const last = name.parts[name.parts.length - 1]!.name;
  const now = Date.now();
  const within = (droppedOn: string | undefined, days: number): boolean => droppedOn !== undefined && Date.parse(droppedOn) + days * 86_400_000 >= now;
  const latest = <T extends { droppedOn?: string }>(entries: T[]): T | undefined =>
    entries.filter((e) => e.droppedOn).sort((a, b) => Date.parse(b.droppedOn!) - Date.parse(a.droppedOn!))[0];
  const purged = (): never => {
    throw notFound(kind === 'TABLE' ? 'Object' : kind === 'SCHEMA' ? 'Schema' : 'Database', displayName(name.parts.map((p) => p.name)));
  };
  if (kind === 'DATABASE') {
    if (name.parts.length !== 1) cursor.fail(name.token);
    const dropped = latest(x.catalog.data.databases.filter((d) => d.name === last));
    if (!dropped) purged();
    if (x.catalog.database(last)) throw alreadyExists(last);
    if (!within(dropped!.droppedOn, dropped!.retentionDays ?? x.catalog.accountRetention())) purged();
    requireOwner(x, dropped!.owner, 'database', last);
    return x.ddl(async () => {
      delete dropped!.droppedOn;
      return x.status(`Database ${last} successfully restored.`);
    });
  }
  if (kind === 'SCHEMA') {
    const database = locateDatabase(x, name.parts.length === 2 ? name.parts[0] : undefined, x.scope());
    const dropped = latest(x.catalog.data.schemas.filter((s) => s.databaseId === database.id && s.name === last));
    if (!dropped) purged();
    if (x.catalog.schema(database.id, last)) throw alreadyExists(last);
    if (!within(dropped!.droppedOn, dropped!.retentionDays ?? database.retentionDays ?? x.catalog.accountRetention())) purged();
    requireOwner(x, dropped!.owner, 'schema', last);
    return x.ddl(async () => {
      delete dropped!.droppedOn;
      return x.status(`Schema ${last} successfully restored.`);
    });
  }
  const { schema } = locateSchema(x, name.parts.slice(0, -1), x.scope());
  const dropped = latest(x.catalog.data.objects.filter((o) => o.schemaId === schema.id && o.name === last && o.kind === 'TABLE'));
  if (!dropped) purged();
  if (findObject(x, schema.id, last, ['TABLE', 'VIEW', 'STREAM'])) throw alreadyExists(last);
  if (!within(dropped!.droppedOn, x.catalog.retentionDays(dropped!))) purged();
  requireOwner(x, dropped!.owner, 'table', last);
  return x.ddl(async () => {
    delete dropped!.droppedOn;
    return x.status(`Table ${last} successfully restored.`);
  });
}

/** TRUNCATE [TABLE] [IF EXISTS] name: deletes every row, keeping history. */
export async function truncate(x: Execution, cursor: Cursor): Promise<Outcome> {
  cursor.expectWords('TRUNCATE');
  cursor.acceptWords('TABLE');
  const ifExists = cursor.acceptIfExists();
  const name = cursor.objectName();
  cursor.expectEnd();
  const located = locate(x, name, ['TABLE', 'VIEW', 'STREAM'], x.scope());
  if (!located.object) {
    if (ifExists) return x.status(OK);
    throw notFound('Object', located.written);
  }
  const resolver = new Resolver(x, x.scope());
  const target = resolver.target(name, 'TRUNCATE');
  return x.dml(async () => {
    await x.run(`DELETE FROM ${target.sql}`);
    const object = located.object!;
    const version = await x.newVersion();
    await x.run(recordChangesSql(object.id, object.table!.columns, version));
    object.table!.lastAltered = new Date().toISOString();
    return x.status(OK);
  });
}

// -------------------------------------------------------------------------------------------------
// ALTER

/** ALTER DATABASE. */
export async function alterDatabase(x: Execution, cursor: Cursor): Promise<Outcome> {
  const ifExists = cursor.acceptIfExists();
  const name = cursor.objectName();
  const database = x.catalog.database(name.parts[0]!.name);
  if (!database || !x.access.databaseVisible(x.roles(), database.id)) {
    if (ifExists) return x.status(OK);
    throw notFound('Database', name.parts[0]!.name);
  }
  requireOwner(x, database.owner, 'database', database.name);
  return x.ddl(async () => {
    if (cursor.acceptWords('RENAME', 'TO')) {
      const newName = cursor.objectName().parts[0]!.name;
      cursor.expectEnd();
      if (x.catalog.database(newName)) throw alreadyExists(newName);
      await moveStages(x, { database: database.name }, { database: newName });
      for (const session of x.engine.sessions.values()) if (session.database === database.name) session.database = newName;
      database.name = newName;
    } else if (cursor.acceptWords('SWAP', 'WITH')) {
      const other = x.catalog.database(cursor.objectName().parts[0]!.name);
      cursor.expectEnd();
      if (!other) throw notFound('Database', 'SWAP target');
      requireOwner(x, other.owner, 'database', other.name);
      [database.name, other.name] = [other.name, database.name];
    } else if (cursor.acceptWords('SET')) {
      const props = cursor.properties();
      cursor.expectEnd();
      if ('DATA_RETENTION_TIME_IN_DAYS' in props) database.retentionDays = retention(props.DATA_RETENTION_TIME_IN_DAYS);
      if ('COMMENT' in props) database.comment = props.COMMENT === null ? null : String(props.COMMENT);
    } else if (cursor.acceptWords('UNSET')) {
      const key = cursor.namePart().name;
      cursor.expectEnd();
      if (key === 'DATA_RETENTION_TIME_IN_DAYS') delete database.retentionDays;
      if (key === 'COMMENT') database.comment = null;
    } else cursor.fail();
    return x.status(OK);
  });
}

/** ALTER SCHEMA. */
export async function alterSchema(x: Execution, cursor: Cursor): Promise<Outcome> {
  const ifExists = cursor.acceptIfExists();
  const name = cursor.objectName();
  let located;
  try {
    located = locateSchema(x, name.parts, x.scope());
  } catch (error) {
    if (ifExists) return x.status(OK);
    throw error;
  }
  const { database, schema } = located;
  requireOwner(x, schema.owner, 'schema', schema.name);
  return x.ddl(async () => {
    if (cursor.acceptWords('RENAME', 'TO')) {
      const target = cursor.objectName();
      cursor.expectEnd();
      const newName = target.parts[target.parts.length - 1]!.name;
      if (x.catalog.schema(database.id, newName)) throw alreadyExists(newName);
      await moveStages(x, { database: database.name, schema: schema.name }, { database: database.name, schema: newName });
      schema.name = newName;
    } else if (cursor.acceptWords('SWAP', 'WITH')) {
      const other = locateSchema(x, cursor.objectName().parts, x.scope()).schema;
      cursor.expectEnd();
      requireOwner(x, other.owner, 'schema', other.name);
      [schema.name, other.name] = [other.name, schema.name];
      [schema.databaseId, other.databaseId] = [other.databaseId, schema.databaseId];
    } else if (cursor.acceptWords('SET')) {
      const props = cursor.properties();
      cursor.expectEnd();
      if ('DATA_RETENTION_TIME_IN_DAYS' in props) schema.retentionDays = retention(props.DATA_RETENTION_TIME_IN_DAYS);
      if ('COMMENT' in props) schema.comment = props.COMMENT === null ? null : String(props.COMMENT);
    } else if (cursor.acceptWords('ENABLE', 'MANAGED', 'ACCESS')) {
      schema.managedAccess = true;
    } else if (cursor.acceptWords('DISABLE', 'MANAGED', 'ACCESS')) {
      schema.managedAccess = false;
    } else if (cursor.acceptWords('UNSET')) {
      const key = cursor.namePart().name;
      cursor.expectEnd();
      if (key === 'DATA_RETENTION_TIME_IN_DAYS') delete schema.retentionDays;
      if (key === 'COMMENT') schema.comment = null;
    } else cursor.fail();
    return x.status(OK);
  });
}

/** Moves internal stages' folders when a database or schema is renamed. */
async function moveStages(x: Execution, from: { database: string; schema?: string }, to: { database: string; schema?: string }): Promise<void> {
  for (const object of x.catalog.data.objects) {
    if (object.kind !== 'STAGE' || object.droppedOn) continue;
    const [db, schema, stage] = x.catalog.qualifiedName(object);
    if (db !== from.database || (from.schema && schema !== from.schema)) continue;
    await x.engine.stageFiles.move([db!, schema!, stage!], [to.database, to.schema ?? schema!, stage!]);
  }
}

/** ALTER TABLE. */
export async function alterTable(x: Execution, cursor: Cursor): Promise<Outcome> {
  const ifExists = cursor.acceptIfExists();
  const name = cursor.objectName();
  const located = locate(x, name, ['TABLE', 'VIEW', 'STREAM'], x.scope());
  const object = located.object;
  if (!object || object.kind !== 'TABLE' || !x.access.hasAny(x.roles(), { type: 'OBJECT', id: object.id })) {
    if (ifExists) return x.status(OK);
    throw notFound('Object', located.written);
  }
  requireOwner(x, object.owner, 'table', object.name);
  const table = object.table!;
  const t = tableSql(object.id);
  const h = historySql(object.id);
  return x.ddl(async () => {
    if (cursor.acceptWords('RENAME', 'TO')) {
      const target = cursor.objectName();
      cursor.expectEnd();
      const place = locate(x, target, ['TABLE', 'VIEW', 'STREAM'], x.scope());
      if (place.object) throw alreadyExists(place.name);
      if (!x.access.has(x.roles(), { type: 'SCHEMA', id: place.schema.id }, 'CREATE TABLE')) throw insufficientPrivileges('schema', place.schema.name);
      object.name = place.name;
      object.schemaId = place.schema.id;
    } else if (cursor.acceptWords('SWAP', 'WITH')) {
      const otherName = cursor.objectName();
      cursor.expectEnd();
      const other = locate(x, otherName, ['TABLE'], x.scope());
      if (!other.object?.table) throw notFound('Object', other.written);
      requireOwner(x, other.object.owner, 'table', other.object.name);
      const a = { name: object.name, schemaId: object.schemaId };
      object.name = other.object.name;
      object.schemaId = other.object.schemaId;
      other.object.name = a.name;
      other.object.schemaId = a.schemaId;
    } else if (cursor.acceptWords('ADD')) {
      if (cursor.isWords('CONSTRAINT') || cursor.isWords('PRIMARY') || cursor.isWords('UNIQUE') || cursor.isWords('FOREIGN')) {
        skipConstraint(cursor);
        cursor.expectEnd();
        return x.status(OK);
      }
      cursor.acceptWords('COLUMN');
      const ifNotExists = cursor.acceptIfNotExists();
      const drafts: ColumnDraft[] = [];
      do drafts.push(columnDefinition(x, cursor));
      while (cursor.acceptOp(',') && (cursor.acceptWords('COLUMN') || true));
      cursor.expectEnd();
      for (const draft of drafts) {
        if (table.columns.some((c) => c.name === draft.column.name)) {
          if (ifNotExists) continue;
          throw compilationError(`column '${draft.column.name}' already exists`);
        }
        const duck = duckType(draft.column.type);
        const defaultSql = draft.defaultSql ? ` DEFAULT (${draft.defaultSql})` : '';
        await x.run(`ALTER TABLE ${t} ADD COLUMN ${quoteName(draft.column.name)} ${duck}${defaultSql}`);
        await x.run(`ALTER TABLE ${h} ADD COLUMN ${quoteName(draft.column.name)} ${duck}`);
        table.columns.push(draft.column);
        if (draft.defaultSql) {
          // Existing rows got the default: that is a change, with its own version.
          await x.run(recordChangesSql(object.id, table.columns, await x.newVersion()));
        }
      }
    } else if (cursor.acceptWords('DROP')) {
      if (cursor.acceptWords('CLUSTERING', 'KEY')) {
        cursor.expectEnd();
        table.clusterBy = [];
        delete table.reclusterSuspended;
        return x.status(OK);
      }
      if (cursor.isWords('CONSTRAINT') || cursor.isWords('PRIMARY') || cursor.isWords('UNIQUE')) {
        skipConstraint(cursor);
        return x.status(OK);
      }
      cursor.acceptWords('COLUMN');
      const ifColumnExists = cursor.acceptIfExists();
      const names: string[] = [];
      do names.push(cursor.namePart().name);
      while (cursor.acceptOp(','));
      cursor.expectEnd();
      for (const column of names) {
        const index = table.columns.findIndex((c) => c.name === column);
        if (index < 0) {
          if (ifColumnExists) continue;
          throw compilationError(`error line 1 at position 0\ninvalid identifier '${column}'`);
        }
        if (table.columns.length === 1) throw compilationError('Cannot drop the only column of a table.');
        await x.run(`ALTER TABLE ${t} DROP COLUMN ${quoteName(column)}`);
        await x.run(`ALTER TABLE ${h} DROP COLUMN ${quoteName(column)}`);
        table.columns.splice(index, 1);
      }
    } else if (cursor.acceptWords('RENAME', 'COLUMN')) {
      const from = cursor.namePart().name;
      cursor.expectWords('TO');
      const to = cursor.namePart().name;
      cursor.expectEnd();
      const column = table.columns.find((c) => c.name === from);
      if (!column) throw compilationError(`invalid identifier '${from}'`);
      if (table.columns.some((c) => c.name === to)) throw compilationError(`column '${to}' already exists`);
      await x.run(`ALTER TABLE ${t} RENAME COLUMN ${quoteName(from)} TO ${quoteName(to)}`);
      await x.run(`ALTER TABLE ${h} RENAME COLUMN ${quoteName(from)} TO ${quoteName(to)}`);
      column.name = to;
    } else if (cursor.acceptAnyWord('ALTER', 'MODIFY')) {
      cursor.acceptWords('COLUMN');
      const columnName = cursor.namePart().name;
      const column = table.columns.find((c) => c.name === columnName);
      if (!column) throw compilationError(`invalid identifier '${columnName}'`);
      if (cursor.acceptWords('SET', 'DATA', 'TYPE') || cursor.acceptWords('TYPE')) {
        const { type, next } = readType(cursor.tokens, cursor.index);
        cursor.index = next;
        cursor.expectEnd();
        await x.run(`ALTER TABLE ${t} ALTER COLUMN ${quoteName(columnName)} SET DATA TYPE ${duckType(type)}`);
        await x.run(`ALTER TABLE ${h} ALTER COLUMN ${quoteName(columnName)} SET DATA TYPE ${duckType(type)}`);
        column.type = type;
      } else if (cursor.acceptWords('SET', 'NOT', 'NULL')) {
        await x.run(`ALTER TABLE ${t} ALTER COLUMN ${quoteName(columnName)} SET NOT NULL`);
        column.nullable = false;
      } else if (cursor.acceptWords('DROP', 'NOT', 'NULL')) {
        await x.run(`ALTER TABLE ${t} ALTER COLUMN ${quoteName(columnName)} DROP NOT NULL`);
        column.nullable = true;
      } else if (cursor.acceptWords('DROP', 'DEFAULT')) {
        await x.run(`ALTER TABLE ${t} ALTER COLUMN ${quoteName(columnName)} DROP DEFAULT`);
        column.default = null;
      } else if (cursor.acceptWords('COMMENT')) {
        column.comment = String(cursor.value());
      } else if (cursor.acceptWords('UNSET', 'COMMENT')) {
        column.comment = null;
      } else cursor.fail();
    } else if (cursor.acceptWords('SET')) {
      const options = tableOptions(cursor, false);
      applyTableProps(object, options.props, options.clusterBy);
    } else if (cursor.acceptWords('UNSET')) {
      const key = cursor.namePart().name;
      cursor.expectEnd();
      if (key === 'DATA_RETENTION_TIME_IN_DAYS') delete table.retentionDays;
      else if (key === 'COMMENT') object.comment = null;
      else if (key === 'CHANGE_TRACKING') table.changeTracking = false;
    } else if (cursor.acceptWords('CLUSTER', 'BY')) {
      cursor.acceptWords('LINEAR');
      table.clusterBy = cursor.group().split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
      cursor.expectEnd();
    } else if (cursor.isWords('SUSPEND') || cursor.isWords('RESUME')) {
      const verb = cursor.expectAnyWord('SUSPEND', 'RESUME');
      cursor.expectWords('RECLUSTER');
      cursor.expectEnd();
      if (verb === 'SUSPEND') table.reclusterSuspended = true;
      else delete table.reclusterSuspended;
    } else cursor.fail();
    table.lastAltered = new Date().toISOString();
    return x.status(OK);
  });
}

/** ALTER VIEW / ALTER MATERIALIZED VIEW. */
export async function alterView(x: Execution, cursor: Cursor): Promise<Outcome> {
  const ifExists = cursor.acceptIfExists();
  const name = cursor.objectName();
  const located = locate(x, name, ['VIEW'], x.scope());
  const object = located.object;
  if (!object || !x.access.hasAny(x.roles(), { type: 'OBJECT', id: object.id })) {
    if (ifExists) return x.status(OK);
    throw notFound('Object', located.written);
  }
  requireOwner(x, object.owner, 'view', object.name);
  return x.ddl(async () => {
    if (cursor.acceptWords('RENAME', 'TO')) {
      const place = locate(x, cursor.objectName(), ['TABLE', 'VIEW', 'STREAM'], x.scope());
      cursor.expectEnd();
      if (place.object) throw alreadyExists(place.name);
      object.name = place.name;
      object.schemaId = place.schema.id;
    } else if (cursor.acceptWords('SET', 'SECURE')) object.view!.secure = true;
    else if (cursor.acceptWords('UNSET', 'SECURE')) object.view!.secure = false;
    else if (cursor.acceptWords('SET', 'COMMENT')) {
      cursor.expectOp('=');
      object.comment = String(cursor.value());
    } else if (cursor.acceptWords('UNSET', 'COMMENT')) object.comment = null;
    else if (cursor.acceptAnyWord('SUSPEND', 'RESUME')) {
      cursor.acceptWords('RECLUSTER');
    } else if (cursor.acceptWords('CLUSTER', 'BY')) cursor.group();
    else cursor.fail();
    return x.status(OK);
  });
}

/** COMMENT [IF EXISTS] ON <kind> name IS 'text'. */
export async function comment(x: Execution, cursor: Cursor): Promise<Outcome> {
  cursor.expectWords('COMMENT');
  cursor.acceptIfExists();
  cursor.expectWords('ON');
  const kind = cursor.expectAnyWord('TABLE', 'VIEW', 'SCHEMA', 'DATABASE', 'COLUMN', 'WAREHOUSE', 'ROLE', 'USER', 'STAGE', 'TASK', 'STREAM');
  const name = cursor.objectName();
  cursor.expectWords('IS');
  const text = String(cursor.value());
  cursor.expectEnd();
  return x.ddl(async () => {
    const roles = x.roles();
    switch (kind) {
      case 'DATABASE': {
        const database = locateDatabase(x, name.parts[0], x.scope());
        requireOwner(x, database.owner, 'database', database.name);
        database.comment = text;
        break;
      }
      case 'SCHEMA': {
        const { schema } = locateSchema(x, name.parts, x.scope());
        requireOwner(x, schema.owner, 'schema', schema.name);
        schema.comment = text;
        break;
      }
      case 'COLUMN': {
        const tableName: ObjectName = { parts: name.parts.slice(0, -1), token: name.token };
        const located = locate(x, tableName, ['TABLE'], x.scope());
        const column = located.object?.table?.columns.find((c) => c.name === name.parts[name.parts.length - 1]!.name);
        if (!located.object || !column) throw notFound('Object', located.written);
        requireOwner(x, located.object.owner, 'table', located.object.name);
        column.comment = text;
        break;
      }
      case 'WAREHOUSE': {
        const warehouse = x.catalog.warehouse(name.parts[0]!.name);
        if (!warehouse || !roles.has(warehouse.owner)) throw insufficientPrivileges('warehouse', name.parts[0]!.name);
        warehouse.comment = text;
        break;
      }
      case 'ROLE':
      case 'USER': {
        const entry = kind === 'ROLE' ? x.catalog.role(name.parts[0]!.name) : x.catalog.user(name.parts[0]!.name);
        if (!entry || !roles.has(entry.owner)) throw insufficientPrivileges(kind.toLowerCase(), name.parts[0]!.name);
        entry.comment = text;
        break;
      }
      default: {
        const kinds: ObjectKind[] = kind === 'VIEW' ? ['VIEW'] : kind === 'TABLE' ? ['TABLE'] : [kind as ObjectKind];
        const located = locate(x, name, kinds, x.scope());
        if (!located.object) throw notFound('Object', located.written);
        requireOwner(x, located.object.owner, kind.toLowerCase(), located.object.name);
        located.object.comment = text;
      }
    }
    return x.status(OK);
  });
}

/** Purges dropped objects whose retention ended, and history older than retention. */
export async function purgeExpired(x: Execution): Promise<void> {
  const now = Date.now();
  for (const object of [...x.catalog.data.objects]) {
    if (object.kind !== 'TABLE' || !object.droppedOn) continue;
    const days = x.catalog.retentionDays(object);
    if (Date.parse(object.droppedOn) + days * 86_400_000 < now) await purgeObject(x, object);
  }
}

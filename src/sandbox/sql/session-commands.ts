// Statements about the session itself: USE, SET/UNSET variables, ALTER SESSION, and transactions.
import { literalFor } from './variables.js';
import { cannotPerform, compilationError, roleNotGranted, syntaxError, unsupported } from './errors.js';
import type { Cursor } from './cursor.js';
import type { Execution, Outcome } from './execution.js';
import { encodeResult } from './encode.js';
import { prepare } from './query.js';
import { Resolver } from './resolve.js';
import { quoteString } from './tokens.js';

const OK = 'Statement executed successfully.';

/** USE ROLE | WAREHOUSE | DATABASE | SCHEMA | SECONDARY ROLES, or USE db[.schema]. */
export async function use(x: Execution, cursor: Cursor): Promise<Outcome> {
  cursor.expectWords('USE');
  const session = x.session;
  const what = cursor.acceptAnyWord('ROLE', 'WAREHOUSE', 'DATABASE', 'SCHEMA', 'SECONDARY');
  if (what === 'SECONDARY') {
    cursor.expectWords('ROLES');
    cursor.next();
    cursor.expectEnd();
    return x.status(OK);
  }
  const name = cursor.objectName();
  cursor.expectEnd();
  const parts = name.parts.map((p) => p.name);
  switch (what) {
    case 'ROLE': {
      const role = parts[0]!;
      if (parts.length !== 1 || !x.catalog.role(role) || !x.access.usableRoles(session.user).has(role)) throw roleNotGranted(role);
      session.role = role;
      return x.status(OK);
    }
    case 'WAREHOUSE': {
      const warehouse = x.catalog.warehouse(parts[0]!);
      if (parts.length !== 1 || !warehouse || !x.access.hasAny(x.roles(), { type: 'WAREHOUSE', id: warehouse.id })) throw cannotPerform();
      session.warehouse = warehouse.name;
      return x.status(OK);
    }
    case 'SCHEMA':
      return useSchema(x, parts.length === 1 ? [session.database, parts[0]!] : parts);
    default: {
      if (parts.length === 2 && what === undefined) return useSchema(x, parts);
      if (parts.length !== 1) throw syntaxError(name.token);
      const database = x.catalog.database(parts[0]!);
      if (!database || !x.access.databaseUsable(x.roles(), database.id)) throw cannotPerform();
      session.database = database.name;
      const publicSchema = x.catalog.schema(database.id, 'PUBLIC');
      session.schema = publicSchema ? 'PUBLIC' : null;
      return x.status(OK);
    }
  }
}

function useSchema(x: Execution, parts: (string | null)[]): Outcome {
  const [databaseName, schemaName] = parts;
  if (!databaseName) throw cannotPerform();
  const database = x.catalog.database(databaseName);
  const roles = x.roles();
  if (!database || !x.access.databaseUsable(roles, database.id)) throw cannotPerform();
  const schema = x.catalog.schema(database.id, schemaName!);
  const isInfo = schemaName === 'INFORMATION_SCHEMA';
  if (!isInfo && (!schema || !x.access.schemaUsable(roles, schema.id))) throw cannotPerform();
  x.session.database = database.name;
  x.session.schema = schemaName;
  return x.status(OK);
}

/** SET var = expr, or SET (a, b) = (expr, expr). */
export async function setVariables(x: Execution, cursor: Cursor): Promise<Outcome> {
  cursor.expectWords('SET');
  const names: string[] = [];
  if (cursor.acceptOp('(')) {
    do names.push(cursor.namePart().name);
    while (cursor.acceptOp(','));
    cursor.expectOp(')');
  } else {
    names.push(cursor.namePart().name);
  }
  cursor.expectOp('=');
  let text = cursor.rest();
  if (!text) throw syntaxError(cursor.peek());
  if (names.length > 1) {
    if (!text.startsWith('(') || !text.endsWith(')')) throw syntaxError(cursor.peek());
    text = text.slice(1, -1);
  }
  const resolver = new Resolver(x, x.scope());
  const translator = resolver.translator(`SELECT ${text}`);
  const sql = translator.query(translator.tree(), false);
  await prepare(x);
  const reader = await x.run(sql);
  const { columns, rows } = encodeResult(reader);
  if (columns.length !== names.length) throw compilationError(`Assignment to '${names.join(', ')}' has ${columns.length} values`);
  const values = reader.getRows()[0] ?? [];
  names.forEach((name, k) => {
    x.session.variables.set(name, literalFor(values[k] ?? null, columns[k]!.type, rows[0]?.[k] ?? null));
  });
  return x.status(OK);
}

/** UNSET var, or UNSET (a, b). */
export async function unsetVariables(x: Execution, cursor: Cursor): Promise<Outcome> {
  cursor.expectWords('UNSET');
  const names: string[] = [];
  if (cursor.acceptOp('(')) {
    do names.push(cursor.namePart().name);
    while (cursor.acceptOp(','));
    cursor.expectOp(')');
  } else {
    names.push(cursor.namePart().name);
  }
  cursor.expectEnd();
  for (const name of names) x.session.variables.delete(name);
  return x.status(OK);
}

/** ALTER SESSION SET k = v … / UNSET k, … */
export async function alterSession(x: Execution, cursor: Cursor): Promise<Outcome> {
  cursor.expectWords('ALTER', 'SESSION');
  const params = x.session.parameters;
  if (cursor.acceptWords('SET')) {
    const props = cursor.properties();
    cursor.expectEnd();
    for (const [key, value] of Object.entries(props)) {
      const text = value === null ? '' : typeof value === 'boolean' ? String(value) : String(value);
      if (key === 'TIMEZONE') {
        await x.session.connection.run(`SET TimeZone = ${quoteString(text)}`).catch(() => {
          throw compilationError(`invalid value '${text}' for parameter 'TIMEZONE'`);
        });
      }
      params[key] = text;
    }
    return x.status(OK);
  }
  if (cursor.acceptWords('UNSET')) {
    const keys: string[] = [];
    do keys.push(cursor.namePart().name);
    while (cursor.acceptOp(','));
    cursor.expectEnd();
    for (const key of keys) {
      if (key === 'TIMEZONE') await x.session.connection.run("SET TimeZone = 'UTC'");
      params[key] = key === 'QUERY_TAG' ? '' : params[key] ?? '';
      if (key !== 'QUERY_TAG') delete params[key];
    }
    return x.status(OK);
  }
  return cursor.fail();
}

/** BEGIN / START TRANSACTION / COMMIT / ROLLBACK. */
export async function transaction(x: Execution): Promise<Outcome> {
  const session = x.session;
  switch (x.statementClass.verb) {
    case 'begin':
      if (!session.inTransaction) {
        await session.connection.run('BEGIN TRANSACTION');
        session.inTransaction = true;
      }
      return x.status(OK);
    case 'commit':
      if (session.inTransaction) {
        await session.connection.run('COMMIT');
        session.inTransaction = false;
        x.applyPendingOffsets();
        await x.engine.store.saveCatalog(x.engine.store.admin, x.catalog.data);
      }
      return x.status(OK);
    case 'rollback':
      if (session.inTransaction) {
        await session.connection.run('ROLLBACK');
        session.inTransaction = false;
        session.pendingOffsets.clear();
      }
      return x.status(OK);
    default:
      throw unsupported(x.statementClass.verb);
  }
}

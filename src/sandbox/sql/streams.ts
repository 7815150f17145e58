// Streams: change tracking on a table from an offset version. Reading a stream shows the changes
// since the offset (see history.ts); a committed DML statement that reads it moves the offset.
import type { ObjectEntry } from './catalog.js';
import type { Cursor } from './cursor.js';
import { alreadyExists, compilationError, insufficientPrivileges, notFound, unsupported } from './errors.js';
import type { Execution, Outcome } from './execution.js';
import { applyFutureGrants } from './grants.js';
import { travelVersionSql } from './history.js';
import { locate, requirePrivilege, Resolver } from './resolve.js';
import { Translator } from './translate.js';

/** CREATE STREAM name ON TABLE t [AT|BEFORE(…)] [APPEND_ONLY = …] [SHOW_INITIAL_ROWS = …]. */
export async function createStream(x: Execution, cursor: Cursor, orReplace: boolean): Promise<Outcome> {
  const ifNotExists = cursor.acceptIfNotExists();
  const name = cursor.objectName();
  cursor.acceptWords('COPY', 'GRANTS');
  cursor.expectWords('ON');
  const kind = cursor.expectAnyWord('TABLE', 'VIEW', 'EXTERNAL', 'STAGE', 'DYNAMIC');
  if (kind !== 'TABLE') throw unsupported(`streams on a ${kind.toLowerCase()}`);
  const tableName = cursor.objectName();
  let point: string | undefined;
  if (cursor.isWords('AT') || cursor.isWords('BEFORE')) {
    const start = cursor.peek().start;
    cursor.next();
    cursor.group();
    point = x.sql.slice(start, cursor.tokens[cursor.index - 1]!.start + 1);
  }
  const props = cursor.properties();
  cursor.expectEnd();
  const located = locate(x, name, ['TABLE', 'VIEW', 'STREAM'], x.scope());
  if (!x.access.has(x.roles(), { type: 'SCHEMA', id: located.schema.id }, 'CREATE STREAM')) throw insufficientPrivileges('schema', located.schema.name);
  if (located.object && ifNotExists) return x.status(`${located.name} already exists, statement succeeded.`);
  if (located.object && (!orReplace || located.object.kind !== 'STREAM')) throw alreadyExists(located.name);
  const source = locate(x, tableName, ['TABLE', 'VIEW'], x.scope());
  if (!source.object?.table) throw notFound('Object', source.written);
  requirePrivilege(x, { ...source, object: source.object }, 'SELECT', x.roles());
  let offset = x.watermark;
  if (point) {
    const travel = new Translator(point, new Resolver(x, x.scope())).pointInTime();
    const sql = travelVersionSql(travel, { name: source.object.name, createdVersion: source.object.table.createdVersion, retentionDays: x.catalog.retentionDays(source.object) });
    offset = Number((await x.run(`SELECT ${sql}`)).getRows()[0]![0]);
  }
  const bool = (key: string): boolean => props[key] === true || String(props[key] ?? '').toUpperCase() === 'TRUE';
  if (props.INSERT_ONLY !== undefined) throw unsupported('INSERT_ONLY streams (they are for external tables)');
  return x.ddl(async () => {
    if (located.object) located.object.droppedOn = new Date().toISOString();
    if (x.roles().has(source.object!.owner)) source.object!.table!.changeTracking = true;
    const object: ObjectEntry = {
      id: x.catalog.newId(), kind: 'STREAM', schemaId: located.schema.id, name: located.name, owner: x.session.role,
      createdOn: new Date().toISOString(), comment: props.COMMENT === undefined ? null : String(props.COMMENT),
      stream: {
        tableId: source.object!.id, offsetVersion: offset, appendOnly: bool('APPEND_ONLY'), showInitialRows: bool('SHOW_INITIAL_ROWS'),
        initialConsumed: false,
      },
    };
    x.catalog.data.objects.push(object);
    applyFutureGrants(x, object, located);
    return x.status(`Stream ${located.name} successfully created.`);
  });
}

/** DROP STREAM. */
export async function dropStream(x: Execution, cursor: Cursor): Promise<Outcome> {
  const ifExists = cursor.acceptIfExists();
  const name = cursor.objectName();
  cursor.expectEnd();
  const located = locate(x, name, ['STREAM'], x.scope());
  if (!located.object || !x.access.hasAny(x.roles(), { type: 'OBJECT', id: located.object.id })) {
    if (ifExists) return x.status(`Drop statement executed successfully (${located.name} already dropped).`);
    throw notFound('Object', located.written);
  }
  if (!x.roles().has(located.object.owner)) throw insufficientPrivileges('stream', located.name);
  return x.ddl(async () => {
    const data = x.catalog.data;
    data.objects.splice(data.objects.indexOf(located.object!), 1);
    return x.status(`${located.name} successfully dropped.`);
  });
}

/** ALTER STREAM name SET COMMENT = … | UNSET COMMENT. */
export async function alterStream(x: Execution, cursor: Cursor): Promise<Outcome> {
  cursor.acceptIfExists();
  const name = cursor.objectName();
  const located = locate(x, name, ['STREAM'], x.scope());
  if (!located.object) throw notFound('Object', located.written);
  if (!x.roles().has(located.object.owner)) throw insufficientPrivileges('stream', located.name);
  return x.ddl(async () => {
    if (cursor.acceptWords('SET')) {
      const props = cursor.properties();
      if ('COMMENT' in props) located.object!.comment = String(props.COMMENT);
    } else if (cursor.acceptWords('UNSET', 'COMMENT')) located.object!.comment = null;
    else throw compilationError('ALTER STREAM supports SET COMMENT and UNSET COMMENT');
    cursor.expectEnd();
    return x.status('Statement executed successfully.');
  });
}

// DROP for schema objects and account objects: IF EXISTS, "does not exist or not authorized" for
// what the role cannot see, ownership required, and Snowflake's status messages.
import type { Entry, ObjectEntry, ObjectKind } from './catalog.js';
import type { Cursor } from './cursor.js';
import { insufficientPrivileges, notFound } from './errors.js';
import type { Execution, Outcome } from './execution.js';
import { locate, type Located } from './resolve.js';
import { isOp } from './tokens.js';

/** `Drop statement executed successfully (X already dropped).` */
export function alreadyDropped(x: Execution, name: string): Outcome {
  return x.status(`Drop statement executed successfully (${name} already dropped).`);
}

/**
 * DROP <kind> [IF EXISTS] name for a schema object dropped for good (stages, file formats, streams,
 * tasks, alerts, sequences, procedures); `cleanup` removes what it kept outside the catalog.
 */
export async function dropSchemaObject(
  x: Execution,
  cursor: Cursor,
  kind: ObjectKind,
  word: string,
  cleanup?: (object: ObjectEntry, located: Located) => Promise<void>,
): Promise<Outcome> {
  const ifExists = cursor.acceptIfExists();
  const name = cursor.objectName();
  if (isOp(cursor.peek(), '(')) cursor.group();
  cursor.expectEnd();
  const located = locate(x, name, [kind], x.scope());
  const object = located.object;
  if (!object || !x.access.hasAny(x.roles(), { type: 'OBJECT', id: object.id })) {
    if (ifExists) return alreadyDropped(x, located.name);
    throw notFound('Object', located.written);
  }
  if (!x.roles().has(object.owner)) throw insufficientPrivileges(word, located.name);
  return x.ddl(async () => {
    const data = x.catalog.data;
    data.objects.splice(data.objects.indexOf(object), 1);
    data.grants = data.grants.filter((g) => !(g.on.type === 'OBJECT' && g.on.id === object.id));
    await cleanup?.(object, located);
    return x.status(`${located.name} successfully dropped.`);
  });
}

/** What DROP of an account object needs to know about its kind. */
export interface AccountDrop<T extends Entry> {
  entries: () => T[];
  word: string;
  missing: (name: string) => Error;
  /** Whether the role can see it at all (else it is "missing"); any privilege by default. */
  visible?: (entry: T) => boolean;
  /** System objects that cannot be dropped. */
  protected?: (entry: T) => boolean;
  cleanup?: (entry: T) => void | Promise<void>;
}

/** DROP <kind> [IF EXISTS] name for an account object (role, user, warehouse, monitor, integration, policy). */
export async function dropAccountEntry<T extends Entry>(x: Execution, cursor: Cursor, kind: AccountDrop<T>): Promise<Outcome> {
  const ifExists = cursor.acceptIfExists();
  const name = cursor.namePart().name;
  cursor.expectEnd();
  const list = kind.entries();
  const entry = list.find((e) => e.name === name);
  if (!entry || (kind.visible && !kind.visible(entry))) {
    if (ifExists) return alreadyDropped(x, name);
    throw kind.missing(name);
  }
  if (kind.protected?.(entry) || !x.roles().has(entry.owner)) throw insufficientPrivileges(kind.word, name);
  return x.ddl(async () => {
    list.splice(list.indexOf(entry), 1);
    await kind.cleanup?.(entry);
    return x.status(`${name} successfully dropped.`);
  });
}

// A view's columns and their types, worked out by compiling its query as its owner.
import type { ObjectEntry } from './catalog.js';
import { compilationError } from './errors.js';
import type { Execution } from './execution.js';
import { Resolver } from './resolve.js';
import { typeFromDuck, typeJson, typeText } from './types.js';

/** Name, DESCRIBE type and SHOW COLUMNS JSON type of each column of a view. */
export async function describeViewColumns(x: Execution, object: ObjectEntry): Promise<{ name: string; type: string; json: string }[]> {
  const [database, schema] = x.catalog.qualifiedName(object);
  const resolver = new Resolver(x, { database: database!, schema: schema!, role: object.owner, roles: x.access.closure(object.owner) });
  const translator = resolver.translator(object.view!.query);
  const sql = translator.query(translator.tree(), true);
  const prepared = await x.session.connection.prepare(sql).catch((error: unknown) => {
    throw compilationError(`View definition for '${object.name}' declared ${0} column(s), but view query produces an error: ${error instanceof Error ? error.message : String(error)}`);
  });
  const out: { name: string; type: string; json: string }[] = [];
  for (let k = 0; k < prepared.columnCount; k++) {
    const type = typeFromDuck(prepared.columnType(k).toString());
    out.push({ name: object.view!.columnNames?.[k] ?? prepared.columnName(k), type: typeText(type), json: typeJson(type, true) });
  }
  prepared.destroySync();
  x.needsWarehouse = false;
  return out;
}

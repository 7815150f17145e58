// Queries and DML: translate, make sure a warehouse runs them, execute on DuckDB, record the
// changed tables' history in the same transaction, and answer with Snowflake's result shapes.
import type { WireColumn } from '../engine-api.js';
import { describeColumns, encodeResult, wireColumn } from './encode.js';
import { compilationError, unsupported } from './errors.js';
import type { Execution, Outcome } from './execution.js';
import { historySql, recordChangesSql } from './history.js';
import { Resolver, targets } from './resolve.js';
import { STATEMENT_TYPE } from './statements.js';
import { isWordNode, type Node } from './tree.js';
import { ensureWarehouse } from './warehouses.js';

/** Runs the statement's queued side effects, then makes sure its warehouse is running. */
export async function prepare(x: Execution): Promise<void> {
  if (x.needsWarehouse) await ensureWarehouse(x);
  for (const effect of x.effects.splice(0)) await effect();
}

/** A SELECT (or WITH / VALUES) statement. */
export async function runQuery(x: Execution): Promise<Outcome> {
  const resolver = new Resolver(x, x.scope());
  const translator = resolver.translator(x.sql);
  const sql = translator.query(translator.tree(), true);
  await prepare(x);
  const reader = await x.runPrepared(sql);
  const { columns, rows } = encodeResult(reader, translator.columnTypes, translator.columnOffsets);
  x.counts.produced = rows.length;
  return { columns, rows, statementTypeId: STATEMENT_TYPE.select };
}

/** Column descriptions of a query without running it (describeOnly). */
export async function describeQuery(x: Execution): Promise<Outcome> {
  const resolver = new Resolver(x, x.scope());
  const translator = resolver.translator(x.sql);
  const sql = translator.query(translator.tree(), true);
  const prepared = await x.session.connection.prepare(sql).catch((error: unknown) => {
    throw compilationError(error instanceof Error ? error.message : String(error));
  });
  const names: string[] = [];
  const types = [];
  for (let k = 0; k < prepared.columnCount; k++) {
    names.push(prepared.columnName(k));
    types.push(prepared.columnType(k));
  }
  prepared.destroySync();
  return { columns: describeColumns(names, types), rows: [], statementTypeId: STATEMENT_TYPE.select };
}

/** Records the history of every table the statement wrote, and returns per-action counts. */
export async function recordTargets(x: Execution): Promise<{ inserted: number; updated: number; deleted: number }> {
  const totals = { inserted: 0, updated: 0, deleted: 0 };
  for (const id of targets(x)) {
    const object = x.catalog.objectById(id);
    if (!object?.table) continue;
    const version = await x.newVersion();
    await x.run(recordChangesSql(id, object.table.columns, version));
    const counts = await x.run(
      `SELECT count(*) FILTER (WHERE o AND NOT c), count(*) FILTER (WHERE o AND c), count(*) FILTER (WHERE c AND NOT o)
       FROM (SELECT "_SB_ROW_ID", bool_or("_SB_FROM" = ${version}) AS o, bool_or(coalesce("_SB_TO" = ${version}, false)) AS c
             FROM ${historySql(id)} WHERE "_SB_FROM" = ${version} OR "_SB_TO" = ${version} GROUP BY 1)`,
    );
    const [inserted, updated, deleted] = counts.getRows()[0]!.map((v) => Number(v));
    totals.inserted += inserted!;
    totals.updated += updated!;
    totals.deleted += deleted!;
    object.table.lastAltered = new Date().toISOString();
  }
  return totals;
}

function counted(names: string[], values: number[], statementTypeId: number): Outcome {
  const columns: WireColumn[] = names.map((name) => wireColumn(name, 'fixed'));
  return { columns, rows: [values.map(String)], statementTypeId };
}

/** INSERT, UPDATE, DELETE or MERGE. */
export async function runDml(x: Execution): Promise<Outcome> {
  const resolver = new Resolver(x, x.scope());
  const translator = resolver.translator(x.sql);
  const verb = x.statementClass.verb;
  const rowsOfBinds = x.bindRowCount();
  let statements: string[];
  let overwrite = false;
  let mergeClauses = { insert: false, update: false, delete: false };
  switch (verb) {
    case 'insert': {
      if (rowsOfBinds > 1) {
        // Array binds: one INSERT with a VALUES row per bound row.
        const parts: string[] = [];
        let head = '';
        for (let row = 0; row < rowsOfBinds; row++) {
          x.bindRow = row;
          const t = resolver.translator(x.sql);
          const insert = t.insert();
          const at = insert.sql.indexOf(' VALUES ');
          if (at < 0) throw unsupported('array binds outside INSERT … VALUES');
          head = insert.sql.slice(0, at);
          parts.push(insert.sql.slice(at + ' VALUES '.length));
          overwrite = insert.overwrite;
        }
        statements = [`${head} VALUES ${parts.join(', ')}`];
      } else {
        const insert = translator.insert();
        overwrite = insert.overwrite;
        statements = [insert.sql];
      }
      break;
    }
    case 'update':
      statements = [translator.update().sql];
      break;
    case 'delete':
      statements = [translator.delete().sql];
      break;
    case 'merge': {
      statements = [translator.merge().sql];
      const tree = translator.tree();
      mergeClauses = clausesOf(tree);
      break;
    }
    default:
      throw unsupported(verb);
  }
  await prepare(x);
  const changed = await x.dml(async () => {
    let rows = 0;
    if (overwrite) for (const id of targets(x)) await x.run(`DELETE FROM data.t${id}`);
    for (const sql of statements) rows += (await x.run(sql)).rowsChanged;
    const totals = await recordTargets(x);
    return { rows, totals };
  });
  const { rows, totals } = changed;
  switch (verb) {
    case 'insert':
      x.counts.inserted = rows;
      return counted(['number of rows inserted'], [rows], x.statementClass.typeId);
    case 'update':
      x.counts.updated = rows;
      return counted(['number of rows updated', 'number of multi-joined rows updated'], [rows, 0], x.statementClass.typeId);
    case 'delete':
      x.counts.deleted = rows;
      return counted(['number of rows deleted'], [rows], x.statementClass.typeId);
    default: {
      Object.assign(x.counts, totals);
      const names: string[] = [];
      const values: number[] = [];
      if (mergeClauses.insert) {
        names.push('number of rows inserted');
        values.push(totals.inserted);
      }
      if (mergeClauses.update) {
        names.push('number of rows updated');
        values.push(totals.updated);
      }
      if (mergeClauses.delete) {
        names.push('number of rows deleted');
        values.push(totals.deleted);
      }
      return counted(names, values, x.statementClass.typeId);
    }
  }
}

function clausesOf(tree: Node[]): { insert: boolean; update: boolean; delete: boolean } {
  const out = { insert: false, update: false, delete: false };
  tree.forEach((node, k) => {
    if (!isWordNode(tree[k - 1], 'THEN')) return;
    if (isWordNode(node, 'INSERT')) out.insert = true;
    if (isWordNode(node, 'UPDATE')) out.update = true;
    if (isWordNode(node, 'DELETE')) out.delete = true;
  });
  return out;
}

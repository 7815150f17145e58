// Small rowsets built in JS (catalog listings, stored results) turned into DuckDB table
// expressions, so INFORMATION_SCHEMA views, RESULT_SCAN and SHOW post-processing are ordinary SQL.
import { quoteName, quoteString } from './tokens.js';

/** Raw SQL to place in a row instead of a literal (e.g. a row-count subquery). */
export interface RawSql {
  sql: string;
}

/** A column of a built table: its name and DuckDB type. */
export type BuiltColumn = [name: string, duckType: string];

/** A JS value as a SQL literal. */
export function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'object' && value !== null && 'sql' in value) return (value as RawSql).sql;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'NULL';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return `CAST(${quoteString(value.toISOString())} AS TIMESTAMPTZ)`;
  return quoteString(String(value));
}

/** A table expression with the given columns and rows. */
export function valuesTable(columns: BuiltColumn[], rows: unknown[][]): string {
  const projection = columns.map(([name, type], k) => `CAST(col${k} AS ${type}) AS ${quoteName(name)}`).join(', ');
  if (rows.length === 0) {
    const nulls = columns.map(([name, type]) => `CAST(NULL AS ${type}) AS ${quoteName(name)}`).join(', ');
    return `(SELECT ${nulls} WHERE false)`;
  }
  const tuples = rows.map((row) => `(${columns.map((_, k) => literal(row[k])).join(', ')})`).join(',\n');
  const names = columns.map((_, k) => `col${k}`).join(', ');
  return `(SELECT ${projection} FROM (VALUES ${tuples}) AS v(${names}))`;
}

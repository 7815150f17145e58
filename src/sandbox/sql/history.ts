// How Time Travel and streams are stored. Every table is two DuckDB tables:
//   data.t<id>  the current rows, plus a hidden _SB_ROW_ID (a global sequence) that identifies a row
//               across updates — what METADATA$ROW_ID and METADATA$ISUPDATE need;
//   data.h<id>  every version of every row: _SB_ROW_ID, _SB_FROM (the change version that wrote it),
//               _SB_TO (the version that replaced or deleted it, NULL while current), then the columns.
// Each statement that changes a table gets the next global version and, in the same transaction,
// closes the history rows that no longer match t<id> and opens rows for the new contents. A table
// AT version V is then the history rows with _SB_FROM <= V < _SB_TO; a stream is the difference
// between its offset version and now. Versions map to times and query ids through the query log.
import type { ColumnEntry } from './catalog.js';
import { raiseSql } from './functions.js';
import { quoteName, quoteString } from './tokens.js';
import { duckType } from './types.js';
import type { ChangesClause, TimeTravel } from './translate.js';

/** The hidden row identity column. */
export const ROW_ID = '"_SB_ROW_ID"';
const FROM_V = '"_SB_FROM"';
const TO_V = '"_SB_TO"';

/** The physical table holding a table's current rows. */
export function tableSql(id: number): string {
  return `data.t${id}`;
}

/** The physical table holding a table's history. */
export function historySql(id: number): string {
  return `data.h${id}`;
}

/** The columns as a quoted list, optionally qualified. */
export function columnList(columns: ColumnEntry[], qualifier?: string): string {
  return columns.map((c) => (qualifier ? `${qualifier}.${quoteName(c.name)}` : quoteName(c.name))).join(', ');
}

/** A column definition for DuckDB. `defaultSql` is the translated DEFAULT, if any. */
export function columnSql(column: ColumnEntry, defaultSql: string | null): string {
  let sql = `${quoteName(column.name)} ${duckType(column.type)}`;
  if (defaultSql) sql += ` DEFAULT (${defaultSql})`;
  if (!column.nullable) sql += ' NOT NULL';
  return sql;
}

/** CREATE TABLE statements for a table's current and history tables. */
export function createTableSql(id: number, columns: ColumnEntry[], defaults: (string | null)[]): string[] {
  const defs = columns.map((column, k) => columnSql(column, defaults[k] ?? null));
  const plain = columns.map((column) => `${quoteName(column.name)} ${duckType(column.type)}`);
  return [
    `CREATE TABLE ${tableSql(id)} (${[...defs, `${ROW_ID} BIGINT DEFAULT nextval('meta.row_seq')`].join(', ')})`,
    `CREATE TABLE ${historySql(id)} (${[`${ROW_ID} BIGINT`, `${FROM_V} BIGINT`, `${TO_V} BIGINT`, ...plain].join(', ')})`,
  ];
}

/**
 * Records a table's changes at `version`: history rows that no longer match the current rows are
 * closed, current rows without a matching open history row are opened. Run in the changing transaction.
 */
export function recordChangesSql(id: number, columns: ColumnEntry[], version: number): string {
  const cols = columnList(columns);
  const t = tableSql(id);
  const h = historySql(id);
  return [
    `UPDATE ${h} SET ${TO_V} = ${version} WHERE ${TO_V} IS NULL AND ${ROW_ID} IN (
       SELECT ${ROW_ID} FROM (SELECT ${ROW_ID}, ${cols} FROM ${h} WHERE ${TO_V} IS NULL
                              EXCEPT ALL SELECT ${ROW_ID}, ${cols} FROM ${t}))`,
    `INSERT INTO ${h} SELECT ${ROW_ID}, ${version}, NULL, ${cols} FROM (
       SELECT ${ROW_ID}, ${cols} FROM ${t} EXCEPT ALL SELECT ${ROW_ID}, ${cols} FROM ${h} WHERE ${TO_V} IS NULL)`,
  ].join(';\n');
}

/** The rows of a table as they were at a version (a scalar SQL expression). */
export function asOfSql(id: number, columns: ColumnEntry[], versionSql: string, withRowId = false): string {
  const cols = columnList(columns, 'h');
  return `(SELECT ${withRowId ? `h.${ROW_ID}, ` : ''}${cols} FROM ${historySql(id)} AS h JOIN (SELECT ${versionSql} AS "__V") AS tv
    ON h.${FROM_V} <= tv."__V" AND (h.${TO_V} IS NULL OR h.${TO_V} > tv."__V"))`;
}

/** What a Time Travel point needs to know about the table it applies to. */
export interface TravelTable {
  /** The name for messages. */
  name: string;
  createdVersion: number;
  retentionDays: number;
}

/**
 * A scalar SQL expression for the version a Time Travel point means, raising Snowflake's errors
 * for an unknown query id, a point before the table existed, or one past the retention period.
 * `streamOffset` answers AT(STREAM => …).
 */
export function travelVersionSql(travel: TimeTravel, table: TravelTable, streamOffset?: number): string {
  const { version, time } = pointSql(travel, streamOffset);
  const unavailable = raiseSql(
    '000707',
    '02000',
    `Time travel data is not available for table ${table.name}. The requested time is either beyond the allowed time travel period or before the object creation time.`,
  );
  const notFound = travel.kind === 'STATEMENT'
    ? `'${'⟦SF'}000707|02000|Statement ' || CAST(${travel.sql} AS VARCHAR) || ' not found⟧'`
    : quoteString('⟦SF000707|02000|Time travel point not found⟧');
  return `(SELECT CASE
      WHEN p.v IS NULL THEN error(${notFound})
      WHEN p.v < ${table.createdVersion} OR p.t < now() - to_days(${Math.max(0, Math.floor(table.retentionDays))}) THEN ${unavailable}
      ELSE p.v END
    FROM (SELECT ${version} AS v, ${time} AS t) AS p)`;
}

/** The version and time a Time Travel point names, as SQL (no checks). */
export function pointSql(travel: TimeTravel, streamOffset?: number): { version: string; time: string } {
  let version: string;
  let time: string;
  switch (travel.kind) {
    case 'TIMESTAMP':
      time = `CAST(${travel.sql} AS TIMESTAMPTZ)`;
      version = `(SELECT coalesce(max(version), 0) FROM meta.query_log WHERE version IS NOT NULL AND end_time <= ${time})`;
      break;
    case 'OFFSET':
      time = `(now() + to_microseconds(CAST(CAST(${travel.sql} AS DOUBLE) * 1000000 AS BIGINT)))`;
      version = `(SELECT coalesce(max(version), 0) FROM meta.query_log WHERE version IS NOT NULL AND end_time <= ${time})`;
      break;
    case 'STATEMENT': {
      const id = `CAST(${travel.sql} AS VARCHAR)`;
      const pick = travel.mode === 'BEFORE' ? 'watermark' : 'coalesce(version, watermark)';
      version = `(SELECT max(${pick}) FROM meta.query_log WHERE query_id = ${id})`;
      time = `(SELECT max(${travel.mode === 'BEFORE' ? 'start_time' : 'end_time'}) FROM meta.query_log WHERE query_id = ${id})`;
      break;
    }
    case 'STREAM':
      version = String(streamOffset ?? 0);
      time = 'now()';
      break;
  }
  return { version, time };
}

/** The metadata columns a stream adds. */
export const STREAM_COLUMNS = ['METADATA$ACTION', 'METADATA$ISUPDATE', 'METADATA$ROW_ID'];

/**
 * Change rows between two versions of a table, as a stream or CHANGES clause shows them: an insert
 * is INSERT, a delete is DELETE, an update is a DELETE of the old row plus an INSERT of the new one,
 * both with METADATA$ISUPDATE = TRUE. `toVersionSql` null means the table's current rows.
 */
export function changesSql(id: number, columns: ColumnEntry[], fromVersionSql: string, toVersionSql: string | null, appendOnly: boolean): string {
  const old = asOfSql(id, columns, fromVersionSql, true);
  const current = toVersionSql === null ? `(SELECT ${ROW_ID}, ${columnList(columns)} FROM ${tableSql(id)})` : asOfSql(id, columns, toVersionSql, true);
  const differs = columns.length === 0
    ? 'false'
    : `(${columnList(columns, 'cur')}) IS DISTINCT FROM (${columnList(columns, 'old')})`;
  const rowId = (alias: string): string => `md5('${id}:' || CAST(${alias}.${ROW_ID} AS VARCHAR))`;
  const inserts = `SELECT ${columnList(columns, 'cur')}, 'INSERT' AS "METADATA$ACTION", (old.${ROW_ID} IS NOT NULL) AS "METADATA$ISUPDATE", ${rowId('cur')} AS "METADATA$ROW_ID"
    FROM ${current} AS cur LEFT JOIN ${old} AS old ON cur.${ROW_ID} = old.${ROW_ID}
    WHERE ${appendOnly ? `old.${ROW_ID} IS NULL` : `old.${ROW_ID} IS NULL OR ${differs}`}`;
  if (appendOnly) return `(${inserts})`;
  const deletes = `SELECT ${columnList(columns, 'old')}, 'DELETE' AS "METADATA$ACTION", (cur.${ROW_ID} IS NOT NULL) AS "METADATA$ISUPDATE", ${rowId('old')} AS "METADATA$ROW_ID"
    FROM ${old} AS old LEFT JOIN ${current} AS cur ON cur.${ROW_ID} = old.${ROW_ID}
    WHERE cur.${ROW_ID} IS NULL OR ${differs}`;
  return `(${inserts} UNION ALL ${deletes})`;
}

/** A CHANGES clause's version range as SQL. */
export function changesRange(changes: ChangesClause, table: TravelTable, streamOffset?: number): { from: string; to: string | null } {
  return {
    from: travelVersionSql(changes.from, table, streamOffset),
    to: changes.to ? travelVersionSql(changes.to, table, streamOffset) : null,
  };
}

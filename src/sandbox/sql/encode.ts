// DuckDB results → Snowflake's wire encoding (SNOWFLAKE-PROTOCOL.md §3): every value a string
// or null, numbers as decimal text, dates as days since the epoch, times and timestamps as
// epoch seconds with nine fraction digits, binary as upper-case hex, semi-structured as JSON.
import type { DuckDBResultReader, DuckDBType, DuckDBValue } from '@duckdb/node-api';
import type { WireColumn, WireType } from '../engine-api.js';
import { MAX_BINARY, MAX_VARCHAR } from './types.js';

// Type ids of @duckdb/node-api's DuckDBTypeId, kept here so this module needs no runtime import.
const T = {
  BOOLEAN: 1, TINYINT: 2, SMALLINT: 3, INTEGER: 4, BIGINT: 5, UTINYINT: 6, USMALLINT: 7, UINTEGER: 8, UBIGINT: 9,
  FLOAT: 10, DOUBLE: 11, TIMESTAMP: 12, DATE: 13, TIME: 14, INTERVAL: 15, HUGEINT: 16, VARCHAR: 17, BLOB: 18,
  DECIMAL: 19, TIMESTAMP_S: 20, TIMESTAMP_MS: 21, TIMESTAMP_NS: 22, ENUM: 23, LIST: 24, STRUCT: 25, MAP: 26,
  UUID: 27, UNION: 28, BIT: 29, TIME_TZ: 30, TIMESTAMP_TZ: 31, UHUGEINT: 32, ARRAY: 33, BIGNUM: 35, SQLNULL: 36,
  TIME_NS: 39, VARIANT: 41,
} as const;

/** A column description with the encoder for its values. */
interface ColumnCodec {
  column: WireColumn;
  encode: (value: DuckDBValue) => string | null;
}

/** Builds a rowtype entry. */
export function wireColumn(name: string, type: WireType, extra: Partial<WireColumn> = {}): WireColumn {
  const base: WireColumn = {
    name,
    type,
    precision: null,
    scale: null,
    length: null,
    byteLength: null,
    nullable: true,
    database: '',
    schema: '',
    table: '',
  };
  switch (type) {
    case 'fixed':
      Object.assign(base, { precision: 38, scale: 0 });
      break;
    case 'text':
      Object.assign(base, { length: MAX_VARCHAR, byteLength: MAX_VARCHAR });
      break;
    case 'binary':
      Object.assign(base, { length: MAX_BINARY, byteLength: MAX_BINARY });
      break;
    case 'time':
    case 'timestamp_ntz':
    case 'timestamp_ltz':
    case 'timestamp_tz':
      Object.assign(base, { precision: 0, scale: 9 });
      break;
    default:
      break;
  }
  return { ...base, ...extra };
}

/** Epoch microseconds as Snowflake's "seconds.nanoseconds" text, one signed decimal. */
export function microsToEpoch(micros: bigint): string {
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  const seconds = abs / 1_000_000n;
  const fraction = (abs % 1_000_000n).toString().padStart(6, '0');
  return `${negative ? '-' : ''}${seconds}.${fraction}000`;
}

/** Epoch milliseconds (a JS Date) as wire timestamp text. */
export function dateToEpoch(date: Date): string {
  return microsToEpoch(BigInt(date.getTime()) * 1000n);
}

function timestampMicros(value: unknown): bigint {
  const v = value as { micros?: bigint; millis?: bigint; seconds?: bigint; nanos?: bigint };
  if (v.micros !== undefined) return v.micros;
  if (v.millis !== undefined) return v.millis * 1000n;
  if (v.seconds !== undefined) return v.seconds * 1_000_000n;
  if (v.nanos !== undefined) return v.nanos / 1000n;
  return 0n;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').toUpperCase();
}

/** A DuckDB value as JSON text, keeping big integers and decimals exact. */
export function jsonText(value: DuckDBValue | undefined): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return Number.isFinite(value) ? String(value) : JSON.stringify(String(value));
    case 'bigint':
      return value.toString();
    case 'string':
      return JSON.stringify(value);
    default:
      break;
  }
  const name = (value as object).constructor?.name;
  const v = value as unknown as Record<string, unknown>;
  switch (name) {
    case 'DuckDBVariantValue':
      return jsonText(v.value as DuckDBValue);
    case 'DuckDBDecimalValue':
      return String(value);
    case 'DuckDBListValue':
    case 'DuckDBArrayValue':
      return `[${(v.items as DuckDBValue[]).map(jsonText).join(',')}]`;
    case 'DuckDBStructValue':
      return `{${Object.entries(v.entries as Record<string, DuckDBValue>).map(([k, item]) => `${JSON.stringify(k)}:${jsonText(item)}`).join(',')}}`;
    case 'DuckDBMapValue':
      return `{${(v.entries as { key: DuckDBValue; value: DuckDBValue }[]).map((e) => `${JSON.stringify(String(e.key))}:${jsonText(e.value)}`).join(',')}}`;
    case 'DuckDBBlobValue':
      return JSON.stringify(hex(v.bytes as Uint8Array));
    case 'DuckDBTimestampValue':
    case 'DuckDBTimestampTZValue':
      return JSON.stringify(String(value).replace(/\+00$/, ''));
    default:
      return JSON.stringify(String(value));
  }
}

function codecFor(name: string, type: DuckDBType): ColumnCodec {
  const id = type.typeId as number;
  const text = (value: DuckDBValue): string | null => (value === null ? null : String(value));
  switch (id) {
    case T.BOOLEAN:
      return { column: wireColumn(name, 'boolean'), encode: (v) => (v === null ? null : v ? '1' : '0') };
    case T.TINYINT:
    case T.SMALLINT:
    case T.INTEGER:
    case T.BIGINT:
    case T.UTINYINT:
    case T.USMALLINT:
    case T.UINTEGER:
    case T.UBIGINT:
    case T.HUGEINT:
    case T.UHUGEINT:
    case T.BIGNUM:
      return { column: wireColumn(name, 'fixed'), encode: text };
    case T.DECIMAL: {
      const decimal = type as unknown as { width: number; scale: number };
      return { column: wireColumn(name, 'fixed', { precision: decimal.width, scale: decimal.scale }), encode: text };
    }
    case T.FLOAT:
    case T.DOUBLE:
      return {
        column: wireColumn(name, 'real'),
        encode: (v) => (v === null ? null : Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : String(v)),
      };
    case T.DATE:
      return { column: wireColumn(name, 'date'), encode: (v) => (v === null ? null : String((v as unknown as { days: number }).days)) };
    case T.TIME:
    case T.TIME_NS:
    case T.TIME_TZ:
      return {
        column: wireColumn(name, 'time'),
        encode: (v) => {
          if (v === null) return null;
          const micros = (v as unknown as { micros?: bigint; nanos?: bigint }).micros ?? ((v as unknown as { nanos?: bigint }).nanos ?? 0n) / 1000n;
          return microsToEpoch(micros);
        },
      };
    case T.TIMESTAMP:
    case T.TIMESTAMP_S:
    case T.TIMESTAMP_MS:
    case T.TIMESTAMP_NS:
      return { column: wireColumn(name, 'timestamp_ntz'), encode: (v) => (v === null ? null : microsToEpoch(timestampMicros(v))) };
    case T.TIMESTAMP_TZ:
      return { column: wireColumn(name, 'timestamp_ltz'), encode: (v) => (v === null ? null : microsToEpoch(timestampMicros(v))) };
    case T.BLOB:
      return { column: wireColumn(name, 'binary'), encode: (v) => (v === null ? null : hex((v as unknown as { bytes: Uint8Array }).bytes)) };
    case T.VARIANT:
      return { column: wireColumn(name, 'variant'), encode: (v) => (v === null ? null : jsonText(v)) };
    case T.LIST:
    case T.ARRAY:
      return { column: wireColumn(name, 'array'), encode: (v) => (v === null ? null : jsonText(v)) };
    case T.STRUCT:
    case T.MAP:
    case T.UNION:
      return { column: wireColumn(name, 'object'), encode: (v) => (v === null ? null : jsonText(v)) };
    case T.SQLNULL:
      return { column: wireColumn(name, 'text'), encode: () => null };
    case T.VARCHAR:
      if (type.alias === 'JSON') return { column: wireColumn(name, 'variant'), encode: text };
      return { column: wireColumn(name, 'text'), encode: text };
    default:
      return { column: wireColumn(name, 'text'), encode: text };
  }
}

/** Rowtype entries for a result's columns, without reading rows. */
export function describeColumns(names: string[], types: DuckDBType[]): WireColumn[] {
  return names.map((name, k) => codecFor(name, types[k]!).column);
}

/**
 * Applies what the query says about a column's Snowflake type where DuckDB's type is ambiguous:
 * TIMESTAMP_TZ travels with its offset (UTC here), OBJECT and ARRAY keep their names.
 */
function refine(codec: ColumnCodec, hint: WireType | undefined, utcOffsetMinutes: number): ColumnCodec {
  if (hint === 'timestamp_tz' && codec.column.type === 'timestamp_ltz') {
    const encode = codec.encode;
    return { column: { ...codec.column, type: 'timestamp_tz' }, encode: (v) => (v === null ? null : `${encode(v)} ${utcOffsetMinutes + 1440}`) };
  }
  if ((hint === 'object' || hint === 'array') && codec.column.type === 'variant') return { ...codec, column: { ...codec.column, type: hint } };
  return codec;
}

/**
 * Encodes a whole DuckDB result; `hints` are the Snowflake types the query implies per column, and
 * `offsets` the UTC offsets (minutes) TIMESTAMP_TZ columns were written with.
 */
export function encodeResult(
  reader: DuckDBResultReader,
  hints: (WireType | undefined)[] = [],
  offsets: (number | undefined)[] = [],
): { columns: WireColumn[]; rows: (string | null)[][] } {
  const names = reader.columnNames();
  const types = reader.columnTypes();
  const matched = names.length === hints.length;
  const codecs = names.map((name, k) => refine(codecFor(name, types[k]!), matched ? hints[k] : undefined, matched ? offsets[k] ?? 0 : 0));
  const columns = reader.getColumns();
  const rowCount = reader.currentRowCount;
  const rows: (string | null)[][] = new Array(rowCount);
  for (let r = 0; r < rowCount; r++) {
    const row: (string | null)[] = new Array(codecs.length);
    for (let c = 0; c < codecs.length; c++) row[c] = codecs[c]!.encode(columns[c]![r]!);
    rows[r] = row;
  }
  return { columns: codecs.map((codec) => codec.column), rows };
}

/** Encodes plain JS values for results the engine builds itself (SHOW, DESCRIBE, status rows). */
export function encodeValue(value: unknown, type: WireType): string | null {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'boolean':
      return value ? '1' : '0';
    case 'timestamp_ltz':
    case 'timestamp_ntz':
    case 'timestamp_tz': {
      const date = value instanceof Date ? value : new Date(String(value));
      const epoch = dateToEpoch(date);
      return type === 'timestamp_tz' ? `${epoch} 1440` : epoch;
    }
    case 'date': {
      const date = value instanceof Date ? value : new Date(String(value));
      return String(Math.floor(date.getTime() / 86_400_000));
    }
    case 'variant':
    case 'object':
    case 'array':
      return typeof value === 'string' ? value : JSON.stringify(value);
    default:
      return String(value);
  }
}

/**
 * A wire-encoded value as Snowflake writes it into an unloaded file with the default output
 * formats: `2024-06-01`, `2024-06-01 10:00:00.000`, `… +0100` for TIMESTAMP_TZ, `true`, JSON text.
 */
export function wireToText(value: string, type: WireType): string {
  const epoch = (text: string): { date: Date; fraction: string } => {
    const [seconds = '0', nanos = '0'] = text.split('.');
    const millis = BigInt(seconds) * 1000n + BigInt(nanos.padEnd(9, '0').slice(0, 3)) * (text.startsWith('-') ? -1n : 1n);
    return { date: new Date(Number(millis)), fraction: nanos.padEnd(9, '0').slice(0, 3) };
  };
  const stamp = (date: Date, fraction: string): string => `${date.toISOString().slice(0, 19).replace('T', ' ')}.${fraction}`;
  switch (type) {
    case 'boolean':
      return value === '1' ? 'true' : 'false';
    case 'date':
      return new Date(Number(value) * 86_400_000).toISOString().slice(0, 10);
    case 'time': {
      const { date, fraction } = epoch(value);
      return `${date.toISOString().slice(11, 19)}${fraction === '000' ? '' : `.${fraction}`}`;
    }
    case 'timestamp_ntz':
    case 'timestamp_ltz': {
      const { date, fraction } = epoch(value);
      return stamp(date, fraction);
    }
    case 'timestamp_tz': {
      const [instant = '0', offset = '1440'] = value.split(' ');
      const minutes = Number(offset) - 1440;
      const { date, fraction } = epoch(instant);
      const local = new Date(date.getTime() + minutes * 60_000);
      const sign = minutes < 0 ? '-' : '+';
      const abs = Math.abs(minutes);
      return `${stamp(local, fraction)} ${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
    }
    default:
      return value;
  }
}

// Snowflake data types: parsing a type as written, how it is stored in DuckDB, how DESCRIBE and
// SHOW COLUMNS print it, and which wire type a DuckDB result column travels as.
import { syntaxError } from './errors.js';
import { isOp, isWord, type Token } from './tokens.js';
import type { WireType } from '../engine-api.js';

/** A Snowflake type after aliases are resolved. */
export interface SnowflakeType {
  base: 'NUMBER' | 'FLOAT' | 'VARCHAR' | 'BOOLEAN' | 'DATE' | 'TIME' | 'TIMESTAMP_NTZ' | 'TIMESTAMP_LTZ' | 'TIMESTAMP_TZ' | 'VARIANT' | 'OBJECT' | 'ARRAY' | 'BINARY' | 'GEOGRAPHY';
  precision?: number;
  scale?: number;
  length?: number;
}

/** The longest VARCHAR, which is also the length of VARCHAR without one. */
export const MAX_VARCHAR = 16777216;
/** The longest BINARY. */
export const MAX_BINARY = 8388608;

const INTEGER_ALIASES = new Set(['INT', 'INTEGER', 'BIGINT', 'SMALLINT', 'TINYINT', 'BYTEINT']);
const NUMBER_ALIASES = new Set(['NUMBER', 'NUMERIC', 'DECIMAL', 'DEC']);
const FLOAT_ALIASES = new Set(['FLOAT', 'FLOAT4', 'FLOAT8', 'DOUBLE', 'REAL']);
const STRING_ALIASES = new Set(['VARCHAR', 'STRING', 'TEXT', 'NVARCHAR', 'NVARCHAR2', 'CHAR', 'CHARACTER', 'NCHAR']);

/** Whether a word can start a type name. */
export function isTypeWord(word: string): boolean {
  return (
    INTEGER_ALIASES.has(word) || NUMBER_ALIASES.has(word) || FLOAT_ALIASES.has(word) || STRING_ALIASES.has(word) ||
    ['BOOLEAN', 'DATE', 'TIME', 'DATETIME', 'TIMESTAMP', 'TIMESTAMP_NTZ', 'TIMESTAMP_LTZ', 'TIMESTAMP_TZ', 'VARIANT',
      'OBJECT', 'ARRAY', 'BINARY', 'VARBINARY', 'GEOGRAPHY', 'GEOMETRY', 'JSON'].includes(word)
  );
}

/**
 * Reads a type from tokens starting at `index`; returns the type and the index after it.
 * Accepts the aliases Snowflake accepts: INT, STRING, DOUBLE PRECISION, CHARACTER VARYING, …
 */
export function readType(tokens: Token[], index: number): { type: SnowflakeType; next: number } {
  const head = tokens[index];
  if (!head || (head.kind !== 'word' && head.kind !== 'quoted')) throw syntaxError(head);
  let word = head.value.toUpperCase();
  let k = index + 1;
  if (word === 'DOUBLE' && isWord(tokens[k], 'PRECISION')) k++;
  if ((word === 'CHARACTER' || word === 'CHAR') && isWord(tokens[k], 'VARYING')) {
    k++;
    word = 'VARCHAR';
  }
  const args: number[] = [];
  if (isOp(tokens[k], '(')) {
    k++;
    while (!isOp(tokens[k], ')')) {
      const token = tokens[k];
      if (!token || token.kind === 'end') throw syntaxError(token);
      if (token.kind === 'number') args.push(Number(token.text));
      else if (!isOp(token, ',')) throw syntaxError(token);
      k++;
    }
    k++;
  }
  // Structured types (ARRAY(NUMBER), OBJECT(a NUMBER)) keep their base type here.
  const type = typeFromWord(word, args, head);
  return { type, next: k };
}

function typeFromWord(word: string, args: number[], token: Token): SnowflakeType {
  if (INTEGER_ALIASES.has(word)) return { base: 'NUMBER', precision: 38, scale: 0 };
  if (NUMBER_ALIASES.has(word)) {
    const precision = args[0] ?? 38;
    const scale = args[1] ?? 0;
    if (precision < 1 || precision > 38 || scale < 0 || scale > precision) throw syntaxError(token);
    return { base: 'NUMBER', precision, scale };
  }
  if (FLOAT_ALIASES.has(word)) return { base: 'FLOAT' };
  if (STRING_ALIASES.has(word)) {
    const fixed = word === 'CHAR' || word === 'CHARACTER' || word === 'NCHAR';
    return { base: 'VARCHAR', length: args[0] ?? (fixed ? 1 : MAX_VARCHAR) };
  }
  switch (word) {
    case 'BOOLEAN':
      return { base: 'BOOLEAN' };
    case 'DATE':
      return { base: 'DATE' };
    case 'TIME':
      return { base: 'TIME', scale: args[0] ?? 9 };
    case 'DATETIME':
    case 'TIMESTAMP':
    case 'TIMESTAMP_NTZ':
      return { base: 'TIMESTAMP_NTZ', scale: args[0] ?? 9 };
    case 'TIMESTAMP_LTZ':
      return { base: 'TIMESTAMP_LTZ', scale: args[0] ?? 9 };
    case 'TIMESTAMP_TZ':
      return { base: 'TIMESTAMP_TZ', scale: args[0] ?? 9 };
    case 'VARIANT':
    case 'JSON':
      return { base: 'VARIANT' };
    case 'OBJECT':
      return { base: 'OBJECT' };
    case 'ARRAY':
      return { base: 'ARRAY' };
    case 'BINARY':
    case 'VARBINARY':
      return { base: 'BINARY', length: args[0] ?? MAX_BINARY };
    case 'GEOGRAPHY':
    case 'GEOMETRY':
      return { base: 'GEOGRAPHY' };
    default:
      throw syntaxError(token);
  }
}

/** The DuckDB column type that stores a Snowflake type. */
export function duckType(type: SnowflakeType): string {
  switch (type.base) {
    case 'NUMBER':
      return `DECIMAL(${type.precision ?? 38},${type.scale ?? 0})`;
    case 'FLOAT':
      return 'DOUBLE';
    case 'VARCHAR':
    case 'GEOGRAPHY':
      return 'VARCHAR';
    case 'BOOLEAN':
      return 'BOOLEAN';
    case 'DATE':
      return 'DATE';
    case 'TIME':
      return 'TIME';
    case 'TIMESTAMP_NTZ':
      return 'TIMESTAMP';
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_TZ':
      return 'TIMESTAMPTZ';
    case 'VARIANT':
    case 'OBJECT':
    case 'ARRAY':
      return 'VARIANT';
    case 'BINARY':
      return 'BLOB';
  }
}

/** How DESCRIBE TABLE prints a type: NUMBER(38,0), VARCHAR(16777216), TIMESTAMP_NTZ(9), … */
export function typeText(type: SnowflakeType): string {
  switch (type.base) {
    case 'NUMBER':
      return `NUMBER(${type.precision ?? 38},${type.scale ?? 0})`;
    case 'VARCHAR':
      return `VARCHAR(${type.length ?? MAX_VARCHAR})`;
    case 'BINARY':
      return `BINARY(${type.length ?? MAX_BINARY})`;
    case 'TIME':
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_TZ':
      return `${type.base}(${type.scale ?? 9})`;
    default:
      return type.base;
  }
}

/** How SHOW COLUMNS' data_type JSON describes a type. */
export function typeJson(type: SnowflakeType, nullable: boolean): string {
  switch (type.base) {
    case 'NUMBER':
      return JSON.stringify({ type: 'FIXED', precision: type.precision ?? 38, scale: type.scale ?? 0, nullable });
    case 'FLOAT':
      return JSON.stringify({ type: 'REAL', nullable });
    case 'VARCHAR':
      return JSON.stringify({ type: 'TEXT', length: type.length ?? MAX_VARCHAR, byteLength: Math.min((type.length ?? MAX_VARCHAR) * 4, MAX_VARCHAR), nullable, fixed: false });
    case 'BINARY':
      return JSON.stringify({ type: 'BINARY', length: type.length ?? MAX_BINARY, byteLength: type.length ?? MAX_BINARY, nullable, fixed: false });
    case 'TIME':
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_TZ':
      return JSON.stringify({ type: type.base, precision: 0, scale: type.scale ?? 9, nullable });
    default:
      return JSON.stringify({ type: type.base, nullable });
  }
}

/** The Snowflake type that DuckDB's type name (from a result or duckdb_columns()) stands for. */
export function typeFromDuck(duck: string): SnowflakeType {
  const upper = duck.toUpperCase();
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(upper);
  if (decimal) return { base: 'NUMBER', precision: Number(decimal[1]), scale: Number(decimal[2]) };
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|INT\d*)$/.test(upper)) {
    return { base: 'NUMBER', precision: 38, scale: 0 };
  }
  if (upper === 'DOUBLE' || upper === 'FLOAT' || upper === 'REAL') return { base: 'FLOAT' };
  if (upper === 'BOOLEAN') return { base: 'BOOLEAN' };
  if (upper === 'DATE') return { base: 'DATE' };
  if (upper === 'TIME' || upper === 'TIME WITH TIME ZONE') return { base: 'TIME', scale: 9 };
  if (upper === 'TIMESTAMP WITH TIME ZONE' || upper === 'TIMESTAMPTZ') return { base: 'TIMESTAMP_LTZ', scale: 9 };
  if (upper.startsWith('TIMESTAMP')) return { base: 'TIMESTAMP_NTZ', scale: 9 };
  if (upper === 'BLOB') return { base: 'BINARY', length: MAX_BINARY };
  if (upper === 'VARIANT' || upper === 'JSON') return { base: 'VARIANT' };
  if (upper.endsWith('[]') || upper.startsWith('STRUCT') || upper.startsWith('MAP')) {
    return { base: upper.startsWith('STRUCT') || upper.startsWith('MAP') ? 'OBJECT' : 'ARRAY' };
  }
  return { base: 'VARCHAR', length: MAX_VARCHAR };
}

/** The wire type a Snowflake type travels as. */
export function wireType(type: SnowflakeType): WireType {
  switch (type.base) {
    case 'NUMBER':
      return 'fixed';
    case 'FLOAT':
      return 'real';
    case 'VARCHAR':
    case 'GEOGRAPHY':
      return 'text';
    case 'BOOLEAN':
      return 'boolean';
    case 'DATE':
      return 'date';
    case 'TIME':
      return 'time';
    case 'TIMESTAMP_NTZ':
      return 'timestamp_ntz';
    case 'TIMESTAMP_LTZ':
      return 'timestamp_ltz';
    case 'TIMESTAMP_TZ':
      return 'timestamp_tz';
    case 'VARIANT':
      return 'variant';
    case 'OBJECT':
      return 'object';
    case 'ARRAY':
      return 'array';
    case 'BINARY':
      return 'binary';
  }
}

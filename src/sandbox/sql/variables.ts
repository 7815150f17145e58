// Session variables keep their value as a SQL literal of the right type, so `$x` in a later
// statement means exactly what SET computed (a date stays a date, a number stays a number).
import type { DuckDBValue } from '@duckdb/node-api';
import type { WireType } from '../engine-api.js';
import type { VariableValue } from './session.js';
import { quoteString } from './tokens.js';

/** The literal for a value SET computed, from its DuckDB value and wire encoding. */
export function literalFor(value: DuckDBValue, type: WireType, wire: string | null): VariableValue {
  if (value === null || wire === null) return { sql: 'NULL', text: '' };
  const text = String(value);
  switch (type) {
    case 'fixed':
      return { sql: wire, text: wire };
    case 'real':
      return { sql: `CAST(${quoteString(wire)} AS DOUBLE)`, text: wire };
    case 'boolean':
      return { sql: wire === '1' ? 'TRUE' : 'FALSE', text: wire === '1' ? 'true' : 'false' };
    case 'date':
      return { sql: `CAST(${quoteString(text)} AS DATE)`, text };
    case 'time':
      return { sql: `CAST(${quoteString(text)} AS TIME)`, text };
    case 'timestamp_ntz':
      return { sql: `CAST(${quoteString(text)} AS TIMESTAMP)`, text };
    case 'timestamp_ltz':
    case 'timestamp_tz':
      return { sql: `CAST(${quoteString(text)} AS TIMESTAMPTZ)`, text };
    case 'variant':
    case 'object':
    case 'array':
      return { sql: `sf_parse_json(${quoteString(wire)})`, text: wire };
    case 'binary':
      return { sql: `unhex(${quoteString(wire)})`, text: wire };
    default:
      return { sql: quoteString(text), text };
  }
}

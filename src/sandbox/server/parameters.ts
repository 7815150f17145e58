// Parameters the driver reads. It formats dates, times, timestamps and binary values from the
// parameters of EACH query response (not from the login), and a missing BINARY_OUTPUT_FORMAT or
// TIMEZONE crashes it on binary and LTZ columns — so every query answer carries them all.

/** Snowflake's documented output formats, with the sandbox's time zone. */
export const FORMAT_PARAMETERS: Readonly<Record<string, string>> = {
  TIMEZONE: 'UTC',
  DATE_OUTPUT_FORMAT: 'YYYY-MM-DD',
  TIME_OUTPUT_FORMAT: 'HH24:MI:SS',
  TIMESTAMP_OUTPUT_FORMAT: 'YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM',
  TIMESTAMP_NTZ_OUTPUT_FORMAT: 'YYYY-MM-DD HH24:MI:SS.FF3',
  TIMESTAMP_LTZ_OUTPUT_FORMAT: '',
  TIMESTAMP_TZ_OUTPUT_FORMAT: '',
  BINARY_OUTPUT_FORMAT: 'HEX',
  CLIENT_TIMESTAMP_TYPE_MAPPING: 'TIMESTAMP_LTZ',
};

/** The names among FORMAT_PARAMETERS, plus the one login parameter echoed back to the driver. */
const RESPONSE_PARAMETER_NAMES = new Set([...Object.keys(FORMAT_PARAMETERS), 'JS_TREAT_INTEGER_AS_BIGINT']);

/**
 * Stage binding (CREATE TEMPORARY STAGE + PUT) is what the driver does above this many array-bind
 * values; the sandbox has no PUT, so the threshold is set beyond any realistic bind.
 */
export const ARRAY_BINDING_THRESHOLD = 2_147_483_647;

/** The `parameters` list of a login answer. */
export function loginParameters(session: Readonly<Record<string, string>>): { name: string; value: unknown }[] {
  const values: Record<string, unknown> = {
    ...FORMAT_PARAMETERS,
    AUTOCOMMIT: true,
    CLIENT_STAGE_ARRAY_BINDING_THRESHOLD: ARRAY_BINDING_THRESHOLD,
    CLIENT_SESSION_KEEP_ALIVE: false,
    CLIENT_SESSION_KEEP_ALIVE_HEARTBEAT_FREQUENCY: 3600,
    CLIENT_PREFETCH_THREADS: 4,
    CLIENT_RESULT_CHUNK_SIZE: 160,
    QUERY_CONTEXT_CACHE_SIZE: 5,
    ...session,
  };
  return Object.entries(values).map(([name, value]) => ({ name, value: typed(value) }));
}

/** The `data.parameters` list of a query answer: the formats, overridden by the session's own. */
export function queryParameters(session: Readonly<Record<string, string>>): { name: string; value: unknown }[] {
  const values: Record<string, string> = { ...FORMAT_PARAMETERS };
  for (const [name, value] of Object.entries(session)) {
    if (RESPONSE_PARAMETER_NAMES.has(name)) values[name] = value;
  }
  return Object.entries(values).map(([name, value]) => ({ name, value: typed(value) }));
}

/** Login sends booleans and numbers as JSON values; keep them so, and strings as strings. */
function typed(value: unknown): unknown {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}

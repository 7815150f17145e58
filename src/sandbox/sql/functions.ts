// Snowflake functions on DuckDB. Most are DuckDB macros (typed overloads pick the right meaning
// per argument type, e.g. TO_VARCHAR of a VARIANT vs of a number); the translator renames the
// Snowflake name to the macro. Functions whose arguments need reshaping (DATEADD's unquoted
// part, LISTAGG … WITHIN GROUP, OBJECT_CONSTRUCT's pairs) are rewritten in translate.ts.

/** Marker that wraps a Snowflake error raised from inside DuckDB with error(): ⟦code|state|message⟧. */
export const ERROR_MARK = '⟦SF';

/** SQL that raises a Snowflake error from inside a DuckDB query. */
export function raiseSql(code: string, sqlState: string, message: string): string {
  return `error('${ERROR_MARK}${code}|${sqlState}|${message.replace(/'/g, "''")}⟧')`;
}

/** Reads a Snowflake error raised with raiseSql out of a DuckDB message. */
export function raisedError(message: string): { code: string; sqlState: string; message: string } | undefined {
  const start = message.indexOf(ERROR_MARK);
  if (start < 0) return undefined;
  const end = message.indexOf('⟧', start);
  const body = message.slice(start + ERROR_MARK.length, end < 0 ? undefined : end);
  const [code, sqlState, ...rest] = body.split('|');
  return { code: code!, sqlState: sqlState!, message: rest.join('|') };
}

const DIV0 = raiseSql('100051', '22012', 'Division by zero');

/** Snowflake date/time part names and their abbreviations → DuckDB part names. */
export const DATE_PARTS: Record<string, string> = {
  YEAR: 'year', Y: 'year', YY: 'year', YYY: 'year', YYYY: 'year', YR: 'year', YEARS: 'year', YRS: 'year',
  QUARTER: 'quarter', Q: 'quarter', QTR: 'quarter', QTRS: 'quarter', QUARTERS: 'quarter',
  MONTH: 'month', MM: 'month', MON: 'month', MONS: 'month', MONTHS: 'month',
  WEEK: 'week', W: 'week', WK: 'week', WEEKOFYEAR: 'week', WOY: 'week', WY: 'week', WEEKS: 'week',
  DAY: 'day', D: 'day', DD: 'day', DAYS: 'day', DAYOFMONTH: 'day',
  DAYOFWEEK: 'dow', WEEKDAY: 'dow', DOW: 'dow', DW: 'dow',
  DAYOFYEAR: 'doy', YEARDAY: 'doy', DOY: 'doy', DY: 'doy',
  HOUR: 'hour', H: 'hour', HH: 'hour', HR: 'hour', HOURS: 'hour', HRS: 'hour',
  MINUTE: 'minute', M: 'minute', MI: 'minute', MIN: 'minute', MINUTES: 'minute', MINS: 'minute',
  SECOND: 'second', S: 'second', SEC: 'second', SECONDS: 'second', SECS: 'second',
  MILLISECOND: 'millisecond', MS: 'millisecond', MSEC: 'millisecond', MILLISECONDS: 'millisecond',
  MICROSECOND: 'microsecond', US: 'microsecond', USEC: 'microsecond', MICROSECONDS: 'microsecond',
  NANOSECOND: 'nanosecond', NS: 'nanosecond', NSEC: 'nanosecond', NANOSEC: 'nanosecond', NANOSECONDS: 'nanosecond',
  EPOCH_SECOND: 'epoch', EPOCH: 'epoch', EPOCH_SECONDS: 'epoch',
};

/** Snowflake function names that map one-to-one onto a DuckDB function or a macro below. */
export const FUNCTION_RENAMES: Record<string, string> = {
  IFF: 'sf_iff',
  NVL: 'coalesce',
  IFNULL: 'coalesce',
  NVL2: 'sf_nvl2',
  ZEROIFNULL: 'sf_zeroifnull',
  NULLIFZERO: 'sf_nullifzero',
  DIV0: 'sf_div0',
  DIV0NULL: 'sf_div0null',
  EQUAL_NULL: 'sf_equal_null',
  BOOLAND_AGG: 'bool_and',
  BOOLOR_AGG: 'bool_or',
  APPROX_COUNT_DISTINCT: 'approx_count_distinct',
  APPROX_PERCENTILE: 'sf_approx_percentile',
  SYSDATE: 'sf_sysdate',
  GETDATE: 'now',
  SYSTIMESTAMP: 'now',
  LOCALTIMESTAMP: 'sf_sysdate',
  TO_VARCHAR: 'sf_to_varchar',
  TO_CHAR: 'sf_to_varchar',
  TO_DATE: 'sf_to_date',
  DATE: 'sf_to_date',
  TRY_TO_DATE: 'sf_try_to_date',
  TO_TIME: 'sf_to_time',
  TIME: 'sf_to_time',
  TO_TIMESTAMP: 'sf_to_timestamp',
  TO_TIMESTAMP_NTZ: 'sf_to_timestamp',
  TO_TIMESTAMP_LTZ: 'sf_to_timestamp_tz',
  TO_TIMESTAMP_TZ: 'sf_to_timestamp_tz',
  TRY_TO_TIMESTAMP: 'sf_try_to_timestamp',
  TRY_TO_TIMESTAMP_NTZ: 'sf_try_to_timestamp',
  TO_BOOLEAN: 'sf_to_boolean',
  TRY_TO_BOOLEAN: 'sf_try_to_boolean',
  TO_DOUBLE: 'sf_to_double',
  TRY_TO_DOUBLE: 'sf_try_to_double',
  TO_VARIANT: 'sf_to_variant',
  TO_OBJECT: 'sf_to_variant',
  TO_ARRAY: 'sf_to_array',
  TO_JSON: 'sf_to_json',
  PARSE_JSON: 'sf_parse_json',
  TRY_PARSE_JSON: 'sf_try_parse_json',
  CHECK_JSON: 'sf_check_json',
  TYPEOF: 'sf_typeof',
  IS_NULL_VALUE: 'sf_is_null_value',
  IS_OBJECT: 'sf_is_object',
  IS_ARRAY: 'sf_is_array',
  AS_VARCHAR: 'sf_to_varchar',
  AS_CHAR: 'sf_to_varchar',
  AS_INTEGER: 'sf_as_integer',
  AS_NUMBER: 'sf_as_double',
  AS_DOUBLE: 'sf_as_double',
  AS_BOOLEAN: 'sf_to_boolean',
  ARRAY_SIZE: 'sf_array_size',
  ARRAY_CONTAINS: 'sf_array_contains',
  ARRAY_TO_STRING: 'sf_array_to_string',
  ARRAY_APPEND: 'sf_array_append',
  ARRAY_CAT: 'sf_array_cat',
  ARRAY_DISTINCT: 'sf_array_distinct',
  OBJECT_KEYS: 'sf_object_keys',
  OBJECT_INSERT: 'sf_object_insert',
  GET: 'sf_get',
  GET_PATH: 'sf_get_path',
  SPLIT: 'sf_split',
  STRTOK_TO_ARRAY: 'sf_split',
  STARTSWITH: 'starts_with',
  ENDSWITH: 'ends_with',
  CHARINDEX: 'sf_charindex',
  INITCAP: 'sf_initcap',
  LEN: 'length',
  REGEXP_SUBSTR: 'sf_regexp_substr',
  REGEXP_LIKE: 'regexp_full_match',
  RLIKE: 'regexp_full_match',
  REGEXP_COUNT: 'sf_regexp_count',
  SHA2: 'sf_sha2',
  SHA1: 'sha1',
  MD5_HEX: 'md5',
  UUID_STRING: 'sf_uuid_string',
  UNIFORM: 'sf_uniform',
  RANDOM: 'sf_random',
  DAYNAME: 'sf_dayname',
  MONTHNAME: 'sf_monthname',
  ADD_MONTHS: 'sf_add_months',
  DATE_FROM_PARTS: 'make_date',
  DATEFROMPARTS: 'make_date',
  TIME_FROM_PARTS: 'make_time',
  TIMESTAMP_FROM_PARTS: 'make_timestamp',
  TIMESTAMP_NTZ_FROM_PARTS: 'make_timestamp',
  CONVERT_TIMEZONE: 'sf_convert_timezone',
  TO_BINARY: 'sf_to_binary',
  HEX_ENCODE: 'sf_hex_encode',
  HEX_DECODE_STRING: 'sf_hex_decode_string',
  BASE64_ENCODE: 'to_base64',
  BASE64_DECODE_STRING: 'sf_base64_decode_string',
  SQUARE: 'sf_square',
  LOG: 'sf_log',
  TRUNCATE: 'trunc',
  BITAND: 'sf_bitand',
  BITOR: 'sf_bitor',
  NTH_VALUE: 'nth_value',
  CURRENT_DATE: 'current_date',
  WEEKISO: 'isodow',
  YEAROFWEEK: 'yearweek',
  DAYOFWEEKISO: 'isodow',
  ARRAY_GENERATE_RANGE: 'sf_array_generate_range',
  OBJECT_DELETE: 'sf_object_delete',
  STRIP_NULL_VALUE: 'sf_strip_null_value',
  TIMEDIFF: 'sf_datediff',
  HASH_AGG: 'sf_hash_agg',
  EDITDISTANCE: 'levenshtein',
  JAROWINKLER_SIMILARITY: 'sf_jarowinkler',
};

/** Casting a value to a Snowflake type: the macro that does it the Snowflake way, per target. */
export const CAST_MACROS: Record<string, string> = {
  VARCHAR: 'sf_to_varchar',
};

/** DuckDB macros, created (or replaced) every time the sandbox opens its database. */
export const MACROS: string[] = [
  `CREATE OR REPLACE MACRO sf_iff(c, a, b) AS CASE WHEN c THEN a ELSE b END`,
  `CREATE OR REPLACE MACRO sf_nvl2(a, b, c) AS CASE WHEN a IS NOT NULL THEN b ELSE c END`,
  `CREATE OR REPLACE MACRO sf_zeroifnull(a) AS coalesce(a, 0)`,
  `CREATE OR REPLACE MACRO sf_nullifzero(a) AS nullif(a, 0)`,
  `CREATE OR REPLACE MACRO sf_nz(b) AS CASE WHEN b = 0 THEN ${DIV0} ELSE b END`,
  `CREATE OR REPLACE MACRO sf_div0(a, b) AS CASE WHEN b = 0 THEN 0 ELSE a / b END`,
  `CREATE OR REPLACE MACRO sf_div0null(a, b) AS CASE WHEN b = 0 OR b IS NULL THEN 0 ELSE a / b END`,
  `CREATE OR REPLACE MACRO sf_equal_null(a, b) AS a IS NOT DISTINCT FROM b`,
  `CREATE OR REPLACE MACRO sf_sysdate() AS timezone('UTC', now())`,
  // Strings: a VARIANT holding a string gives the string; objects and arrays give their JSON; a JSON null gives NULL.
  `CREATE OR REPLACE MACRO sf_to_varchar(x VARIANT) AS CASE WHEN regexp_matches(variant_typeof(x), '^(OBJECT|ARRAY)') THEN CAST(CAST(x AS JSON) AS VARCHAR) WHEN variant_typeof(x) = 'VARIANT_NULL' THEN NULL ELSE CAST(x AS VARCHAR) END,
     (x JSON) AS CASE WHEN json_type(x) IN ('OBJECT', 'ARRAY') THEN CAST(x AS VARCHAR) ELSE json_extract_string(x, '$') END,
     (x VARCHAR) AS x,
     (x BOOLEAN) AS CASE WHEN x THEN 'true' ELSE 'false' END,
     (x BLOB) AS upper(hex(x)),
     (x DATE, f) AS strftime(x, f),
     (x TIMESTAMP, f) AS strftime(x, f),
     (x TIMESTAMPTZ, f) AS strftime(x, f),
     (x, f) AS CAST(x AS VARCHAR),
     (x) AS CAST(x AS VARCHAR)`,
  `CREATE OR REPLACE MACRO sf_to_date(x VARIANT) AS CAST(CAST(x AS VARCHAR) AS DATE),
     (x VARCHAR, f) AS CAST(strptime(x, f) AS DATE),
     (x BIGINT) AS CAST(to_timestamp(x) AS DATE),
     (x) AS CAST(x AS DATE)`,
  `CREATE OR REPLACE MACRO sf_try_to_date(x VARCHAR, f) AS CAST(try_strptime(x, f) AS DATE),
     (x) AS TRY_CAST(x AS DATE)`,
  `CREATE OR REPLACE MACRO sf_to_time(x VARCHAR, f) AS CAST(strptime(x, f) AS TIME),
     (x) AS CAST(x AS TIME)`,
  // Snowflake writes an offset after a space ('2026-01-01 10:00:00 +01:00'); DuckDB reads it only when attached.
  `CREATE OR REPLACE MACRO sf_tz_text(x VARCHAR) AS regexp_replace(x, '\\s+([+-][0-9]{2}(:?[0-9]{2})?)$', '\\1'), (x) AS x`,
  `CREATE OR REPLACE MACRO sf_to_timestamp(x VARIANT) AS CAST(CAST(x AS VARCHAR) AS TIMESTAMP),
     (x VARCHAR, f) AS strptime(x, f),
     (x BIGINT) AS CAST(timezone('UTC', to_timestamp(x)) AS TIMESTAMP),
     (x DOUBLE) AS CAST(timezone('UTC', to_timestamp(x)) AS TIMESTAMP),
     (x TIMESTAMPTZ) AS timezone('UTC', x),
     (x VARCHAR) AS CAST(sf_tz_text(x) AS TIMESTAMP),
     (x) AS CAST(x AS TIMESTAMP)`,
  `CREATE OR REPLACE MACRO sf_to_timestamp_tz(x VARCHAR, f) AS CAST(strptime(x, f) AS TIMESTAMPTZ),
     (x BIGINT) AS to_timestamp(x),
     (x VARCHAR) AS CAST(sf_tz_text(x) AS TIMESTAMPTZ),
     (x) AS CAST(x AS TIMESTAMPTZ)`,
  `CREATE OR REPLACE MACRO sf_try_to_timestamp(x VARCHAR, f) AS try_strptime(x, f),
     (x) AS TRY_CAST(x AS TIMESTAMP)`,
  `CREATE OR REPLACE MACRO sf_to_boolean(x VARCHAR) AS CASE WHEN lower(trim(x)) IN ('true','t','yes','y','on','1') THEN true WHEN lower(trim(x)) IN ('false','f','no','n','off','0') THEN false WHEN x IS NULL THEN NULL ELSE ${raiseSql('100037', '22018', "Boolean value is not recognized")} END,
     (x) AS CAST(x AS BOOLEAN)`,
  `CREATE OR REPLACE MACRO sf_numeric_text(x VARIANT) AS CAST(x AS VARCHAR), (x VARCHAR) AS trim(x), (x) AS x`,
  `CREATE OR REPLACE MACRO sf_try_to_boolean(x) AS TRY_CAST(x AS BOOLEAN)`,
  `CREATE OR REPLACE MACRO sf_to_double(x) AS CAST(x AS DOUBLE)`,
  `CREATE OR REPLACE MACRO sf_try_to_double(x) AS TRY_CAST(x AS DOUBLE)`,
  // Semi-structured data: VARIANT is DuckDB's VARIANT; JSON text crosses in and out with casts.
  `CREATE OR REPLACE MACRO sf_json(x VARIANT) AS CAST(x AS JSON), (x JSON) AS x, (x VARCHAR) AS to_json(x), (x) AS to_json(x)`,
  `CREATE OR REPLACE MACRO sf_to_variant(x VARIANT) AS x, (x JSON) AS CAST(x AS VARIANT), (x VARCHAR) AS CAST(x AS VARIANT), (x) AS CAST(x AS VARIANT)`,
  `CREATE OR REPLACE MACRO sf_to_array(x VARIANT) AS CASE WHEN variant_typeof(x) LIKE 'ARRAY%' THEN x ELSE CAST(json_array(CAST(x AS JSON)) AS VARIANT) END,
     (x) AS CAST(json_array(to_json(x)) AS VARIANT)`,
  `CREATE OR REPLACE MACRO sf_to_json(x VARIANT) AS CAST(CAST(x AS JSON) AS VARCHAR), (x JSON) AS CAST(x AS VARCHAR), (x VARCHAR) AS CAST(to_json(x) AS VARCHAR), (x) AS CAST(to_json(x) AS VARCHAR)`,
  `CREATE OR REPLACE MACRO sf_parse_json(s) AS CAST(json(s) AS VARIANT)`,
  `CREATE OR REPLACE MACRO sf_try_parse_json(s) AS CASE WHEN json_valid(s) THEN CAST(json(s) AS VARIANT) END`,
  `CREATE OR REPLACE MACRO sf_check_json(s) AS CASE WHEN s IS NULL THEN NULL WHEN json_valid(s) THEN NULL ELSE 'invalid JSON' END`,
  `CREATE OR REPLACE MACRO sf_typeof(x VARIANT) AS CASE
       WHEN x IS NULL THEN NULL
       WHEN variant_typeof(x) LIKE 'OBJECT%' THEN 'OBJECT'
       WHEN variant_typeof(x) LIKE 'ARRAY%' THEN 'ARRAY'
       WHEN variant_typeof(x) = 'VARIANT_NULL' THEN 'NULL_VALUE'
       WHEN variant_typeof(x) IN ('VARCHAR') THEN 'VARCHAR'
       WHEN variant_typeof(x) IN ('BOOLEAN', 'BOOL') THEN 'BOOLEAN'
       WHEN variant_typeof(x) IN ('DOUBLE', 'FLOAT') THEN 'DOUBLE'
       WHEN variant_typeof(x) LIKE 'DECIMAL%' THEN 'DECIMAL'
       WHEN regexp_matches(variant_typeof(x), 'INT') THEN 'INTEGER'
       WHEN variant_typeof(x) = 'DATE' THEN 'DATE'
       WHEN variant_typeof(x) LIKE 'TIMESTAMP%' THEN 'TIMESTAMP_NTZ'
       ELSE variant_typeof(x) END,
     (x) AS upper(typeof(x))`,
  `CREATE OR REPLACE MACRO sf_is_null_value(x VARIANT) AS variant_typeof(x) = 'VARIANT_NULL', (x) AS false`,
  `CREATE OR REPLACE MACRO sf_is_object(x VARIANT) AS variant_typeof(x) LIKE 'OBJECT%', (x) AS false`,
  `CREATE OR REPLACE MACRO sf_is_array(x VARIANT) AS variant_typeof(x) LIKE 'ARRAY%', (x) AS false`,
  `CREATE OR REPLACE MACRO sf_as_integer(x) AS TRY_CAST(x AS BIGINT)`,
  `CREATE OR REPLACE MACRO sf_as_double(x) AS TRY_CAST(x AS DOUBLE)`,
  // Path steps: a string key or a 0-based index, on VARIANT or JSON text.
  `CREATE OR REPLACE MACRO sf_get(v, k VARCHAR) AS CAST(json_extract(CAST(v AS JSON), '$."' || replace(k, '"', '\\"') || '"') AS VARIANT),
     (v, i BIGINT) AS CASE WHEN i >= 0 THEN CAST(json_extract(CAST(v AS JSON), '$[' || i || ']') AS VARIANT) END`,
  // Whether a path's last key is there (a JSON null is there; a missing key is not).
  `CREATE OR REPLACE MACRO sf_has_key(p, k VARCHAR) AS coalesce(list_contains(json_keys(CAST(CAST(p AS VARIANT) AS JSON)), k), false),
     (p, i UINTEGER) AS coalesce(json_array_length(CAST(CAST(p AS VARIANT) AS JSON)) >= i, false)`,
  `CREATE OR REPLACE MACRO sf_get_path(v, p) AS CAST(json_extract(CAST(v AS JSON), '$.' || p) AS VARIANT)`,
  `CREATE OR REPLACE MACRO sf_elements(v) AS json_extract(CAST(v AS JSON), '$[*]')`,
  `CREATE OR REPLACE MACRO sf_array_size(v) AS CASE WHEN json_type(CAST(v AS JSON)) = 'ARRAY' THEN CAST(json_array_length(CAST(v AS JSON)) AS BIGINT) END`,
  `CREATE OR REPLACE MACRO sf_array_contains(x VARIANT, arr) AS list_contains(sf_elements(arr), CAST(x AS JSON)), (x, arr) AS list_contains(sf_elements(arr), to_json(x))`,
  `CREATE OR REPLACE MACRO sf_array_to_string(arr, sep) AS array_to_string(list_transform(sf_elements(arr), e -> CASE WHEN json_type(e) = 'VARCHAR' THEN json_extract_string(e, '$') ELSE CAST(e AS VARCHAR) END), sep)`,
  `CREATE OR REPLACE MACRO sf_array_append(arr, x VARIANT) AS CAST(to_json(list_append(sf_elements(arr), CAST(x AS JSON))) AS VARIANT), (arr, x) AS CAST(to_json(list_append(sf_elements(arr), to_json(x))) AS VARIANT)`,
  `CREATE OR REPLACE MACRO sf_array_cat(a, b) AS CAST(to_json(list_concat(sf_elements(a), sf_elements(b))) AS VARIANT)`,
  `CREATE OR REPLACE MACRO sf_array_distinct(a) AS CAST(to_json(list_distinct(sf_elements(a))) AS VARIANT)`,
  `CREATE OR REPLACE MACRO sf_array_generate_range(a, b) AS CAST(to_json(range(a, b)) AS VARIANT)`,
  `CREATE OR REPLACE MACRO sf_object_keys(o) AS CAST(to_json(json_keys(CAST(o AS JSON))) AS VARIANT)`,
  `CREATE OR REPLACE MACRO sf_object_insert(o, k, v VARIANT) AS CAST(json_merge_patch(CAST(o AS JSON), json_object(CAST(k AS VARCHAR), CAST(v AS JSON))) AS VARIANT), (o, k, v) AS CAST(json_merge_patch(CAST(o AS JSON), json_object(CAST(k AS VARCHAR), to_json(v))) AS VARIANT)`,
  `CREATE OR REPLACE MACRO sf_object_delete(o, k) AS CAST(to_json(map_from_entries(list_filter(map_entries(CAST(CAST(o AS JSON) AS MAP(VARCHAR, JSON))), e -> e.key <> k))) AS VARIANT)`,
  `CREATE OR REPLACE MACRO sf_strip_null_value(x) AS CASE WHEN sf_is_null_value(x) THEN NULL ELSE x END`,
  `CREATE OR REPLACE MACRO sf_object_strip(j) AS to_json(map_from_entries(list_filter(map_entries(CAST(j AS MAP(VARCHAR, JSON))), e -> e.value IS NOT NULL AND CAST(e.value AS VARCHAR) <> 'null')))`,
  `CREATE OR REPLACE MACRO sf_split(s, sep) AS CAST(string_split(s, sep) AS VARIANT)`,
  `CREATE OR REPLACE MACRO sf_charindex(sub, s) AS instr(s, sub), (sub, s, p) AS CASE WHEN instr(substr(s, p), sub) = 0 THEN 0 ELSE instr(substr(s, p), sub) + p - 1 END`,
  `CREATE OR REPLACE MACRO sf_initcap(s) AS regexp_replace(lower(s), '(^|[^[:alnum:]])([[:alpha:]])', '\\1\\U\\2', 'g')`,
  `CREATE OR REPLACE MACRO sf_regexp_substr(s, p) AS nullif(regexp_extract(s, p), ''), (s, p, pos) AS nullif(regexp_extract(substr(s, pos), p), '')`,
  `CREATE OR REPLACE MACRO sf_regexp_count(s, p) AS CAST(len(regexp_extract_all(s, p)) AS BIGINT)`,
  `CREATE OR REPLACE MACRO sf_sha2(s) AS sha256(s), (s, n) AS sha256(s)`,
  `CREATE OR REPLACE MACRO sf_uuid_string() AS CAST(gen_random_uuid() AS VARCHAR)`,
  // RANDOM() is a random 64-bit integer; UNIFORM(lo, hi, gen) is repeatable for a constant gen.
  `CREATE OR REPLACE MACRO sf_random() AS CAST(floor((random() - 0.5) * 18446744073709551615) AS BIGINT), (seed) AS CAST(CAST(hash(seed) AS HUGEINT) - 9223372036854775808 AS BIGINT)`,
  `CREATE OR REPLACE MACRO sf_uniform(lo BIGINT, hi BIGINT, g) AS CAST(lo + (CAST(hash(g) AS HUGEINT) % (hi - lo + 1)) AS BIGINT),
     (lo, hi, g) AS lo + (hi - lo) * (CAST(hash(g) % 1000000007 AS DOUBLE) / 1000000007)`,
  `CREATE OR REPLACE MACRO sf_hash(x) AS CAST(CAST(x AS HUGEINT) - 9223372036854775808 AS BIGINT)`,
  `CREATE OR REPLACE MACRO sf_hash_agg(x) AS CAST(CAST(bit_xor(hash(x)) AS HUGEINT) - 9223372036854775808 AS BIGINT)`,
  `CREATE OR REPLACE MACRO sf_dayname(d) AS left(dayname(d), 3)`,
  `CREATE OR REPLACE MACRO sf_monthname(d) AS left(monthname(d), 3)`,
  `CREATE OR REPLACE MACRO sf_add_months(d DATE, n) AS CAST(d + to_months(CAST(n AS INTEGER)) AS DATE), (d, n) AS d + to_months(CAST(n AS INTEGER))`,
  `CREATE OR REPLACE MACRO sf_convert_timezone(tz, ts) AS timezone(tz, CAST(ts AS TIMESTAMPTZ)), (src, tz, ts) AS timezone(tz, timezone(src, CAST(ts AS TIMESTAMP)))`,
  `CREATE OR REPLACE MACRO sf_to_binary(s) AS unhex(s), (s, f) AS CASE upper(f) WHEN 'BASE64' THEN from_base64(s) WHEN 'UTF-8' THEN encode(s) ELSE unhex(s) END`,
  `CREATE OR REPLACE MACRO sf_hex_encode(s) AS upper(hex(s)), (s, c) AS CASE WHEN c = 0 THEN lower(hex(s)) ELSE upper(hex(s)) END`,
  `CREATE OR REPLACE MACRO sf_hex_decode_string(s) AS decode(unhex(s))`,
  `CREATE OR REPLACE MACRO sf_base64_decode_string(s) AS decode(from_base64(s))`,
  // Snowflake's t-digest interpolates between values; on the sandbox's small tables the exact answer is the same.
  `CREATE OR REPLACE MACRO sf_approx_percentile(x, p) AS quantile_cont(CAST(x AS DOUBLE), p)`,
  `CREATE OR REPLACE MACRO sf_square(x) AS x * x`,
  `CREATE OR REPLACE MACRO sf_log(b, x) AS ln(x) / ln(b)`,
  `CREATE OR REPLACE MACRO sf_bitand(a, b) AS a & b`,
  `CREATE OR REPLACE MACRO sf_bitor(a, b) AS a | b`,
  `CREATE OR REPLACE MACRO sf_jarowinkler(a, b) AS CAST(round(jaro_winkler_similarity(a, b) * 100) AS BIGINT)`,
  `CREATE OR REPLACE MACRO sf_datediff(part, a, b) AS date_diff(part, CAST(a AS TIMESTAMP), CAST(b AS TIMESTAMP))`,
  // DATEADD by part: a DATE stays a DATE for whole days and more, as in Snowflake.
  ...dateAddMacros(),
];

function dateAddMacros(): string[] {
  const interval: Record<string, string> = {
    year: 'to_years(CAST(n AS INTEGER))',
    quarter: 'to_months(CAST(n AS INTEGER) * 3)',
    month: 'to_months(CAST(n AS INTEGER))',
    week: 'to_days(CAST(n AS INTEGER) * 7)',
    day: 'to_days(CAST(n AS INTEGER))',
    hour: 'to_microseconds(CAST(n AS BIGINT) * 3600000000)',
    minute: 'to_microseconds(CAST(n AS BIGINT) * 60000000)',
    second: 'to_microseconds(CAST(n AS BIGINT) * 1000000)',
    millisecond: 'to_microseconds(CAST(n AS BIGINT) * 1000)',
    microsecond: 'to_microseconds(CAST(n AS BIGINT))',
    nanosecond: 'to_microseconds(CAST(n / 1000 AS BIGINT))',
  };
  const wholeDays = new Set(['year', 'quarter', 'month', 'week', 'day']);
  return Object.entries(interval).map(([part, amount]) => {
    const dateForm = wholeDays.has(part) ? `CAST(d + ${amount} AS DATE)` : `d + ${amount}`;
    return `CREATE OR REPLACE MACRO sf_dateadd_${part}(n, d DATE) AS ${dateForm},
      (n, d TIMESTAMP) AS d + ${amount},
      (n, d TIMESTAMPTZ) AS d + ${amount},
      (n, d TIME) AS d + ${amount},
      (n, d) AS CAST(d AS TIMESTAMP) + ${amount}`;
  });
}

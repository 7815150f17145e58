// COPY: loading a table from staged files (COPY INTO <table>, with load metadata, ON_ERROR,
// VALIDATION_MODE and COPY_HISTORY), unloading a query into a stage (COPY INTO <location>), and
// copying files between stages (COPY FILES).
import { randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { WireColumn } from '../engine-api.js';
import { SandboxError } from '../engine-api.js';
import type { ColumnEntry, FileFormatDetails, ObjectEntry } from './catalog.js';
import type { Cursor } from './cursor.js';
import { csvOptions, parseCsv, parseJsonDocuments, parseList, type FileRecord } from './csv.js';
import { encodeResult, wireColumn, wireToText } from './encode.js';
import { compilationError, syntaxError, unsupported } from './errors.js';
import type { Execution, Outcome } from './execution.js';
import { table } from './execution.js';
import { columnList, recordChangesSql, tableSql } from './history.js';
import { prepare } from './query.js';
import { locate, requireWarehouse, Resolver, targets } from './resolve.js';
import type { StageFile } from './stage-files.js';
import { atStage, externalFails, normalizeOptions, resolveStage, stageFiles, stageFormat, stageOperand, type StageRef } from './stages.js';
import { isOp, quoteName, quoteString, significantTokens } from './tokens.js';
import { strftimeFormat } from './translate.js';
import { duckType } from './types.js';

/** COPY INTO table FROM @stage …, COPY INTO @stage FROM table|query (unload), COPY FILES INTO @stage FROM @stage. */
export async function copy(x: Execution, cursor: Cursor): Promise<Outcome> {
  cursor.expectWords('COPY');
  if (cursor.acceptWords('FILES')) {
    cursor.expectWords('INTO');
    return copyFiles(x, cursor);
  }
  cursor.expectWords('INTO');
  return atStage(cursor) ? unload(x, cursor) : load(x, cursor);
}

// -------------------------------------------------------------------------------------------------
// COPY INTO <table>

const COPY_COLUMNS: WireColumn[] = [
  wireColumn('file', 'text'), wireColumn('status', 'text'), wireColumn('rows_parsed', 'fixed'), wireColumn('rows_loaded', 'fixed'),
  wireColumn('error_limit', 'fixed'), wireColumn('errors_seen', 'fixed'), wireColumn('first_error', 'text'),
  wireColumn('first_error_line', 'fixed'), wireColumn('first_error_character', 'fixed'), wireColumn('first_error_column_name', 'text'),
];

/** VALIDATION_MODE = RETURN_ERRORS's columns, as Snowflake names them. */
const VALIDATION_COLUMNS: WireColumn[] = [
  wireColumn('ERROR', 'text'), wireColumn('FILE', 'text'), wireColumn('LINE', 'fixed'), wireColumn('CHARACTER', 'fixed'),
  wireColumn('BYTE_OFFSET', 'fixed'), wireColumn('CATEGORY', 'text'), wireColumn('CODE', 'fixed'), wireColumn('SQL_STATE', 'fixed'),
  wireColumn('COLUMN_NAME', 'text'), wireColumn('ROW_NUMBER', 'fixed'), wireColumn('ROW_START_LINE', 'fixed'), wireColumn('REJECTED_RECORD', 'text'),
];

/** One bad record in a file, with everything Snowflake reports about it. */
interface LoadError {
  message: string;
  code: string;
  sqlState: string;
  category: 'conversion' | 'parsing';
  line: number;
  character: number;
  byteOffset: number;
  /** `"TABLE"["COLUMN":position]` */
  columnName: string;
  rowNumber: number;
  rejected: string;
}

interface FileLoad {
  file: StageFile;
  parsed: number;
  loaded: number;
  errors: LoadError[];
  errorLimit: number;
  status: 'LOADED' | 'LOAD_FAILED' | 'PARTIALLY_LOADED';
}

/** What ON_ERROR asks for: when a file's errors fail the statement or skip the file. */
interface ErrorPolicy {
  abort: boolean;
  /** The error count at which the file is skipped (or the statement aborted), for a file of `records` rows. */
  limit(records: number): number;
}

function errorPolicy(text: string): ErrorPolicy {
  const value = text.toUpperCase().replace(/^'|'$/g, '');
  if (value === 'ABORT_STATEMENT') return { abort: true, limit: () => 1 };
  if (value === 'CONTINUE') return { abort: false, limit: (records) => Math.max(records, 1) + 1 };
  if (value === 'SKIP_FILE') return { abort: false, limit: () => 1 };
  const count = /^SKIP_FILE_(\d+)$/.exec(value);
  if (count) return { abort: false, limit: () => Math.max(1, Number(count[1])) };
  const share = /^SKIP_FILE_(\d+(?:\.\d+)?)%$/.exec(value);
  if (share) return { abort: false, limit: (records) => Math.max(1, Math.ceil((records * Number(share[1])) / 100)) };
  throw compilationError(`invalid value '${text}' for property 'ON_ERROR'`);
}

type ValidationMode = { kind: 'errors' } | { kind: 'rows'; count: number };

function validationMode(text: string | undefined): ValidationMode | undefined {
  if (text === undefined) return undefined;
  const value = text.toUpperCase();
  if (value === 'RETURN_ERRORS' || value === 'RETURN_ALL_ERRORS') return { kind: 'errors' };
  const rows = /^RETURN_(\d+)_ROWS$/.exec(value);
  if (rows) return { kind: 'rows', count: Number(rows[1]) };
  throw compilationError(`invalid value '${text}' for property 'VALIDATION_MODE'`);
}

/** Thrown inside the load's transaction when ON_ERROR = ABORT_STATEMENT meets a bad record. */
class LoadAborted extends Error {
  constructor(readonly load: FileLoad) {
    super('load aborted');
  }
}

/** COPY INTO table [(columns)] FROM @stage | (SELECT … FROM @stage) [options]. */
async function load(x: Execution, cursor: Cursor): Promise<Outcome> {
  const targetName = cursor.objectName();
  let columnNames: string[] | undefined;
  if (isOp(cursor.peek(), '(')) {
    cursor.expectOp('(');
    columnNames = [];
    do columnNames.push(cursor.namePart().name);
    while (cursor.acceptOp(','));
    cursor.expectOp(')');
  }
  cursor.expectWords('FROM');
  let transform: string | undefined;
  let stageText: string;
  if (isOp(cursor.peek(), '(')) {
    transform = cursor.group();
    const stageToken = significantTokens(transform).find((t) => t.kind === 'stage');
    if (!stageToken) throw syntaxError(cursor.peek());
    stageText = stageToken.text;
  } else {
    const token = cursor.peek();
    if (token.kind === 'string' && !token.value.startsWith('@')) throw unsupported('COPY from an external location; load from an internal stage');
    stageText = stageOperand(cursor);
  }
  const props = cursor.properties();
  cursor.expectEnd();

  // Resolving the target checks INSERT on it (and that it is a table).
  new Resolver(x, x.scope()).target(targetName, 'INSERT');
  const located = locate(x, targetName, ['TABLE'], x.scope());
  const object = located.object!;
  const ref = resolveStage(x, x.scope(), stageText, 'READ');
  requireWarehouse(x);
  const formatOverride = props.FILE_FORMAT && typeof props.FILE_FORMAT === 'object' && !Array.isArray(props.FILE_FORMAT) ? normalizeOptions(props.FILE_FORMAT) : undefined;
  const format = stageFormat(x, ref.object?.stage, located.schema.id, formatOverride);
  if (!['CSV', 'JSON'].includes(format.formatType)) throw unsupported(`COPY from ${format.formatType} files (the sandbox reads CSV and JSON)`);
  const copyOptions = { ...(ref.object?.stage?.copyOptions ?? {}), ...normalizeOptions(Object.fromEntries(Object.entries(props).filter(([k]) => k !== 'FILE_FORMAT'))) };
  const policy = errorPolicy(copyOptions.ON_ERROR ?? 'ABORT_STATEMENT');
  const errorLimitShown = (records: number): number => (/^CONTINUE$/i.test(copyOptions.ON_ERROR ?? '') ? records : policy.limit(records));
  const validation = validationMode(copyOptions.VALIDATION_MODE);
  if (validation && transform) throw compilationError('VALIDATION_MODE does not support COPY statements that transform data during a load.');
  const force = /^TRUE$/i.test(copyOptions.FORCE ?? '');
  const purge = /^TRUE$/i.test(copyOptions.PURGE ?? '');
  const files = copyOptions.FILES ? parseList(copyOptions.FILES) : undefined;
  let candidates = await stageFiles(x, ref, copyOptions.PATTERN);
  if (files) candidates = candidates.filter((f) => files.some((name) => f.name === `${ref.path}${name}` || f.name === name || f.name.endsWith(`/${name}`)));
  // Load metadata: a file loaded into this table before (same name and content) is skipped unless FORCE = TRUE.
  if (!force && candidates.length > 0) {
    const seen = await x.run(`SELECT file_name, file_md5 FROM meta.copy_history WHERE table_id = ${object.id} AND status IN ('Loaded', 'Partially loaded')`);
    const loaded = new Set(seen.getRows().map((r) => `${String(r[0])}|${String(r[1])}`));
    candidates = candidates.filter((f) => !loaded.has(`${f.name}|${f.md5}`));
  }
  await prepare(x);
  const table_ = object.table!;
  const targetColumns = columnNames
    ? columnNames.map((n) => {
        const column = table_.columns.find((c) => c.name === n);
        if (!column) throw compilationError(`invalid identifier '${n}'`);
        return column;
      })
    : table_.columns;
  const fileLabel = (file: StageFile): string => `${ref.listPrefix}${file.name}`;
  const readFile = async (file: StageFile): Promise<FileRecord[]> => {
    const content = fileText(await x.engine.stageFiles.read(ref.key, file.name), file.name);
    return format.formatType === 'JSON'
      ? parseJsonDocuments(content.text, /^TRUE$/i.test(format.options.STRIP_OUTER_ARRAY ?? ''))
      : attachText(parseCsv(content.text, csvOptions(format.options)), content.text);
  };

  if (validation) return validate(x, object, targetColumns, format, candidates, readFile, fileLabel, validation);
  if (candidates.length === 0) {
    return table([wireColumn('status', 'text')], [['Copy executed with 0 files processed.']], x.statementClass.typeId);
  }

  const loads: FileLoad[] = [];
  let outcome: FileLoad[];
  try {
    outcome = await x.dml(async () => {
      for (const file of candidates) {
        const records = await readFile(file);
        const staged = await stageRecords(x, object, targetColumns, format, records, transform, fileLabel(file));
        try {
          const limit = policy.limit(records.length);
          const failed = staged.errors.length >= limit;
          const load: FileLoad = { file, parsed: records.length, loaded: 0, errors: staged.errors, errorLimit: errorLimitShown(records.length), status: 'LOADED' };
          if (failed && policy.abort) throw new LoadAborted({ ...load, status: 'LOAD_FAILED' });
          if (!failed) load.loaded = await staged.insert();
          load.status = staged.errors.length === 0 ? 'LOADED' : failed || load.loaded === 0 ? 'LOAD_FAILED' : 'PARTIALLY_LOADED';
          loads.push(load);
        } finally {
          await staged.dispose();
        }
      }
      targets(x).add(object.id);
      const version = await x.newVersion();
      await x.run(recordChangesSql(object.id, table_.columns, version));
      table_.lastAltered = new Date().toISOString();
      for (const load of loads) await x.run(HISTORY_INSERT, historyValues(x, load, ref, object, located));
      return loads;
    });
  } catch (error) {
    if (!(error instanceof LoadAborted)) throw error;
    // The statement is rolled back, but the failed file is in the load history, as on Snowflake.
    if (!x.session.inTransaction) await x.engine.store.record(HISTORY_INSERT, historyValues(x, error.load, ref, object, located));
    const first = error.load.errors[0]!;
    throw new SandboxError(
      first.code,
      first.sqlState,
      `${first.message}\n  File '${error.load.file.name}', line ${first.line}, character ${first.character}\n  Row ${first.rowNumber}, column ${first.columnName}\n  If you would like to continue loading when an error is encountered, use other values such as 'SKIP_FILE' or 'CONTINUE' for the ON_ERROR option. For more information on loading options, please run 'info loading_data' in a SQL client.`,
    );
  }
  if (purge) for (const load of outcome) if (load.status !== 'LOAD_FAILED') await x.engine.stageFiles.remove(ref.key, load.file.name);
  x.counts.inserted = outcome.reduce((sum, load) => sum + load.loaded, 0);
  return table(
    COPY_COLUMNS,
    outcome.map((load) => {
      const first = load.errors[0];
      return [
        fileLabel(load.file), load.status, load.parsed, load.loaded, load.errorLimit, load.errors.length,
        first?.message ?? null, first?.line ?? null, first?.character ?? null, first?.columnName ?? null,
      ];
    }),
    x.statementClass.typeId,
  );
}

const HISTORY_INSERT = `INSERT INTO meta.copy_history VALUES ($1, $2, now(), $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, NULL, NULL, NULL, NULL, $17, $18)`;

function historyValues(
  x: Execution,
  load: FileLoad,
  ref: StageRef,
  object: ObjectEntry,
  located: { database: { name: string }; schema: { name: string } },
): (string | number | null)[] {
  const first = load.errors[0];
  return [
    load.file.name, ref.display, load.loaded, load.parsed, load.file.size, first?.message ?? null, first?.line ?? null,
    first?.character ?? null, first?.columnName ?? null, load.errors.length, load.errorLimit,
    load.status === 'LOADED' ? 'Loaded' : load.status === 'LOAD_FAILED' ? 'Load failed' : 'Partially loaded', object.id,
    located.database.name, located.schema.name, object.name, load.file.md5, x.request.queryId,
  ];
}

/** VALIDATION_MODE: checks the files the COPY would load and loads nothing. */
async function validate(
  x: Execution,
  object: ObjectEntry,
  columns: ColumnEntry[],
  format: FileFormatDetails,
  files: StageFile[],
  readFile: (file: StageFile) => Promise<FileRecord[]>,
  fileLabel: (file: StageFile) => string,
  mode: ValidationMode,
): Promise<Outcome> {
  const errors: unknown[][] = [];
  const sample: { columns: WireColumn[]; rows: (string | null)[][] } = { columns: columns.map((c) => wireColumn(c.name, 'text')), rows: [] };
  for (const file of files) {
    const records = await readFile(file);
    const staged = await stageRecords(x, object, columns, format, records, undefined, fileLabel(file));
    try {
      if (mode.kind === 'rows') {
        const first = staged.errors[0];
        if (first) throw new SandboxError(first.code, first.sqlState, `${first.message}\n  File '${file.name}', line ${first.line}, character ${first.character}\n  Row ${first.rowNumber}, column ${first.columnName}`);
        if (sample.rows.length < mode.count) {
          const rows = await staged.sample(mode.count - sample.rows.length);
          sample.columns = rows.columns;
          sample.rows.push(...rows.rows);
        }
        continue;
      }
      for (const e of staged.errors) {
        errors.push([e.message, fileLabel(file), e.line, e.character, e.byteOffset, e.category, Number(e.code), Number(e.sqlState), e.columnName, e.rowNumber, e.line, e.rejected]);
      }
    } finally {
      await staged.dispose();
    }
  }
  if (mode.kind === 'rows') return { columns: sample.columns, rows: sample.rows, statementTypeId: x.statementClass.typeId };
  return table(VALIDATION_COLUMNS, errors, x.statementClass.typeId);
}

/** A staged file's text; gzip files (by their magic bytes) are unpacked as COMPRESSION = AUTO does. */
function fileText(content: Buffer, name: string): { text: string } {
  let bytes = content;
  if (bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch {
      throw new SandboxError('100069', '22000', `Error while decompressing file '${name}': the gzip data is damaged.`);
    }
  }
  return { text: bytes.toString('utf8').replace(/^\uFEFF/, '') };
}

/** Keeps the file text beside CSV records, to report rejected records and offsets. */
function attachText(records: FileRecord[], text: string): FileRecord[] {
  fileTexts.set(records, text);
  return records;
}
const fileTexts = new WeakMap<FileRecord[], string>();

/** A file's records in a temporary table, checked against the target's columns. */
interface StagedRecords {
  errors: LoadError[];
  /** Inserts the good records into the table; returns how many. */
  insert(): Promise<number>;
  /** The first good records as the target columns would hold them. */
  sample(limit: number): Promise<{ columns: WireColumn[]; rows: (string | null)[][] }>;
  dispose(): Promise<void>;
}

async function stageRecords(
  x: Execution,
  object: ObjectEntry,
  columns: ColumnEntry[],
  format: FileFormatDetails,
  records: FileRecord[],
  transform: string | undefined,
  fileLabel: string,
): Promise<StagedRecords> {
  const text = fileTexts.get(records);
  const width = Math.max(1, transform ? Math.max(...records.map((r) => r.fields.length), 1) : format.formatType === 'JSON' ? 1 : columns.length);
  const staging = `copy_${randomUUID().replace(/-/g, '')}`;
  const fieldColumns = Array.from({ length: width }, (_, k) => `c${k + 1}`);
  await x.run(`CREATE TEMP TABLE ${staging} ("_LINE" BIGINT, "_ROW" BIGINT, "METADATA$FILENAME" VARCHAR, "METADATA$FILE_ROW_NUMBER" BIGINT, ${fieldColumns.map((c) => `${c} VARCHAR`).join(', ')})`);
  const dispose = async (): Promise<void> => {
    await x.run(`DROP TABLE IF EXISTS temp.${staging}`);
  };
  try {
    const errors: LoadError[] = [];
    const errorAt = (record: FileRecord, row: number, field: number, column: ColumnEntry, problem: Omit<LoadError, 'line' | 'character' | 'byteOffset' | 'columnName' | 'rowNumber' | 'rejected'>): void => {
      const fieldStart = record.fieldStarts?.[field] ?? record.start ?? 0;
      errors.push({
        ...problem,
        line: record.line,
        character: record.start === undefined ? 1 : fieldStart - lineStart(text, fieldStart) + 1,
        byteOffset: text === undefined ? 0 : Buffer.byteLength(text.slice(0, fieldStart), 'utf8'),
        columnName: `"${object.name}"["${column.name}":${columns.indexOf(column) + 1}]`,
        rowNumber: row,
        rejected: text !== undefined && record.start !== undefined ? text.slice(record.start, record.end) : record.fields.map((f) => f ?? '').join(','),
      });
    };
    const mismatch = !transform && format.formatType === 'CSV' && !/^FALSE$/i.test(format.options.ERROR_ON_COLUMN_COUNT_MISMATCH ?? 'TRUE');
    const appender = await x.session.connection.createAppender(staging, 'main', 'temp');
    records.forEach((record, k) => {
      if (mismatch && record.fields.length !== columns.length) {
        const at = Math.min(record.fields.length, columns.length - 1);
        errorAt(record, k + 1, at, columns[at]!, {
          category: 'parsing', code: '100080', sqlState: '22000',
          message: `Number of columns in file (${record.fields.length}) does not match that of the corresponding table (${columns.length}), use file format option error_on_column_count_mismatch=false to ignore this error`,
        });
        return;
      }
      appender.appendBigInt(BigInt(record.line));
      appender.appendBigInt(BigInt(k + 1));
      appender.appendVarchar(fileLabel);
      appender.appendBigInt(BigInt(k + 1));
      for (let c = 0; c < width; c++) {
        const value = record.fields[c];
        if (value === null || value === undefined) appender.appendNull();
        else appender.appendVarchar(value);
      }
      appender.endRow();
    });
    appender.flushSync();
    appender.closeSync();

    let select: string;
    if (transform) {
      const resolver = new Resolver(x, x.scope());
      const sourceText = transform.replace(/@[^\s;,()']+/, '"_SB_COPY"');
      const translator = resolver.translator(sourceText);
      translator.stageColumns = (n) => `c${n}`;
      translator.declareName('_SB_COPY');
      select = `SELECT * FROM (WITH "_SB_COPY" AS (SELECT * FROM temp.${staging}) ${translator.query(translator.tree(), false)})`;
    } else {
      // Cells that do not convert to their column's type are errors, found before inserting.
      const casts = columns.map((column, k) => castCell(column, `c${k + 1}`, format));
      const byRow = new Map(records.map((record, k) => [k + 1, record]));
      for (const [k, column] of columns.entries()) {
        if (format.formatType === 'JSON' && k > 0) break;
        const nullCheck = column.nullable ? 'FALSE' : `c${k + 1} IS NULL`;
        const bad = await x.run(`SELECT "_ROW", c${k + 1} FROM temp.${staging} WHERE (c${k + 1} IS NOT NULL AND ${casts[k]!.try} IS NULL) OR ${nullCheck} ORDER BY "_ROW"`);
        for (const row of bad.getRows()) {
          const rowNumber = Number(row[0]);
          const record = byRow.get(rowNumber)!;
          errorAt(record, rowNumber, k, column, row[1] === null ? nullInNotNull() : conversionError(column, String(row[1])));
        }
      }
      const badRows = [...new Set(errors.map((e) => e.rowNumber))];
      const where = badRows.length > 0 ? `WHERE "_ROW" NOT IN (${badRows.join(', ')})` : '';
      const values = format.formatType === 'JSON' ? [casts[0]!.cast, ...columns.slice(1).map(() => 'NULL')] : casts.map((c) => c.cast);
      select = `SELECT ${values.map((v, k) => `${v} AS ${quoteName(columns[k]!.name)}`).join(', ')} FROM temp.${staging} ${where} ORDER BY "_ROW"`;
    }
    errors.sort((a, b) => a.rowNumber - b.rowNumber || a.character - b.character);
    return {
      errors,
      dispose,
      async insert() {
        const inserted = await x.run(`INSERT INTO ${tableSql(object.id)} (${columnList(columns)}) ${select}`);
        return inserted.rowsChanged;
      },
      async sample(limit) {
        return encodeResult(await x.run(`${select} LIMIT ${limit}`));
      },
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}

function lineStart(text: string | undefined, at: number): number {
  if (text === undefined) return at;
  return text.lastIndexOf('\n', at - 1) + 1;
}

/** How a staged text cell becomes a column value: the strict cast and a TRY form to find bad cells. */
function castCell(column: ColumnEntry, cell: string, format: FileFormatDetails): { cast: string; try: string } {
  const type = duckType(column.type);
  if (column.type.base === 'VARIANT' || column.type.base === 'OBJECT' || column.type.base === 'ARRAY') {
    if (format.formatType === 'JSON') return { cast: `sf_parse_json(${cell})`, try: `sf_try_parse_json(${cell})` };
    return { cast: `CAST(${cell} AS VARIANT)`, try: `CAST(${cell} AS VARIANT)` };
  }
  if (column.type.base === 'VARCHAR') {
    const limit = column.type.length ?? 16777216;
    return { cast: cell, try: `CASE WHEN length(${cell}) <= ${limit} THEN ${cell} END` };
  }
  if (column.type.base === 'BOOLEAN') return { cast: `sf_to_boolean(${cell})`, try: `TRY_CAST(${cell} AS BOOLEAN)` };
  const formatted = (option: string | undefined, target: string): { cast: string; try: string } | undefined => {
    if (!option || option.toUpperCase() === 'AUTO') return undefined;
    const f = quoteString(strftimeFormat(option));
    return { cast: `CAST(strptime(${cell}, ${f}) AS ${target})`, try: `CAST(try_strptime(${cell}, ${f}) AS ${target})` };
  };
  if (column.type.base === 'DATE') {
    const byFormat = formatted(format.options.DATE_FORMAT, 'DATE');
    if (byFormat) return byFormat;
  }
  if (column.type.base.startsWith('TIMESTAMP')) {
    const byFormat = formatted(format.options.TIMESTAMP_FORMAT, type);
    if (byFormat) return byFormat;
  }
  return { cast: `CAST(trim(${cell}) AS ${type})`, try: `TRY_CAST(trim(${cell}) AS ${type})` };
}

type Problem = Pick<LoadError, 'message' | 'code' | 'sqlState' | 'category'>;

function nullInNotNull(): Problem {
  return {
    category: 'conversion', code: '100072', sqlState: '22000',
    message: 'NULL result in a non-nullable column. Use quotes if an empty field should be interpreted as an empty string instead of a null',
  };
}

/** Snowflake's message, code and SQL state for a cell that does not convert to its column's type. */
function conversionError(column: ColumnEntry, value: string): Problem {
  const problem = (code: string, sqlState: string, message: string): Problem => ({ category: 'conversion', code, sqlState, message });
  switch (column.type.base) {
    case 'NUMBER':
    case 'FLOAT':
      return problem('100038', '22018', `Numeric value '${value}' is not recognized`);
    case 'DATE':
      return problem('100040', '22007', `Date '${value}' is not recognized`);
    case 'TIME':
      return problem('100108', '22007', `Time '${value}' is not recognized`);
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_TZ':
      return problem('100035', '22007', `Timestamp '${value}' is not recognized`);
    case 'BOOLEAN':
      return problem('100037', '22018', `Boolean value '${value}' is not recognized`);
    case 'VARCHAR':
      return problem('100074', '22000', `User character length limit (${column.type.length}) exceeded by string '${value.slice(0, 100)}'`);
    default:
      return problem('100069', '22000', `Error parsing value '${value}'`);
  }
}

// -------------------------------------------------------------------------------------------------
// COPY INTO <location>

/** COPY INTO @stage[/prefix] FROM table | (query) [FILE_FORMAT = (…)] [HEADER] [SINGLE] [OVERWRITE] [DETAILED_OUTPUT]. */
async function unload(x: Execution, cursor: Cursor): Promise<Outcome> {
  const location = stageOperand(cursor);
  cursor.expectWords('FROM');
  let query: string;
  if (isOp(cursor.peek(), '(')) query = cursor.group();
  else query = `SELECT * FROM ${cursor.objectName().parts.map((p) => quoteName(p.name)).join('.')}`;
  const props = cursor.properties();
  cursor.expectEnd();
  const ref = resolveStage(x, x.scope(), location, 'WRITE');
  externalFails(ref);
  const resolver = new Resolver(x, x.scope());
  const translator = resolver.translator(query);
  const sql = translator.query(translator.tree(), true);
  await prepare(x);
  const result = encodeResult(await x.run(sql), translator.columnTypes);
  const formatOverride = props.FILE_FORMAT && typeof props.FILE_FORMAT === 'object' && !Array.isArray(props.FILE_FORMAT) ? normalizeOptions(props.FILE_FORMAT) : undefined;
  const format = stageFormat(x, ref.object?.stage, undefined, formatOverride);
  if (!['CSV', 'JSON'].includes(format.formatType)) throw unsupported(`unloading to ${format.formatType} files (the sandbox writes CSV and JSON)`);
  const flag = (name: string): boolean => props[name] === true || /^TRUE$/i.test(String(props[name] ?? ''));
  const compression = (format.options.COMPRESSION ?? 'AUTO').toUpperCase();
  if (!['AUTO', 'GZIP', 'NONE'].includes(compression)) throw unsupported(`COMPRESSION = ${compression} (the sandbox writes GZIP or NONE)`);
  const gzip = compression !== 'NONE';

  const body = format.formatType === 'JSON' ? jsonLines(result) : csvText(result, format, flag('HEADER'));
  // SINGLE = TRUE writes exactly the file named; otherwise Snowflake names the part files itself.
  const extension = `.${format.formatType === 'JSON' ? 'json' : 'csv'}${gzip ? '.gz' : ''}`;
  const name = flag('SINGLE')
    ? ref.path && !ref.path.endsWith('/') ? ref.path : `${ref.path}data`
    : `${ref.path && !ref.path.endsWith('/') ? ref.path : `${ref.path}data`}_0_0_0${extension}`;
  const existing = await x.engine.stageFiles.list(ref.key);
  if (!flag('OVERWRITE')) {
    const clash = existing.find((f) => f.name === name);
    if (clash) {
      throw new SandboxError('100079', '22000', `Files already existing at the unload destination: ${ref.display}${ref.path}. Use overwrite option to force unloading.`);
    }
  } else if (!flag('SINGLE')) {
    // OVERWRITE replaces the files of an earlier unload to the same prefix.
    const prefix = name.replace(/_0_0_0\.[^/]*$/, '_');
    for (const file of existing) if (file.name.startsWith(prefix) && /_\d+_\d+_\d+\.(csv|json)(\.gz)?$/.test(file.name)) await x.engine.stageFiles.remove(ref.key, file.name);
  }
  const raw = Buffer.from(body, 'utf8');
  const content = gzip ? gzipSync(raw) : raw;
  if (result.rows.length > 0 || flag('SINGLE')) await x.engine.stageFiles.write(ref.key, name, content);
  x.counts.produced = result.rows.length;
  if (flag('DETAILED_OUTPUT')) {
    return table([wireColumn('FILE_NAME', 'text'), wireColumn('FILE_SIZE', 'fixed'), wireColumn('ROW_COUNT', 'fixed')], result.rows.length > 0 || flag('SINGLE') ? [[name, content.length, result.rows.length]] : [], x.statementClass.typeId);
  }
  return table(
    [wireColumn('rows_unloaded', 'fixed'), wireColumn('input_bytes', 'fixed'), wireColumn('output_bytes', 'fixed')],
    [[result.rows.length, raw.length, content.length]],
    x.statementClass.typeId,
  );
}

/** Rows as CSV text with the format's delimiter, enclosure and NULL text. */
function csvText(result: { columns: WireColumn[]; rows: (string | null)[][] }, format: FileFormatDetails, header: boolean): string {
  const options = csvOptions(format.options);
  const delimiter = options.fieldDelimiter;
  const enclose = options.enclosedBy;
  const nullText = format.options.NULL_IF === undefined ? '\\N' : (parseList(format.options.NULL_IF)[0] ?? '');
  const cell = (value: string | null, column: WireColumn): string => {
    if (value === null) return nullText;
    const text = wireToText(value, column.type);
    const quoted = column.type === 'text' || column.type === 'variant' || column.type === 'object' || column.type === 'array';
    if (enclose && quoted) return `${enclose}${text.split(enclose).join(enclose + enclose)}${enclose}`;
    return text.includes(delimiter) || text.includes('\n') || text.includes('"') ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = result.rows.map((row) => row.map((value, k) => cell(value, result.columns[k]!)).join(delimiter));
  if (header) lines.unshift(result.columns.map((c) => c.name).join(delimiter));
  return lines.join('\n') + (lines.length > 0 ? '\n' : '');
}

/** Rows as one JSON document per line: a lone VARIANT column as itself, otherwise an object per row. */
function jsonLines(result: { columns: WireColumn[]; rows: (string | null)[][] }): string {
  const json = (value: string | null, column: WireColumn): unknown => {
    if (value === null) return null;
    if (['variant', 'object', 'array'].includes(column.type)) return JSON.parse(value) as unknown;
    if (column.type === 'fixed' || column.type === 'real') return Number(value);
    if (column.type === 'boolean') return value === '1';
    return wireToText(value, column.type);
  };
  const single = result.columns.length === 1 && ['variant', 'object', 'array'].includes(result.columns[0]!.type);
  return result.rows
    .map((row) => JSON.stringify(single ? json(row[0]!, result.columns[0]!) : Object.fromEntries(result.columns.map((c, k) => [c.name, json(row[k]!, c)]))))
    .map((line) => `${line}\n`)
    .join('');
}

// -------------------------------------------------------------------------------------------------
// COPY FILES

/** COPY FILES INTO @stage[/path/] FROM @stage[/path/] [FILES = (…)] [PATTERN = '…'] [DETAILED_OUTPUT = TRUE|FALSE]. */
async function copyFiles(x: Execution, cursor: Cursor): Promise<Outcome> {
  const into = stageOperand(cursor);
  cursor.expectWords('FROM');
  if (isOp(cursor.peek(), '(')) throw unsupported('COPY FILES from a query; copy from a stage location');
  const from = stageOperand(cursor);
  const options = normalizeOptions(cursor.properties());
  cursor.expectEnd();
  const source = resolveStage(x, x.scope(), from, 'READ');
  const target = resolveStage(x, x.scope(), into, 'WRITE');
  externalFails(target);
  let files = await stageFiles(x, source, options.PATTERN);
  if (options.FILES) {
    const names = parseList(options.FILES);
    files = files.filter((f) => names.some((n) => f.name === `${source.path}${n}` || f.name === `${source.path}/${n}`));
  }
  const copied: string[] = [];
  for (const file of files) {
    const relative = file.name.slice(source.path.length).replace(/^\/+/, '');
    const name = `${target.path}${relative}`;
    await x.engine.stageFiles.write(target.key, name, await x.engine.stageFiles.read(source.key, file.name));
    copied.push(name);
  }
  if (/^FALSE$/i.test(options.DETAILED_OUTPUT ?? 'TRUE')) return table([wireColumn('file_count', 'fixed')], [[copied.length]], x.statementClass.typeId);
  return table([wireColumn('file', 'text')], copied.map((name) => [name]), x.statementClass.typeId);
}

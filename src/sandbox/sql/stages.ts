// Internal stages, file formats, LIST/REMOVE, and COPY INTO (loading from a stage, with
// FILE_FORMAT, FILES, PATTERN, ON_ERROR, FORCE and PURGE, recorded in COPY_HISTORY; and unloading
// a query to a stage). External stages are accepted and shown but cannot be read from here.
import { randomUUID } from 'node:crypto';
import type { WireColumn } from '../engine-api.js';
import { SandboxError } from '../engine-api.js';
import type { ColumnEntry, FileFormatDetails, ObjectEntry, StageDetails } from './catalog.js';
import { Cursor, displayName, parseNameText, type ObjectName, type PropertyValue } from './cursor.js';
import { csvOptions, parseCsv, parseJsonDocuments, parseList, type FileRecord } from './csv.js';
import { wireColumn } from './encode.js';
import { alreadyExists, compilationError, insufficientPrivileges, notFound, syntaxError, unsupported } from './errors.js';
import type { Execution, Outcome, Scope } from './execution.js';
import { table } from './execution.js';
import { applyFutureGrants } from './grants.js';
import { columnList, recordChangesSql, tableSql } from './history.js';
import { prepare } from './query.js';
import { locate, requirePrivilege, requireWarehouse, Resolver, targets } from './resolve.js';
import type { StageFile, StageKey } from './stage-files.js';
import { isOp, quoteName, quoteString, significantTokens, type Token } from './tokens.js';
import { strftimeFormat } from './translate.js';
import { duckType } from './types.js';

/** A resolved stage reference. */
export interface StageRef {
  key: StageKey;
  /** Path inside the stage ('' for its root). */
  path: string;
  /** How Snowflake prints the stage location: @DB.SCHEMA.STAGE/ */
  display: string;
  object: ObjectEntry | undefined;
  /** Lower-case stage name, the prefix LIST prints. */
  listPrefix: string;
}

/** Resolves '@stage/path', '@db.schema.stage', '@~' (user stage) or '@%table' (table stage). */
export function resolveStage(x: Execution, scope: Scope, text: string, privilege: 'READ' | 'WRITE'): StageRef {
  const raw = text.startsWith('@') ? text.slice(1) : text;
  if (raw.startsWith('~')) {
    const path = raw.slice(1).replace(/^\/+/, '');
    return { key: ['~', x.session.user, 'USER_STAGE'], path, display: '@~/', object: undefined, listPrefix: '' };
  }
  // Split the name from the path at the first '/' outside quotes.
  let cut = raw.length;
  let quoted = false;
  for (let k = 0; k < raw.length; k++) {
    if (raw[k] === '"') quoted = !quoted;
    if (raw[k] === '/' && !quoted) {
      cut = k;
      break;
    }
  }
  const nameText = raw.slice(0, cut);
  const path = raw.slice(cut + 1).replace(/^\/+/, '');
  const token: Token = { kind: 'stage', text, value: text, start: 0, line: 1, column: 0 };
  if (nameText.startsWith('%') || nameText.includes('.%')) {
    const tableText = nameText.replace('%', '');
    const name: ObjectName = { parts: parseNameText(tableText, token), token };
    const located = locate(x, name, ['TABLE'], scope);
    if (!located.object) throw notFound('Object', located.written);
    requirePrivilege(x, { ...located, object: located.object }, privilege === 'READ' ? 'SELECT' : 'INSERT', scope.roles);
    return {
      key: [located.database.name, located.schema.name, `%${located.object.name}`], path,
      display: `@${displayName([located.database.name, located.schema.name])}.%${located.object.name}/`, object: undefined, listPrefix: '',
    };
  }
  const name: ObjectName = { parts: parseNameText(nameText, token), token };
  const located = locate(x, name, ['STAGE'], scope);
  if (!located.object?.stage) throw new SandboxError('002003', '02000', `SQL compilation error:\nStage '${located.written}' does not exist or not authorized.`);
  const object = located.object;
  const roles = scope.roles;
  const target = { type: 'OBJECT' as const, id: object.id };
  if (!x.access.hasAny(roles, target)) throw new SandboxError('002003', '02000', `SQL compilation error:\nStage '${located.written}' does not exist or not authorized.`);
  const needed = object.stage!.url ? 'USAGE' : privilege;
  const ok = x.access.has(roles, target, needed) || (privilege === 'READ' && x.access.has(roles, target, 'WRITE'));
  if (!ok) throw insufficientPrivileges('stage', object.name);
  return {
    key: [located.database.name, located.schema.name, object.name], path,
    display: `@${displayName([located.database.name, located.schema.name, object.name])}/`, object, listPrefix: `${object.name.toLowerCase()}/`,
  };
}

function externalFails(ref: StageRef): void {
  if (ref.object?.stage?.url) {
    throw new SandboxError('091016', '22000', `Remote file '${ref.object.stage.url}' was not found. The sandbox cannot reach external stages; use an internal stage filled with SYSTEM$SANDBOX_PUT or the stage folder.`);
  }
}

// -------------------------------------------------------------------------------------------------
// File formats

/** Normalizes format options: upper-case keys, text values (lists as JSON). */
function normalizeOptions(props: Record<string, PropertyValue>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(props)) {
    if (value === null) out[key] = 'NONE';
    else if (Array.isArray(value)) out[key] = JSON.stringify(value.map(String));
    else if (typeof value === 'boolean') out[key] = value ? 'TRUE' : 'FALSE';
    else out[key] = String(value);
  }
  if (out.TYPE) out.TYPE = out.TYPE.toUpperCase();
  return out;
}

const CSV_DEFAULTS: Record<string, string> = {
  RECORD_DELIMITER: '\\n', FIELD_DELIMITER: ',', FILE_EXTENSION: 'NONE', SKIP_HEADER: '0', PARSE_HEADER: 'false',
  DATE_FORMAT: 'AUTO', TIME_FORMAT: 'AUTO', TIMESTAMP_FORMAT: 'AUTO', BINARY_FORMAT: 'HEX', ESCAPE: 'NONE',
  ESCAPE_UNENCLOSED_FIELD: '\\\\', TRIM_SPACE: 'false', FIELD_OPTIONALLY_ENCLOSED_BY: 'NONE', NULL_IF: '["\\\\N"]',
  COMPRESSION: 'AUTO', ERROR_ON_COLUMN_COUNT_MISMATCH: 'true', VALIDATE_UTF8: 'true', SKIP_BLANK_LINES: 'false',
  REPLACE_INVALID_CHARACTERS: 'false', EMPTY_FIELD_AS_NULL: 'true', SKIP_BYTE_ORDER_MARK: 'true', ENCODING: 'UTF8',
};
const JSON_DEFAULTS: Record<string, string> = {
  FILE_EXTENSION: 'NONE', DATE_FORMAT: 'AUTO', TIME_FORMAT: 'AUTO', TIMESTAMP_FORMAT: 'AUTO', BINARY_FORMAT: 'HEX',
  TRIM_SPACE: 'false', NULL_IF: '[]', COMPRESSION: 'AUTO', ENABLE_OCTAL: 'false', ALLOW_DUPLICATE: 'false',
  STRIP_OUTER_ARRAY: 'false', STRIP_NULL_VALUES: 'false', IGNORE_UTF8_ERRORS: 'false', REPLACE_INVALID_CHARACTERS: 'false',
  SKIP_BYTE_ORDER_MARK: 'true',
};

/** The format_options JSON SHOW FILE FORMATS prints. */
export function formatOptionsJson(type: string, options: Record<string, string>): string {
  const defaults = type === 'JSON' ? JSON_DEFAULTS : CSV_DEFAULTS;
  return JSON.stringify({ TYPE: type, ...defaults, ...Object.fromEntries(Object.entries(options).filter(([k]) => k !== 'TYPE')) });
}

/** CREATE FILE FORMAT. */
export async function createFileFormat(x: Execution, cursor: Cursor, orReplace: boolean): Promise<Outcome> {
  const ifNotExists = cursor.acceptIfNotExists();
  const name = cursor.objectName();
  const props = normalizeOptions(cursor.properties());
  cursor.expectEnd();
  const located = locate(x, name, ['FILE_FORMAT'], x.scope());
  if (!x.access.has(x.roles(), { type: 'SCHEMA', id: located.schema.id }, 'CREATE FILE FORMAT')) throw insufficientPrivileges('schema', located.schema.name);
  if (located.object && ifNotExists) return x.status(`${located.name} already exists, statement succeeded.`);
  if (located.object && !orReplace) throw alreadyExists(located.name);
  const formatType = props.TYPE ?? 'CSV';
  if (!['CSV', 'JSON', 'PARQUET', 'AVRO', 'ORC', 'XML'].includes(formatType)) throw compilationError(`invalid value '${formatType}' for property 'TYPE'`);
  const comment = props.COMMENT ?? null;
  delete props.TYPE;
  delete props.COMMENT;
  return x.ddl(async () => {
    if (located.object) located.object.droppedOn = new Date().toISOString();
    const object: ObjectEntry = {
      id: x.catalog.newId(), kind: 'FILE_FORMAT', schemaId: located.schema.id, name: located.name, owner: x.session.role,
      createdOn: new Date().toISOString(), comment, fileFormat: { formatType, options: props },
    };
    x.catalog.data.objects.push(object);
    applyFutureGrants(x, object, located);
    return x.status(`File format ${located.name} successfully created.`);
  });
}

/** CREATE STAGE. */
export async function createStage(x: Execution, cursor: Cursor, orReplace: boolean, temporary: boolean): Promise<Outcome> {
  const ifNotExists = cursor.acceptIfNotExists();
  const name = cursor.objectName();
  const props = cursor.properties();
  cursor.expectEnd();
  const located = locate(x, name, ['STAGE'], x.scope());
  if (!x.access.has(x.roles(), { type: 'SCHEMA', id: located.schema.id }, 'CREATE STAGE')) throw insufficientPrivileges('schema', located.schema.name);
  if (located.object && ifNotExists) return x.status(`${located.name} already exists, statement succeeded.`);
  if (located.object && !orReplace) throw alreadyExists(located.name);
  const stage: StageDetails = { url: props.URL === undefined ? null : String(props.URL), fileFormat: null, copyOptions: {}, temporary };
  const format = props.FILE_FORMAT;
  if (format && typeof format === 'object' && !Array.isArray(format)) {
    const options = normalizeOptions(format);
    stage.fileFormat = options.FORMAT_NAME ? { name: options.FORMAT_NAME } : { options };
  } else if (typeof format === 'string') {
    stage.fileFormat = { name: format };
  }
  const copy = props.COPY_OPTIONS;
  if (copy && typeof copy === 'object' && !Array.isArray(copy)) stage.copyOptions = normalizeOptions(copy);
  return x.ddl(async () => {
    if (located.object) {
      located.object.droppedOn = new Date().toISOString();
      await x.engine.stageFiles.drop([located.database.name, located.schema.name, located.name]);
    }
    const object: ObjectEntry = {
      id: x.catalog.newId(), kind: 'STAGE', schemaId: located.schema.id, name: located.name, owner: x.session.role,
      createdOn: new Date().toISOString(), comment: props.COMMENT === undefined ? null : String(props.COMMENT), stage,
    };
    x.catalog.data.objects.push(object);
    applyFutureGrants(x, object, located);
    return x.status(`Stage area ${located.name} successfully created.`);
  });
}

/** DROP STAGE | FILE FORMAT: the stage's files go with it. */
export async function dropStageOrFormat(x: Execution, cursor: Cursor, kind: 'STAGE' | 'FILE_FORMAT'): Promise<Outcome> {
  const ifExists = cursor.acceptIfExists();
  const name = cursor.objectName();
  cursor.expectEnd();
  const located = locate(x, name, [kind], x.scope());
  if (!located.object || !x.access.hasAny(x.roles(), { type: 'OBJECT', id: located.object.id })) {
    if (ifExists) return x.status(`Drop statement executed successfully (${located.name} already dropped).`);
    throw notFound('Object', located.written);
  }
  if (!x.roles().has(located.object.owner)) throw insufficientPrivileges(kind === 'STAGE' ? 'stage' : 'file format', located.name);
  return x.ddl(async () => {
    const data = x.catalog.data;
    data.objects.splice(data.objects.indexOf(located.object!), 1);
    if (kind === 'STAGE') await x.engine.stageFiles.drop([located.database.name, located.schema.name, located.name]);
    return x.status(`${located.name} successfully dropped.`);
  });
}

/** DESCRIBE STAGE. */
export async function describeStage(x: Execution, name: ObjectName): Promise<Outcome> {
  const located = locate(x, name, ['STAGE'], x.scope());
  if (!located.object?.stage || !x.access.hasAny(x.roles(), { type: 'OBJECT', id: located.object.id })) throw notFound('Stage', located.written);
  const stage = located.object.stage;
  const format = stageFormat(x, stage, located.schema.id);
  const rows: unknown[][] = [
    ['STAGE_LOCATION', 'URL', 'String', stage.url ? JSON.stringify([stage.url]) : '', ''],
    ['STAGE_FILE_FORMAT', 'TYPE', 'String', format.formatType, 'CSV'],
    ...Object.entries(format.options).map(([key, value]) => ['STAGE_FILE_FORMAT', key, 'String', value, CSV_DEFAULTS[key] ?? '']),
    ...Object.entries(stage.copyOptions).map(([key, value]) => ['STAGE_COPY_OPTIONS', key, 'String', value, '']),
  ];
  return table(
    ['parent_property', 'property', 'property_type', 'property_value', 'property_default'].map((n) => wireColumn(n, 'text')),
    rows,
    x.statementClass.typeId,
  );
}

/** DESCRIBE FILE FORMAT. */
export async function describeFileFormat(x: Execution, name: ObjectName): Promise<Outcome> {
  const located = locate(x, name, ['FILE_FORMAT'], x.scope());
  if (!located.object?.fileFormat || !x.access.hasAny(x.roles(), { type: 'OBJECT', id: located.object.id })) throw notFound('Object', located.written);
  const format = located.object.fileFormat;
  const all = JSON.parse(formatOptionsJson(format.formatType, format.options)) as Record<string, string>;
  const defaults = format.formatType === 'JSON' ? JSON_DEFAULTS : CSV_DEFAULTS;
  return table(
    ['property', 'property_type', 'property_value', 'property_default'].map((n) => wireColumn(n, 'text')),
    Object.entries(all).map(([key, value]) => [key, 'String', value, key === 'TYPE' ? 'CSV' : defaults[key] ?? '']),
    x.statementClass.typeId,
  );
}

/** The file format a stage uses (its own, a named one, or CSV defaults), with overrides applied. */
function stageFormat(x: Execution, stage: StageDetails | undefined, schemaId: number | undefined, override?: Record<string, string>): FileFormatDetails {
  const resolveNamed = (formatName: string): FileFormatDetails => {
    const token: Token = { kind: 'word', text: formatName, value: formatName, start: 0, line: 1, column: 0 };
    const located = locate(x, { parts: parseNameText(formatName, token), token }, ['FILE_FORMAT'], x.scope());
    if (!located.object?.fileFormat) throw compilationError(`File format '${formatName}' does not exist or not authorized.`);
    return located.object.fileFormat;
  };
  void schemaId;
  if (override) {
    if (override.FORMAT_NAME) return resolveNamed(override.FORMAT_NAME);
    const { TYPE, ...options } = override;
    const base = TYPE ? { formatType: TYPE, options: {} } : stage ? stageFormat(x, stage, undefined) : { formatType: 'CSV', options: {} };
    return { formatType: TYPE ?? base.formatType, options: { ...base.options, ...options } };
  }
  if (stage?.fileFormat) {
    if ('name' in stage.fileFormat) return resolveNamed(stage.fileFormat.name);
    const { TYPE, ...options } = stage.fileFormat.options;
    return { formatType: TYPE ?? 'CSV', options };
  }
  return { formatType: 'CSV', options: {} };
}

// -------------------------------------------------------------------------------------------------
// LIST / REMOVE

const LIST_COLUMNS: WireColumn[] = [wireColumn('name', 'text'), wireColumn('size', 'fixed'), wireColumn('md5', 'text'), wireColumn('last_modified', 'text')];

/** Files of a stage under its path, matching PATTERN if given. */
async function stageFiles(x: Execution, ref: StageRef, pattern: string | undefined): Promise<StageFile[]> {
  externalFails(ref);
  const regex = pattern ? new RegExp(`^(?:${pattern})$`) : undefined;
  return (await x.engine.stageFiles.list(ref.key)).filter(
    (file) => file.name.startsWith(ref.path) && (!regex || regex.test(file.name) || regex.test(`${ref.listPrefix}${file.name}`)),
  );
}

/** LIST @stage [PATTERN = '…']. */
export async function list(x: Execution, cursor: Cursor): Promise<Outcome> {
  cursor.expectAnyWord('LIST', 'LS');
  const stageToken = cursor.next();
  if (stageToken.kind !== 'stage') cursor.fail(stageToken);
  const props = cursor.properties();
  cursor.expectEnd();
  const ref = resolveStage(x, x.scope(), stageToken.text, 'READ');
  const files = await stageFiles(x, ref, props.PATTERN === undefined ? undefined : String(props.PATTERN));
  return table(LIST_COLUMNS, files.map((f) => [`${ref.listPrefix}${f.name}`, f.size, f.md5, f.lastModified.toUTCString()]), x.statementClass.typeId);
}

/** REMOVE @stage[/path] [PATTERN = '…']. */
export async function remove(x: Execution, cursor: Cursor): Promise<Outcome> {
  cursor.expectAnyWord('REMOVE', 'RM');
  const stageToken = cursor.next();
  if (stageToken.kind !== 'stage') cursor.fail(stageToken);
  const props = cursor.properties();
  cursor.expectEnd();
  const ref = resolveStage(x, x.scope(), stageToken.text, 'WRITE');
  const files = await stageFiles(x, ref, props.PATTERN === undefined ? undefined : String(props.PATTERN));
  for (const file of files) await x.engine.stageFiles.remove(ref.key, file.name);
  return table([wireColumn('name', 'text'), wireColumn('result', 'text')], files.map((f) => [`${ref.listPrefix}${f.name}`, 'removed']), x.statementClass.typeId);
}

// -------------------------------------------------------------------------------------------------
// COPY INTO

const COPY_COLUMNS: WireColumn[] = [
  wireColumn('file', 'text'), wireColumn('status', 'text'), wireColumn('rows_parsed', 'fixed'), wireColumn('rows_loaded', 'fixed'),
  wireColumn('error_limit', 'fixed'), wireColumn('errors_seen', 'fixed'), wireColumn('first_error', 'text'),
  wireColumn('first_error_line', 'fixed'), wireColumn('first_error_character', 'fixed'), wireColumn('first_error_column_name', 'text'),
];

interface FileLoad {
  file: StageFile;
  records: FileRecord[];
  loaded: number;
  errors: { line: number; message: string; column: string; character: number }[];
  status: 'LOADED' | 'LOAD_FAILED' | 'PARTIALLY_LOADED';
}

/** COPY INTO table FROM @stage … or COPY INTO @stage FROM table|query (unload). */
export async function copyInto(x: Execution, cursor: Cursor): Promise<Outcome> {
  cursor.expectWords('COPY', 'INTO');
  if (cursor.peek().kind === 'stage') return unload(x, cursor);
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
    const token = cursor.next();
    if (token.kind !== 'stage') {
      if (token.kind === 'string') throw unsupported('COPY from an external location; load from an internal stage');
      cursor.fail(token);
    }
    stageText = token.text;
  }
  const props = cursor.properties();
  cursor.expectEnd();

  const resolver = new Resolver(x, x.scope());
  const target = resolver.target(targetName, 'INSERT');
  const located = locate(x, targetName, ['TABLE'], x.scope());
  const object = located.object!;
  const ref = resolveStage(x, x.scope(), stageText, 'READ');
  requireWarehouse(x);
  const formatOverride = props.FILE_FORMAT && typeof props.FILE_FORMAT === 'object' && !Array.isArray(props.FILE_FORMAT) ? normalizeOptions(props.FILE_FORMAT) : undefined;
  const format = stageFormat(x, ref.object?.stage, located.schema.id, formatOverride);
  if (!['CSV', 'JSON'].includes(format.formatType)) throw unsupported(`COPY from ${format.formatType} files (the sandbox reads CSV and JSON)`);
  const copyOptions = { ...(ref.object?.stage?.copyOptions ?? {}), ...normalizeOptions(Object.fromEntries(Object.entries(props).filter(([k]) => k !== 'FILE_FORMAT'))) };
  const onError = (copyOptions.ON_ERROR ?? 'ABORT_STATEMENT').toUpperCase();
  const force = /^TRUE$/i.test(copyOptions.FORCE ?? '');
  const purge = /^TRUE$/i.test(copyOptions.PURGE ?? '');
  const files = copyOptions.FILES ? parseList(copyOptions.FILES) : undefined;
  let candidates = await stageFiles(x, ref, copyOptions.PATTERN);
  if (files) candidates = candidates.filter((f) => files.some((name) => f.name === `${ref.path}${name}` || f.name === name || f.name.endsWith(`/${name}`)));
  // Files loaded before (same name and content) are skipped unless FORCE = TRUE, as Snowflake's load metadata does.
  if (!force && candidates.length > 0) {
    const seen = await x.run(`SELECT file_name, file_md5 FROM meta.copy_history WHERE table_id = ${object.id} AND status IN ('Loaded', 'Partially loaded')`);
    const loaded = new Set(seen.getRows().map((r) => `${String(r[0])}|${String(r[1])}`));
    candidates = candidates.filter((f) => !loaded.has(`${f.name}|${f.md5}`));
  }
  await prepare(x);
  if (candidates.length === 0) {
    return table([wireColumn('status', 'text')], [['Copy executed with 0 files processed.']], x.statementClass.typeId);
  }
  const table_ = object.table!;
  const targetColumns = columnNames
    ? columnNames.map((n) => {
        const column = table_.columns.find((c) => c.name === n);
        if (!column) throw compilationError(`invalid identifier '${n}'`);
        return column;
      })
    : table_.columns;

  const loads: FileLoad[] = [];
  const outcome = await x.dml(async () => {
    for (const file of candidates) {
      const content = (await x.engine.stageFiles.read(ref.key, file.name)).toString('utf8').replace(/^\uFEFF/, '');
      const records = format.formatType === 'JSON'
        ? parseJsonDocuments(content, /^TRUE$/i.test(format.options.STRIP_OUTER_ARRAY ?? ''))
        : parseCsv(content, csvOptions(format.options));
      const load = await loadFile(x, object.id, targetColumns, format, file, records, transform, ref, onError);
      loads.push(load);
      if (load.errors.length > 0 && onError === 'ABORT_STATEMENT') {
        const first = load.errors[0]!;
        throw new SandboxError(
          '100038',
          '22018',
          `${first.message}\n  File '${file.name}', line ${first.line}, character ${first.character}\n  Row ${first.line}, column "${object.name}"["${first.column}"]\n  If you would like to continue loading when an error is encountered, use other values such as 'SKIP_FILE' or 'CONTINUE' for the ON_ERROR option. For more information on loading options, please run 'info loading_data' in a SQL client.`,
        );
      }
    }
    targets(x).add(object.id);
    const version = await x.newVersion();
    await x.run(recordChangesSql(object.id, table_.columns, version));
    table_.lastAltered = new Date().toISOString();
    for (const load of loads) {
      const first = load.errors[0];
      await x.run(
        `INSERT INTO meta.copy_history VALUES ($1, $2, now(), $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, NULL, NULL, NULL, NULL, $17, $18)`,
        [
          load.file.name, ref.display, load.loaded, load.records.length, load.file.size, first?.message ?? null, first?.line ?? null,
          first?.character ?? null, first?.column ?? null, load.errors.length, onError === 'CONTINUE' ? load.records.length : 1,
          load.status === 'LOADED' ? 'Loaded' : load.status === 'LOAD_FAILED' ? 'Load failed' : 'Partially loaded', object.id,
          located.database.name, located.schema.name, object.name, load.file.md5, x.request.queryId,
        ],
      );
    }
    return loads;
  });
  if (purge) for (const load of outcome) if (load.status !== 'LOAD_FAILED') await x.engine.stageFiles.remove(ref.key, load.file.name);
  x.counts.inserted = outcome.reduce((sum, load) => sum + load.loaded, 0);
  return table(
    COPY_COLUMNS,
    outcome.map((load) => {
      const first = load.errors[0];
      return [
        `${ref.display.replace(/^@/, '').toLowerCase().replace(/\/$/, '')}/${load.file.name}`.replace(/^[^/]*\.[^/]*\.([^/]*)\//, (_, stage: string) => `${stage.toLowerCase()}/`),
        load.status, load.records.length, load.loaded, onError === 'CONTINUE' ? load.records.length : 1, load.errors.length,
        first?.message ?? null, first?.line ?? null, first?.character ?? null, first ? `"${object.name}"["${first.column}"]` : null,
      ];
    }),
    x.statementClass.typeId,
  );
}

/** Loads one file's records into the table; returns what happened. */
async function loadFile(
  x: Execution,
  tableId: number,
  columns: ColumnEntry[],
  format: FileFormatDetails,
  file: StageFile,
  records: FileRecord[],
  transform: string | undefined,
  ref: StageRef,
  onError: string,
): Promise<FileLoad> {
  const width = Math.max(1, transform ? Math.max(...records.map((r) => r.fields.length), 1) : format.formatType === 'JSON' ? 1 : columns.length);
  const staging = `copy_${randomUUID().replace(/-/g, '')}`;
  const fieldColumns = Array.from({ length: width }, (_, k) => `c${k + 1}`);
  await x.run(`CREATE TEMP TABLE ${staging} ("_LINE" BIGINT, "METADATA$FILENAME" VARCHAR, "METADATA$FILE_ROW_NUMBER" BIGINT, ${fieldColumns.map((c) => `${c} VARCHAR`).join(', ')})`);
  try {
    const errors: FileLoad['errors'] = [];
    const mismatch = !transform && format.formatType === 'CSV' && !/^FALSE$/i.test(format.options.ERROR_ON_COLUMN_COUNT_MISMATCH ?? 'TRUE');
    const appender = await x.session.connection.createAppender(staging, 'main', 'temp');
    records.forEach((record, k) => {
      if (mismatch && record.fields.length !== columns.length) {
        errors.push({
          line: record.line, character: 1, column: columns[Math.min(record.fields.length, columns.length - 1)]!.name,
          message: `Number of columns in file (${record.fields.length}) does not match that of the corresponding table (${columns.length}), use file format option error_on_column_count_mismatch=false to ignore this error`,
        });
        return;
      }
      appender.appendBigInt(BigInt(record.line));
      appender.appendVarchar(`${ref.listPrefix}${file.name}`);
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
      const text = transform.replace(/@[^\s;,()']+/, '"_SB_COPY"');
      const translator = resolver.translator(text);
      translator.stageColumns = (n) => `c${n}`;
      translator.declareName('_SB_COPY');
      select = `SELECT * FROM (WITH "_SB_COPY" AS (SELECT * FROM temp.${staging}) ${translator.query(translator.tree(), false)})`;
    } else {
      // Cells that do not convert to their column's type are errors, found before inserting.
      const casts = columns.map((column, k) => castCell(column, `c${k + 1}`, format));
      for (const [k, column] of columns.entries()) {
        if (format.formatType === 'JSON' && k > 0) break;
        const bad = await x.run(`SELECT "_LINE", c${k + 1} FROM temp.${staging} WHERE c${k + 1} IS NOT NULL AND ${casts[k]!.try} IS NULL ORDER BY "_LINE"`);
        for (const row of bad.getRows()) {
          errors.push({ line: Number(row[0]), character: 1, column: column.name, message: conversionMessage(column, String(row[1])) });
        }
      }
      const badLines = [...new Set(errors.map((e) => e.line))];
      const where = badLines.length > 0 ? `WHERE "_LINE" NOT IN (${badLines.join(', ')})` : '';
      const values = format.formatType === 'JSON' ? [casts[0]!.cast, ...columns.slice(1).map(() => 'NULL')] : casts.map((c) => c.cast);
      select = `SELECT ${values.join(', ')} FROM temp.${staging} ${where} ORDER BY "_LINE"`;
    }
    errors.sort((a, b) => a.line - b.line);
    const skip = errors.length > 0 && (onError === 'ABORT_STATEMENT' || /^SKIP_FILE/.test(onError));
    let loaded = 0;
    if (!skip) {
      const inserted = await x.run(`INSERT INTO ${tableSql(tableId)} (${columnList(columns)}) ${select}`);
      loaded = inserted.rowsChanged;
    }
    const status = errors.length === 0 ? 'LOADED' : skip || loaded === 0 ? 'LOAD_FAILED' : 'PARTIALLY_LOADED';
    return { file, records, loaded, errors, status };
  } finally {
    await x.run(`DROP TABLE IF EXISTS temp.${staging}`);
  }
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
  const dateFormat = format.options.DATE_FORMAT;
  if (column.type.base === 'DATE' && dateFormat && dateFormat.toUpperCase() !== 'AUTO') {
    const f = quoteString(strftimeFormat(dateFormat));
    return { cast: `CAST(strptime(${cell}, ${f}) AS DATE)`, try: `CAST(try_strptime(${cell}, ${f}) AS DATE)` };
  }
  return { cast: `CAST(trim(${cell}) AS ${type})`, try: `TRY_CAST(trim(${cell}) AS ${type})` };
}

function conversionMessage(column: ColumnEntry, value: string): string {
  switch (column.type.base) {
    case 'NUMBER':
    case 'FLOAT':
      return `Numeric value '${value}' is not recognized`;
    case 'DATE':
      return `Date '${value}' is not recognized`;
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_TZ':
      return `Timestamp '${value}' is not recognized`;
    case 'BOOLEAN':
      return `Boolean value '${value}' is not recognized`;
    case 'VARCHAR':
      return `User character length limit (${column.type.length}) exceeded by string '${value.slice(0, 100)}'`;
    default:
      return `Error parsing value '${value}'`;
  }
}

/** COPY INTO @stage[/prefix] FROM table | (query) [FILE_FORMAT = (…)] [HEADER = TRUE] [OVERWRITE = TRUE]. */
async function unload(x: Execution, cursor: Cursor): Promise<Outcome> {
  const stageToken = cursor.next();
  cursor.expectWords('FROM');
  let query: string;
  if (isOp(cursor.peek(), '(')) query = cursor.group();
  else query = `SELECT * FROM ${cursor.objectName().parts.map((p) => quoteName(p.name)).join('.')}`;
  const props = cursor.properties();
  cursor.expectEnd();
  const ref = resolveStage(x, x.scope(), stageToken.text, 'WRITE');
  externalFails(ref);
  const resolver = new Resolver(x, x.scope());
  const translator = resolver.translator(query);
  const sql = translator.query(translator.tree(), true);
  await prepare(x);
  const reader = await x.run(sql);
  const formatOverride = props.FILE_FORMAT && typeof props.FILE_FORMAT === 'object' && !Array.isArray(props.FILE_FORMAT) ? normalizeOptions(props.FILE_FORMAT) : undefined;
  const format = stageFormat(x, ref.object?.stage, undefined, formatOverride);
  const header = props.HEADER === true || /^TRUE$/i.test(String(props.HEADER ?? ''));
  const delimiter = format.options.FIELD_DELIMITER ?? ',';
  const enclose = format.options.FIELD_OPTIONALLY_ENCLOSED_BY && format.options.FIELD_OPTIONALLY_ENCLOSED_BY !== 'NONE' ? format.options.FIELD_OPTIONALLY_ENCLOSED_BY : undefined;
  const rows = reader.getRowsJS();
  const cell = (value: unknown): string => {
    if (value === null || value === undefined) return format.formatType === 'CSV' ? '\\N' : 'null';
    const text = value instanceof Date ? value.toISOString().replace('T', ' ').replace('Z', '') : typeof value === 'object' ? JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) : String(value);
    if (enclose) return `${enclose}${text.split(enclose).join(enclose + enclose)}${enclose}`;
    return text.includes(delimiter) || text.includes('\n') ? `"${text.replace(/"/g, '""')}"` : text;
  };
  let body: string;
  if (format.formatType === 'JSON') {
    const names = reader.columnNames();
    body = rows.map((row) => JSON.stringify(names.length === 1 ? row[0] : Object.fromEntries(names.map((n, k) => [n, row[k]])), (_, v: unknown) => (typeof v === 'bigint' ? Number(v) : v))).join('\n') + '\n';
  } else {
    const lines = rows.map((row) => row.map(cell).join(delimiter));
    if (header) lines.unshift(reader.columnNames().join(delimiter));
    body = lines.join('\n') + (lines.length > 0 ? '\n' : '');
  }
  const prefix = ref.path && !ref.path.endsWith('/') ? ref.path : `${ref.path}data`;
  const name = `${prefix}_0_0_0.${format.formatType === 'JSON' ? 'json' : 'csv'}`;
  await x.engine.stageFiles.write(ref.key, name, Buffer.from(body, 'utf8'));
  const bytes = Buffer.byteLength(body, 'utf8');
  x.counts.produced = rows.length;
  return table([wireColumn('rows_unloaded', 'fixed'), wireColumn('input_bytes', 'fixed'), wireColumn('output_bytes', 'fixed')], [[rows.length, bytes, bytes]], x.statementClass.typeId);
}

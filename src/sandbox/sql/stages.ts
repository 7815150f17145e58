// Internal stages, file formats, LIST and REMOVE (COPY is in copy.ts). External stages are
// accepted and shown but cannot be read from here.
import type { WireColumn } from '../engine-api.js';
import { SandboxError } from '../engine-api.js';
import type { FileFormatDetails, ObjectEntry, StageDetails } from './catalog.js';
import { Cursor, displayName, parseNameText, type ObjectName, type PropertyValue } from './cursor.js';
import { wireColumn } from './encode.js';
import { alreadyExists, compilationError, insufficientPrivileges, notFound } from './errors.js';
import type { Execution, Outcome, Scope } from './execution.js';
import { table } from './execution.js';
import { applyFutureGrants } from './grants.js';
import { dropSchemaObject } from './drop.js';
import { locate, requirePrivilege } from './resolve.js';
import type { StageFile, StageKey } from './stage-files.js';
import type { Token } from './tokens.js';

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

/**
 * The stage location a statement names: `@stage/path`, or the same quoted (`'@stage/my path/'`),
 * which Snowflake allows anywhere a stage location goes. Returns the location's text.
 */
export function stageOperand(cursor: Cursor): string {
  const token = cursor.next();
  if (token.kind === 'stage') return token.text;
  if (token.kind === 'string' && token.value.startsWith('@')) return token.value;
  return cursor.fail(token);
}

/** True when the next token is a stage location (bare or quoted). */
export function atStage(cursor: Cursor): boolean {
  const token = cursor.peek();
  return token.kind === 'stage' || (token.kind === 'string' && token.value.startsWith('@'));
}

/** Fails for an external stage: the sandbox cannot reach its files. */
export function externalFails(ref: StageRef): void {
  if (ref.object?.stage?.url) {
    throw new SandboxError('091016', '22000', `Remote file '${ref.object.stage.url}' was not found. The sandbox cannot reach external stages; use an internal stage filled with SYSTEM$SANDBOX_PUT or the stage folder.`);
  }
}

// -------------------------------------------------------------------------------------------------
// File formats

/** Normalizes format options: upper-case keys, text values (lists as JSON). */
export function normalizeOptions(props: Record<string, PropertyValue>): Record<string, string> {
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
export function dropStageOrFormat(x: Execution, cursor: Cursor, kind: 'STAGE' | 'FILE_FORMAT'): Promise<Outcome> {
  return dropSchemaObject(x, cursor, kind, kind === 'STAGE' ? 'stage' : 'file format', async (_, located) => {
    if (kind === 'STAGE') await x.engine.stageFiles.drop([located.database.name, located.schema.name, located.name]);
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
export function stageFormat(x: Execution, stage: StageDetails | undefined, schemaId: number | undefined, override?: Record<string, string>): FileFormatDetails {
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
export async function stageFiles(x: Execution, ref: StageRef, pattern: string | undefined): Promise<StageFile[]> {
  externalFails(ref);
  const regex = pattern ? new RegExp(`^(?:${pattern})$`) : undefined;
  return (await x.engine.stageFiles.list(ref.key)).filter(
    (file) => file.name.startsWith(ref.path) && (!regex || regex.test(file.name) || regex.test(`${ref.listPrefix}${file.name}`)),
  );
}

/** LIST @stage [PATTERN = '…']. */
export async function list(x: Execution, cursor: Cursor): Promise<Outcome> {
  cursor.expectAnyWord('LIST', 'LS');
  const location = stageOperand(cursor);
  const props = cursor.properties();
  cursor.expectEnd();
  const ref = resolveStage(x, x.scope(), location, 'READ');
  const files = await stageFiles(x, ref, props.PATTERN === undefined ? undefined : String(props.PATTERN));
  return table(LIST_COLUMNS, files.map((f) => [`${ref.listPrefix}${f.name}`, f.size, f.md5, f.lastModified.toUTCString()]), x.statementClass.typeId);
}

/** REMOVE @stage[/path] [PATTERN = '…']. */
export async function remove(x: Execution, cursor: Cursor): Promise<Outcome> {
  cursor.expectAnyWord('REMOVE', 'RM');
  const location = stageOperand(cursor);
  const props = cursor.properties();
  cursor.expectEnd();
  const ref = resolveStage(x, x.scope(), location, 'WRITE');
  const files = await stageFiles(x, ref, props.PATTERN === undefined ? undefined : String(props.PATTERN));
  for (const file of files) await x.engine.stageFiles.remove(ref.key, file.name);
  return table([wireColumn('name', 'text'), wireColumn('result', 'text')], files.map((f) => [`${ref.listPrefix}${f.name}`, 'removed']), x.statementClass.typeId);
}

// Splitting a request into statements and telling what each one is. Pure: no engine state.
import { isOp, isSignificant, isWord, tokenize, type Token } from './tokens.js';

/** Splits SQL text on top-level semicolons; strings, comments and $$ bodies are respected. */
export function splitStatements(sql: string): string[] {
  const tokens = tokenize(sql);
  const statements: string[] = [];
  let start = 0;
  let meaningful = false;
  for (const token of tokens) {
    if (token.kind === 'end' || (token.kind === 'op' && token.text === ';')) {
      const text = sql.slice(start, token.start).trim();
      if (meaningful && text) statements.push(text);
      start = token.start + token.text.length;
      meaningful = false;
      continue;
    }
    if (isSignificant(token)) meaningful = true;
  }
  return statements;
}

/** Snowflake's statement type ids (the `statementTypeId` of a response). */
export const STATEMENT_TYPE = {
  unknown: 0x0000,
  select: 0x1000,
  dml: 0x3000,
  insert: 0x3100,
  update: 0x3200,
  delete: 0x3300,
  merge: 0x3400,
  multiInsert: 0x3500,
  copy: 0x3600,
  unload: 0x3700,
  scl: 0x4000,
  alterSession: 0x4100,
  use: 0x4300,
  useDatabase: 0x4301,
  useSchema: 0x4302,
  useWarehouse: 0x4303,
  show: 0x4400,
  describe: 0x4500,
  list: 0x4701,
  tcl: 0x5000,
  ddl: 0x6000,
  get: 0x7101,
  put: 0x7102,
  remove: 0x7103,
} as const;

/** What a statement is, as far as the leading keywords tell. */
export interface StatementClass {
  /** The handler family: `query`, `insert`, `create`, `show`, … */
  verb: string;
  /** The object kind for DDL (`TABLE`, `WAREHOUSE`, …), or '' when not applicable. */
  object: string;
  /** Snowflake's statementTypeId. */
  typeId: number;
  /** Snowflake's QUERY_TYPE for the query history, e.g. `DELETE`, `CREATE_TABLE`. */
  queryType: string;
}

const OBJECT_WORDS = new Set([
  'DATABASE', 'SCHEMA', 'TABLE', 'VIEW', 'WAREHOUSE', 'ROLE', 'USER', 'STAGE', 'STREAM', 'TASK',
  'ALERT', 'SEQUENCE', 'PROCEDURE', 'FUNCTION', 'PIPE', 'INTEGRATION', 'MONITOR', 'POLICY', 'FORMAT',
]);

/** The kind of object a CREATE/ALTER/DROP/… is about, skipping modifiers such as OR REPLACE. */
function objectKind(words: Token[], from: number): string {
  for (let k = from; k < words.length && k < from + 8; k++) {
    const token = words[k]!;
    if (!isWord(token)) break;
    const value = token.value;
    if (value === 'MATERIALIZED' && isWord(words[k + 1], 'VIEW')) return 'MATERIALIZED VIEW';
    if (value === 'RESOURCE' && isWord(words[k + 1], 'MONITOR')) return 'RESOURCE MONITOR';
    if (value === 'FILE' && isWord(words[k + 1], 'FORMAT')) return 'FILE FORMAT';
    if (value === 'NETWORK' && isWord(words[k + 1], 'POLICY')) return 'NETWORK POLICY';
    if (value === 'NOTIFICATION' && isWord(words[k + 1], 'INTEGRATION')) return 'NOTIFICATION INTEGRATION';
    if ((value === 'STORAGE' || value === 'API' || value === 'SECURITY') && isWord(words[k + 1], 'INTEGRATION')) return 'INTEGRATION';
    if (value === 'EXTERNAL' && isWord(words[k + 1], 'TABLE')) return 'EXTERNAL TABLE';
    if (OBJECT_WORDS.has(value)) return value;
    if (value === 'SCHEMAS' || value === 'DATABASES' || value === 'TABLES') return value.slice(0, -1);
  }
  return '';
}

/** Classifies one statement from its leading keywords. */
export function classifyStatement(sql: string): StatementClass {
  let tokens: Token[];
  try {
    tokens = tokenize(sql).filter(isSignificant);
  } catch {
    return { verb: 'unknown', object: '', typeId: STATEMENT_TYPE.unknown, queryType: 'UNKNOWN' };
  }
  return classifyTokens(tokens);
}

/** Classifies a statement already split into significant tokens. */
export function classifyTokens(tokens: Token[]): StatementClass {
  let first = 0;
  // A query may start with parentheses: (SELECT …) UNION (SELECT …).
  while (isOp(tokens[first], '(')) first++;
  const head = tokens[first];
  const verb = isWord(head) ? head!.value : '';
  const next = tokens[first + 1];
  const make = (v: string, typeId: number, queryType: string, object = ''): StatementClass => ({ verb: v, object, typeId, queryType });

  switch (verb) {
    case 'SELECT':
    case 'WITH':
    case 'VALUES':
    case 'TABLE':
      return make('query', STATEMENT_TYPE.select, 'SELECT');
    case 'INSERT':
      return isWord(next, 'ALL', 'FIRST')
        ? make('insert', STATEMENT_TYPE.multiInsert, 'MULTI_TABLE_INSERT')
        : make('insert', STATEMENT_TYPE.insert, 'INSERT');
    case 'UPDATE':
      return make('update', STATEMENT_TYPE.update, 'UPDATE');
    case 'DELETE':
      return make('delete', STATEMENT_TYPE.delete, 'DELETE');
    case 'MERGE':
      return make('merge', STATEMENT_TYPE.merge, 'MERGE');
    case 'COPY':
      return make('copy', STATEMENT_TYPE.copy, 'COPY');
    case 'TRUNCATE':
      return make('truncate', STATEMENT_TYPE.ddl, 'TRUNCATE_TABLE', 'TABLE');
    case 'SHOW':
      return make('show', STATEMENT_TYPE.show, 'SHOW');
    case 'DESC':
    case 'DESCRIBE':
      return make('describe', STATEMENT_TYPE.describe, 'DESCRIBE', objectKind(tokens, first + 1) || 'TABLE');
    case 'LIST':
    case 'LS':
      return make('list', STATEMENT_TYPE.list, 'LIST_FILES');
    case 'REMOVE':
    case 'RM':
      return make('remove', STATEMENT_TYPE.remove, 'REMOVE_FILES');
    case 'PUT':
      return make('put', STATEMENT_TYPE.put, 'PUT_FILES');
    case 'GET':
      return make('get', STATEMENT_TYPE.get, 'GET_FILES');
    case 'USE': {
      const what = isWord(next) ? next!.value : '';
      const typeId =
        what === 'DATABASE' ? STATEMENT_TYPE.useDatabase
        : what === 'SCHEMA' ? STATEMENT_TYPE.useSchema
        : what === 'WAREHOUSE' ? STATEMENT_TYPE.useWarehouse
        : STATEMENT_TYPE.use;
      return make('use', typeId, 'USE', what);
    }
    case 'SET':
      return make('set', STATEMENT_TYPE.scl, 'SET');
    case 'UNSET':
      return make('unset', STATEMENT_TYPE.scl, 'UNSET');
    case 'BEGIN':
    case 'START':
      return make('begin', STATEMENT_TYPE.tcl, 'BEGIN_TRANSACTION');
    case 'COMMIT':
      return make('commit', STATEMENT_TYPE.tcl, 'COMMIT');
    case 'ROLLBACK':
    case 'ABORT':
      return make('rollback', STATEMENT_TYPE.tcl, 'ROLLBACK');
    case 'CALL':
      return make('call', STATEMENT_TYPE.select, 'CALL');
    case 'EXECUTE': {
      const what = isWord(next) ? next!.value : '';
      if (what === 'IMMEDIATE') return make('execute-immediate', STATEMENT_TYPE.select, 'EXECUTE_STREAMLIT', 'IMMEDIATE');
      return make('execute', STATEMENT_TYPE.ddl, what === 'ALERT' ? 'EXECUTE_ALERT' : 'EXECUTE_TASK', what);
    }
    case 'GRANT':
      return make('grant', STATEMENT_TYPE.ddl, 'GRANT');
    case 'REVOKE':
      return make('revoke', STATEMENT_TYPE.ddl, 'REVOKE');
    case 'UNDROP':
      return make('undrop', STATEMENT_TYPE.ddl, 'UNDROP', objectKind(tokens, first + 1));
    case 'EXPLAIN':
      return make('explain', STATEMENT_TYPE.select, 'EXPLAIN');
    case 'CREATE':
    case 'ALTER':
    case 'DROP':
    case 'COMMENT': {
      const object = objectKind(tokens, first + 1);
      if (verb === 'ALTER' && object === 'SESSION') return make('alter', STATEMENT_TYPE.alterSession, 'ALTER_SESSION', 'SESSION');
      if (verb === 'ALTER' && isWord(next, 'SESSION')) return make('alter', STATEMENT_TYPE.alterSession, 'ALTER_SESSION', 'SESSION');
      if (verb === 'ALTER' && isWord(next, 'ACCOUNT')) return make('alter', STATEMENT_TYPE.ddl, 'ALTER_ACCOUNT', 'ACCOUNT');
      const queryType = `${verb}${object ? '_' + object.replace(/ /g, '_') : ''}`;
      return make(verb.toLowerCase(), STATEMENT_TYPE.ddl, verb === 'CREATE' && object === 'TABLE' && hasAsSelect(tokens) ? 'CREATE_TABLE_AS_SELECT' : queryType, object);
    }
    default:
      return make('unknown', STATEMENT_TYPE.unknown, 'UNKNOWN');
  }
}

function hasAsSelect(tokens: Token[]): boolean {
  for (let k = 0; k < tokens.length - 1; k++) {
    if (isWord(tokens[k], 'AS') && (isWord(tokens[k + 1], 'SELECT', 'WITH') || isOp(tokens[k + 1], '('))) return true;
  }
  return false;
}

/** Properties whose values are secrets: masked wherever statement text is kept. */
const SECRET_PROPERTIES = new Set(['PASSWORD', 'AWS_SECRET_KEY', 'AWS_KEY_ID', 'AWS_TOKEN', 'AZURE_SAS_TOKEN', 'MASTER_KEY', 'PRIVATE_KEY', 'OAUTH_CLIENT_SECRET', 'TOKEN', 'SECRET_STRING', 'API_KEY']);

/**
 * The statement text with secret property values masked, as the query history keeps it:
 * `PASSWORD = 'x'` becomes `PASSWORD = '****'`.
 */
export function redactSecrets(sql: string): string {
  let tokens: Token[];
  try {
    tokens = tokenize(sql);
  } catch {
    return /PASSWORD|SECRET|TOKEN/i.test(sql) ? '<statement not recorded: it may contain a secret>' : sql;
  }
  const significant = tokens.filter(isSignificant);
  const masks: Token[] = [];
  significant.forEach((token, k) => {
    if (token.kind === 'string' && isOp(significant[k - 1], '=') && isWord(significant[k - 2]) && SECRET_PROPERTIES.has(significant[k - 2]!.value)) {
      masks.push(token);
    }
  });
  let out = sql;
  for (const token of masks.reverse()) out = `${out.slice(0, token.start)}'****'${out.slice(token.start + token.text.length)}`;
  return out;
}

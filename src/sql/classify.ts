// The guard's view of SQL: each statement read, write or destructive, with the reason in the
// operator's words. Pure, and built on the tokenizer, so `'DROP TABLE x'` in a string, a DROP in a
// comment or a table called "DELETE" never trips it, and a DELETE hidden after a comment does.
// When in doubt it says write: an unknown statement asks before it runs in a protected environment.
import type { Classification } from '../executors/types.js';
import { keyword, splitStatements, type Statement, type Token } from './tokens.js';

/** Risk levels in increasing order. */
export const LEVELS = ['read', 'write', 'destructive'] as const;
/** How risky one statement is. */
export type Level = (typeof LEVELS)[number];

/** The guard's verdict on one statement. */
export interface StatementClass {
  level: Level;
  /** What it is: `SELECT`, `DROP TABLE`, `CREATE OR REPLACE VIEW`, `ALTER WAREHOUSE`. */
  kind: string;
  /** The object it acts on, when it names one: `RAW.ORDERS`. */
  target?: string;
  /** Why it has its level, in the operator's words; empty for plain reads. */
  reasons: string[];
}

/** A whole action's verdict and each statement's. */
export interface SqlClassification extends Classification {
  statements: (StatementClass & { text: string })[];
}

/** Classify every statement of `sql`; the action's level is the highest of its statements. */
export function classifySql(sql: string): SqlClassification {
  const statements = splitStatements(sql).map((statement) => ({ ...classifyStatement(statement), text: statement.text }));
  const level = statements.reduce<Level>((top, s) => higher(top, s.level), 'read');
  const reasons = statements.filter((s) => s.level !== 'read').flatMap((s) => s.reasons);
  return { level, reasons, statements };
}

/** The higher of two levels. */
export function higher(a: Level, b: Level): Level {
  return LEVELS.indexOf(a) >= LEVELS.indexOf(b) ? a : b;
}

/** Words that only ever name the kind of object in DROP/CREATE/ALTER, never the object. */
const KIND_WORDS = new Set(
  (
    'TABLE VIEW MATERIALIZED SECURE RECURSIVE TEMPORARY TEMP TRANSIENT VOLATILE LOCAL GLOBAL EXTERNAL DYNAMIC ICEBERG HYBRID EVENT ' +
    'DATABASE SCHEMA WAREHOUSE ROLE USER STAGE FILE FORMAT PIPE STREAM TASK SEQUENCE FUNCTION PROCEDURE RESOURCE MONITOR NETWORK ' +
    'POLICY RULE ROW ACCESS MASKING TAG INTEGRATION STORAGE SECURITY API NOTIFICATION SHARE CONNECTION ALERT SECRET AUTHENTICATION ' +
    'PASSWORD SESSION PACKAGES AGGREGATION PROJECTION JOIN REPLICATION FAILOVER GROUP ACCOUNT MANAGED COMPUTE POOL SERVICE IMAGE ' +
    'REPOSITORY NOTEBOOK STREAMLIT MODEL SNAPSHOT APPLICATION PACKAGE CORTEX SEARCH SEMANTIC ORGANIZATION LISTING DATA METRIC'
  ).split(' '),
);

/** System functions that change something although they are called from a SELECT. */
const CHANGING_FUNCTIONS: Record<string, Level> = {
  SYSTEM$CANCEL_QUERY: 'write',
  SYSTEM$ABORT_SESSION: 'destructive',
  SYSTEM$CANCEL_ALL_QUERIES: 'destructive',
  SYSTEM$ABORT_TRANSACTION: 'destructive',
  SYSTEM$TASK_DEPENDENTS_ENABLE: 'write',
  SYSTEM$PIPE_FORCE_RESUME: 'write',
  SYSTEM$PIPE_REBINDING_WITH_NOTIFICATION_CHANNEL: 'write',
  SYSTEM$USER_TASK_CANCEL_ONGOING_EXECUTIONS: 'destructive',
  SYSTEM$SET_RETURN_VALUE: 'write',
  SYSTEM$SET_SPAN_ATTRIBUTES: 'read',
  SYSTEM$DISABLE_DATABASE_REPLICATION: 'destructive',
  SYSTEM$GLOBAL_ACCOUNT_SET_PARAMETER: 'destructive',
  SYSTEM$MIGRATE_SAML_IDP_REGISTRATION: 'destructive',
  SYSTEM$ABORT_QUERY: 'write',
};

/** Statements that only read, or only change the session. */
const READ_VERBS = new Set([
  'SELECT',
  'SHOW',
  'DESC',
  'DESCRIBE',
  'EXPLAIN',
  'LIST',
  'LS',
  'GET',
  'USE',
  'SET',
  'UNSET',
  'BEGIN',
  'START',
  'COMMIT',
  'ROLLBACK',
  'VALUES',
]);

/** Classify one statement from its tokens. */
export function classifyStatement(statement: Statement): StatementClass {
  return classifyTokens(statement.tokens, { text: statement.text, offset: statement.start });
}

/** The text token offsets point into: `text[0]` is at `offset` of the original input. */
interface Source {
  text: string;
  offset: number;
}

function classifyTokens(all: Token[], source: Source): StatementClass {
  // A statement may open with parentheses: `(SELECT …) UNION (SELECT …)`.
  let first = 0;
  while (all[first]?.text === '(') first++;
  const tokens = all.slice(first);
  const word = (i: number) => keyword(tokens[i]);
  const verb = word(0);
  if (!verb) return unknown(tokens[0]?.text ?? source.text);

  switch (verb) {
    case 'WITH':
      return classifyWith(tokens, source);
    case 'SELECT':
    case 'VALUES':
      return classifyQuery(tokens);
    case 'INSERT': {
      const overwrite = word(1) === 'OVERWRITE';
      const all = word(1) === 'ALL' || word(1) === 'FIRST' || (overwrite && (word(2) === 'ALL' || word(2) === 'FIRST'));
      if (all) return { level: overwrite ? 'destructive' : 'write', kind: 'INSERT ALL', reasons: [overwrite ? 'INSERT OVERWRITE ALL replaces all rows of every target table' : 'INSERT ALL (multi-table insert)'] };
      const at = indexOfWord(tokens, 'INTO') + 1;
      const target = at > 0 ? objectName(tokens, at).name : undefined;
      if (overwrite) return { level: 'destructive', kind: 'INSERT OVERWRITE', target, reasons: [`INSERT OVERWRITE INTO ${target} replaces all of its rows`] };
      return { level: 'write', kind: 'INSERT', target, reasons: [`INSERT INTO ${target}`] };
    }
    case 'MERGE': {
      const target = objectName(tokens, indexOfWord(tokens, 'INTO') + 1).name;
      return { level: 'write', kind: 'MERGE', target, reasons: [`MERGE INTO ${target}`] };
    }
    case 'UPDATE':
    case 'DELETE':
      return classifyFiltered(tokens, verb);
    case 'TRUNCATE': {
      let at = 1;
      if (word(at) === 'TABLE') at++;
      if (word(at) === 'IF' && word(at + 1) === 'EXISTS') at += 2;
      const target = objectName(tokens, at).name;
      return { level: 'destructive', kind: 'TRUNCATE TABLE', target, reasons: [`TRUNCATE TABLE ${target} deletes every row`] };
    }
    case 'DROP': {
      const { kind, target } = kindAndTarget(tokens, 1);
      return { level: 'destructive', kind: `DROP ${kind}`, target, reasons: [`DROP ${kind} ${target}`.trim()] };
    }
    case 'UNDROP': {
      const { kind, target } = kindAndTarget(tokens, 1);
      return { level: 'write', kind: `UNDROP ${kind}`, target, reasons: [`UNDROP ${kind} ${target}`.trim()] };
    }
    case 'CREATE':
      return classifyCreate(tokens);
    case 'ALTER':
      return classifyAlter(tokens);
    case 'GRANT': {
      const revokes = hasSequence(tokens, ['REVOKE', 'CURRENT', 'GRANTS']);
      const summary = clip(joinTokens(tokens));
      if (revokes) return { level: 'destructive', kind: 'GRANT', reasons: [`${summary}: REVOKE CURRENT GRANTS removes the existing grants`] };
      return { level: 'write', kind: 'GRANT', reasons: [summary] };
    }
    case 'REVOKE':
      return { level: 'destructive', kind: 'REVOKE', reasons: [`${clip(joinTokens(tokens))}: someone or something loses access`] };
    case 'COPY': {
      const target = objectName(tokens, indexOfWord(tokens, 'INTO') + 1).name;
      const purge = hasSequence(tokens, ['PURGE', '=', 'TRUE']);
      return { level: 'write', kind: 'COPY INTO', target, reasons: [`COPY INTO ${target}${purge ? ' (PURGE = TRUE deletes the loaded files from the stage)' : ''}`] };
    }
    case 'PUT':
      return { level: 'write', kind: 'PUT', reasons: [`PUT ${clip(tokens.slice(1, 3).map((t) => t.text).join(' '))} uploads to a stage`] };
    case 'REMOVE':
    case 'RM':
      return { level: 'destructive', kind: 'REMOVE', target: tokens[1]?.text, reasons: [`REMOVE ${tokens[1]?.text ?? ''} deletes files from a stage`.trim()] };
    case 'CALL': {
      const target = objectName(tokens, 1).name;
      return { level: 'write', kind: 'CALL', target, reasons: [`CALL ${target}: what the procedure changes is not known`] };
    }
    case 'EXECUTE':
      return classifyExecute(tokens);
    case 'COMMENT':
      return { level: 'write', kind: 'COMMENT', reasons: [clip(joinTokens(tokens.slice(0, 5)))] };
    case 'DECLARE':
      return classifyBlock(tokens, source);
    case 'BEGIN': {
      const next = word(1);
      const transaction = tokens.length === 1 || next === 'TRANSACTION' || next === 'WORK' || next === 'NAME';
      return transaction ? { level: 'read', kind: 'BEGIN', reasons: [] } : classifyBlock(tokens, source);
    }
    default:
      if (READ_VERBS.has(verb)) {
        return classifyQuery(tokens, verb);
      }
      return unknown(verb);
  }
}

function unknown(first: string): StatementClass {
  return { level: 'write', kind: first.toUpperCase(), reasons: [`${first.toUpperCase()} is not a statement the guard knows; treated as a write`] };
}

/** SELECT and other reads: a read unless it calls a system function that changes something. */
function classifyQuery(tokens: Token[], verb = keyword(tokens[0]) ?? 'SELECT'): StatementClass {
  let level: Level = 'read';
  const reasons: string[] = [];
  for (const token of tokens) {
    const name = keyword(token);
    const changes = name ? CHANGING_FUNCTIONS[name] : undefined;
    if (changes && changes !== 'read') {
      level = higher(level, changes);
      reasons.push(`${name} changes what is running or configured`);
    }
  }
  return { level, kind: verb, reasons };
}

/** `WITH a AS (…), b AS (…) <main statement>`: classify the main statement. */
function classifyWith(tokens: Token[], source: Source): StatementClass {
  const MAIN = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'VALUES'];
  const main = indexAtTopLevel(tokens, (t, i) => MAIN.includes(keyword(t) ?? '') && keyword(tokens[i - 1]) !== 'AS', 1);
  return main === -1 ? classifyQuery(tokens, 'WITH') : classifyTokens(tokens.slice(main), source);
}

/** UPDATE and DELETE: a write with a WHERE clause, destructive without one or with an always-true one. */
function classifyFiltered(tokens: Token[], verb: 'UPDATE' | 'DELETE'): StatementClass {
  const at = verb === 'DELETE' ? indexOfWord(tokens, 'FROM') + 1 : 1;
  const target = objectName(tokens, at).name;
  const kind = verb;
  const phrase = verb === 'DELETE' ? `DELETE FROM ${target}` : `UPDATE ${target}`;
  const where = indexOfTopLevelWord(tokens, 'WHERE');
  const every = verb === 'DELETE' ? 'deletes every row' : 'changes every row';
  if (where === -1) return { level: 'destructive', kind, target, reasons: [`${phrase} without WHERE ${every}`] };
  const condition = tokens.slice(where + 1).map((t) => t.text.toUpperCase()).join(' ');
  if (/^(TRUE|1 = 1|1=1|'1' = '1'|NOT FALSE)$/.test(condition)) {
    return { level: 'destructive', kind, target, reasons: [`${phrase} WHERE ${condition} ${every}`] };
  }
  return { level: 'write', kind, target, reasons: [`${phrase} WHERE …`] };
}

function classifyCreate(tokens: Token[]): StatementClass {
  let at = 1;
  const replace = keyword(tokens[1]) === 'OR' && keyword(tokens[2]) === 'REPLACE';
  if (replace) at = 3;
  const { kind, target } = kindAndTarget(tokens, at);
  const clone = indexOfTopLevelWord(tokens, 'CLONE') !== -1;
  const label = `CREATE ${replace ? 'OR REPLACE ' : ''}${kind}`;
  if (replace) {
    const loses = /TABLE|DATABASE|SCHEMA|STAGE|STREAM|SEQUENCE/.test(kind) ? ' (its data, stream offset or counter with it)' : '';
    return { level: 'destructive', kind: label, target, reasons: [`${label} ${target} replaces the existing one if there is one${loses}`] };
  }
  return { level: 'write', kind: label, target, reasons: [`${label} ${target}${clone ? ' (CLONE)' : ''}`] };
}

/** ALTER: a write, destructive for the actions that stop, remove, swap or lock out. */
function classifyAlter(tokens: Token[]): StatementClass {
  const { kind, target, next } = kindAndTarget(tokens, 1);
  const label = `ALTER ${kind}`;
  if (kind === 'SESSION') return { level: 'read', kind: label, reasons: [] };
  const statement = `${label} ${target}`.trim();
  const rest = tokens.slice(next);
  const has = (...words: string[]) => hasSequence(rest, words);
  const destructive = (why: string): StatementClass => ({ level: 'destructive', kind: label, target, reasons: [`${statement} ${why}`] });
  if (kind === 'USER') return destructive('changes a login (password, keys, roles or whether it can log in)');
  if (kind === 'ACCOUNT') return destructive('changes the whole account');
  if (has('SUSPEND') || has('SUSPEND_IMMEDIATE')) return destructive('SUSPEND stops it');
  if (has('PIPE_EXECUTION_PAUSED', '=', 'TRUE')) return destructive('pauses the pipe');
  if (has('SWAP', 'WITH')) return destructive(`SWAP WITH ${objectName(rest, indexOfWord(rest, 'WITH') + 1).name} exchanges the two`);
  if (has('RENAME', 'TO')) return destructive(`RENAME TO ${objectName(rest, indexOfWord(rest, 'TO') + 1).name}: whatever uses the old name breaks`);
  if (has('ABORT', 'ALL', 'QUERIES')) return destructive('ABORT ALL QUERIES cancels every running query');
  if (has('DATA_RETENTION_TIME_IN_DAYS', '=', '0')) return destructive('sets Time Travel retention to 0: dropped or changed data cannot be recovered');
  const drop = indexOfTopLevelWord(rest, 'DROP');
  if (drop !== -1) return destructive(`DROP ${rest.slice(drop + 1, drop + 3).map((t) => t.text).join(' ')}`.trimEnd());
  const action = rest.length ? ` ${clip(rest.slice(0, 4).map((t) => t.text).join(' '))}` : '';
  return { level: 'write', kind: label, target, reasons: [`${statement}${action}`] };
}

/** EXECUTE IMMEDIATE '<sql>' is classified by the SQL it runs; EXECUTE TASK runs a task now. */
function classifyExecute(tokens: Token[]): StatementClass {
  const what = keyword(tokens[1]);
  if (what === 'IMMEDIATE') {
    const body = tokens[2];
    if (body && (body.type === 'string' || body.type === 'dollar')) {
      const inner = classifySql(literalText(body));
      const level = higher('write', inner.level);
      return { level, kind: 'EXECUTE IMMEDIATE', reasons: inner.reasons.length ? inner.reasons : ['EXECUTE IMMEDIATE runs SQL built at run time'] };
    }
    return { level: 'write', kind: 'EXECUTE IMMEDIATE', reasons: ['EXECUTE IMMEDIATE runs SQL built at run time; what it changes is not known'] };
  }
  const target = objectName(tokens, 2).name;
  return { level: 'write', kind: `EXECUTE ${what ?? ''}`.trim(), target, reasons: [`EXECUTE ${what ?? ''} ${target}`.trim()] };
}

/** A Snowflake Scripting block: at least a write; as risky as the riskiest statement inside. */
function classifyBlock(tokens: Token[], source: Source): StatementClass {
  const begin = tokens.findIndex((t) => keyword(t) === 'BEGIN');
  const ends = tokens.map((t, i) => (keyword(t) === 'END' ? i : -1)).filter((i) => i > begin);
  const end = ends.length ? ends[ends.length - 1]! : tokens.length;
  const base = source.offset;
  const inner = begin === -1 ? '' : source.text.slice(tokens[begin]!.end - base, tokens[end] ? tokens[end]!.start - base : undefined);
  let level: Level = 'write';
  const reasons: string[] = [];
  for (const statement of splitStatements(inner)) {
    const verdict = classifyScripted(statement.tokens, { text: statement.text, offset: statement.start });
    level = higher(level, verdict.level);
    if (verdict.level !== 'read') reasons.push(...verdict.reasons);
  }
  return { level, kind: 'BLOCK', reasons: reasons.length ? reasons : ['a Snowflake Scripting block'] };
}

/** Words that open a control construct; the SQL statement, if any, follows its THEN or DO. */
const CONTROL_UNTIL_THEN = new Set(['IF', 'ELSEIF', 'WHEN', 'CASE', 'EXCEPTION', 'FOR', 'WHILE']);
/** Words that stand alone before a statement. */
const CONTROL_ALONE = new Set(['ELSE', 'LOOP', 'REPEAT', 'DO', 'THEN']);
/** Scripting statements that change nothing by themselves. */
const SCRIPT_ONLY = new Set(['RETURN', 'OPEN', 'FETCH', 'CLOSE', 'BREAK', 'CONTINUE', 'RAISE', 'NULL', 'EXIT', 'ITERATE', 'LEAVE', 'UNTIL']);

/** One statement inside a block, with its control-flow prefix (`IF (…) THEN`, `LET x :=`) taken off. */
function classifyScripted(tokens: Token[], source: Source): StatementClass {
  let rest = tokens;
  for (;;) {
    const word = keyword(rest[0]);
    if (!word) break;
    if (CONTROL_UNTIL_THEN.has(word)) {
      const opener = rest.findIndex((t, i) => i > 0 && (keyword(t) === 'THEN' || keyword(t) === 'DO'));
      rest = opener === -1 ? [] : rest.slice(opener + 1);
    } else if (CONTROL_ALONE.has(word)) {
      rest = rest.slice(1);
    } else if (word === 'END') {
      rest = rest.slice(keyword(rest[1]) && !FLAT_WORDS.has(keyword(rest[1])!) ? 1 : 2);
    } else if (word === 'LET' || rest[1]?.text === ':=') {
      const assign = rest.findIndex((t) => t.text === ':=' || keyword(t) === 'DEFAULT' || keyword(t) === 'FOR');
      rest = assign === -1 ? [] : rest.slice(assign + 1);
    } else {
      break;
    }
  }
  const first = keyword(rest[0]);
  if (rest.length === 0 || (first && SCRIPT_ONLY.has(first))) return { level: 'read', kind: first ?? 'END', reasons: [] };
  return classifyTokens(rest, source);
}

const FLAT_WORDS = new Set(['IF', 'FOR', 'LOOP', 'WHILE', 'REPEAT', 'CASE']);

/** The content of a string or `$$` literal, unescaped. */
function literalText(token: Token): string {
  if (token.type === 'dollar') return token.text.slice(2, token.unterminated ? undefined : -2);
  return token.text.slice(1, token.unterminated ? undefined : -1).replace(/''/g, "'").replace(/\\(.)/g, '$1');
}

/** `TABLE IF EXISTS RAW.ORDERS`: the kind words, then the name (skipping IF [NOT] EXISTS). */
function kindAndTarget(tokens: Token[], from: number): { kind: string; target: string; next: number } {
  const kind: string[] = [];
  let at = from;
  while (at < tokens.length - 1 && KIND_WORDS.has(keyword(tokens[at]) ?? '')) {
    // The last word before the end, `.`, `(` or a clause is the name, even if it looks like a kind.
    const after = tokens[at + 1]!;
    if (after.text === '.' || after.text === '(') break;
    kind.push(keyword(tokens[at])!);
    at++;
  }
  if (keyword(tokens[at]) === 'IF') {
    at++;
    if (keyword(tokens[at]) === 'NOT') at++;
    if (keyword(tokens[at]) === 'EXISTS') at++;
  }
  const { name, next } = objectName(tokens, at);
  return { kind: kind.join(' '), target: name, next };
}

/** A possibly qualified object name starting at `at`: `DB.SCHEMA."Table"`, `IDENTIFIER('X')`, `$VAR`, `@stage/path`. */
export function objectName(tokens: Token[], at: number): { name: string; next: number } {
  const parts: string[] = [];
  let i = at;
  if (tokens[i]?.text === '@') {
    // Stage reference: @name, @db.schema.name/path
    let name = '@';
    i++;
    while (i < tokens.length && ['word', 'quoted', 'punct', 'number'].includes(tokens[i]!.type) && !/^[;(),=]$/.test(tokens[i]!.text)) {
      if (tokens[i]!.start !== tokens[i - 1]!.end) break;
      name += tokens[i]!.text;
      i++;
    }
    return { name, next: i };
  }
  while (i < tokens.length) {
    const t = tokens[i]!;
    if (keyword(t) === 'IDENTIFIER' && tokens[i + 1]?.text === '(') {
      const arg = tokens[i + 2];
      parts.push(arg ? `IDENTIFIER(${arg.text})` : 'IDENTIFIER()');
      i += tokens[i + 3]?.text === ')' ? 4 : 3;
    } else if (t.type === 'word' || t.type === 'quoted' || t.type === 'variable') {
      parts.push(t.type === 'word' ? t.text.toUpperCase() : t.text);
      i++;
    } else {
      break;
    }
    if (tokens[i]?.text !== '.') break;
    i++;
  }
  return { name: parts.join('.') || '(unnamed)', next: i };
}

function indexOfWord(tokens: Token[], word: string): number {
  return tokens.findIndex((t) => keyword(t) === word);
}

/** Index of `word` outside any parentheses (so a subquery's WHERE does not count), or -1. */
function indexOfTopLevelWord(tokens: Token[], word: string): number {
  return indexAtTopLevel(tokens, (t) => keyword(t) === word);
}

/** Index of the first token outside any parentheses that passes `test`, from `from`, or -1. */
function indexAtTopLevel(tokens: Token[], test: (token: Token, index: number) => boolean, from = 0): number {
  let depth = 0;
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    else if (depth === 0 && test(t, i)) return i;
  }
  return -1;
}

/** Whether the words (or punctuation) appear one after the other anywhere in the tokens. */
function hasSequence(tokens: Token[], words: string[]): boolean {
  const texts = tokens.map((t) => (t.type === 'word' ? t.text.toUpperCase() : t.text));
  outer: for (let i = 0; i + words.length <= texts.length; i++) {
    for (let j = 0; j < words.length; j++) if (texts[i + j] !== words[j]) continue outer;
    return true;
  }
  return false;
}

function joinTokens(tokens: Token[]): string {
  return tokens.map((t) => (t.type === 'word' ? t.text.toUpperCase() : t.text)).join(' ').replace(/ ([.,)]) ?/g, '$1').replace(/\( /g, '(');
}

function clip(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

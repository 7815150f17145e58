// A tokenizer for Snowflake SQL, and the statement splitter built on it. Pure. It knows what can
// hide a semicolon or a keyword — comments (`--`, `//`, `/* */`), strings ('it''s', 'a\'b'),
// quoted identifiers ("My;Table"), `$$ … $$` bodies and Snowflake Scripting blocks
// (BEGIN … END with their inner statements) — so neither the splitter nor the guard is fooled.

/** What a token is. */
export type TokenType =
  | 'word' // identifier or keyword: ORDERS, select, $ABC is a variable, see below
  | 'quoted' // "quoted identifier"
  | 'string' // 'string literal'
  | 'dollar' // $$ body $$
  | 'number'
  | 'variable' // $name, $1, :bind, ?
  | 'comment'
  | 'space'
  | 'punct';

/** One token with its place in the text. */
export interface Token {
  type: TokenType;
  /** The text exactly as written. */
  text: string;
  start: number;
  end: number;
  /** A string, quoted identifier, `$$` body or block comment with no end. */
  unterminated?: boolean;
}

const WORD_START = /[\p{L}_]/u;
const WORD_PART = /[\p{L}\p{N}_$]/u;
const DIGIT = /[0-9]/;
const OPERATORS = ['->>', '::', ':=', '->', '=>', '<=', '>=', '<>', '!=', '||'];

/** Split SQL text into tokens, spaces and comments included, so the texts join back to the input. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (type: TokenType, end: number, unterminated = false) => {
    const token: Token = { type, text: sql.slice(i, end), start: i, end };
    if (unterminated) token.unterminated = true;
    tokens.push(token);
    i = end;
  };
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (/\s/.test(c)) {
      let end = i + 1;
      while (end < sql.length && /\s/.test(sql[end]!)) end++;
      push('space', end);
    } else if ((c === '-' && next === '-') || (c === '/' && next === '/')) {
      const newline = sql.indexOf('\n', i);
      push('comment', newline === -1 ? sql.length : newline);
    } else if (c === '/' && next === '*') {
      const close = sql.indexOf('*/', i + 2);
      push('comment', close === -1 ? sql.length : close + 2, close === -1);
    } else if (c === "'") {
      const end = closeQuote(sql, i, "'", true);
      push('string', end ?? sql.length, end === undefined);
    } else if (c === '"') {
      const end = closeQuote(sql, i, '"', false);
      push('quoted', end ?? sql.length, end === undefined);
    } else if (c === '$' && next === '$') {
      const close = sql.indexOf('$$', i + 2);
      push('dollar', close === -1 ? sql.length : close + 2, close === -1);
    } else if (c === '$' && next !== undefined && WORD_PART.test(next)) {
      let end = i + 1;
      while (end < sql.length && WORD_PART.test(sql[end]!)) end++;
      push('variable', end);
    } else if ((c === ':' && next !== ':' && next !== undefined && WORD_PART.test(next) && sql[i - 1] !== ':') || c === '?') {
      let end = i + 1;
      while (c === ':' && end < sql.length && WORD_PART.test(sql[end]!)) end++;
      push('variable', end);
    } else if (DIGIT.test(c) || (c === '.' && next !== undefined && DIGIT.test(next))) {
      const match = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(sql.slice(i))!;
      push('number', i + match[0].length);
    } else if (WORD_START.test(c)) {
      let end = i + 1;
      while (end < sql.length && WORD_PART.test(sql[end]!)) end++;
      push('word', end);
    } else {
      const op = OPERATORS.find((o) => sql.startsWith(o, i));
      push('punct', i + (op?.length ?? 1));
    }
  }
  return tokens;
}

/** Index just past the closing quote, or undefined when the text ends first. */
function closeQuote(sql: string, open: number, quote: string, backslash: boolean): number | undefined {
  let i = open + 1;
  while (i < sql.length) {
    const c = sql[i]!;
    if (backslash && c === '\\') {
      i += 2;
    } else if (c === quote) {
      if (sql[i + 1] === quote) i += 2; // doubled quote: an escaped quote, not the end
      else return i + 1;
    } else {
      i++;
    }
  }
  return undefined;
}

/** Tokens that carry meaning: no spaces, no comments. */
export function significant(tokens: readonly Token[]): Token[] {
  return tokens.filter((t) => t.type !== 'space' && t.type !== 'comment');
}

/** A word token's text in upper case (how Snowflake reads keywords), else undefined. */
export function keyword(token: Token | undefined): string | undefined {
  return token?.type === 'word' ? token.text.toUpperCase() : undefined;
}

/** One statement of a multi-statement text. */
export interface Statement {
  /** The statement as sent: from its first meaningful token to before its `;`, comments inside kept. */
  text: string;
  start: number;
  end: number;
  /** Its meaningful tokens (no spaces, no comments). */
  tokens: Token[];
}

/** Words after which a BEGIN starts a transaction, not a Snowflake Scripting block. */
const TRANSACTION_WORDS = new Set(['TRANSACTION', 'WORK', 'NAME']);
/** `END IF`, `END FOR`, …: these close constructs that did not open a level. */
const FLAT_ENDINGS = new Set(['IF', 'FOR', 'LOOP', 'WHILE', 'REPEAT']);

/**
 * Split a text into statements at top-level semicolons. Scripting blocks (`BEGIN … END`,
 * `DECLARE … BEGIN … END`, a procedure body `AS BEGIN … END`) stay whole. Empty statements
 * (only comments or spaces) are dropped.
 */
export function splitStatements(sql: string): Statement[] {
  const tokens = tokenize(sql);
  const statements: Statement[] = [];
  let current: Token[] = [];
  let counted = 0;
  let depth = 0;
  let declaring = false;
  const finish = () => {
    const meaningful = significant(current);
    if (meaningful.length > 0) {
      const start = meaningful[0]!.start;
      const lastEnd = current[current.length - 1]!.end;
      const text = sql.slice(start, lastEnd).trimEnd();
      statements.push({ text, start, end: start + text.length, tokens: meaningful });
    }
    current = [];
    counted = 0;
    depth = 0;
    declaring = false;
  };
  const meaningful = significant(tokens);
  for (let i = 0, m = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const isMeaningful = token.type !== 'space' && token.type !== 'comment';
    if (isMeaningful) m = meaningful.indexOf(token, m);
    if (token.type === 'punct' && token.text === ';' && depth === 0 && !declaring) {
      finish();
      continue;
    }
    current.push(token);
    if (isMeaningful) counted++;
    const word = keyword(token);
    if (!word) continue;
    const atStart = counted === 1;
    const following = keyword(meaningful[m + 1]);
    const followingText = meaningful[m + 1]?.text;
    if (word === 'DECLARE' && atStart) {
      declaring = true;
    } else if (word === 'BEGIN') {
      const transaction = atStart && (followingText === undefined || followingText === ';' || TRANSACTION_WORDS.has(following ?? ''));
      if (!transaction) {
        depth++;
        declaring = false;
      }
    } else if (word === 'CASE' && depth > 0) {
      depth++;
    } else if (word === 'END' && depth > 0 && !FLAT_ENDINGS.has(following ?? '')) {
      depth--;
    }
  }
  finish();
  return statements;
}

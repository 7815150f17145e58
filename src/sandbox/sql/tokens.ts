// Snowflake SQL as tokens. Everything the sandbox does with SQL text starts here: splitting a
// request into statements, classifying them, parsing account DDL and translating queries for
// DuckDB. A real tokenizer (not regexes over raw text) is what keeps a `;` inside a string, a
// `--` inside a `$$` body or a keyword inside a quoted name from being misread.

/** What a token is. */
export type TokenKind =
  | 'space' // whitespace
  | 'comment' // -- … , // … , /* … */
  | 'word' // an unquoted identifier or keyword: value is upper-cased
  | 'quoted' // a "quoted identifier": value is exact, without the quotes
  | 'string' // a 'string' or $$string$$: value is the unescaped text
  | 'number' // 42, 1.5, .5, 1e10
  | 'variable' // $name (session variable) or $1 (positional column)
  | 'bind' // ? or :1
  | 'stage' // @stage, @db.schema.stage/path, @~, @%table
  | 'op' // operators and punctuation
  | 'end'; // end of text

/** One token with its place in the text. */
export interface Token {
  kind: TokenKind;
  /** The exact source text. */
  text: string;
  /** Upper-cased word, unquoted identifier text, unescaped string, or the text itself. */
  value: string;
  /** Offset of the first character in the whole text. */
  start: number;
  /** 1-based line and 0-based column, as Snowflake's "line L at position P". */
  line: number;
  column: number;
}

/** A text that does not tokenize, e.g. an unterminated string. */
export class TokenizeError extends Error {
  constructor(
    message: string,
    readonly token: Token,
  ) {
    super(message);
    this.name = 'TokenizeError';
  }
}

const MULTI_OPS = ['::', '||', '<=', '>=', '<>', '!=', '=>', '->>', '->', '**'];

function isWordStart(ch: string): boolean {
  return /[A-Za-z_\u0080-\uffff]/.test(ch);
}

function isWordPart(ch: string): boolean {
  return /[A-Za-z0-9_$\u0080-\uffff]/.test(ch);
}

const BACKSLASH_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  '0': '\0',
  "'": "'",
  '"': '"',
  '\\': '\\',
};

/** Splits SQL text into tokens, including spaces and comments, ending with one `end` token. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;

  const push = (kind: TokenKind, start: number, value?: string): Token => {
    const text = sql.slice(start, i);
    const token: Token = { kind, text, value: value ?? text, start, line, column: start - lineStart };
    tokens.push(token);
    // Keep line/column right for the tokens after a multi-line one.
    for (let k = start; k < i; k++) {
      if (sql[k] === '\n') {
        line++;
        lineStart = k + 1;
      }
    }
    return token;
  };
  const fail = (message: string, start: number): never => {
    throw new TokenizeError(message, { kind: 'end', text: sql.slice(start, start + 1), value: '', start, line, column: start - lineStart });
  };

  while (i < sql.length) {
    const start = i;
    const ch = sql[i]!;
    const next = sql[i + 1] ?? '';

    if (/\s/.test(ch)) {
      while (i < sql.length && /\s/.test(sql[i]!)) i++;
      push('space', start);
      continue;
    }
    if ((ch === '-' && next === '-') || (ch === '/' && next === '/')) {
      while (i < sql.length && sql[i] !== '\n') i++;
      push('comment', start);
      continue;
    }
    if (ch === '/' && next === '*') {
      const close = sql.indexOf('*/', i + 2);
      if (close < 0) fail('unterminated comment', start);
      i = close + 2;
      push('comment', start);
      continue;
    }
    if (ch === "'") {
      i++;
      let value = '';
      for (;;) {
        if (i >= sql.length) fail('unterminated string', start);
        const c = sql[i]!;
        if (c === "'") {
          if (sql[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (c === '\\' && i + 1 < sql.length) {
          const e = sql[i + 1]!;
          if (e === 'x' && /^[0-9A-Fa-f]{2}$/.test(sql.slice(i + 2, i + 4))) {
            value += String.fromCharCode(parseInt(sql.slice(i + 2, i + 4), 16));
            i += 4;
          } else if (e === 'u' && /^[0-9A-Fa-f]{4}$/.test(sql.slice(i + 2, i + 6))) {
            value += String.fromCharCode(parseInt(sql.slice(i + 2, i + 6), 16));
            i += 6;
          } else {
            value += BACKSLASH_ESCAPES[e] ?? e;
            i += 2;
          }
          continue;
        }
        value += c;
        i++;
      }
      push('string', start, value);
      continue;
    }
    if (ch === '$' && next === '$') {
      const close = sql.indexOf('$$', i + 2);
      if (close < 0) fail('unterminated $$ string', start);
      const value = sql.slice(i + 2, close);
      i = close + 2;
      push('string', start, value);
      continue;
    }
    if (ch === '"') {
      i++;
      let value = '';
      for (;;) {
        if (i >= sql.length) fail('unterminated quoted identifier', start);
        const c = sql[i]!;
        if (c === '"') {
          if (sql[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += c;
        i++;
      }
      push('quoted', start, value);
      continue;
    }
    if (ch === '$' && /[A-Za-z_0-9]/.test(next)) {
      i++;
      while (i < sql.length && /[A-Za-z0-9_]/.test(sql[i]!)) i++;
      const name = sql.slice(start + 1, i);
      push('variable', start, /^\d+$/.test(name) ? name : name.toUpperCase());
      continue;
    }
    if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(next))) {
      while (i < sql.length && /[0-9]/.test(sql[i]!)) i++;
      if (sql[i] === '.' && /[0-9]/.test(sql[i + 1] ?? '')) {
        i++;
        while (i < sql.length && /[0-9]/.test(sql[i]!)) i++;
      } else if (sql[i] === '.' && !/[A-Za-z_]/.test(sql[i + 1] ?? '')) {
        i++; // "1." is a number
      }
      if (/[eE]/.test(sql[i] ?? '') && /[0-9+-]/.test(sql[i + 1] ?? '')) {
        const save = i;
        i++;
        if (sql[i] === '+' || sql[i] === '-') i++;
        if (/[0-9]/.test(sql[i] ?? '')) {
          while (i < sql.length && /[0-9]/.test(sql[i]!)) i++;
        } else {
          i = save;
        }
      }
      // 1abc is not a number followed by a word in Snowflake either; keep it simple and split.
      push('number', start);
      continue;
    }
    if (isWordStart(ch)) {
      while (i < sql.length && isWordPart(sql[i]!)) i++;
      push('word', start, sql.slice(start, i).toUpperCase());
      continue;
    }
    if (ch === '?') {
      i++;
      push('bind', start);
      continue;
    }
    if (ch === ':' && /[0-9]/.test(next) && sql[i - 1] !== ':') {
      i++;
      while (i < sql.length && /[0-9]/.test(sql[i]!)) i++;
      push('bind', start, sql.slice(start + 1, i));
      continue;
    }
    if (ch === '@') {
      i++;
      // A stage path runs until whitespace or a character that cannot be part of it.
      while (i < sql.length && !/[\s;,()']/.test(sql[i]!)) {
        if (sql[i] === '"') {
          const close = sql.indexOf('"', i + 1);
          i = close < 0 ? sql.length : close + 1;
        } else {
          i++;
        }
      }
      push('stage', start);
      continue;
    }
    const op = MULTI_OPS.find((candidate) => sql.startsWith(candidate, i));
    if (op) {
      i += op.length;
      push('op', start);
      continue;
    }
    i++;
    push('op', start);
  }
  const end: Token = { kind: 'end', text: '', value: '', start: sql.length, line, column: sql.length - lineStart };
  tokens.push(end);
  return tokens;
}

/** Whether a token carries meaning (not whitespace or a comment). */
export function isSignificant(token: Token): boolean {
  return token.kind !== 'space' && token.kind !== 'comment';
}

/** The tokens that carry meaning, ending with `end`. */
export function significantTokens(sql: string): Token[] {
  return tokenize(sql).filter(isSignificant);
}

/** Whether the token is the given keyword (an unquoted word). */
export function isWord(token: Token | undefined, ...words: string[]): boolean {
  return token !== undefined && token.kind === 'word' && (words.length === 0 || words.includes(token.value));
}

/** Whether the token is the given operator or punctuation. */
export function isOp(token: Token | undefined, ...ops: string[]): boolean {
  return token !== undefined && token.kind === 'op' && ops.includes(token.text);
}

/** Quotes a name for DuckDB or Snowflake: "NAME" with embedded quotes doubled. */
export function quoteName(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Quotes a string literal: 'text' with embedded quotes doubled. */
export function quoteString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

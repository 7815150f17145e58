// A cursor over one statement's significant tokens, for the statements the sandbox parses
// itself (account DDL, SHOW, GRANT, COPY …). Every failure is a Snowflake syntax error at the
// token where parsing stopped.
import { syntaxError } from './errors.js';
import { isOp, isWord, significantTokens, type Token } from './tokens.js';

/** One part of a name: NAME (unquoted, upper-cased) or "Name" (quoted, exact). */
export interface NamePart {
  name: string;
  quoted: boolean;
}

/** A possibly qualified object name as written: [db.][schema.]name. */
export interface ObjectName {
  parts: NamePart[];
  /** The first token of the name, for error positions. */
  token: Token;
}

/** How Snowflake prints a name part: bare when it can be, quoted otherwise. */
export function displayPart(name: string): string {
  return /^[A-Z_][A-Z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** How Snowflake prints a qualified name. */
export function displayName(parts: readonly string[]): string {
  return parts.map(displayPart).join('.');
}

/** A literal value in a property list: strings, numbers, booleans, bare words, lists. */
export type PropertyValue = string | number | boolean | null | PropertyValue[] | { [key: string]: PropertyValue };

/** A cursor over significant tokens. */
export class Cursor {
  readonly tokens: Token[];
  index = 0;

  constructor(
    /** The statement text. */
    readonly sql: string,
    tokens?: Token[],
  ) {
    this.tokens = tokens ?? significantTokens(sql);
  }

  /** The token `ahead` places from here (0 = current). */
  peek(ahead = 0): Token {
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)]!;
  }

  /** Consumes and returns the current token. */
  next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }

  /** Whether the statement is fully consumed (a trailing `;` is allowed). */
  atEnd(): boolean {
    return this.peek().kind === 'end' || (isOp(this.peek(), ';') && this.peek(1).kind === 'end');
  }

  /** Throws the syntax error Snowflake would give at the current token. */
  fail(token: Token = this.peek()): never {
    throw syntaxError(token);
  }

  /** Requires the end of the statement. */
  expectEnd(): void {
    if (!this.atEnd()) this.fail();
  }

  /** Whether the current tokens are these keywords, in order. */
  isWords(...words: string[]): boolean {
    return words.every((word, k) => isWord(this.peek(k), word));
  }

  /** Consumes the keywords if they come next, in order. */
  acceptWords(...words: string[]): boolean {
    if (!this.isWords(...words)) return false;
    this.index += words.length;
    return true;
  }

  /** Consumes one of the keywords if it comes next and returns it. */
  acceptAnyWord(...words: string[]): string | undefined {
    const token = this.peek();
    if (isWord(token, ...words)) {
      this.index++;
      return token.value;
    }
    return undefined;
  }

  /** Requires the keywords, in order. */
  expectWords(...words: string[]): void {
    for (const word of words) {
      if (!isWord(this.peek(), word)) this.fail();
      this.index++;
    }
  }

  /** Requires one of the keywords and returns it. */
  expectAnyWord(...words: string[]): string {
    const word = this.acceptAnyWord(...words);
    if (word === undefined) this.fail();
    return word;
  }

  /** Consumes the operator if it comes next. */
  acceptOp(op: string): boolean {
    if (!isOp(this.peek(), op)) return false;
    this.index++;
    return true;
  }

  /** Requires the operator. */
  expectOp(op: string): void {
    if (!this.acceptOp(op)) this.fail();
  }

  /** `IF NOT EXISTS` */
  acceptIfNotExists(): boolean {
    return this.acceptWords('IF', 'NOT', 'EXISTS');
  }

  /** `IF EXISTS` */
  acceptIfExists(): boolean {
    return this.acceptWords('IF', 'EXISTS');
  }

  /** One identifier: a word or a quoted name; IDENTIFIER('name') is expanded by the caller. */
  namePart(): NamePart {
    const token = this.peek();
    if (token.kind === 'word') {
      this.index++;
      return { name: token.value, quoted: false };
    }
    if (token.kind === 'quoted') {
      this.index++;
      return { name: token.value, quoted: true };
    }
    return this.fail();
  }

  /** A qualified name: part(.part)*; IDENTIFIER('a.b') is read as the name it spells. */
  objectName(): ObjectName {
    const token = this.peek();
    if (isWord(token, 'IDENTIFIER') && isOp(this.peek(1), '(') && this.peek(2).kind === 'string' && isOp(this.peek(3), ')')) {
      const spelled = this.peek(2).value;
      this.index += 4;
      return { parts: parseNameText(spelled, token), token };
    }
    const parts = [this.namePart()];
    while (isOp(this.peek(), '.')) {
      this.index++;
      if (isOp(this.peek(), '.')) {
        // db..table means the PUBLIC schema.
        parts.push({ name: 'PUBLIC', quoted: false });
        continue;
      }
      parts.push(this.namePart());
    }
    if (parts.length > 3) this.fail(token);
    return { parts, token };
  }

  /** A literal: 'string', number, TRUE/FALSE, NULL, or a bare word (returned upper-cased). */
  value(): PropertyValue {
    const token = this.peek();
    if (token.kind === 'string') {
      this.index++;
      return token.value;
    }
    if (token.kind === 'number') {
      this.index++;
      return Number(token.text);
    }
    if (isOp(token, '-') && this.peek(1).kind === 'number') {
      this.index += 2;
      return -Number(this.tokens[this.index - 1]!.text);
    }
    if (isWord(token, 'TRUE')) {
      this.index++;
      return true;
    }
    if (isWord(token, 'FALSE')) {
      this.index++;
      return false;
    }
    if (isWord(token, 'NULL')) {
      this.index++;
      return null;
    }
    if (isOp(token, '(')) {
      this.index++;
      const values: PropertyValue[] = [];
      if (this.acceptOp(')')) return values;
      // A parenthesized list is either values or KEY = value pairs (e.g. FILE_FORMAT = (TYPE = CSV)).
      if ((this.peek().kind === 'word' || this.peek().kind === 'quoted') && isOp(this.peek(1), '=')) {
        const nested = this.properties(')');
        this.expectOp(')');
        return nested;
      }
      for (;;) {
        values.push(this.value());
        if (this.acceptOp(')')) return values;
        this.expectOp(',');
      }
    }
    if (token.kind === 'word' || token.kind === 'quoted') {
      return this.objectName().parts.map((part) => part.name).join('.');
    }
    if (token.kind === 'stage') {
      this.index++;
      return token.text;
    }
    return this.fail();
  }

  /**
   * `KEY = value` pairs (commas between them optional) until one of the stop words or the end.
   * Keys are upper-cased; a key may be written without `=` when a stop word test says so.
   */
  properties(...stop: string[]): Record<string, PropertyValue> {
    const props: Record<string, PropertyValue> = {};
    for (;;) {
      this.acceptOp(',');
      const token = this.peek();
      if (token.kind === 'end' || isOp(token, ';') || isOp(token, ')') || stop.some((word) => isWord(token, word))) break;
      if (token.kind !== 'word' && token.kind !== 'quoted') this.fail();
      this.index++;
      if (!this.acceptOp('=')) this.fail();
      props[token.value] = this.value();
    }
    return props;
  }

  /** The source text from the current token to the end of the statement (without a trailing `;`). */
  rest(): string {
    const token = this.peek();
    if (token.kind === 'end') return '';
    let end = this.sql.length;
    const last = this.tokens[this.tokens.length - 2];
    if (last && isOp(last, ';')) end = last.start;
    this.index = this.tokens.length - 1;
    return this.sql.slice(token.start, end).trim();
  }

  /** Skips a balanced parenthesized group and returns its inner text. */
  group(): string {
    const open = this.peek();
    if (!isOp(open, '(')) this.fail();
    let depth = 0;
    for (;;) {
      const token = this.next();
      if (token.kind === 'end') this.fail(token);
      if (isOp(token, '(')) depth++;
      if (isOp(token, ')')) {
        depth--;
        if (depth === 0) return this.sql.slice(open.start + 1, token.start);
      }
    }
  }
}

/** Reads a name spelled in a string, as IDENTIFIER('db.schema."Mixed"') does. */
export function parseNameText(text: string, token: Token): NamePart[] {
  const cursor = new Cursor(text);
  try {
    const name = cursor.objectName();
    if (!cursor.atEnd()) throw syntaxError(token);
    return name.parts;
  } catch {
    throw syntaxError(token);
  }
}

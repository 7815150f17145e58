// `{{NAME}}` in SQL, filled by where it sits. Inside a string literal the value is escaped; inside
// a quoted identifier its quotes are doubled; anywhere else SQL expects a name or a number, so the
// value must be one — `x; DROP TABLE y` is refused, never run. Pure.
import { fillTemplate, findReferences, MASK, type Filled, type TemplateValue } from '../runbook/template.js';
import { tokenize, type TokenType } from './tokens.js';

/** A value that cannot be put where its reference sits without changing the statement. */
export class UnsafeValueError extends Error {
  constructor(
    /** The variable's name. */
    readonly variable: string,
    message: string,
  ) {
    super(message);
    this.name = 'UnsafeValueError';
  }
}

/** Where a reference sits in the SQL around it. */
type Place =
  | { in: 'name' } // the reference is a whole token: a name, a qualified name or a number
  | { in: 'name-part' } // glued to other name characters: ETL_WH_{{env}}
  | { in: Exclude<TokenType, 'word' | 'number' | 'variable' | 'space' | 'punct'> };

const SIMPLE_NAME = /^[\p{L}_][\p{L}\p{N}_$]*$/u;
const QUOTED_NAME = /^"(?:[^"]|"")+"$/;
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const NAME_PART = /^[\p{L}\p{N}_$]*$/u;

/**
 * Fill `{{NAME}}` references in SQL, each the way its place needs. Throws {@link UnsafeValueError}
 * (naming the variable, never showing a secret) when a value would change the statement's shape.
 */
export function fillSql(template: string, lookup: (name: string) => TemplateValue | undefined): Filled {
  // Nothing to fill (most SQL): no need to read the statement for places.
  if (!template.includes('{{')) return { text: template, shown: template, missing: [], secrets: [] };
  const places = placesOf(template);
  return fillTemplate(template, lookup, (value, ref) => {
    const place = places.get(ref.offset) ?? { in: 'name' };
    const secret = lookup(ref.name)?.secret ?? false;
    const shown = secret ? MASK : JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
    const refuse = (why: string) => {
      throw new UnsafeValueError(ref.name, `{{${ref.name}}} = ${shown} ${why}`);
    };
    switch (place.in) {
      case 'string':
        return value.replace(/\\/g, '\\\\').replace(/'/g, "''");
      case 'quoted':
        return value.replace(/"/g, '""');
      case 'dollar':
        if (value.includes('$$')) refuse('contains $$, which would end the $$ … $$ text it sits in');
        return value;
      case 'comment':
        if (/[\r\n]|\*\//.test(value)) refuse('contains a line break or */, which would end the comment it sits in');
        return value;
      case 'name-part':
        if (!NAME_PART.test(value)) refuse('is used as part of a name, so it may hold only letters, digits, _ and $');
        return value;
      case 'name':
        if (!isNameOrNumber(value)) {
          refuse(
            "sits where SQL expects a name or a number, and is neither; if it is text, put the reference in quotes ('{{" +
              ref.name +
              "}}') so it is escaped",
          );
        }
        return value;
    }
  });
}

/** True for `ORDERS`, `RAW.ORDERS`, `"My Table"`, `DB."My Schema".T`, `42`, `-1.5`. */
export function isNameOrNumber(value: string): boolean {
  if (NUMBER.test(value)) return true;
  const parts = splitQualified(value);
  return parts !== undefined && parts.length <= 3 && parts.every((p) => SIMPLE_NAME.test(p) || QUOTED_NAME.test(p));
}

/** `a."b.c".d` → [`a`, `"b.c"`, `d`], or undefined when quotes do not close. */
function splitQualified(value: string): string[] | undefined {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '"') {
      if (quoted && value[i + 1] === '"') {
        current += '""';
        i++;
        continue;
      }
      quoted = !quoted;
      current += c;
    } else if (c === '.' && !quoted) {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  if (quoted) return undefined;
  parts.push(current);
  return parts;
}

/** The place of each reference, by its offset in the template. */
function placesOf(template: string): Map<number, Place> {
  const references = findReferences(template);
  // Each reference is replaced by letters of the same length, so the tokenizer sees the SQL shape
  // the author wrote: inside a string it stays inside it, bare it reads as a name.
  let masked = template;
  for (const ref of references) {
    masked = masked.slice(0, ref.offset) + 'Z'.repeat(ref.length) + masked.slice(ref.offset + ref.length);
  }
  const tokens = tokenize(masked);
  const places = new Map<number, Place>();
  let t = 0;
  for (const ref of references) {
    while (t < tokens.length && tokens[t]!.end <= ref.offset) t++;
    const token = tokens[t];
    if (!token) continue;
    switch (token.type) {
      case 'string':
      case 'quoted':
      case 'dollar':
      case 'comment':
        places.set(ref.offset, { in: token.type });
        break;
      default: {
        const whole = token.start === ref.offset && token.end === ref.offset + ref.length;
        places.set(ref.offset, { in: whole && token.type === 'word' ? 'name' : 'name-part' });
      }
    }
  }
  return places;
}

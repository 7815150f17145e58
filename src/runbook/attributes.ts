// The info string of a fenced block: the language, then attributes in pandoc style
// `{timeout=2m expect="rows == 1" confirm}` or Runme's JSON style `{"name":"x","interactive":true}`.
// Runme also writes them without braces (`sh name=x`); all three end in the same typed attributes.
import { parseDuration } from './duration.js';
import type { ActionAttributes, ActionKind, SourcePos } from './model.js';
import { didYouMean, quote, type ProblemList } from './problems.js';
import { isWhitespace } from './source-lines.js';

/** Fence languages that run, and the executor each picks. */
export const RUNNABLE_LANGUAGES: Readonly<Record<string, Exclude<ActionKind, 'display'>>> = {
  sql: 'sql',
  snowflake: 'sql',
  sh: 'shell',
  bash: 'shell',
  shell: 'shell',
  autosys: 'autosys',
  jil: 'jil',
  controlm: 'controlm',
};

/** Languages that are plainly meant to be read, not run: such blocks stay in the prose, without a warning. */
export const DISPLAY_LANGUAGES = [
  '', 'text', 'txt', 'plain', 'plaintext', 'console', 'output', 'log', 'markdown', 'md', 'yaml', 'yml',
  'json', 'csv', 'tsv', 'diff', 'ini', 'toml', 'xml', 'html', 'properties', 'none',
];

/** The attributes baton understands, in their written (kebab-case) form. */
export const ATTRIBUTE_NAMES = [
  'name', 'timeout', 'retries', 'retry-delay', 'expect', 'capture', 'confirm', 'danger', 'env',
  'on-fail', 'watch', 'interactive', 'cwd', 'csv',
];
const KNOWN = new Set(ATTRIBUTE_NAMES);

// Runme writes these for its own use; they are kept (in `extra`) without a warning.
const RUNME_ATTRIBUTES = [
  'id', 'background', 'close-terminal-on-success', 'exclude-from-run-all', 'prompt-env', 'terminal-rows',
  'mime-type', 'category', 'interpreter', 'skip-prompts', 'promptenv',
];

const ONLY_FOR: [key: 'interactive' | 'cwd' | 'csv', kinds: ActionKind[]][] = [
  ['interactive', ['shell']],
  ['cwd', ['shell']],
  ['csv', ['sql']],
];

/** A fenced block's info string, read. */
export interface InfoString {
  /** The language word as written; from the first `.class` in pandoc's `{.bash}` form. */
  lang: string;
  kind: ActionKind;
  attrs: ActionAttributes;
  /** Where each attribute is written, by its kebab-case name. */
  attrPos: Record<string, SourcePos>;
  /** Where the `expect` value starts (inside its quotes), to point into the expression. */
  expectPos?: SourcePos;
}

interface RawAttribute {
  key: string;
  value: string | true;
  /** Offset of the key in the info string. */
  offset: number;
  /** Offset of the value in the info string (after any opening quote). */
  valueOffset: number;
}

/**
 * Read an info string written at `pos` (the position of its first character). Problems go to
 * `problems`; the attributes that were understood are returned in any case.
 */
export function readInfoString(info: string, pos: SourcePos, problems: ProblemList): InfoString {
  // The language is the first word: everything up to a space or `{`.
  let rest = 0;
  while (rest < info.length && info.charCodeAt(rest) !== 0x7b && !isWhitespace(info.charCodeAt(rest))) rest++;
  let lang = info.slice(0, rest);
  const raw = readRawAttributes(info, rest, pos, problems);
  if (lang === '') {
    const cls = raw.find((attr) => attr.key.startsWith('.'));
    if (cls) lang = cls.key.slice(1);
  }
  const lowered = lang.toLowerCase();
  const kind: ActionKind = Object.hasOwn(RUNNABLE_LANGUAGES, lowered) ? RUNNABLE_LANGUAGES[lowered]! : 'display';
  const attrs: ActionAttributes = { extra: {} };
  const attrPos: Record<string, SourcePos> = {};
  let expectPos: SourcePos | undefined;
  for (let i = 0; i < raw.length; i++) {
    const attr = raw[i]!;
    const first = attr.key.charCodeAt(0);
    if (first === 0x2e) continue; // `.class`
    const key = first === 0x23 ? 'name' : kebab(attr.key); // `#id`
    const value = first === 0x23 ? attr.key.slice(1) : attr.value;
    if (Object.hasOwn(attrPos, key)) problems.warning(shift(pos, attr.offset), `attribute ${key} is given twice; the last one counts`);
    put(attrPos, key, shift(pos, attr.offset));
    if (!KNOWN.has(key)) {
      put(attrs.extra, key, value);
      if (kind !== 'display' && !RUNME_ATTRIBUTES.includes(key)) {
        problems.warning(
          shift(pos, attr.offset),
          `unknown attribute ${quote(key)}${didYouMean(key, ATTRIBUTE_NAMES)}; it is ignored (known: ${ATTRIBUTE_NAMES.join(', ')})`,
        );
      }
      continue;
    }
    if (key === 'expect') expectPos = shift(pos, attr.valueOffset);
    setAttribute(attrs, key, value, pos, attr.valueOffset, problems);
  }
  checkFit(lang, kind, attrs, attrPos, pos, problems);
  return { lang, kind, attrs, attrPos, expectPos };
}

/** `pos` moved `offset` columns to the right: where a character of an info string written at `pos` is. */
function shift(pos: SourcePos, offset: number): SourcePos {
  return { line: pos.line, column: pos.column + offset };
}

/** The value as text, or a problem at `pos` when the attribute was written bare (`timeout`) or empty. */
function textOf(key: string, value: string | true, pos: SourcePos, offset: number, problems: ProblemList): string | undefined {
  const text = value === true ? '' : value.trim();
  if (text === '') problems.error(shift(pos, offset), `attribute ${key} needs a value, e.g. ${EXAMPLES[key]}`);
  return text === '' ? undefined : text;
}

/**
 * Set one known attribute of an info string written at `pos`. Problems are reported at the value,
 * `offset` characters in; most values are right, so that position is worked out only for a problem.
 */
function setAttribute(attrs: ActionAttributes, key: string, value: string | true, pos: SourcePos, offset: number, problems: ProblemList): void {
  switch (key) {
    case 'name':
    case 'cwd':
    case 'expect': {
      const textValue = textOf(key, value, pos, offset, problems);
      if (textValue !== undefined) attrs[key] = textValue;
      return;
    }
    case 'timeout':
    case 'watch':
    case 'retry-delay': {
      const textValue = textOf(key, value, pos, offset, problems);
      if (textValue === undefined) return;
      const duration = parseDuration(textValue);
      if ('error' in duration) problems.error(shift(pos, offset), `${key}: ${duration.error}`);
      else if (duration.ms <= 0 && key !== 'retry-delay') problems.error(shift(pos, offset), `${key} must be longer than zero, e.g. ${EXAMPLES[key]}`);
      else attrs[key === 'retry-delay' ? 'retryDelay' : key] = duration.ms;
      return;
    }
    case 'retries': {
      const textValue = textOf(key, value, pos, offset, problems);
      if (textValue === undefined) return;
      if (!/^\d{1,3}$/.test(textValue)) problems.error(shift(pos, offset), `retries must be a whole number of extra attempts, e.g. retries=3 (got ${quote(textValue)})`);
      else attrs.retries = Number(textValue);
      return;
    }
    case 'capture': {
      const textValue = textOf(key, value, pos, offset, problems);
      if (textValue === undefined) return;
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(textValue)) {
        problems.error(shift(pos, offset), `capture name ${quote(textValue)} must be letters, digits and _ (not starting with a digit), e.g. capture=load`);
      } else attrs.capture = textValue;
      return;
    }
    case 'confirm':
    case 'danger':
    case 'interactive':
    case 'csv': {
      const flag = readFlag(value);
      if (flag === undefined) problems.error(shift(pos, offset), `${key} is a yes/no attribute: write ${key}, ${key}=true or ${key}=false (got ${quote(String(value))})`);
      else attrs[key] = flag;
      return;
    }
    case 'env': {
      const textValue = textOf(key, value, pos, offset, problems);
      if (textValue === undefined) return;
      const names = textValue.split(',').map((name) => name.trim()).filter((name) => name !== '');
      if (names.length === 0) problems.error(shift(pos, offset), 'env needs at least one environment name, e.g. env=prod,staging');
      else attrs.env = names;
      return;
    }
    case 'on-fail': {
      const textValue = textOf(key, value, pos, offset, problems);
      if (textValue === undefined) return;
      if (textValue === 'stop' || textValue === 'continue') attrs.onFail = { kind: textValue };
      else if (/^runbook:[A-Za-z0-9][A-Za-z0-9._-]*$/.test(textValue)) attrs.onFail = { kind: 'runbook', runbook: textValue.slice('runbook:'.length) };
      else problems.error(shift(pos, offset), `on-fail must be stop, continue or runbook:<id> (the file name of a runbook without .md); got ${quote(textValue)}`);
      return;
    }
  }
}

const EXAMPLES: Record<string, string> = {
  name: 'name=load-orders',
  cwd: 'cwd=scripts',
  expect: 'expect="rows == 1"',
  timeout: 'timeout=2m',
  watch: 'watch=30s',
  'retry-delay': 'retry-delay=5s',
  retries: 'retries=3',
  capture: 'capture=load',
  env: 'env=prod,staging',
  'on-fail': 'on-fail=continue',
};

function readFlag(value: string | true): boolean | undefined {
  if (value === true) return true;
  const lowered = value.trim().toLowerCase();
  if (['true', 'yes', 'on', '1', ''].includes(lowered)) return true;
  if (['false', 'no', 'off', '0'].includes(lowered)) return false;
  return undefined;
}

/** Attributes that do not fit the block's kind do nothing: say so rather than let the author believe otherwise. */
function checkFit(
  lang: string,
  kind: ActionKind,
  attrs: ActionAttributes,
  attrPos: Record<string, SourcePos>,
  pos: SourcePos,
  problems: ProblemList,
): void {
  if (kind === 'display') {
    const known = Object.keys(attrPos).filter((key) => ATTRIBUTE_NAMES.includes(key) && key !== 'name');
    const lowered = lang.toLowerCase();
    if (!DISPLAY_LANGUAGES.includes(lowered)) {
      const runnable = Object.keys(RUNNABLE_LANGUAGES);
      problems.warning(
        pos,
        `${quote(lang)} blocks are shown, not run${didYouMean(lowered, runnable)} (languages that run: ${runnable.join(', ')})`,
      );
    } else if (known.length > 0) {
      problems.warning(attrPos[known[0]!]!, `a ${lang || 'plain'} block is shown, not run: ${known.join(', ')} has no effect`);
    }
    return;
  }
  for (let i = 0; i < ONLY_FOR.length; i++) {
    const key = ONLY_FOR[i]![0];
    const kinds = ONLY_FOR[i]![1];
    if (attrs[key] !== undefined && attrPos[key] && !kinds.includes(kind)) {
      problems.warning(attrPos[key]!, `${key} applies to ${kinds.join(', ')} actions only; it has no effect on a ${kind} action`);
    }
  }
}

/** Set an own property even for names like `__proto__`, which plain assignment would not store. */
function put<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function kebab(key: string): string {
  if (/^[a-z-]*$/.test(key)) return key;
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/_/g, '-')
    .toLowerCase();
}

function readRawAttributes(info: string, start: number, pos: SourcePos, problems: ProblemList): RawAttribute[] {
  let i = skipSpaces(info, start);
  if (i >= info.length) return [];
  if (info[i] === '{') {
    const close = info.lastIndexOf('}');
    if (close < i) {
      problems.error(shift(pos, i), 'attributes start with { but have no closing }');
      return [];
    }
    if (skipSpaces(info, close + 1) < info.length) {
      problems.warning(shift(pos, close + 1), `text after the closing } is ignored: ${quote(info.slice(close + 1).trim())}`);
    }
    const inner = skipSpaces(info, i + 1);
    if (info[inner] === '"') return readJson(info, i, close, pos, problems);
    return readPairs(info, i + 1, close, pos, problems);
  }
  return readPairs(info, i, info.length, pos, problems);
}

function readJson(info: string, open: number, close: number, pos: SourcePos, problems: ProblemList): RawAttribute[] {
  let data: unknown;
  try {
    data = JSON.parse(info.slice(open, close + 1));
  } catch (error) {
    problems.error(shift(pos, open), `attributes in JSON style do not parse: ${(error as Error).message}`);
    return [];
  }
  const attrs: RawAttribute[] = [];
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    problems.error(shift(pos, open), 'attributes in JSON style must be an object, e.g. {"name":"load"}');
    return [];
  }
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    const keyAt = info.indexOf(JSON.stringify(key), open);
    const offset = keyAt < 0 ? open : keyAt;
    const written = typeof value === 'string' ? info.indexOf(JSON.stringify(value), offset + key.length + 2) : -1;
    const valueOffset = written < 0 ? offset : written + 1;
    if (value === true) attrs.push({ key, value: true, offset, valueOffset });
    else if (value === false || typeof value === 'string' || typeof value === 'number') {
      attrs.push({ key, value: String(value), offset, valueOffset });
    } else {
      problems.error(shift(pos, offset), `attribute ${quote(key)} must be text, a number or true/false`);
    }
  }
  return attrs;
}

/** `key=value key="quoted value" flag #name .class`, between `from` and `to`. */
function readPairs(info: string, from: number, to: number, pos: SourcePos, problems: ProblemList): RawAttribute[] {
  const attrs: RawAttribute[] = [];
  let i = skipSpaces(info, from);
  while (i < to) {
    const keyStart = i;
    while (i < to && info[i] !== '=' && !isSpace(info.charCodeAt(i))) i++;
    const key = info.slice(keyStart, i);
    if (info[i] !== '=') {
      if (key !== '') attrs.push({ key, value: true, offset: keyStart, valueOffset: keyStart });
      i = skipSpaces(info, i);
      if (key === '' && i < to) i++;
      continue;
    }
    i++;
    let value = '';
    const valueOffset = info[i] === '"' || info[i] === "'" ? i + 1 : i;
    const quoteMark = info[i];
    const close = quoteMark === '"' || quoteMark === "'" ? info.indexOf(quoteMark, i + 1) : -1;
    const quoted = close >= 0 && close < to ? info.slice(i + 1, close) : undefined;
    if (quoted !== undefined && !quoted.includes('\\')) {
      // The usual case, a quoted value without escapes, in one slice.
      value = quoted;
      i = close + 1;
    } else if (quoteMark === '"' || quoteMark === "'") {
      i++;
      let closed = false;
      while (i < to) {
        const c = info[i]!;
        if (c === '\\' && i + 1 < to) {
          value += info[i + 1];
          i += 2;
          continue;
        }
        if (c === quoteMark) {
          closed = true;
          i++;
          break;
        }
        value += c;
        i++;
      }
      if (!closed) problems.error(shift(pos, valueOffset - 1), `the value of ${key} opens a quote ${quoteMark} that is never closed`);
    } else {
      const valueStart = i;
      while (i < to && !isSpace(info.charCodeAt(i))) i++;
      value = info.slice(valueStart, i);
    }
    if (key === '') problems.error(shift(pos, keyStart), 'an attribute value without a name (write name=value)');
    else attrs.push({ key, value, offset: keyStart, valueOffset });
    i = skipSpaces(info, i);
  }
  return attrs;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 12 || code === 11 || code === 0xa0;
}

function skipSpaces(text: string, from: number): number {
  let i = from;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return i;
}

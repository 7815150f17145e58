// `{{NAME}}` references: found with their positions (for validation) and filled in (for running).
// Filling produces two texts: the one that runs, and the one shown or stored, with secrets masked.
import { isWhitespace } from './source-lines.js';

/** What a masked secret looks like wherever it would otherwise appear. */
export const MASK = '••••••';

/** One `{{NAME}}` in a text: the name and the offset of its opening braces. */
export interface Reference {
  name: string;
  offset: number;
  length: number;
}

const REFERENCE = /\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}/g;

/** Every `{{NAME}}` reference in a text, in order. */
export function findReferences(text: string): Reference[] {
  const found: Reference[] = [];
  for (const match of text.matchAll(REFERENCE)) {
    found.push({ name: match[1]!, offset: match.index!, length: match[0].length });
  }
  return found;
}

/**
 * The `{{NAME}}` reference that starts exactly at `offset`, if one does: what findReferences finds
 * there, read character by character because validation asks at every `{{` of a long runbook.
 */
export function referenceAt(text: string, offset: number): Reference | undefined {
  if (text.charCodeAt(offset) !== 0x7b || text.charCodeAt(offset + 1) !== 0x7b) return undefined;
  let i = offset + 2;
  while (i < text.length && isWhitespace(text.charCodeAt(i))) i++;
  const nameStart = i;
  if (!isNameStart(text.charCodeAt(i))) return undefined;
  i++;
  while (i < text.length && (isNameStart(text.charCodeAt(i)) || isDigitOrDot(text.charCodeAt(i)))) i++;
  const nameEnd = i;
  while (i < text.length && isWhitespace(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) !== 0x7d || text.charCodeAt(i + 1) !== 0x7d) return undefined;
  return { name: text.slice(nameStart, nameEnd), offset, length: i + 2 - offset };
}

/** `[A-Za-z_]`, as a character code. */
function isNameStart(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || code === 0x5f;
}

/** `[0-9.]`, as a character code. */
function isDigitOrDot(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || code === 0x2e;
}

/** A variable's value as the template sees it. */
export interface TemplateValue {
  value: string;
  secret?: boolean;
}

/** The result of filling a template. */
export interface Filled {
  /** The text to run, with real values. */
  text: string;
  /** The text to show and store, with secret values replaced by {@link MASK}. */
  shown: string;
  /** Names referenced but not known; left as written in both texts. */
  missing: string[];
  /** The secret values inserted, so output that echoes them can be masked too. */
  secrets: string[];
}

/**
 * Fill `{{NAME}}` references from `lookup`. A dotted name (`load.value`) reads a field of a
 * captured result. `escape` adapts a value to where it lands (e.g. SQL quoting); it gets the
 * reference so it can look at the surrounding text.
 */
export function fillTemplate(
  text: string,
  lookup: (name: string) => TemplateValue | undefined,
  escape: (value: string, ref: Reference, text: string) => string = (value) => value,
): Filled {
  const missing: string[] = [];
  const secrets: string[] = [];
  let run = '';
  let shown = '';
  let last = 0;
  for (const ref of findReferences(text)) {
    const before = text.slice(last, ref.offset);
    run += before;
    shown += before;
    last = ref.offset + ref.length;
    const found = lookup(ref.name);
    if (!found) {
      if (!missing.includes(ref.name)) missing.push(ref.name);
      const raw = text.slice(ref.offset, last);
      run += raw;
      shown += raw;
      continue;
    }
    const value = escape(found.value, ref, text);
    run += value;
    if (found.secret) {
      shown += MASK;
      if (found.value !== '') secrets.push(found.value, value);
    } else {
      shown += value;
    }
  }
  run += text.slice(last);
  shown += text.slice(last);
  return { text: run, shown, missing, secrets: [...new Set(secrets)].filter((s) => s !== '') };
}

/** Replace every occurrence of any secret in `text` with {@link MASK}; longest secrets first. */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  if (secrets.length === 0) return text;
  let out = text;
  for (const secret of secrets.length === 1 ? secrets : [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length === 0) continue;
    out = out.split(secret).join(MASK);
  }
  return out;
}

/** The closest known name to a misspelt one, for "did you mean" hints; undefined when none is close. */
export function closestName(name: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const lowered = name.toLowerCase();
  for (const candidate of known) {
    const distance = editDistance(lowered, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const limit = Math.max(1, Math.floor(name.length / 3));
  return bestDistance <= limit ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

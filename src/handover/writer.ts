// The one place record text enters the document: every string goes through `say` or `code`, which
// mask the secret values known at generation time and escape Markdown. Counting what was masked
// lets the document say so.
import { maskSecrets } from '../runbook/template.js';
import { code, escapeText, headingSlug, link } from './markdown-text.js';
import type { Clock } from './times.js';

/** Turns record text into safe Markdown for one document. */
export interface Writer {
  readonly clock: Clock;
  /** Escaped inline text, secrets masked. */
  say(raw: string): string;
  /** A code span, secrets masked. */
  code(raw: string): string;
  /** A fenced code block (fence grown past any fence inside), secrets masked. */
  block(raw: string, lang?: string): string[];
  /** A Snowflake query id, linked to the account's query history when its address is known. */
  query(id: string): string;
  /**
   * A heading line. Every heading goes through here so anchors are numbered the way GitHub numbers
   * repeated headings; `key` names it for {@link Writer.ref}.
   */
  heading(level: number, raw: string, key?: string): string;
  /** A link target for a heading named by `key`, possibly written later: resolved by {@link Writer.finish}. */
  ref(key: string): string;
  /** The document with every {@link Writer.ref} replaced by its heading's anchor. */
  finish(markdown: string): string;
  /** Secret values masked so far (values from records were masked before they were recorded). */
  readonly maskedCount: number;
}

/** What a forward reference looks like until {@link Writer.finish}: no heading anchor can contain it. */
const REF = /#\u0000([^\u0000]*)\u0000/g;

/** A writer for a document. */
export function writerFor(clock: Clock, secrets: readonly string[], accountUrl?: string): Writer {
  // Longest first, so a secret that contains another is masked whole. Masked before escaping:
  // escaping could split a secret's characters apart and hide it from a later search.
  const known = [...new Set(secrets.filter((s) => s !== ''))].sort((a, b) => b.length - a.length);
  let masked = 0;
  const mask = (raw: string): string => {
    if (known.length === 0 || !known.some((secret) => raw.includes(secret))) return raw;
    masked++;
    return maskSecrets(raw, known);
  };
  const history = accountUrl ? accountUrl.replace(/\/+$/, '') : undefined;
  const taken = new Map<string, number>();
  const anchors = new Map<string, string>();
  return {
    clock,
    say: (raw) => escapeText(mask(raw)),
    code: (raw) => code(mask(raw)),
    block(raw, lang = '') {
      const text = mask(raw);
      const longest = Math.max(2, ...(text.match(/^\s*`{3,}/gm) ?? []).map((f) => f.trim().length));
      const fence = '`'.repeat(longest + 1);
      return [`${fence}${lang}`, ...text.split('\n'), fence];
    },
    query: (id) => (history ? link(id, `${history}/#/compute/history/queries/${encodeURIComponent(id)}/detail`) : code(id)),
    heading(level, raw, key) {
      const text = mask(raw);
      const slug = headingSlug(text, taken);
      if (key !== undefined) anchors.set(key, slug);
      return `${'#'.repeat(level)} ${escapeText(text)}`;
    },
    ref: (key) => `#\u0000${key}\u0000`,
    finish: (markdown) => markdown.replace(REF, (_, key: string) => `#${anchors.get(key) ?? ''}`),
    get maskedCount() {
      return masked;
    },
  };
}

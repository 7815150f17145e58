// Writing record text into Markdown safely. Everything in a run record came from operators, runbooks
// or command output: a `|` must not split a table cell, a `*` must not start emphasis, a `<` must not
// become a tag. Text is escaped, never trusted as Markdown, so the document reads the same on GitHub,
// in an editor and in the HTML.

/** Everything that may need escaping, found in one pass. */
const ESCAPE = /\r?\n+|[`*[\]<>|~#\\_]|!(?=\[)|&(?=#?\w+;)/g;

/** A letter or digit: an underscore between two of them cannot start or end emphasis. */
const WORD = /[\p{L}\p{N}]/u;

/**
 * Inline text with Markdown's special characters escaped and line breaks folded into spaces. Only
 * what could change the rendering is escaped, so the Markdown file stays readable as text:
 * `SALES_DW_ORDERS` keeps its underscores (they cannot start emphasis inside a word).
 */
export function escapeText(text: string): string {
  ESCAPE.lastIndex = 0;
  let out = ESCAPE.test(text)
    ? text.replace(ESCAPE, (c: string, at: number, all: string) => {
        if (c[0] === '\r' || c[0] === '\n') return ' ';
        if (c === '_' && WORD.test(all[at - 1] ?? '') && WORD.test(all[at + 1] ?? '')) return c;
        return `\\${c}`;
      })
    : text;
  // At the start of a line these would open a list, a heading underline or a block quote.
  const first = out.charCodeAt(0);
  if ((first >= 48 && first <= 57) || first === 45 || first === 43 || first === 61) {
    out = out.replace(/^(\d+)([.)])(?=\s|$)/, '$1\\$2').replace(/^([-+=])(?=\s|$)/, '\\$1');
  }
  return out;
}

/** A code span that holds any text, backticks and pipes included (pipes escaped for table cells). */
export function code(text: string): string {
  const flat = text.replace(/\r?\n+/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat.trim() === '' ? ' ' : '';
  // In a GFM table an unescaped pipe ends the cell even inside a code span.
  return `${fence}${pad}${flat.replace(/\|/g, '\\|')}${pad}${fence}`;
}

/** A link whose text is escaped; the address must be an absolute http(s) URL built by baton. */
export function link(text: string, url: string): string {
  return `[${escapeText(text)}](<${url.replace(/[<>\s]/g, encodeURIComponent)}>)`;
}

/** One table: header cells, alignment per column (`l` or `r`), and rows of already-formatted cells. */
export function table(header: string[], rows: string[][], align: string = ''): string[] {
  if (rows.length === 0) return [];
  const rule = header.map((_, i) => (align[i] === 'r' ? '---:' : '---'));
  return [`| ${header.join(' | ')} |`, `| ${rule.join(' | ')} |`, ...rows.map((row) => `| ${row.map((cell) => cell || ' ').join(' | ')} |`)];
}

/**
 * The anchor GitHub gives a heading, so links written in the Markdown work on GitHub and in the
 * HTML alike: lower case, punctuation dropped, spaces to hyphens; repeats get `-1`, `-2`.
 */
export function headingSlug(text: string, taken: Map<string, number>): string {
  const base = text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '')
    .replace(/\s/g, '-');
  const seen = taken.get(base);
  taken.set(base, (seen ?? 0) + 1);
  return seen === undefined ? base : `${base}-${seen}`;
}

/** Longest error or failure text quoted in the document; the run's log has the rest. */
const QUOTED_CHARS = 300;

/** A long text on one line, cut with an ellipsis: error messages and stack traces stay readable. */
export function clip(text: string, chars = QUOTED_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > chars ? `${flat.slice(0, chars - 1)}…` : flat;
}

/** A count with its noun: `1 run`, `3 runs`. */
export function plural(n: number, noun: string, many = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : many}`;
}

// A table as lines of text fitted to a width: SQL results and Markdown tables both use it. Narrow
// columns keep their width; the widest are cut (with …) until the table fits, and when even that
// is not enough the last columns are left out and counted, never wrapped into an unreadable mess.
import { cut } from './format.js';

const SEPARATOR = ' │ ';
const MIN_COLUMN = 4;

/** Column widths that fit `available` columns: the widest are narrowed first. */
export function fitColumns(natural: readonly number[], available: number, separator = SEPARATOR.length): number[] {
  const room = available - separator * Math.max(0, natural.length - 1);
  const total = natural.reduce((sum, w) => sum + w, 0);
  if (total <= room) return [...natural];
  // The largest cap with sum(min(w, cap)) <= room: the wide columns share what is left equally.
  let cap = Math.max(...natural, 0);
  while (cap > MIN_COLUMN && natural.reduce((sum, w) => sum + Math.min(w, cap), 0) > room) cap--;
  return natural.map((w) => Math.min(w, cap));
}

/** A table fitted to `width`: header, rule, rows; `hidden` counts columns left out. */
export function tableLines(columns: readonly string[], rows: readonly (readonly string[])[], width: number): { lines: string[]; hidden: number } {
  let shown = columns.length;
  let widths: number[] = [];
  for (; shown > 0; shown--) {
    const natural = columns.slice(0, shown).map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] ?? '').length), 1));
    const hint = shown < columns.length ? ` +${columns.length - shown}`.length : 0;
    widths = fitColumns(natural, width - hint);
    const used = widths.reduce((s, w) => s + w, 0) + SEPARATOR.length * (shown - 1) + hint;
    if (used <= width && widths.every((w, i) => w >= Math.min(MIN_COLUMN, natural[i]!))) break;
  }
  shown = Math.max(shown, 1);
  const hidden = columns.length - shown;
  const line = (cells: readonly string[]) =>
    widths.map((w, i) => cut(cells[i] ?? '', w).padEnd(w)).join(SEPARATOR).trimEnd() + (hidden > 0 ? ` +${hidden}` : '');
  const rule = widths.map((w) => '─'.repeat(w)).join('─┼─');
  return { lines: [line(columns), rule, ...rows.map(line)], hidden };
}

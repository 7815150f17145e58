// Results as text: an aligned table for the screen and the log, CSV lines for files and scripts.

/** A value as one line of text: NULL for null, JSON for objects. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value).replace(/\r?\n/g, '⏎');
}

/** An aligned text table with a header rule; cells wider than `maxCell` are cut with `…`. */
export function formatTable(columns: readonly string[], rows: readonly (readonly unknown[])[], maxCell = 40): string[] {
  const clip = (text: string) => (text.length > maxCell ? `${text.slice(0, maxCell - 1)}…` : text);
  const header = columns.map(clip);
  const body = rows.map((row) => columns.map((_, i) => clip(cellText(row[i]))));
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-+-'), ...body.map(line)];
}

/** One CSV record (RFC 4180): fields with commas, quotes or line breaks are quoted. */
export function csvLine(values: readonly unknown[]): string {
  return (
    values
      .map((value) => {
        if (value === null || value === undefined) return '';
        const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
        return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
      })
      .join(',') + '\r\n'
  );
}

/** Rows as objects keyed by column name; a repeated name gets `_2`, `_3` so no value is lost. */
export function rowObjects(columns: readonly string[], rows: readonly (readonly unknown[])[]): Record<string, unknown>[] {
  const keys: string[] = [];
  for (const column of columns) {
    let key = column;
    for (let n = 2; keys.includes(key); n++) key = `${column}_${n}`;
    keys.push(key);
  }
  return rows.map((row) => Object.fromEntries(keys.map((key, i) => [key, row[i] ?? null])));
}

// The rows an action returned (SQL results), kept in the run state so a face can show them as a
// table. Only the first rows are kept, every cell as masked text, so the state stays small and a
// secret that came back in a result is never put on the screen.
import { maskSecrets } from '../runbook/template.js';

/** The latest result table of an action, as the faces show it. */
export interface ResultTable {
  stepId: string;
  actionId: string;
  attempt: number;
  columns: string[];
  /** The first rows, each cell as one line of text (NULL for null, JSON for objects), secrets masked. */
  rows: string[][];
  /** How many rows the statement returned in all. */
  total: number;
}

/** Rows kept in the state for the screen. */
export const TABLE_ROWS = 50;

/** A cell value as one line of text. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value).replace(/\r?\n/g, '⏎');
}

/**
 * The table in an executor's result fields (`columns` and `row`, as the SQL executor fills them),
 * or undefined when the result has no columns.
 */
export function resultTable(
  fields: Readonly<Record<string, unknown>>,
  where: { stepId: string; actionId: string; attempt: number },
  secrets: readonly string[],
): ResultTable | undefined {
  const columns = fields.columns;
  if (!Array.isArray(columns) || columns.length === 0 || !columns.every((c) => typeof c === 'string')) return undefined;
  const raw = Array.isArray(fields.row) ? (fields.row as unknown[]) : [];
  const keys = uniqueKeys(columns as string[]);
  const mask = (text: string) => maskSecrets(text, secrets);
  const rows = raw.slice(0, TABLE_ROWS).map((row) => {
    if (Array.isArray(row)) return keys.map((_, i) => mask(cellText(row[i])));
    const object = (row ?? {}) as Record<string, unknown>;
    return keys.map((key) => mask(cellText(object[key])));
  });
  const total = typeof fields.rows === 'number' ? fields.rows : raw.length;
  return { ...where, columns: (columns as string[]).map(mask), rows, total };
}

/** Column names as the row objects key them: a repeated name gets `_2`, `_3`. */
function uniqueKeys(columns: readonly string[]): string[] {
  const keys: string[] = [];
  for (const column of columns) {
    let key = column;
    for (let n = 2; keys.includes(key); n++) key = `${column}_${n}`;
    keys.push(key);
  }
  return keys;
}

// Reading `autorep` reports (OPS-REFERENCE §1.3). Column positions are taken from the report's own
// ruler lines (`____` under the summary header, `----` under the detail header), never assumed, so
// narrow (17), wide (64) and other releases' widths read the same way.
import { autosysStatus, type JobState } from './job-state.js';

/** One row of the summary report. */
export interface AutorepRow {
  name: string;
  /** Box nesting level: 0 for top-level jobs, 1 for a box's children, … */
  depth: number;
  /** The enclosing box, from the indentation; undefined at top level. */
  box?: string;
  /** As printed, `MM/DD/YYYY HH:MM:SS`; null when the report shows `-----`. */
  lastStart: string | null;
  lastEnd: string | null;
  /** Two-letter status as printed (`SU`). */
  code: string;
  /** Full status name (`SUCCESS`), or the code when it is not a known one. */
  status: string;
  /** Baton's word for the status. */
  state: JobState;
  run: number | null;
  ntry: number | null;
  /** Exit code: from `ST/Ex` when printed there (`FA/137`), else from `Pri/Xit`. */
  exit: number | null;
  priority: number | null;
  /** Events of the last run, when the report was `autorep -d`. */
  events?: AutorepEvent[];
}

/** One line of the detail (`-d`) table under a job. */
export interface AutorepEvent {
  /** `STARTING`, `RUNNING`, or a bracketed operator event such as `[FORCE_STARTJOB]`. */
  event: string;
  time: string | null;
  ntry: number | null;
  es: string;
  processTime: string | null;
  machine: string;
  /** Indented note lines that followed, e.g. `<Executing at WA_AGENT>`. */
  notes: string[];
}

/** A report line that could not be read, for the operator to see. */
export interface AutorepProblem {
  line: number;
  message: string;
}

/** What {@link parseAutorep} read. */
export interface ParsedAutorep {
  rows: AutorepRow[];
  problems: AutorepProblem[];
}

interface Column {
  start: number;
  end: number;
}

const SUMMARY_RULER = /^_+(?: +_+)* *$/;
const DETAIL_RULER = /^ +-+(?: +-+)* *$/;
const NULL_CELL = /^-{3,}$/;

/** Read an `autorep` summary or detail report into rows. */
export function parseAutorep(text: string): ParsedAutorep {
  const lines = text.replace(/\r/g, '').split('\n');
  const rows: AutorepRow[] = [];
  const problems: AutorepProblem[] = [];
  let columns: Column[] | undefined;
  let detail: Column[] | undefined;
  const parents: string[] = [];

  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.trim() === '') {
      detail = undefined;
      continue;
    }
    if (SUMMARY_RULER.test(line)) {
      columns = rulerColumns(line, '_');
      continue;
    }
    if (!columns) continue; // header and anything before the first ruler
    if (/^ +Status\/\[Event\]/.test(line)) {
      const ruler = lines[index + 1];
      if (ruler !== undefined && DETAIL_RULER.test(ruler)) {
        detail = rulerColumns(ruler, '-');
        index++;
      }
      continue;
    }
    if (detail) {
      const owner = rows.at(-1);
      if (owner) readEvent(line, detail, owner);
      continue;
    }
    if (/^_+ /.test(line) || line.startsWith('Job Name')) continue; // a repeated header
    const row = readRow(line, columns);
    if (!row) {
      problems.push({ line: index + 1, message: `cannot read autorep row "${line.trim()}"` });
      continue;
    }
    parents.length = row.depth;
    row.box = row.depth > 0 ? parents[row.depth - 1] : undefined;
    parents[row.depth] = row.name;
    rows.push(row);
  }
  return { rows, problems };
}

function rulerColumns(ruler: string, mark: '_' | '-'): Column[] {
  const columns: Column[] = [];
  const pattern = mark === '_' ? /_+/g : /-+/g;
  for (const match of ruler.matchAll(pattern)) columns.push({ start: match.index, end: match.index + match[0].length });
  return columns;
}

function readRow(line: string, columns: Column[]): AutorepRow | undefined {
  if (columns.length < 6) return undefined;
  const depth = line.length - line.trimStart().length;
  // A name longer than its column pushes the rest of the row right: then read by words instead.
  const overflow = line.length > columns[1]!.start && line[columns[1]!.start - 1] !== ' ';
  const cells = overflow ? wordCells(line.trim()) : columns.map((column, i) => cell(line, column, columns[i + 1]));
  if (!cells) return undefined;
  const [name, start, end, statusCell, runCell, priCell] = cells as [string, string, string, string, string, string];
  if (name === '' || statusCell === '') return undefined;
  const [code, exitInStatus] = statusCell.split('/');
  const known = autosysStatus(code!);
  const [run, ntry] = (runCell ?? '').split('/');
  const pri = (priCell ?? '').split('/');
  const exitText = exitInStatus ?? pri.at(-1);
  return {
    name,
    depth,
    lastStart: nullable(start),
    lastEnd: nullable(end),
    code: code!,
    status: known?.name ?? code!,
    state: known?.state ?? 'unknown',
    run: integer(run),
    ntry: integer(ntry),
    exit: integer(exitText),
    priority: pri.length > 1 ? integer(pri[0]) : null,
  };
}

// The cell under a ruler column; the last column runs to the end of the line.
function cell(line: string, column: Column, next: Column | undefined): string {
  return line.slice(column.start, next ? next.start : undefined).trim();
}

// Fallback for overflowing rows: the name, two timestamps (two words each, or one `-----`), then the rest.
function wordCells(text: string): string[] | undefined {
  const words = text.split(/\s+/);
  const name = words.shift();
  const stamp = (): string | undefined => {
    const first = words.shift();
    if (first === undefined) return undefined;
    return NULL_CELL.test(first) ? first : `${first} ${words.shift() ?? ''}`.trim();
  };
  const start = stamp();
  const end = stamp();
  if (!name || start === undefined || end === undefined || words.length < 1) return undefined;
  return [name, start, end, words[0] ?? '', words[1] ?? '', words[2] ?? ''];
}

function readEvent(line: string, columns: Column[], owner: AutorepRow): void {
  const events = (owner.events ??= []);
  const first = columns[0]!;
  const indent = line.length - line.trimStart().length;
  if (indent > first.start && events.length > 0) {
    events.at(-1)!.notes.push(line.trim());
    return;
  }
  if (columns.length < 6) {
    events.push({ event: line.trim(), time: null, ntry: null, es: '', processTime: null, machine: '', notes: [] });
    return;
  }
  const [status, time, , es, processTime, machine] = columns as [Column, Column, Column, Column, Column, Column];
  events.push({
    event: line.slice(status.start, time.start).trim(),
    // Timestamps fill their ruler exactly; Ntry is right-aligned and may start left of its own ruler.
    time: nullable(line.slice(time.start, time.end)),
    ntry: integer(line.slice(time.end, es.start)),
    es: line.slice(es.start, processTime.start).trim(),
    processTime: nullable(line.slice(processTime.start, machine.start)),
    machine: line.slice(machine.start).trim(),
    notes: [],
  });
}

function nullable(text: string): string | null {
  const value = text.trim();
  return value === '' || NULL_CELL.test(value) ? null : value;
}

function integer(text: string | undefined): number | null {
  if (text === undefined) return null;
  const value = text.trim();
  return /^-?\d+$/.test(value) ? Number(value) : null;
}

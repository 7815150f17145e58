// The AutoSys fake's state: every job's definition and where it stands, kept in one JSON file.
import data from '../data/autosys.json' with { type: 'json' };

/** One line of a job's event history, as `autorep -d` lists it. */
export interface AutosysEventEntry {
  /** A status name (`RUNNING`) or a bracketed operator event (`[KILLJOB]`). */
  event: string;
  time: number;
  ntry: number;
  machine?: string;
  /** Shown as an indented note line under the event (a comment, an alarm, why something happened). */
  note?: string;
}

/** One past run of a job, for `autorep -r`. */
export interface AutosysRunRecord {
  run: number;
  ntry: number;
  status: string;
  exit: number;
  lastStart: number | null;
  lastEnd: number | null;
  events: AutosysEventEntry[];
}

/** A job as the event server holds it. */
export interface AutosysJob {
  name: string;
  /** `CMD`, `BOX` or `FW`. */
  type: string;
  /** Attributes as loaded by jil, in order, without `job_type`. */
  definition: { name: string; value: string }[];
  /** Current status name (`INACTIVE`, `RUNNING`, …). */
  status: string;
  /** The status to return to when taken off hold. */
  heldFrom?: string;
  /** Something tried to start the job while it was on hold: start it when released. */
  pendingStart?: boolean;
  lastStart: number | null;
  lastEnd: number | null;
  /** Run number of the last run; 0 before the first. */
  run: number;
  ntry: number;
  exit: number;
  events: AutosysEventEntry[];
  history: AutosysRunRecord[];
  alarms: { time: number; alarm: string; run: number }[];
  /** Output files of the last try. */
  stdoutFile?: string;
  stderrFile?: string;
}

/** An event sent with `-T`, to be processed at that time. */
export interface ScheduledEvent {
  at: number;
  event: string;
  job?: string;
  status?: string;
  comment?: string;
  global?: string;
}

/** The whole state file. */
export interface AutosysWorld {
  version: 1;
  nextRun: number;
  globals: Record<string, string>;
  /** Jobs by name, in the order they were inserted. */
  jobs: Record<string, AutosysJob>;
  machines: Record<string, { name: string; value: string }[]>;
  scheduled: ScheduledEvent[];
}

/** An empty event server. */
export function emptyWorld(): AutosysWorld {
  return { version: 1, nextRun: 1, globals: {}, jobs: {}, machines: {}, scheduled: [] };
}

/** What one CLI call prints and how it exits. */
export interface CliReply {
  stdout: string;
  stderr: string;
  exit: number;
}

/** Message keys of the data file. */
export type MessageKey = keyof typeof data.messages;

/** A reply carrying one message of the data file, on stdout when its exit is 0 and stderr otherwise. */
export function messageReply(key: MessageKey, values: Record<string, string | number> = {}): CliReply {
  const { text, exit } = message(key, values);
  if (text === '') return { stdout: '', stderr: '', exit };
  return exit === 0 ? { stdout: text + '\n', stderr: '', exit } : { stdout: '', stderr: text + '\n', exit };
}

/** One message of the data file with its `{placeholders}` filled. */
export function message(key: MessageKey, values: Record<string, string | number> = {}): { text: string; exit: number } {
  const entry = data.messages[key];
  return { text: entry.text.replace(/\{(\w+)\}/g, (whole, name: string) => String(values[name] ?? whole)), exit: entry.exit };
}

/** Layout details of the reports that the reference leaves open. */
export const layout = data.layout;

/** Statuses CHANGE_STATUS accepts. */
export const CHANGE_STATUS_ALLOWED: readonly string[] = data.changeStatusAllowed;

/** What `autorep -x` prints. */
export const VERSION_TEXT = data.version;

/** The unquoted value of a job's attribute (last one wins), or undefined. */
export function attribute(job: AutosysJob, name: string): string | undefined {
  const found = job.definition.findLast((a) => a.name === name);
  if (!found) return undefined;
  const value = found.value.trim();
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

/** `MM/DD/YYYY HH:MM:SS` in the server's local time, as autorep prints times. */
export function autorepTime(epochMs: number): string {
  const d = new Date(epochMs);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getMonth() + 1)}/${two(d.getDate())}/${d.getFullYear()} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

// The Control-M fake's state: deployed folders, ordered runs and job instances, in one JSON file.
import data from '../data/controlm.json' with { type: 'json' };

/** A folder as deployed (its JSON definition, kept as written). */
export interface DeployedFolder {
  name: string;
  server: string;
  definition: Record<string, unknown>;
  deployedAt: number;
  file: string;
}

/** One line of a job instance's log. */
export interface JobLogLine {
  time: number;
  run: number;
  text: string;
}

/** An ordered job (or the row of its folder) as the Automation API reports it. */
export interface JobInstance {
  orderId: string;
  runId: string;
  folderOrderId: string;
  name: string;
  folder: string;
  /** `Folder`, `Command`, `Script`, `Dummy`, or the plug-in type. */
  type: string;
  definition: Record<string, unknown>;
  status: string;
  held: boolean;
  deleted: boolean;
  numberOfRuns: number;
  startTime: number | null;
  endTime: number | null;
  orderDate: string;
  host: string;
  application: string;
  subApplication: string;
  description: string;
  /** Conditions (events) the job waits for. */
  waitFor: string[];
  /** Events the job adds when it ends OK. */
  addEvents: string[];
  deleteEvents: string[];
  /** `Confirm: true`: waits for a confirm before it may run. */
  needsConfirm: boolean;
  /** Automatic reruns done after a not-OK end. */
  autoReruns: number;
  exitCode: number | null;
  /** Output file per run, index 0 = run 1. */
  outputs: string[];
  /** Variables of the order and the folder, for %%NAME in commands. */
  variables: Record<string, string>;
  log: JobLogLine[];
}

/** A run: what one order (or `POST /run`) created. */
export interface RunRecord {
  runId: string;
  folderOrderId: string;
  orderIds: string[];
}

/** The whole state file. */
export interface ControlmWorld {
  version: 1;
  nextOrder: number;
  folders: Record<string, DeployedFolder>;
  runs: Record<string, RunRecord>;
  jobs: Record<string, JobInstance>;
  /** Conditions that exist, as `NAME|ODATE`. */
  events: Record<string, number>;
}

/** An empty Control-M. */
export function emptyControlm(): ControlmWorld {
  return { version: 1, nextOrder: 1, folders: {}, runs: {}, jobs: {}, events: {} };
}

/** An error as the Automation API answers it: an HTTP status and `{"errors":[…]}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  /** The body to send. */
  body(): { errors: Record<string, unknown>[] } {
    return { errors: [{ message: this.message, ...this.extra }] };
  }
}

/** Error keys of the data file. */
export type ErrorKey = keyof typeof data.errors;

/** An {@link ApiError} from the data file, placeholders filled. */
export function apiError(key: ErrorKey, values: Record<string, string | number> = {}, extra: Record<string, unknown> = {}): ApiError {
  const entry = data.errors[key];
  return new ApiError(entry.status, fill(entry.message, values), extra);
}

/** A text of the data file with `{placeholders}` filled. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => String(values[name] ?? whole));
}

/** Texts and settings of the data file. */
export const controlmData = data;

/** A job log line's text by key, filled. */
export function logText(key: keyof typeof data.log, values: Record<string, string | number> = {}): string {
  return fill(data.log[key], values);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Oct 2, 2023, 11:42:59 AM`, the start/end time format of the reference's sample. */
export function apiTime(epochMs: number | null): string {
  if (epochMs === null) return '';
  const d = new Date(epochMs);
  const hours = d.getHours() % 12 === 0 ? 12 : d.getHours() % 12;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getMonth()]} ${d.getDate()}, ${d.getFullYear()}, ${hours}:${two(d.getMinutes())}:${two(d.getSeconds())} ${d.getHours() < 12 ? 'AM' : 'PM'}`;
}

/** `YYYYMMDDhhmmss`, as in `estimatedStartTime`. */
export function compactTime(epochMs: number): string {
  const d = new Date(epochMs);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${two(d.getMonth() + 1)}${two(d.getDate())}${two(d.getHours())}${two(d.getMinutes())}${two(d.getSeconds())}`;
}

/** Today's order date, `YYMMDD`. */
export function todayOrderDate(): string {
  return compactTime(Date.now()).slice(2, 8);
}

// The one interface every kind of action runs through. The engine fills the template, decides
// whether to ask the operator, and hands the executor a context; the executor yields events and
// ends with exactly one `result` event. Cancellation (operator, timeout, signal) is the AbortSignal.
import type { Environment } from '../config/environment.js';
import type { Action, ActionKind, Runbook, Step } from '../runbook/model.js';
import type { Filled, TemplateValue } from '../runbook/template.js';

/** Resources that live as long as one run and are shared by its actions (a Snowflake session, a token). */
export interface RunScope {
  /** The run's id, e.g. `20261125-2140-go-live-setup-sandbox`. */
  readonly runId: string;
  /** The value stored under `key`, created on first use. */
  get<T>(key: string, create: () => T): T;
  /** Register clean-up to run when the run ends (success, failure or abort). */
  onClose(cleanup: () => Promise<void> | void): void;
  /** What an earlier action kept under `key` with {@link keep}, also when the run resumed in a new process. */
  kept(key: string): unknown;
  /**
   * Keep a small JSON value in the run's record, replacing what was kept under `key`: what a
   * resumed run must set up again (a Snowflake session's USE ROLE / USE WAREHOUSE). Never a secret.
   */
  keep(key: string, value: unknown): void;
}

/** Everything an executor needs to run one action once. */
export interface ExecutionContext {
  runbook: Runbook;
  step: Step;
  action: Action;
  environment: Environment;
  /** The action's code with variables filled in: what really runs. */
  code: string;
  /** The same code as shown and stored: secrets masked. */
  shownCode: string;
  /** Look up a variable (declared, built-in, environment or captured) by name. */
  variable(name: string): string | undefined;
  /** Secret values to mask in anything the executor reports. */
  secrets: readonly string[];
  /** Working directory: the runbook's folder unless the action sets `cwd`. */
  cwd: string;
  /** Where the executor writes the attempt's full output; the executor creates it (append, never truncate). */
  logFile: string;
  /** Folder for extra artefacts of this attempt (CSV results, job output). */
  artefactDir: string;
  operator: string;
  /** baton's state folder (records, logs, the sandbox's data); $BATON_STATE_DIR or ./state when absent. */
  stateDir?: string;
  /** Time limit of this attempt in milliseconds, when the action has one. */
  timeoutMs?: number;
  /** The attempt number, from 1. */
  attempt: number;
  scope: RunScope;
  /** Aborted when the operator cancels, the timeout fires or the process is asked to stop. */
  signal: AbortSignal;
}

/** What an executor reports while it runs. */
export type ExecutorEvent =
  /** One line of output (without its line break), secrets already masked. */
  | { type: 'output'; stream: 'stdout' | 'stderr'; line: string }
  /** Several lines at once, in order (a fast producer's batch); same rules as `output`. */
  | { type: 'lines'; stream: 'stdout' | 'stderr'; lines: string[] }
  /** The child process started with this id (recorded, so a later start can tell if it still runs). */
  | { type: 'process'; pid: number }
  /** A short status line: "JB_LOAD RUNNING", "statement 2 of 3". */
  | { type: 'progress'; message: string }
  /** A Snowflake statement was sent and got this query id. */
  | { type: 'query'; queryId: string; statement: string }
  /** The end of the attempt; always the last event. */
  | { type: 'result'; result: ActionResult };

/** The outcome of one attempt, before `expect` is applied. */
export interface ActionResult {
  /** The executor's own verdict: exit 0, no SQL error, job ended OK. */
  ok: boolean;
  /** How the attempt ended when it did not run to its end. */
  interrupted?: 'aborted' | 'timeout';
  /** Fields `expect` and `capture` can read (see RESULT_FIELDS in the model). */
  fields: Record<string, unknown>;
  /** A short excerpt of the output for the record and the screen; secrets masked. */
  excerpt: string;
  /** The error an operator needs to act on, when not ok. */
  error?: { message: string; code?: string; sqlState?: string; queryId?: string };
  /** Snowflake query ids, in order. */
  queryIds?: string[];
  /** Executor-specific data for the record: per-statement row counts, job states before/after, CSV path. */
  details?: Record<string, unknown>;
  /** True when the executor knows a retry is safe (e.g. the statement never reached the server). */
  retrySafe?: boolean;
}

/** How risky an action is, decided from its code alone. */
export interface Classification {
  level: 'read' | 'write' | 'destructive';
  /** Why, in the operator's words: "DROP TABLE ORDERS", "KILLJOB JB_LOAD". */
  reasons: string[];
  /** Ask for confirmation in every environment, not only protected ones (e.g. FORCE_STARTJOB). */
  alwaysConfirm?: boolean;
}

/** One kind of action. */
export interface Executor {
  /** The action kinds it runs. */
  readonly kinds: readonly ActionKind[];
  /** Run one attempt. Must end with one `result` event, also when aborted. Never throws for bad input. */
  run(context: ExecutionContext): AsyncIterable<ExecutorEvent>;
  /** Classify code for the guard; pure and fast. */
  classify(code: string): Classification;
  /**
   * Where this action would really run, asked live before the first write in a protected
   * environment and shown in the confirmation: "account XY12345, user SVC_ETL, role SYSADMIN".
   */
  describeTarget?(context: ExecutionContext): Promise<string>;
  /**
   * Fill `{{NAME}}` references the way this kind of code needs (SQL: escaped inside strings,
   * checked as a name elsewhere). Throws an Error saying which value was refused. The engine
   * falls back to plain filling when absent.
   */
  fill?(template: string, lookup: (name: string) => TemplateValue | undefined): Filled;
}

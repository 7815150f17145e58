// The runbook model every layer shares: the parser builds it, the engine runs it, the TUI shows it,
// the handover generator describes it. Plain data only — no methods, no I/O — so it can be
// serialised into run records and compared between runs.

/** A place in a runbook file; line and column are 1-based, as editors show them. */
export interface SourcePos {
  line: number;
  column: number;
}

/** A problem found in a runbook or configuration file, reported as `file:line:col: message`. */
export interface Problem {
  file: string;
  line: number;
  column: number;
  message: string;
  /** Errors make a runbook invalid; warnings are shown but do not block a run. */
  severity: 'error' | 'warning';
}

/**
 * Which executor runs an action, picked by the fenced block's language:
 * `sql`/`snowflake` → sql, `sh`/`bash`/`shell` → shell, `autosys`, `jil`, `controlm`;
 * any other language is `display` (shown to the operator, never run). Blocks of sample output and
 * files (`text`, `console`, `yaml`, `json`, no language, … — see DISPLAY_LANGUAGES) are not actions
 * at all: they stay in the step's prose.
 */
export type ActionKind = 'sql' | 'shell' | 'autosys' | 'jil' | 'controlm' | 'display';

/** What happens when an action still fails after its retries. */
export type OnFail =
  | { kind: 'stop' }
  | { kind: 'continue' }
  /** Start the runbook with this id as a linked fallback run. */
  | { kind: 'runbook'; runbook: string };

/** Typed attributes of an action, from pandoc `{timeout=2m}` or Runme JSON `{"timeout":"2m"}` style. */
export interface ActionAttributes {
  /** Human name of the action; also used in records and logs. */
  name?: string;
  /** Time limit per attempt, in milliseconds. */
  timeout?: number;
  /** Extra attempts after the first failure (0 = run once). */
  retries?: number;
  /** Delay before the first retry in milliseconds; doubles on each further retry. */
  retryDelay?: number;
  /** Source of the `expect` expression, checked at parse time and evaluated on the result. */
  expect?: string;
  /** Store the action's result under this variable name for later steps. */
  capture?: string;
  /** Ask the operator before running, in any environment. */
  confirm?: boolean;
  /** Treat as destructive: in a protected environment the operator types the environment's name. */
  danger?: boolean;
  /** Run only in these environments; skipped (and recorded as such) elsewhere. */
  env?: string[];
  onFail?: OnFail;
  /** Re-run every this many milliseconds until `expect` holds or the operator stops it. */
  watch?: number;
  /** Hand the terminal to the child process (shell only). */
  interactive?: boolean;
  /** Working directory for shell actions, relative to the runbook's folder. */
  cwd?: string;
  /** Write the full SQL result as CSV beside the run's logs. */
  csv?: boolean;
  /** Any attribute the parser does not know, kept for executors and tools. */
  extra: Record<string, string | boolean>;
}

/** A fenced code block inside a step. */
export interface Action {
  /** Position among the step's actions, from 0. */
  index: number;
  /** Stable id within the runbook: `<step-id>/<n>` from 1, or `<step-id>/<name>` when named. */
  id: string;
  kind: ActionKind;
  /** The info string's language word as written (`bash`, `snowflake`, `yaml`, …). */
  lang: string;
  /** The block's content, unresolved: `{{NAME}}` references are filled at run time. */
  code: string;
  attrs: ActionAttributes;
  /** Position of the opening fence. */
  pos: SourcePos;
  /** Where each attribute is written (kebab-case name → position), for problems found later. */
  attrPos?: Record<string, SourcePos>;
}

/** A task-list item `- [ ] …` inside a step: a manual check the operator confirms or fails. */
export interface Check {
  /** Position among the step's checks, from 0. */
  index: number;
  /** Stable id within the runbook: `<step-id>/check-<n>` from 1. */
  id: string;
  /** The item's text as Markdown. */
  text: string;
  pos: SourcePos;
}

/** A `##` section: the unit the operator walks through. */
export interface Step {
  /** Stable id: the heading's slug (`-2`, `-3` for duplicates) or an explicit `{#id}`. */
  id: string;
  /** Position in the runbook, from 0. */
  index: number;
  title: string;
  /** The step's instructions as Markdown: its body without the runnable blocks and the task items. */
  prose: string;
  actions: Action[];
  checks: Check[];
  pos: SourcePos;
  /** Content hash of the step's source text, to tell a changed step on resume. */
  hash: string;
}

/** A variable declared in the front matter. */
export interface VariableSpec {
  name: string;
  /** Default value; may itself contain `{{…}}` references. */
  default?: string;
  /** The value must be one of these. */
  choices?: string[];
  /** The value must match this regular expression (whole value). */
  pattern?: string;
  /** Question shown when the operator is asked for the value. */
  prompt?: string;
  /** Never shown unmasked, never stored, never written to a log or a document. */
  secret: boolean;
  /** Take the value from this environment variable when set. */
  fromEnv?: string;
  /** One line saying what the variable is for. */
  describe?: string;
  pos: SourcePos;
}

/** One Markdown runbook, parsed. */
export interface Runbook {
  /** The file name without `.md`: how runbooks refer to each other (`requires`, `on-fail`). */
  id: string;
  /** Path of the file as given to the parser. */
  path: string;
  title: string;
  summary?: string;
  owner?: string;
  tags: string[];
  /** Environments the runbook may run in; all when absent. */
  environments?: string[];
  /** Ids of runbooks that must be complete first in the same environment. */
  requires: string[];
  /** Where each `requires` entry is written in the front matter, in the same order. */
  requiresPos?: SourcePos[];
  /** Snowflake connection name to use instead of the environment's. */
  connection?: string;
  variables: VariableSpec[];
  /** Markdown before the first step (after the title): the runbook's introduction. */
  intro: string;
  steps: Step[];
  /** Content hash of the whole file. */
  hash: string;
}

/** Variables every runbook can use without declaring them. */
export const BUILTIN_VARIABLES = ['env', 'operator', 'run_id', 'date'] as const;

/**
 * Names an `expect` expression may use, per kind of action, besides the run's variables.
 * Executors fill these fields in their result; the parser warns about anything else.
 */
export const RESULT_FIELDS: Record<Exclude<ActionKind, 'display'>, readonly string[]> = {
  shell: ['exit', 'exitCode', 'stdout', 'stderr', 'lines', 'duration', 'ok'],
  sql: ['rows', 'rowcount', 'columns', 'value', 'row', 'updated', 'queryId', 'queryIds', 'error', 'duration', 'ok'],
  // status as the scheduler prints it (SU, Ended OK); state in baton's words, the same for both (ok, failed, held …).
  autosys: ['status', 'exit', 'job', 'jobs', 'stdout', 'stderr', 'duration', 'ok', 'state', 'statusName', 'run', 'output'],
  jil: ['status', 'exit', 'stdout', 'stderr', 'duration', 'ok', 'state', 'statusName', 'job', 'jobs', 'run', 'output'],
  controlm: ['status', 'job', 'jobs', 'runId', 'output', 'duration', 'ok', 'state', 'jobId', 'held', 'numberOfRuns'],
};

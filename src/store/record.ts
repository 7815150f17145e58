// The run record: what `state/runs/<run-id>.json` holds. Written by the engine, read by
// `baton runs`/`baton show`, the TUI's library screen and the handover generator. Everything here
// is plain JSON; secrets never appear in it (secret variables are listed without a value, and
// every code text, excerpt and error is masked before it gets here).
//
// Compatibility: readers check `version`. Additions that old readers can ignore keep the version;
// anything that changes the meaning of an existing field bumps it.

/** The version of the record format written by this build. */
export const RECORD_VERSION = 1;

/**
 * Where a run stands.
 * - `running`: a baton process is driving it (if that process died, its lock is stale and the next
 *   start resumes it, turning a still-`running` attempt into an `unknown` outcome);
 * - `paused`: stopped between steps by the operator, or after `--only`; resumable;
 * - `failed`: stopped at a failed step; resumable;
 * - `aborted`: stopped by the operator or a signal, mid-action or not; resumable;
 * - `done`: every step finished (done or skipped);
 * - `abandoned`: replaced by a new run (`baton exec --new`); never resumed.
 */
export type RunStatus = 'running' | 'paused' | 'failed' | 'aborted' | 'done' | 'abandoned';

/** Statuses from which the next start of the same runbook and environment continues the run. */
export const RESUMABLE_STATUSES: readonly RunStatus[] = ['running', 'paused', 'failed', 'aborted'];

/** Where a step stands. `done` and `skipped` are finished; the others are not. */
export type StepStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

/**
 * Where an action stands.
 * `succeeded`, `failed` (tolerated by `on-fail=continue` or recovered by a fallback run),
 * `skipped`, `marked-done` (the operator's decision on an unknown outcome) and, in a practice run,
 * `previewed` are finished; `pending`, `running`, `unknown` and `aborted` are not.
 */
export type ActionStatus =
  | 'pending'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'skipped'
  | 'unknown'
  | 'marked-done'
  | 'previewed'
  | 'aborted';

/**
 * How one attempt ended. `running` on disk means the process writing it died mid-attempt; the next
 * start rewrites it to `unknown` and asks the operator what happened.
 */
export type AttemptStatus = 'running' | 'succeeded' | 'failed' | 'timeout' | 'aborted' | 'unknown';

/** How an answer or decision was given. */
export type AnswerVia =
  /** Typed or chosen by the operator. */
  | 'operator'
  /** `--yes` on the command line. */
  | 'yes-flag'
  /** `--i-know-what-i-am-doing`: guard questions in a protected environment were not asked. */
  | 'override-flag'
  /** Another command-line option (`--take-over`, `--on-unknown`, `--from`). */
  | 'option'
  /** baton itself, by a rule the record names (e.g. `env=` filtering). */
  | 'rule';

/** One run of one runbook in one environment. */
export interface RunRecord {
  /** Format version; see {@link RECORD_VERSION}. */
  version: number;
  /** Readable, sortable id: `20261125T214012-go-live-setup-sandbox-3f2a`. */
  id: string;
  runbook: RunbookRef;
  environment: { name: string; protected: boolean };
  /** Who started the run. Later sessions (resumes) may be other operators: see `sessions`. */
  operator: string;
  status: RunStatus;
  /** A dry run: every action was shown with its variables filled in, nothing ran. */
  practice: boolean;
  /** ISO time the run began. */
  startedAt: string;
  /** ISO time of the last change written. */
  updatedAt: string;
  /** ISO time the run reached `done`, `failed`, `aborted`, `paused` or `abandoned` last. */
  endedAt?: string;
  /** Set when the run was started or resumed with `--i-know-what-i-am-doing`. */
  override?: { flag: string; by: string; at: string };
  /** Declared, built-in and captured variables; secret ones without a value. */
  variables: RecordedVariable[];
  steps: StepRecord[];
  /** Steps that were in the runbook when the run began but were removed from it before a resume. */
  retiredSteps?: StepRecord[];
  notes: Note[];
  /** Every answered question and every decision that changed what ran. */
  decisions: Decision[];
  /** Each start or resume of the run: who, where, and how it ended. */
  sessions: Session[];
  /** Run-level events in order (start, resume, lock taken over, runbook changed, jumps, end). */
  timeline: TimelineEntry[];
  /** Set on a fallback run started by another run's `on-fail=runbook:<id>`. */
  parent?: { runId: string; runbookId: string; stepId: string; actionId: string };
  /** Fallback runs this run started. */
  linked: LinkedRun[];
  /**
   * What the run's actions set up that a resumed run sets up again before going on, by key: for
   * `snowflake:<connection>`, the USE / ALTER SESSION / SET statements of its session, in order.
   */
  context?: Record<string, unknown>;
}

/** The runbook a run follows, as it was when the run began (or was last resumed). */
export interface RunbookRef {
  id: string;
  /** Path as given on the command line or by the library. */
  path: string;
  title: string;
  /** Content hash of the whole file. */
  hash: string;
}

/** A variable's value as recorded. */
export interface RecordedVariable {
  name: string;
  /** Absent for secret variables: their values are never stored. */
  value?: string;
  secret: boolean;
  /** Where the value came from. */
  source: 'builtin' | 'var' | 'from-env' | 'environment' | 'default' | 'prompt' | 'capture';
  /** A capture's result fields (secrets masked, long texts cut), so a resumed run still has `{{NAME.field}}`. */
  fields?: Record<string, unknown>;
}

/** One step of the run. */
export interface StepRecord {
  id: string;
  /** Position in the runbook, from 0. */
  index: number;
  title: string;
  /** Content hash of the step's source when it was last started or resumed. */
  hash: string;
  status: StepStatus;
  startedAt?: string;
  endedAt?: string;
  /** Why the step was skipped, and by whom. */
  skip?: { reason: string; by: string; at: string; via: AnswerVia };
  /** What made the step fail (the action or check, and the error), while it stands failed. */
  failure?: string;
  actions: ActionRecord[];
  checks: CheckRecord[];
}

/** One action (fenced block) of a step. */
export interface ActionRecord {
  id: string;
  kind: string;
  /** The action's `name` attribute, when it has one. */
  name?: string;
  status: ActionStatus;
  /** The code as last filled in and shown: secrets masked. Absent until the action is reached. */
  code?: string;
  /** The guard's reading of the code, when it was classified. */
  classification?: { level: 'read' | 'write' | 'destructive'; reasons: string[] };
  /** Why it was skipped (`env=` filtering, the operator, an unknown-outcome decision). */
  skip?: { reason: string; by: string; at: string; via: AnswerVia };
  attempts: Attempt[];
  /** A failure the run went past: `continue` (on-fail=continue) or `fallback` (a fallback run recovered it). */
  tolerated?: 'continue' | 'fallback';
  /** Name of the variable this action's result was captured into. */
  captured?: string;
  /** The fallback run started when this action failed (`on-fail=runbook:<id>`). */
  fallbackRunId?: string;
}

/** One try of an action: retries and watch polls are attempts too. */
export interface Attempt {
  /** From 1 within its action. */
  n: number;
  status: AttemptStatus;
  operator: string;
  startedAt: string;
  endedAt?: string;
  durationMs?: number;
  /** A re-run by `watch`, not a retry after failure. */
  watch?: boolean;
  /** Exit code for shell and scheduler commands. */
  exitCode?: number;
  /** Up to a few lines of output, secrets masked. */
  excerpt?: string;
  /** Output line count, when the executor counts lines. */
  lines?: number;
  error?: { message: string; code?: string; sqlState?: string; queryId?: string };
  /** The `expect` expression and what it gave. */
  expect?: { source: string; passed: boolean; error?: string };
  /** Snowflake query ids, in order. */
  queryIds?: string[];
  /** Executor-specific facts: row counts, job states before/after, CSV path. */
  details?: Record<string, unknown>;
  /** Process id of the child, so a later start can tell whether it is still running. */
  pid?: number;
  /** Full output, relative to the state folder: `logs/<run-id>/<file>.log`. */
  log?: string;
}

/** A manual check (`- [ ] …`) of a step. */
export interface CheckRecord {
  id: string;
  text: string;
  status: 'pending' | 'confirmed' | 'failed' | 'skipped';
  by?: string;
  at?: string;
  note?: string;
  via?: AnswerVia;
}

/** A free-text note the operator added, to the run or to one step. */
export interface Note {
  at: string;
  by: string;
  text: string;
  stepId?: string;
}

/** An answered question or a decision that changed what ran. */
export interface Decision {
  at: string;
  by: string;
  via: AnswerVia;
  /** The kind of question: `confirm`, `type-name`, `unknown-outcome`, `take-over`, `runbook-changed`, … */
  kind: string;
  /** The question as it was put, secrets masked. */
  question: string;
  /** The answer (never a secret value). */
  answer: string;
  stepId?: string;
  actionId?: string;
}

/** One start or resume of the run by one process. */
export interface Session {
  operator: string;
  host: string;
  pid: number;
  startedAt: string;
  endedAt?: string;
  /** How the session ended; absent while it runs or when its process was killed. */
  ended?: 'done' | 'failed' | 'aborted' | 'paused' | 'abandoned';
  /** The signal or reason that ended it, when not the normal course. */
  reason?: string;
}

/** A run-level event. */
export interface TimelineEntry {
  at: string;
  kind:
    | 'started'
    | 'resumed'
    | 'lock-taken-over'
    | 'runbook-changed'
    | 'jumped'
    | 'dry-run'
    | 'fallback-started'
    | 'fallback-ended'
    | 'record-set-aside'
    | 'ended';
  /** One line in the operator's words. */
  text: string;
  by?: string;
  stepId?: string;
}

/** A fallback run started by this run. */
export interface LinkedRun {
  runId: string;
  runbookId: string;
  stepId: string;
  actionId: string;
  reason: 'on-fail';
  at: string;
  /** The fallback run's status when it ended (absent while it runs). */
  status?: RunStatus;
}

/** What `listRuns` returns per run: enough for lists and the library screen without reading records. */
export interface RunSummary extends Pick<RunRecord, 'id' | 'operator' | 'status' | 'practice' | 'startedAt' | 'updatedAt' | 'endedAt'> {
  runbookId: string;
  runbookPath: string;
  /** The runbook's title. */
  title: string;
  /** The environment's name. */
  environment: string;
  protected: boolean;
  /** Finished (done or skipped) steps, and all steps. */
  stepsDone: number;
  stepsTotal: number;
  /** The step the run stands at (first unfinished), when any. */
  currentStep?: string;
  parentRunId?: string;
}

/** The summary of a record, as kept in the run index. */
export function summarize(record: RunRecord): RunSummary {
  const done = record.steps.filter((s) => s.status === 'done' || s.status === 'skipped').length;
  const current = record.steps.find((s) => s.status !== 'done' && s.status !== 'skipped');
  return {
    id: record.id,
    runbookId: record.runbook.id,
    runbookPath: record.runbook.path,
    title: record.runbook.title,
    environment: record.environment.name,
    protected: record.environment.protected,
    operator: record.operator,
    status: record.status,
    practice: record.practice,
    startedAt: record.startedAt,
    updatedAt: record.updatedAt,
    ...(record.endedAt ? { endedAt: record.endedAt } : {}),
    stepsDone: done,
    stepsTotal: record.steps.length,
    ...(current ? { currentStep: current.id } : {}),
    ...(record.parent ? { parentRunId: record.parent.runId } : {}),
  };
}

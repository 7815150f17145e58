// The run as the faces see it: the record being written, plus what is live right now (the step the
// run stands at, what is running, the questions waiting for the operator, the output tail).
// Everything here is plain data with secrets already masked; the TUI renders it as it is.
import type { Runbook } from '../runbook/model.js';
import { fillTemplate } from '../runbook/template.js';
import type { AnswerVia, RunRecord, RunStatus } from '../store/record.js';
import type { LockHolder } from '../store/lock.js';
import type { ResultTable } from './result-table.js';

/** `auto` advances by itself (headless); `step` waits for a `run` intent on each step (TUI). */
export type RunMode = 'auto' | 'step';

/** Lifecycle of the runner: preparing (lock, resume, variables), running, or ended. */
export type RunPhase = 'preparing' | 'running' | 'ended';

/** A variable as shown: secrets masked. */
export interface ShownVariable {
  name: string;
  /** The value, or the mask for secrets. */
  shown: string;
  secret: boolean;
  source: 'builtin' | 'var' | 'from-env' | 'environment' | 'default' | 'prompt' | 'capture';
  /** A capture's result fields (secrets masked, long texts cut): `{{NAME.stdout}}` after a resume too. */
  fields?: Record<string, unknown>;
}

/** What the runner is doing now. */
export type Activity =
  | {
      kind: 'attempt';
      stepId: string;
      actionId: string;
      attempt: number;
      startedAt: string;
      watch: boolean;
      /** The last progress message of the executor ("statement 2 of 3"). */
      progress?: string;
    }
  | { kind: 'waiting'; stepId: string; actionId: string; until: string; why: 'retry' | 'watch' }
  | { kind: 'fallback'; stepId: string; actionId: string; runId: string; runbookId: string }
  /** The terminal belongs to an `interactive` action's child until it ends. */
  | { kind: 'interactive'; stepId: string; actionId: string; attempt: number; startedAt: string };

/** The last lines of output of the latest attempt, bounded. */
export interface OutputTail {
  stepId: string;
  actionId: string;
  attempt: number;
  lines: { stream: 'stdout' | 'stderr'; text: string }[];
  /** Lines that scrolled out of the tail (they are all in the log file). */
  dropped: number;
}

/** How many output lines the state keeps. */
export const TAIL_LINES = 200;

/** The kinds of question a run can put to the operator. */
export type QuestionKind =
  /** Run this action? (`confirm`, `danger`, a write in a protected environment, `alwaysConfirm`). */
  | 'confirm'
  /** Type the environment's name to run a destructive action in a protected environment. */
  | 'type-name'
  /** A manual check (`- [ ] …`): confirmed or failed, with an optional note. */
  | 'check'
  /** A value for a variable: with choices, a pattern, or secret (no echo). */
  | 'variable'
  /** An action was running when baton died: re-run, mark done or skip. */
  | 'unknown-outcome'
  /** The lock's holder is gone: take the lock over? */
  | 'take-over'
  /** The runbook changed since the run started: continue? */
  | 'runbook-changed'
  /** A runbook this one requires has no finished run here: run anyway? */
  | 'requires';

/** One choice of a multiple-choice question. */
export interface QuestionOption {
  /** The value to send back in the `answer` intent. */
  value: string;
  label: string;
  /** A single key the faces may bind to it. */
  key: string;
}

/** A question waiting for the operator, answered by an `answer` intent naming its id. */
export interface Question {
  /** Unique within the run; an answer naming another id is refused as stale. */
  id: string;
  kind: QuestionKind;
  /** The question in one line. */
  text: string;
  /** Lines to show with it: the code to run, the target, the changed steps, the holder of a lock. */
  detail: string[];
  /** Multiple choice; absent for typed answers. */
  options?: QuestionOption[];
  /** Typed answer rules. */
  input?: {
    /** Do not echo what is typed. */
    secret?: boolean;
    /** The answer must be one of these. */
    choices?: string[];
    /** The answer must match this regular expression (whole text). */
    pattern?: string;
    /** The answer must be exactly this (the environment's name). */
    expected?: string;
    /** What an empty answer means. */
    default?: string;
  };
  /** Whether a note can go with the answer (checks). */
  acceptsNote?: boolean;
  /**
   * The answer `--yes` may give. Absent when `--yes` must not answer: guards in a protected
   * environment, unknown outcomes, lock take-over, variables without a value.
   */
  assumeYes?: string;
  stepId?: string;
  actionId?: string;
  checkId?: string;
  /** The variable asked for (kind `variable`). */
  variable?: string;
  /** The process environment variable that would have supplied it (kind `variable`). */
  fromEnv?: string;
}

/** Why a run could not start. */
export type Refusal =
  | { kind: 'locked'; holder: LockHolder; message: string }
  | { kind: 'invalid'; message: string }
  | { kind: 'state'; message: string }
  | { kind: 'input-needed'; message: string }
  | { kind: 'declined'; message: string };

/** A line for the faces that is not part of any step: "resuming run … at step 4/12". */
export interface Message {
  at: string;
  level: 'info' | 'warning' | 'error';
  text: string;
}

/** The whole state of a run, as the faces see it. */
export interface RunState {
  phase: RunPhase;
  mode: RunMode;
  runbook: Runbook;
  environment: { name: string; protected: boolean };
  operator: string;
  /** Actions are shown, not run. A run started with `--dry-run` is a practice run throughout. */
  dryRun: boolean;
  /** The record as last applied (written to disk by the runner). Absent until the run is opened. */
  record?: RunRecord;
  /** Index of the step the run stands at. */
  cursor: number;
  activity?: Activity;
  questions: Question[];
  variables: ShownVariable[];
  output?: OutputTail;
  /** The rows the latest attempt that returned any (SQL results) returned, until that action runs again. */
  table?: ResultTable;
  messages: Message[];
  /** Set when the run could not start; `phase` is then `ended`. */
  refusal?: Refusal;
  /** How the run (this session of it) ended. */
  ended?: { status: RunStatus; reason?: string };
  /** The live state of a fallback run started by this one. */
  child?: RunState;
  /** Steps the run stops after (`--only`). */
  only?: string;
}

/** The questions the operator should answer now: those of a live fallback run come first. */
export function activeQuestions(state: RunState): Question[] {
  if (state.child && state.child.phase !== 'ended') {
    const inner = activeQuestions(state.child);
    if (inner.length > 0) return inner;
  }
  return state.questions;
}

/** The step (or step record) with this id, looked for first at `hint` (the cursor: nearly always there). */
export function stepById<T extends { id: string }>(steps: readonly T[], id: string, hint: number): T | undefined {
  const at = steps[hint];
  return at?.id === id ? at : steps.find((step) => step.id === id);
}

/** Who answered, as recorded. */
export interface AnswerSource {
  by: string;
  via: AnswerVia;
}

/** A runbook text (a title, prose, a check) with the run's variables filled in as shown: secrets masked. */
export function shownText(state: RunState, text: string): string {
  const values = new Map(state.variables.map((v) => [v.name, v.shown]));
  return fillTemplate(text, (name) => {
    const direct = values.get(name);
    if (direct !== undefined) return { value: direct };
    // `{{load.value}}` reads a captured result; the state keeps its value.
    const [base, field] = name.split('.', 2);
    return field === 'value' && values.has(base!) ? { value: values.get(base!)! } : undefined;
  }).shown;
}

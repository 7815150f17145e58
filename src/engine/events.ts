// What happens in a run, as data. The runner produces these; the reducer folds them into the state
// (and its record); the faces print or render them. Every event carries its own time, so the
// reducer never reads a clock.
import type { Classification } from '../executors/types.js';
import type {
  AnswerVia,
  Attempt,
  AttemptStatus,
  CheckRecord,
  Decision,
  LinkedRun,
  Note,
  RunRecord,
  RunStatus,
  TimelineEntry,
} from '../store/record.js';
import type { ResultTable } from './result-table.js';
import type { Message, Question, Refusal, RunMode, RunState, ShownVariable } from './state.js';

/** One thing that happened in a run. */
export type RunEvent =
  /** The record was created or loaded (resume); the run is live from here. */
  | { type: 'run-opened'; record: RunRecord; cursor: number; resumed: boolean; variables: ShownVariable[] }
  | { type: 'refused'; refusal: Refusal }
  | { type: 'message'; message: Message }
  | { type: 'timeline'; entry: TimelineEntry }
  | { type: 'question-asked'; question: Question }
  /** A question left the list: answered (with the decision recorded) or withdrawn. */
  | { type: 'question-closed'; questionId: string; decision?: Decision }
  | { type: 'variables-set'; variables: ShownVariable[] }
  | { type: 'step-started'; stepId: string; at: string }
  /** The action's code as filled in (secrets masked) and how risky the guard found it. */
  | { type: 'action-prepared'; stepId: string; actionId: string; code: string; classification?: Classification }
  | { type: 'action-skipped'; stepId: string; actionId: string; reason: string; by: string; via: AnswerVia; at: string }
  /** Shown instead of run (dry run). In a practice run this finishes the action. */
  | { type: 'action-previewed'; stepId: string; actionId: string; code: string; at: string }
  | { type: 'attempt-started'; stepId: string; actionId: string; attempt: Attempt; interactive: boolean }
  | { type: 'attempt-process'; stepId: string; actionId: string; n: number; pid: number }
  | { type: 'output'; stepId: string; actionId: string; stream: 'stdout' | 'stderr'; lines: string[] }
  | { type: 'progress'; stepId: string; actionId: string; message: string }
  | {
      type: 'attempt-ended';
      stepId: string;
      actionId: string;
      n: number;
      status: Exclude<AttemptStatus, 'running'>;
      ended: Partial<Attempt> & { endedAt: string };
      /** The rows the attempt returned, for the screen (SQL results). */
      table?: ResultTable;
    }
  | { type: 'waiting'; stepId: string; actionId: string; until: string; delayMs: number; why: 'retry' | 'watch' }
  | {
      type: 'action-ended';
      stepId: string;
      actionId: string;
      status: 'succeeded' | 'failed' | 'aborted' | 'marked-done';
      /** A failure the run goes past (`on-fail=continue`, or a fallback run that ended done). */
      tolerated?: 'continue' | 'fallback';
      captured?: string;
      message?: string;
    }
  | { type: 'variable-captured'; variable: ShownVariable }
  /** An action kept something its run must set up again when resumed (see RunRecord.context). */
  | { type: 'context-kept'; key: string; value: unknown }
  | {
      type: 'check-answered';
      stepId: string;
      checkId: string;
      status: CheckRecord['status'];
      by: string;
      via: AnswerVia;
      at: string;
      note?: string;
      /** The check's text with its variables filled in, as the operator saw it. */
      text?: string;
    }
  | { type: 'step-ended'; stepId: string; status: 'done' | 'failed'; at: string; failure?: string }
  | { type: 'step-skipped'; stepId: string; reason: string; by: string; via: AnswerVia; at: string }
  /** The operator retries a failed step, or a resume picks it up again: its unfinished actions run again. */
  | { type: 'step-reopened'; stepId: string; actionIds: string[]; at: string }
  /** An unknown outcome or aborted attempt found on resume was settled. */
  | { type: 'action-settled'; stepId: string; actionId: string; status: 'pending' | 'marked-done' | 'skipped'; reason?: string; by: string; via: AnswerVia; at: string }
  | { type: 'note-added'; note: Note }
  /** A decision that was not an answered question (the override flag, `--on-unknown`, `--take-over`). */
  | { type: 'decision'; decision: Decision }
  | { type: 'cursor-moved'; index: number }
  | { type: 'dry-run-set'; on: boolean }
  | { type: 'mode-set'; mode: RunMode }
  | { type: 'fallback-started'; link: LinkedRun }
  | { type: 'fallback-ended'; runId: string; status: RunStatus }
  | { type: 'child-changed'; child: RunState; event: RunEvent }
  | { type: 'run-ended'; status: RunStatus; at: string; reason?: string };

// What a face may ask the runner to do. Key handlers only build these; the runner checks each one
// against the state it has *now* and refuses it when it is stale (it names a step that is no
// longer current, a question already answered, an action that is not running), so keys typed
// ahead can never run the wrong step.
import type { AnswerVia } from '../store/record.js';
import { isFinishedStep } from './reducer.js';
import type { RunMode, RunState } from './state.js';

/** An operator's request to the runner. `by` defaults to the run's operator. */
export type Intent = (
  | { type: 'run'; stepId: string }
  | { type: 'skip'; stepId: string; reason: string }
  | { type: 'retry'; stepId: string }
  | { type: 'confirm-check'; stepId: string; checkId: string; note?: string }
  | { type: 'fail-check'; stepId: string; checkId: string; note?: string }
  | { type: 'note'; text: string; stepId?: string }
  | { type: 'jump'; stepId: string }
  | { type: 'set-dry-run'; on: boolean }
  | { type: 'toggle-dry-run' }
  | { type: 'set-mode'; mode: RunMode }
  | { type: 'stop-watch'; stepId: string; actionId: string }
  | { type: 'answer'; questionId: string; value: string; note?: string; via?: AnswerVia }
  /** End this session between steps; the run stays resumable. */
  | { type: 'pause' }
  /** Stop the running action (or the wait before its next try) and fail its step; the run stays open for retry or skip. */
  | { type: 'cancel' }
  /** Stop now: kill what runs, record it as aborted. */
  | { type: 'abort'; reason?: string }
) & { by?: string };

/** The runner's reply to an intent. */
export type IntentResult = { accepted: true } | { accepted: false; reason: string };

/** Why an intent cannot be carried out in this state, or undefined when it can; pure. */
export function refusal(state: RunState, intent: Intent): string | undefined {
  if (intent.type === 'abort') return state.phase === 'ended' ? 'the run has ended' : undefined;
  if (intent.type === 'answer') {
    return state.questions.some((q) => q.id === intent.questionId) ? undefined : 'that question is no longer asked';
  }
  if (state.phase !== 'running' || !state.record) {
    return state.phase === 'ended' ? 'the run has ended' : 'the run is not open yet';
  }
  const record = state.record;
  const current = record.steps[state.cursor];
  const busy = state.activity !== undefined;
  const namesCurrent = (stepId: string) => (current?.id === stepId ? undefined : `step ${stepId} is not the current step`);
  switch (intent.type) {
    case 'run':
      if (busy) return 'something is already running';
      if (namesCurrent(intent.stepId)) return namesCurrent(intent.stepId);
      if (current!.status !== 'pending') return `step ${intent.stepId} is ${current!.status}, not waiting to run`;
      return undefined;
    case 'skip': {
      if (intent.reason.trim() === '') return 'say why the step is skipped';
      const step = record.steps.find((s) => s.id === intent.stepId);
      if (!step) return `no step ${intent.stepId}`;
      if (isFinishedStep(step)) return `step ${intent.stepId} is already ${step.status}`;
      if (busy && state.activity!.stepId === intent.stepId) return 'the step is running: abort it first';
      return undefined;
    }
    case 'retry':
      if (busy) return 'something is already running';
      if (namesCurrent(intent.stepId)) return namesCurrent(intent.stepId);
      return current!.status === 'failed' ? undefined : `step ${intent.stepId} has not failed`;
    case 'confirm-check':
    case 'fail-check': {
      if (namesCurrent(intent.stepId)) return namesCurrent(intent.stepId);
      const check = current!.checks.find((c) => c.id === intent.checkId);
      if (!check) return `no check ${intent.checkId} in step ${intent.stepId}`;
      return check.status === 'pending' ? undefined : `check ${intent.checkId} is already ${check.status}`;
    }
    case 'note':
      if (intent.text.trim() === '') return 'the note is empty';
      if (intent.stepId && !record.steps.some((s) => s.id === intent.stepId)) return `no step ${intent.stepId}`;
      return undefined;
    case 'jump':
      if (busy) return 'something is running';
      if (!record.steps.some((s) => s.id === intent.stepId)) return `no step ${intent.stepId}`;
      if (state.questions.length > 0) return 'answer the open question first';
      return undefined;
    case 'set-dry-run':
    case 'toggle-dry-run':
      if (busy) return 'something is running';
      if (record.practice) return 'a practice run stays a dry run';
      return undefined;
    case 'set-mode':
      return undefined;
    case 'stop-watch': {
      const activity = state.activity;
      if (!activity || activity.kind === 'fallback' || activity.stepId !== intent.stepId || activity.actionId !== intent.actionId) {
        return 'that action is not being watched';
      }
      return activity.kind === 'waiting' && activity.why === 'watch' ? undefined
        : activity.kind === 'attempt' && activity.watch ? undefined : 'that action is not being watched';
    }
    case 'cancel': {
      const activity = state.activity;
      if (!activity) return 'nothing is running';
      return activity.kind === 'attempt' || activity.kind === 'waiting' ? undefined : `a ${activity.kind} run cannot be cancelled on its own: abort the run`;
    }
    case 'pause':
      return busy ? 'something is running: wait for it or abort' : undefined;
  }
}

// What the runner should do next, read from the state alone. The runner loops: look at the state,
// do the one thing this says, fold the events in, look again. Nothing starts unless the state
// says so — an operator's `run` intent only marks the step as running.
import { isFinishedStep } from './reducer.js';
import { firstUnfinished } from './resume.js';
import type { RunState } from './state.js';

/** One piece of work for the runner. */
export type Work =
  /** Begin the current step (auto mode). */
  | { kind: 'start-step'; index: number }
  /** Carry on with the current, running step: its next action, then its checks. */
  | { kind: 'continue-step'; index: number }
  /** Move to another step. */
  | { kind: 'move'; index: number }
  /** Nothing more to do in this session. */
  | { kind: 'end'; status: 'done' | 'failed' | 'paused'; reason?: string };

/** The next piece of work, or undefined to wait for the operator; pure. */
export function nextWork(state: RunState): Work | undefined {
  const record = state.record;
  if (state.phase !== 'running' || !record || state.activity || state.questions.length > 0) return undefined;
  const index = state.cursor;
  const step = record.steps[index];
  if (!step) {
    const first = firstUnfinished(record);
    return first < 0 ? { kind: 'end', status: 'done' } : { kind: 'move', index: first };
  }
  if (isFinishedStep(step)) {
    if (state.only === step.id) {
      return firstUnfinished(record) < 0 ? { kind: 'end', status: 'done' } : { kind: 'end', status: 'paused', reason: `only step ${step.id} was asked for` };
    }
    const next = firstUnfinished(record, index + 1);
    const wrapped = next >= 0 ? next : firstUnfinished(record);
    return wrapped < 0 ? { kind: 'end', status: 'done' } : { kind: 'move', index: wrapped };
  }
  switch (step.status) {
    case 'failed':
      return state.mode === 'auto' ? { kind: 'end', status: 'failed', reason: step.failure } : undefined;
    case 'running':
      // A dry run switched on mid-step holds the step where it is until it is switched off.
      if (state.dryRun && !record.practice) return undefined;
      return { kind: 'continue-step', index };
    case 'pending':
      // A toggled dry run (not a practice run) only previews: it never starts a step by itself.
      if (state.mode !== 'auto' || (state.dryRun && !record.practice)) return undefined;
      return { kind: 'start-step', index };
    default:
      return undefined;
  }
}

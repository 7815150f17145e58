// Keys of the runbook screen. They only build intents — each naming the step the operator saw —
// and hand them to the runner, which refuses any that no longer fit (a key typed ahead never runs
// the wrong step). The screen's own state (viewed step, scroll, prompts) changes through its reducer.
import { useKeys } from '../use-keys.js';
import type { Dispatch } from 'react';
import type { Intent, IntentResult } from '../../engine/intents.js';
import type { RunState } from '../../engine/state.js';
import type { AppIntent } from '../app/app-model.js';
import type { RunbookAction, RunbookViewState } from './use-runbook-state.js';

/** What the runbook keys need. */
export interface RunbookKeysArgs {
  state: RunState;
  view: RunbookViewState;
  viewed: number;
  dispatch: Dispatch<RunbookAction>;
  send: (intent: Intent) => IntentResult;
  /** The run's state now, for decisions that must not use a frame that is already old (quit, ctrl-c). */
  live: () => RunState;
  app: (intent: AppIntent) => void;
  outputHeight: number;
  /** Keys of the screen itself (off while a prompt or a question has the keyboard). */
  isActive: boolean;
  /** Ctrl-C, which works whatever is open (off only while help shows). */
  interruptActive: boolean;
}

/** Wire the runbook screen's keys. */
export function useRunbookKeys(args: RunbookKeysArgs): void {
  const { state, dispatch, send, app } = args;
  const current = state.record?.steps[state.cursor];
  const report = (result: IntentResult) => dispatch({ type: 'flash', text: result.accepted ? undefined : result.reason });

  useKeys(
    (input, key) => {
      if (!(key.ctrl && input === 'c')) return;
      const activity = args.live().activity;
      if (activity?.kind === 'attempt' || activity?.kind === 'waiting') report(send({ type: 'cancel' }));
      else if (activity) report(send({ type: 'abort', reason: `${state.operator} pressed ctrl-c` }));
      else app({ type: 'quit' });
    },
    { isActive: args.interruptActive },
  );

  useKeys(
    (input, key) => {
      const count = state.runbook.steps.length;
      const tail = state.output?.lines.length ?? 0;
      if (key.ctrl) return;
      if (key.upArrow) return dispatch({ type: 'view-step', by: -1, from: args.viewed, count });
      if (key.downArrow) return dispatch({ type: 'view-step', by: 1, from: args.viewed, count });
      if (key.pageUp) return dispatch({ type: 'scroll-output', by: args.outputHeight, max: Math.max(0, tail - 1) });
      if (key.pageDown) return dispatch({ type: 'scroll-output', by: -args.outputHeight, max: Math.max(0, tail - 1) });
      if (key.escape) {
        if (args.live().activity) return dispatch({ type: 'flash', text: 'something is running: wait for it, or ctrl-c to cancel it' });
        return app({ type: 'back' });
      }
      if (input === '?') return app({ type: 'help', show: true });
      if (input === 'q') {
        if (args.live().activity) return dispatch({ type: 'open-prompt', prompt: { kind: 'quit' } });
        return app({ type: 'quit' });
      }
      if (state.phase !== 'running' || !current) return;
      if (key.return) {
        dispatch({ type: 'follow-current-step' });
        dispatch({ type: 'follow-output' });
        if (current.status === 'failed') return dispatch({ type: 'flash', text: 'the step failed: r retries it, s skips it' });
        return report(send({ type: 'run', stepId: current.id }));
      }
      switch (input) {
        case 'r':
          dispatch({ type: 'follow-current-step' });
          dispatch({ type: 'follow-output' });
          return report(send({ type: 'retry', stepId: current.id }));
        case 's':
          return dispatch({ type: 'open-prompt', prompt: { kind: 'skip', stepId: current.id } });
        case 'a':
          return dispatch({ type: 'open-prompt', prompt: { kind: 'note', stepId: current.id } });
        case 'g':
          return dispatch({ type: 'open-prompt', prompt: { kind: 'jump' } });
        case 'd':
          return report(send({ type: 'toggle-dry-run' }));
        case 'w': {
          const activity = state.activity;
          if (activity && activity.kind !== 'fallback') return report(send({ type: 'stop-watch', stepId: activity.stepId, actionId: activity.actionId }));
          return dispatch({ type: 'flash', text: 'nothing is being watched' });
        }
        case 'e':
          return dispatch({ type: 'follow-output' });
        default:
          if (key.end) dispatch({ type: 'follow-output' });
      }
    },
    { isActive: args.isActive },
  );
}

// The runbook screen's own state as a pure reducer: which step the operator is looking at, how far
// the output is scrolled, and which small prompt (note, skip reason, step number, quit) is open.
// The run itself lives in the engine; nothing here decides what runs.
import { useSyncReducer } from '../use-sync-reducer.js';

/** A one-line prompt the screen opens before sending an intent. */
export type Prompt =
  | { kind: 'note'; stepId: string }
  | { kind: 'skip'; stepId: string }
  | { kind: 'jump' }
  | { kind: 'check-note'; stepId: string; checkId: string; status: 'confirmed' | 'failed' }
  | { kind: 'quit' };

/** What the runbook screen remembers between keys. */
export interface RunbookViewState {
  /** The step shown in detail; undefined follows the run's current step. */
  viewed?: number;
  /** Output lines scrolled up from the end; 0 follows the output. */
  scroll: number;
  prompt?: Prompt;
  /** The last thing the runner refused, or a hint, shown until the next key. */
  flash?: string;
}

/** What a key on the runbook screen changes. */
export type RunbookAction =
  | { type: 'view-step'; by: number; from: number; count: number }
  | { type: 'follow-current-step' }
  | { type: 'scroll-output'; by: number; max: number }
  | { type: 'follow-output' }
  | { type: 'open-prompt'; prompt: Prompt }
  | { type: 'close-prompt' }
  | { type: 'flash'; text: string | undefined };

/** The next runbook screen state; pure. */
export function runbookReducer(state: RunbookViewState, action: RunbookAction): RunbookViewState {
  switch (action.type) {
    case 'view-step': {
      const viewed = Math.min(action.count - 1, Math.max(0, (state.viewed ?? action.from) + action.by));
      return { ...state, viewed, flash: undefined };
    }
    case 'follow-current-step': {
      const { viewed: _viewed, ...rest } = state;
      return rest;
    }
    case 'scroll-output':
      return { ...state, scroll: Math.min(action.max, Math.max(0, state.scroll + action.by)) };
    case 'follow-output':
      return { ...state, scroll: 0 };
    case 'open-prompt':
      return { ...state, prompt: action.prompt, flash: undefined };
    case 'close-prompt': {
      const { prompt: _prompt, ...rest } = state;
      return rest;
    }
    case 'flash':
      return action.text === undefined ? (({ flash: _f, ...rest }) => rest)(state) : { ...state, flash: action.text };
  }
}

/** The runbook screen state and its dispatcher. */
export function useRunbookState() {
  return useSyncReducer(runbookReducer, { scroll: 0 } as RunbookViewState);
}

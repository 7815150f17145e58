// Keys of the library screen: they only change the screen's state or send the app an intent.
import { useKeys } from '../use-keys.js';
import type { Dispatch } from 'react';
import type { AppIntent } from '../app/app-model.js';
import type { LibraryAction, LibraryViewState } from './use-library-state.js';

/** Wire the library's keys; `isActive` is false while an overlay has the keyboard. */
export function useLibraryKeys(args: {
  /** The latest state, also between renders. */
  read: () => LibraryViewState;
  dispatch: Dispatch<LibraryAction>;
  app: (intent: AppIntent) => void;
  /** Ids of the runbooks listed for a filter, in order. */
  listed: (filter: string) => readonly string[];
  environments: readonly string[];
  environment: string;
  pageSize: number;
  isActive: boolean;
}): void {
  const { read, dispatch, app } = args;
  useKeys(
    (input, key) => {
      const state = read();
      const listed = args.listed(state.filter);
      const count = listed.length;
      // Keys typed before the app had the keyboard come as one line (`01-⏎`): the terminal was
      // still in line mode. Take them as typed: the filter, then enter on its first runbook.
      const ahead = typedAhead(input);
      if (ahead) {
        dispatch({ type: 'type-character', text: ahead });
        const id = args.listed(state.filter + ahead)[0];
        if (id) app({ type: 'open', runbookId: id });
        return;
      }
      if (key.ctrl && input === 'c') return app({ type: 'quit' });
      if (key.ctrl && input === 'd') return app({ type: 'handover' });
      if (key.upArrow) return dispatch({ type: 'move-selection', by: -1, count });
      if (key.downArrow) return dispatch({ type: 'move-selection', by: 1, count });
      if (key.pageUp) return dispatch({ type: 'move-selection', by: -args.pageSize, count });
      if (key.pageDown) return dispatch({ type: 'move-selection', by: args.pageSize, count });
      if (key.return) {
        const id = listed[Math.min(state.selected, count - 1)];
        if (id) app({ type: 'open', runbookId: id });
        return;
      }
      if (key.tab) {
        const all = args.environments;
        const next = all[(all.indexOf(args.environment) + (key.shift ? all.length - 1 : 1)) % all.length];
        if (next) app({ type: 'environment', name: next });
        return;
      }
      if (key.escape) return dispatch({ type: 'clear-filter' });
      if (key.backspace || key.delete) return dispatch({ type: 'erase-character' });
      if (input === '?') return app({ type: 'help', show: true });
      if (input === 'q' && state.filter === '') return app({ type: 'quit' });
      if (!key.ctrl && !key.meta && input.length > 0 && !/[\x00-\x1f]/.test(input)) dispatch({ type: 'type-character', text: input });
    },
    { isActive: args.isActive },
  );
}

/** The text of a line typed ahead (printable characters, then the line's end), or undefined. */
function typedAhead(input: string): string | undefined {
  return /^([^\x00-\x1f\x7f]+)[\r\n]$/.exec(input)?.[1];
}

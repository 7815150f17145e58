// The screens' own state as pure reducers, without a terminal.
import { describe, expect, it } from 'vitest';
import { filterRunbooks, libraryReducer, visibleRange } from '../../src/ui/library/use-library-state.js';
import type { RunbookSummary } from '../../src/ui/library/summaries.js';
import { outputWindow } from '../../src/ui/runbook/output-lines.js';
import { runbookReducer } from '../../src/ui/runbook/use-runbook-state.js';

const summary = (id: string, title: string, extra: Partial<RunbookSummary> = {}): RunbookSummary => ({ id, path: `${id}.md`, title, tags: [], steps: 1, requires: [], errors: 0, ...extra });

describe('library state', () => {
  const runbooks = [
    summary('01-warehouse-setup', 'Warehouse setup'),
    summary('02-load-recovery', 'Nightly load recovery', { tags: ['recovery'] }),
    summary('03-restore-orders', 'Restore the orders table', { summary: 'Bring ORDERS back from time travel.' }),
    summary('04-rotate', 'Rotate keys', { summary: 'After a leak: restore trust in the service user.' }),
  ];

  it('ranks a title that starts with the filter first, then a word that does, then the summary', () => {
    expect(filterRunbooks(runbooks, 're').map((r) => r.id)).toEqual(['03-restore-orders', '02-load-recovery', '01-warehouse-setup', '04-rotate']);
    expect(filterRunbooks(runbooks, 'restore').map((r) => r.id)).toEqual(['03-restore-orders', '04-rotate']);
    expect(filterRunbooks(runbooks, 'TIME TRAVEL').map((r) => r.id)).toEqual(['03-restore-orders']);
    expect(filterRunbooks(runbooks, '')).toHaveLength(4);
  });

  it('types, erases and clears the filter, choosing the first row again each time', () => {
    let state = libraryReducer({ filter: '', selected: 2 }, { type: 'type-character', text: 'r' });
    expect(state).toEqual({ filter: 'r', selected: 0 });
    state = libraryReducer({ ...state, selected: 1 }, { type: 'erase-character' });
    expect(state).toEqual({ filter: '', selected: 0 });
    expect(libraryReducer({ filter: 'xy', selected: 3 }, { type: 'clear-filter' })).toEqual({ filter: '', selected: 0 });
  });

  it('moves the selection within the list', () => {
    expect(libraryReducer({ filter: '', selected: 0 }, { type: 'move-selection', by: -1, count: 4 }).selected).toBe(0);
    expect(libraryReducer({ filter: '', selected: 2 }, { type: 'move-selection', by: 10, count: 4 }).selected).toBe(3);
    expect(libraryReducer({ filter: '', selected: 2 }, { type: 'move-selection', by: 1, count: 0 }).selected).toBe(0);
  });

  it('keeps the chosen row in view', () => {
    expect(visibleRange(5, 4, 10)).toEqual({ from: 0, to: 5 });
    expect(visibleRange(50, 30, 10)).toEqual({ from: 25, to: 35 });
    expect(visibleRange(50, 49, 10)).toEqual({ from: 40, to: 50 });
  });
});

describe('runbook screen state', () => {
  it('looks at other steps within the runbook and follows the current one again', () => {
    let state = runbookReducer({ scroll: 0 }, { type: 'view-step', by: 1, from: 2, count: 4 });
    expect(state.viewed).toBe(3);
    state = runbookReducer(state, { type: 'view-step', by: 5, from: 2, count: 4 });
    expect(state.viewed).toBe(3);
    expect(runbookReducer(state, { type: 'follow-current-step' }).viewed).toBeUndefined();
  });

  it('scrolls the output within what there is, and follows it again', () => {
    let state = runbookReducer({ scroll: 0 }, { type: 'scroll-output', by: 8, max: 5 });
    expect(state.scroll).toBe(5);
    state = runbookReducer(state, { type: 'scroll-output', by: -8, max: 5 });
    expect(state.scroll).toBe(0);
    expect(runbookReducer({ scroll: 4 }, { type: 'follow-output' }).scroll).toBe(0);
  });

  it('opens and closes prompts; a prompt clears the last flash', () => {
    let state = runbookReducer({ scroll: 0, flash: 'refused' }, { type: 'open-prompt', prompt: { kind: 'jump' } });
    expect(state).toEqual({ scroll: 0, prompt: { kind: 'jump' } });
    state = runbookReducer(state, { type: 'close-prompt' });
    expect(state).toEqual({ scroll: 0 });
  });
});

describe('output window', () => {
  const tail = { stepId: 's', actionId: 's/1', attempt: 1, dropped: 100, lines: Array.from({ length: 10 }, (_, i) => ({ stream: i === 9 ? ('stderr' as const) : ('stdout' as const), text: `\u001b[32mline ${i}\u001b[0m\twith a tab` })) };

  it('shows the last lines, without control sequences, cut to the width', () => {
    const { lines, above } = outputWindow(tail, 3, 12, 0);
    expect(lines).toEqual([
      { text: 'line 7  wit…', stderr: false },
      { text: 'line 8  wit…', stderr: false },
      { text: 'line 9  wit…', stderr: true },
    ]);
    expect(above).toBe(107);
  });

  it('shows earlier lines when scrolled', () => {
    expect(outputWindow(tail, 2, 40, 5).lines.map((l) => l.text.slice(0, 6))).toEqual(['line 3', 'line 4']);
  });
});

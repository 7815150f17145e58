// The library screen's own state — the filter typed so far and the chosen row — as a pure reducer,
// plus the ranking that lets an incident responder find "restore" in two keystrokes.
import { useSyncReducer } from '../use-sync-reducer.js';
import type { RunbookSummary } from './summaries.js';

/** What the library screen remembers between keys. */
export interface LibraryViewState {
  filter: string;
  /** Index into the filtered list. */
  selected: number;
}

/** What a key on the library screen changes. */
export type LibraryAction =
  | { type: 'type-character'; text: string }
  | { type: 'erase-character' }
  | { type: 'clear-filter' }
  | { type: 'move-selection'; by: number; count: number };

/** The next library state; pure. */
export function libraryReducer(state: LibraryViewState, action: LibraryAction): LibraryViewState {
  switch (action.type) {
    case 'type-character':
      return { filter: state.filter + action.text, selected: 0 };
    case 'erase-character':
      return { filter: state.filter.slice(0, -1), selected: 0 };
    case 'clear-filter':
      return { filter: '', selected: 0 };
    case 'move-selection':
      if (action.count === 0) return { ...state, selected: 0 };
      return { ...state, selected: Math.min(action.count - 1, Math.max(0, state.selected + action.by)) };
  }
}

/** The library state, its dispatcher, and a reader of the latest state between renders. */
export function useLibraryState() {
  return useSyncReducer(libraryReducer, { filter: '', selected: 0 });
}

/**
 * Runbooks matching the filter, best first: a title or id that starts with it, then a word that
 * starts with it (title, id, tags), then anywhere in the title, id, tags or summary.
 */
export function filterRunbooks(runbooks: readonly RunbookSummary[], filter: string): RunbookSummary[] {
  const query = filter.trim().toLowerCase();
  if (query === '') return [...runbooks];
  const scored: { runbook: RunbookSummary; score: number; index: number }[] = [];
  runbooks.forEach((runbook, index) => {
    const score = matchScore(runbook, query);
    if (score > 0) scored.push({ runbook, score, index });
  });
  return scored.sort((a, b) => b.score - a.score || a.index - b.index).map((s) => s.runbook);
}

function matchScore(runbook: RunbookSummary, query: string): number {
  const title = runbook.title.toLowerCase();
  const id = runbook.id.toLowerCase().replace(/^\d+[-_]/, '');
  const tags = runbook.tags.map((t) => t.toLowerCase());
  const words = [...title.split(/[^a-z0-9]+/), ...id.split(/[^a-z0-9]+/), ...tags];
  if (title.startsWith(query) || id.startsWith(query)) return 4;
  if (words.some((w) => w.startsWith(query))) return 3;
  if (title.includes(query) || runbook.id.toLowerCase().includes(query) || tags.some((t) => t.includes(query))) return 2;
  if ((runbook.summary ?? '').toLowerCase().includes(query)) return 1;
  return 0;
}

/** The first and last row to show so the selected one stays in view. */
export function visibleRange(count: number, selected: number, height: number): { from: number; to: number } {
  if (count <= height) return { from: 0, to: count };
  const from = Math.min(Math.max(0, selected - Math.floor(height / 2)), count - height);
  return { from, to: from + height };
}

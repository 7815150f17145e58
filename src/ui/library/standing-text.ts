// How a runbook's standing reads on the library screen: a short label with a colour, and whether
// it counts as done. Kept apart from standing.ts, which reads the record: the screen's first frame
// needs these, not the record's modules.
import type { Standing } from './standing.js';

/** Label and colour of a standing. */
export function standingText(standing: Standing | undefined): { text: string; color: string } {
  switch (standing?.kind) {
    case undefined:
    case 'not-started':
      return { text: 'not started', color: 'gray' };
    case 'in-progress':
      return { text: `in progress ${standing.done}/${standing.total}`, color: 'yellow' };
    case 'done':
      return { text: `✔ done by ${standing.by}`, color: 'green' };
    case 'failed':
      return { text: `✘ failed ${standing.done}/${standing.total}`, color: 'red' };
    case 'locked':
      return { text: `locked by ${standing.by}@${standing.host}`, color: 'magenta' };
  }
}

/** Whether a runbook counts as finished for another's `requires`. */
export function isDone(standing: Standing | undefined): boolean {
  return standing?.kind === 'done';
}

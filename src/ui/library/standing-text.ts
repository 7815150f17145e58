// A runbook's standing as a short label with a colour, for the library's rows.
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

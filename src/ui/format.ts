// Small text shapes every screen shares: status icons, durations, cutting text to a width.
// Icons carry the meaning on their own, so a screen read without colour (NO_COLOR) still says it.
import type { StepStatus } from '../store/record.js';

/** The icon and colour of a step status. */
export const STEP_ICON: Record<StepStatus | 'current', { icon: string; color: string }> = {
  pending: { icon: '○', color: 'gray' },
  current: { icon: '▸', color: 'cyan' },
  running: { icon: '◐', color: 'yellow' },
  done: { icon: '✔', color: 'green' },
  failed: { icon: '✘', color: 'red' },
  skipped: { icon: '↷', color: 'gray' },
};

/** A duration as an operator reads it: 850ms, 12s, 3m05s, 1h02m. */
export function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** Milliseconds between two ISO times (or until `now`). */
export function elapsed(fromIso: string, toIso?: string, now: number = Date.now()): number {
  const end = toIso ? Date.parse(toIso) : now;
  return end - Date.parse(fromIso);
}

/** Text cut to `width` columns with an ellipsis (one column per character: runbooks are mostly ASCII). */
export function cut(text: string, width: number): string {
  if (width <= 0) return '';
  if (text.length <= width) return text;
  return width === 1 ? '…' : `${text.slice(0, width - 1)}…`;
}

/** Text padded or cut to exactly `width` columns. */
export function fit(text: string, width: number): string {
  return cut(text, width).padEnd(Math.max(0, width));
}

/** "1 step", "3 steps". */
export function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

// Durations as runbook authors write them: `90s`, `2m`, `1h30m`, `500ms`, `1d`; a bare number is seconds.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;

/** Milliseconds for a duration text, or an error message saying what is accepted. */
export function parseDuration(text: string): { ms: number } | { error: string } {
  const source = text.trim();
  if (/^\d+(?:\.\d+)?$/.test(source)) return { ms: Math.round(Number(source) * 1000) };
  if (source === '') return { error: 'empty duration (write e.g. 90s, 2m or 1h30m)' };
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < source.length) {
    const at = PART.lastIndex;
    const match = PART.exec(source);
    if (!match) {
      return { error: `bad duration "${text}" at "${source.slice(at)}" (write e.g. 90s, 2m or 1h30m)` };
    }
    total += Number(match[1]) * UNIT_MS[match[2]!]!;
  }
  return { ms: Math.round(total) };
}

/** A short human form of a duration: `850ms`, `4.2s`, `3m05s`, `1h02m`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
  const totalSeconds = Math.round(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return `${hours}h${String(minutes).padStart(2, '0')}m`;
  return `${minutes}m${String(seconds).padStart(2, '0')}s`;
}

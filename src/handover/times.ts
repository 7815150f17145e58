// Times as the team reads them: in one named time zone for the whole document, to the second, with
// the zone stated once at the top. Records hold ISO times in UTC; the document never mixes zones.
import { formatDuration } from '../runbook/duration.js';

/** Formats record times in one time zone. */
export interface Clock {
  /** IANA zone name, e.g. `Europe/Paris` or `UTC`. */
  readonly zone: string;
  /** `2026-11-25 21:40:12`. */
  dateTime(iso: string | undefined): string;
  /** `21:40:12`, or the full date and time when the day differs from `sameDayAs`. */
  time(iso: string | undefined, sameDayAs?: string): string;
  /** `2026-11-25`. */
  date(iso: string | Date): string;
  /** How the zone is named in the document: `UTC`, or `Europe/Paris (GMT+1)`. */
  describe(at: Date): string;
}

/** A clock for a time zone; throws RangeError for a zone the runtime does not know. */
export function clockIn(zone: string): Clock {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  const offset = new Intl.DateTimeFormat('en-GB', { timeZone: zone, timeZoneName: 'shortOffset' });
  // Intl's formatting is slow for thousands of times; the zone's offset is not. It is looked up
  // once per quarter hour of UTC (offsets only change on such boundaries) and applied by hand.
  const offsets = new Map<number, number>();
  const offsetAt = (ms: number): number => {
    const bucket = Math.floor(ms / 900_000);
    let known = offsets.get(bucket);
    if (known === undefined) {
      const p: Record<string, string> = {};
      for (const part of parts.formatToParts(bucket * 900_000)) p[part.type] = part.value;
      const local = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
      known = local - bucket * 900_000;
      offsets.set(bucket, known);
    }
    return known;
  };
  // A run's start is the reference of every step's time: remembered rather than worked out again.
  const seen = new Map<string, { day: string; clock: string } | undefined>();
  const split = (value: string | Date): { day: string; clock: string } | undefined => {
    if (typeof value === 'string') {
      if (seen.has(value)) return seen.get(value);
      if (seen.size > 20_000) seen.clear();
    }
    const ms = typeof value === 'string' ? Date.parse(value) : value.getTime();
    const result = Number.isFinite(ms) ? local(ms) : undefined;
    if (typeof value === 'string') seen.set(value, result);
    return result;
  };
  const local = (ms: number) => {
    const text = new Date(ms + offsetAt(ms)).toISOString();
    return { day: text.slice(0, 10), clock: text.slice(11, 19) };
  };
  return {
    zone,
    dateTime(iso) {
      const at = iso === undefined ? undefined : split(iso);
      return at ? `${at.day} ${at.clock}` : '—';
    },
    time(iso, sameDayAs) {
      const at = iso === undefined ? undefined : split(iso);
      if (!at) return '—';
      const reference = sameDayAs === undefined ? undefined : split(sameDayAs);
      return reference && reference.day === at.day ? at.clock : `${at.day} ${at.clock}`;
    },
    date(value) {
      return split(value)?.day ?? '—';
    },
    describe(at) {
      if (zone === 'UTC' || zone === 'Etc/UTC') return 'UTC';
      const name = offset.formatToParts(at).find((part) => part.type === 'timeZoneName')?.value;
      return name ? `${zone} (${name})` : zone;
    },
  };
}

/** Milliseconds between two ISO times, or undefined when either is missing. */
export function between(from: string | undefined, to: string | undefined): number | undefined {
  if (from === undefined || to === undefined) return undefined;
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

/** A duration for the document, `—` when unknown. */
export function duration(ms: number | undefined): string {
  return ms === undefined ? '—' : formatDuration(ms);
}

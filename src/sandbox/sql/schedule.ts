// When a started task or alert runs next: SCHEDULE = '<n> MINUTE[S]' (also SECONDS/HOURS) or
// 'USING CRON <minute> <hour> <day> <month> <weekday> <time zone>'. Cron is evaluated in UTC
// whatever zone is named. Pure date arithmetic, no timers here.

/** A parsed schedule. */
export type Schedule = { everyMs: number } | { cron: CronFields };

interface CronFields {
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  anyDay: boolean;
  anyWeekday: boolean;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function field(text: string, min: number, max: number, names: string[] = [], nameBase = 0): Set<number> {
  const out = new Set<number>();
  const value = (part: string): number => {
    const index = names.indexOf(part.toUpperCase());
    const n = index >= 0 ? index + nameBase : Number(part);
    if (!Number.isInteger(n) || n < min || n > max + (max === 6 ? 1 : 0)) throw new Error(`invalid cron field '${text}'`);
    return max === 6 && n === 7 ? 0 : n;
  };
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`invalid cron step in '${text}'`);
    let from = min;
    let to = max;
    if (range !== '*') {
      const [a, b] = range!.split('-');
      from = value(a!);
      to = b === undefined ? (stepText === undefined ? from : max) : value(b);
    }
    for (let n = from; n <= to; n += step) out.add(n);
  }
  return out;
}

/** Parses a task or alert SCHEDULE; throws with a readable message when it cannot. */
export function parseSchedule(text: string): Schedule {
  const trimmed = text.trim();
  const interval = /^(\d+)\s*(SECONDS?|MINUTES?|HOURS?)$/i.exec(trimmed);
  if (interval) {
    const n = Number(interval[1]);
    const unit = interval[2]!.toUpperCase();
    const ms = unit.startsWith('SECOND') ? 1000 : unit.startsWith('MINUTE') ? 60_000 : 3_600_000;
    if (n < 1) throw new Error(`invalid schedule '${text}'`);
    return { everyMs: n * ms };
  }
  const cron = /^USING\s+CRON\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)(?:\s+\S+)?$/i.exec(trimmed);
  if (!cron) throw new Error(`invalid schedule '${text}': use '<n> MINUTE' or 'USING CRON <min> <hour> <day> <month> <weekday> <zone>'`);
  const [, m, h, d, mo, wd] = cron;
  return {
    cron: {
      minutes: field(m!, 0, 59),
      hours: field(h!, 0, 23),
      days: field(d!, 1, 31),
      months: field(mo!, 1, 12, MONTHS, 1),
      weekdays: field(wd!, 0, 6, WEEKDAYS, 0),
      anyDay: d === '*',
      anyWeekday: wd === '*',
    },
  };
}

/** The first run strictly after `after`. */
export function nextRun(schedule: Schedule, after: Date): Date {
  if ('everyMs' in schedule) return new Date(after.getTime() + schedule.everyMs);
  const c = schedule.cron;
  const t = new Date(after.getTime());
  t.setUTCSeconds(0, 0);
  t.setUTCMinutes(t.getUTCMinutes() + 1);
  // A year of minutes is the most a valid expression can need.
  for (let k = 0; k < 527_040; k++) {
    const dayMatches = c.anyDay && c.anyWeekday
      ? true
      : c.anyDay ? c.weekdays.has(t.getUTCDay())
      : c.anyWeekday ? c.days.has(t.getUTCDate())
      : c.days.has(t.getUTCDate()) || c.weekdays.has(t.getUTCDay());
    if (c.months.has(t.getUTCMonth() + 1) && dayMatches && c.hours.has(t.getUTCHours()) && c.minutes.has(t.getUTCMinutes())) return t;
    t.setUTCMinutes(t.getUTCMinutes() + 1);
  }
  throw new Error('the schedule never runs');
}

import { describe, expect, it } from 'vitest';
import { nextRun, parseSchedule } from '../../../src/sandbox/sql/schedule.js';

const at = (iso: string): Date => new Date(iso);

describe('task and alert schedules', () => {
  it('runs interval schedules that long after the last run', () => {
    expect(nextRun(parseSchedule('15 MINUTE'), at('2024-06-01T10:00:00Z')).toISOString()).toBe('2024-06-01T10:15:00.000Z');
    expect(nextRun(parseSchedule('90 seconds'), at('2024-06-01T10:00:00Z')).toISOString()).toBe('2024-06-01T10:01:30.000Z');
  });

  it('finds the next cron minute, including steps, ranges, names and day-of-week', () => {
    expect(nextRun(parseSchedule('USING CRON 0 2 * * * UTC'), at('2024-06-01T02:00:00Z')).toISOString()).toBe('2024-06-02T02:00:00.000Z');
    expect(nextRun(parseSchedule('USING CRON */15 * * * * UTC'), at('2024-06-01T10:07:30Z')).toISOString()).toBe('2024-06-01T10:15:00.000Z');
    expect(nextRun(parseSchedule('USING CRON 30 6 * * MON-FRI UTC'), at('2024-06-01T12:00:00Z')).toISOString()).toBe('2024-06-03T06:30:00.000Z');
    expect(nextRun(parseSchedule('USING CRON 0 0 1 JAN * UTC'), at('2024-06-01T00:00:00Z')).toISOString()).toBe('2025-01-01T00:00:00.000Z');
  });

  it('refuses what it cannot read, with a message that shows the accepted forms', () => {
    expect(() => parseSchedule('every day')).toThrow(/USING CRON/);
    expect(() => parseSchedule('USING CRON 61 * * * * UTC')).toThrow(/invalid cron field/);
  });
});

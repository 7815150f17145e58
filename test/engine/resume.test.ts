import { describe, expect, it } from 'vitest';
import { readAttemptJournal } from '../../src/engine/resume.js';

describe('the attempt journal', () => {
  it('lists each attempt begun with its time, and ignores a line that was never finished', () => {
    const text = '2026-11-25T21:40:01.000Z\t01-setup.1-1\n2026-11-25T21:40:02.500Z\t02-load.1-1\n2026-11-25T21:40:0';
    expect([...readAttemptJournal(text)]).toEqual([
      ['01-setup.1-1', '2026-11-25T21:40:01.000Z'],
      ['02-load.1-1', '2026-11-25T21:40:02.500Z'],
    ]);
  });

  it('ignores lines that are not time, tab, name (an edited or foreign file)', () => {
    expect([...readAttemptJournal('hello\n\tno-time\nno-name\t\n\n2026-11-25T21:40:01.000Z\t03-report.1-2\n')]).toEqual([['03-report.1-2', '2026-11-25T21:40:01.000Z']]);
  });
});

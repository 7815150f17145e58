import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAutorep } from '../../src/scheduler/autorep.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/autosys/${name}`, import.meta.url), 'utf8');

describe('parseAutorep', () => {
  it('reads the wide summary by the columns of its ruler, with box children and nulls', () => {
    const { rows, problems } = parseAutorep(fixture('summary-wide.txt'));
    expect(problems).toEqual([]);
    expect(rows.map((r) => [r.name, r.depth, r.box, r.code, r.state, r.run, r.ntry, r.exit])).toEqual([
      ['BX_SF_DAILY', 0, undefined, 'FA', 'failed', 812, 1, 1],
      ['JB_SF_EXTRACT', 1, 'BX_SF_DAILY', 'SU', 'ok', 812, 1, 0],
      ['JB_SF_LOAD', 1, 'BX_SF_DAILY', 'FA', 'failed', 812, 1, 127],
      ['JB_SF_VALIDATE', 1, 'BX_SF_DAILY', 'IN', 'inactive', 0, 0, 0],
    ]);
    expect(rows[0]!.lastStart).toBe('06/03/2026 02:00:01');
    expect(rows[0]!.lastEnd).toBe('06/03/2026 02:31:40');
    expect(rows[3]!.lastStart).toBeNull();
    expect(rows[3]!.lastEnd).toBeNull();
    expect(rows[2]!.status).toBe('FAILURE');
  });

  it('reads a narrow release: nested boxes, status with exit, pri/exit pairs and a name wider than its column', () => {
    const { rows, problems } = parseAutorep(fixture('summary-narrow.txt'));
    expect(problems).toEqual([]);
    const byName = new Map(rows.map((r) => [r.name, r]));
    expect(byName.get('BX_NIGHTLY_SUB')!.box).toBe('BX_NIGHTLY');
    expect(byName.get('JB_NIGHT_PULL')).toMatchObject({ depth: 2, box: 'BX_NIGHTLY_SUB', code: 'SU', exit: 0, state: 'ok' });
    expect(byName.get('JB_NIGHT_PUSH')).toMatchObject({ lastEnd: null, state: 'running' });
    expect(byName.get('JB_NIGHT_ARCHIVE')).toMatchObject({ depth: 1, box: 'BX_NIGHTLY', state: 'iced', lastStart: null });
    expect(byName.get('JB_STANDALONE_CLEANUP')).toMatchObject({
      depth: 0, box: undefined, code: 'FA', exit: 137, run: 196, ntry: 2, priority: 5, lastEnd: '05/30/2026 21:00:09',
    });
  });

  it('attaches the detail table of -d to its job, with operator events and notes', () => {
    const { rows } = parseAutorep(fixture('detail.txt'));
    expect(rows).toHaveLength(1);
    const events = rows[0]!.events!;
    expect(events.map((e) => e.event)).toEqual(['[FORCE_STARTJOB]', 'STARTING', 'RUNNING', 'SUCCESS']);
    expect(events[1]).toMatchObject({ time: '06/03/2026 11:24:48', ntry: 1, es: 'PD', processTime: '06/03/2026 11:24:48', machine: 'etl-agent-01' });
    expect(events[0]).toMatchObject({ ntry: 0, machine: '' });
    expect(events[2]!.notes).toEqual(['<Executing at WA_AGENT>']);
  });

  it('reports a row it cannot read instead of guessing', () => {
    const text = fixture('summary-wide.txt') + 'garbage\n';
    const { rows, problems } = parseAutorep(text);
    expect(rows).toHaveLength(4);
    expect(problems).toEqual([{ line: 8, message: 'cannot read autorep row "garbage"' }]);
  });

  it('finds no rows in an error message', () => {
    expect(parseAutorep('CAUAJM_E_50027 Invalid Job Name: NOPE\n').rows).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { checkExpect, expectNames, parseExpect } from '../../src/runbook/expect.js';

const result = { rows: 1, value: '120', stdout: 'Loaded 5 rows', status: 'SU', exit: 0, row: [{ STATUS: 'ok' }] };

describe('expect expressions', () => {
  it.each([
    ['rows == 1', true],
    ['rows == 2', false],
    ['value >= 100 and rows == 1', true],
    ['value > 200 or exit != 0', false],
    ['stdout contains "Loaded"', true],
    ['status in ["SU", "IN"]', true],
    ['row[0].status == "ok"', true],
    ['not (exit == 0)', false],
    ['len(stdout) > 5 && lower(status) == "su"', true],
    ['stdout matches "^Loaded \\\\d+ rows$"', true],
  ])('%s → %s', (source, passed) => {
    expect(checkExpect(source, result)).toMatchObject({ passed });
  });

  it('compares SHOW flags given as text with booleans, and keeps lower-case keys', () => {
    const show = { row: [{ name: 'ETL_WH', auto_resume: 'true', auto_suspend: 60, 'is_default': 'false' }], ok: true };
    for (const [source, passed] of [
      ['row[0].auto_resume == true', true],
      ["row[0].auto_resume == 'true'", true],
      ['row[0].auto_resume != false', true],
      ['row[0].is_default == false', true],
      ['row[0].is_default == true', false],
      ['row[0].AUTO_SUSPEND <= 60', true],
      ['ok == "TRUE"', true],
      ['ok == "yes"', false],
      ['ok == 1', true],
    ] as const) {
      expect(checkExpect(source, show), source).toMatchObject({ passed });
    }
  });

  it('reads the reason of a failed statement', () => {
    const failed = { ok: false, error: { code: '003001', sqlState: '42501', message: 'Insufficient privileges' } };
    expect(checkExpect("not ok and error.code in ['002003', '003001']", failed)).toMatchObject({ passed: true });
    expect(checkExpect("not ok and error.code in ['002003']", failed)).toMatchObject({ passed: false });
    expect(checkExpect("ok or error.code == '003001'", { ok: true, error: null })).toMatchObject({ passed: true });
  });

  it('reports syntax errors with an offset instead of throwing', () => {
    const parsed = parseExpect('rows ==');
    expect(parsed).toHaveProperty('error');
    if ('error' in parsed) expect(parsed.error.message).toMatch(/expect/);
  });

  it.each(['foo(1)', 'a; b', 'this.x'])('refuses %s at parse time', (source) => {
    expect(parseExpect(source)).toHaveProperty('error');
  });

  it('cannot reach prototypes or the global scope', () => {
    expect(checkExpect('constructor == 1', result)).toHaveProperty('error');
    expect(checkExpect('row.constructor', result)).toHaveProperty('error');
    expect(checkExpect('row["__proto__"]', result)).toHaveProperty('error');
    expect(checkExpect('process', result)).toHaveProperty('error');
  });

  it('names the result fields an expression reads', () => {
    const parsed = parseExpect('rows == 1 and row[0].X == value and len(stdout) > 0');
    if ('error' in parsed) throw new Error(parsed.error.message);
    expect(expectNames(parsed.tree)).toEqual(['rows', 'row', 'value', 'stdout']);
  });
});

import { describe, expect, it } from 'vitest';
import { conditionJobs, evaluateCondition, parseCondition, type Condition } from '../../src/scheduler/condition.js';

const parse = (text: string): Condition => {
  const parsed = parseCondition(text);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed.condition;
};

const state = (statuses: Record<string, string>, exits: Record<string, number> = {}, globals: Record<string, string> = {}) => ({
  status: (job: string) => statuses[job],
  exit: (job: string) => exits[job],
  global: (name: string) => globals[name],
});

describe('AutoSys conditions', () => {
  it('binds & tighter than | and honours parentheses, short and long names', () => {
    const s = state({ A: 'SUCCESS', B: 'FAILURE', C: 'RUNNING' });
    expect(evaluateCondition(parse('s(A) | s(B) & s(C)'), s)).toBe(true);
    expect(evaluateCondition(parse('(s(A) | s(B)) & s(C)'), s)).toBe(false);
    expect(evaluateCondition(parse('success(A) AND failure(B)'), s)).toBe(true);
    expect(evaluateCondition(parse('d(A) and d(B) and n(A)'), s)).toBe(true);
    expect(evaluateCondition(parse('n(C)'), s)).toBe(false);
    expect(evaluateCondition(parse('t(B) or done(C)'), s)).toBe(false);
  });

  it('compares exit codes and globals, reads look-backs and other instances', () => {
    const s = state({ A: 'FAILURE', X: 'SUCCESS' }, { A: 4 }, { MODE: 'full' });
    expect(evaluateCondition(parse('e(A) > 3 & v(MODE) = "full"'), s)).toBe(true);
    expect(evaluateCondition(parse('exitcode(A) != 4'), s)).toBe(false);
    expect(parse('s(X, 24.00)')).toEqual({ type: 'atom', kind: 'success', job: 'X', lookback: '24.00' });
    expect(evaluateCondition(parse('s(X^PRD)'), s)).toBe(true);
    expect(conditionJobs(parse('s(A) & (f(B) | e(C) = 0) & v(G) = "x"'))).toEqual(['A', 'B', 'C']);
  });

  it('counts an iced job as satisfying conditions on it; an unknown job satisfies none', () => {
    const s = state({ ICED: 'ON_ICE' });
    expect(evaluateCondition(parse('s(ICED) & f(ICED)'), s)).toBe(true);
    expect(evaluateCondition(parse('s(GHOST) | n(GHOST)'), s)).toBe(false);
  });

  it('says where a condition goes wrong', () => {
    expect(parseCondition('s(A) &')).toEqual({ error: 'condition ends too early', offset: 6 });
    expect(parseCondition('x(A)')).toEqual({ error: 'unknown condition "x" (use s(), f(), t(), d(), n(), e() or v())', offset: 0 });
    expect(parseCondition('s(A')).toMatchObject({ error: 'expected ")" at the end' });
    expect(parseCondition('e(A)')).toMatchObject({ error: 'e() needs a comparison, e.g. e(A) = 0' });
    expect(parseCondition('s(A) s(B)')).toMatchObject({ error: 'unexpected "s"', offset: 5 });
  });
});

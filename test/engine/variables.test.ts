import { describe, expect, it } from 'vitest';
import { lookupIn, resolveVariables, shownVariables, unknownVars } from '../../src/engine/variables.js';
import type { VariableSpec } from '../../src/runbook/model.js';

const pos = { line: 1, column: 1 };
const spec = (name: string, more: Partial<VariableSpec> = {}): VariableSpec => ({ name, secret: false, pos, ...more });
const env = { name: 'prod', protected: true, variables: { WH: 'PROD_WH', SIZE: 'HUGE' } };
const builtins = { env: 'prod', operator: 'ana', run_id: 'r1', date: '2026-11-25' };

describe('variables', () => {
  it('takes --var over from-env over the environment over the default', () => {
    const specs = [spec('A', { default: 'a' }), spec('B', { default: 'b', fromEnv: 'B_FROM' }), spec('WH', { default: 'x' }), spec('C', { default: 'c' })];
    const resolved = resolveVariables({ specs, vars: { A: 'from-var' }, environment: env, processEnv: { B_FROM: 'from-env' }, builtins });
    expect(Object.fromEntries([...resolved.values].map(([k, v]) => [k, [v.value, v.source]]))).toMatchObject({
      A: ['from-var', 'var'],
      B: ['from-env', 'from-env'],
      WH: ['PROD_WH', 'environment'],
      C: ['c', 'default'],
      env: ['prod', 'builtin'],
    });
    expect(resolved.missing).toEqual([]);
  });

  it('fills defaults that use other variables, in any order', () => {
    const specs = [spec('FULL', { default: '{{DB}}.{{SCHEMA}}' }), spec('DB', { default: 'DB_{{env}}' }), spec('SCHEMA', { default: 'RAW' })];
    const resolved = resolveVariables({ specs, vars: {}, environment: { ...env, variables: {} }, processEnv: {}, builtins });
    expect(resolved.values.get('FULL')?.value).toBe('DB_prod.RAW');
  });

  it('lists variables with no value, and values that break choices or patterns, to be asked', () => {
    const specs = [spec('DATE', { pattern: '[0-9]{4}-[0-9]{2}-[0-9]{2}' }), spec('SIZE', { choices: ['XSMALL', 'SMALL'] }), spec('PW', { secret: true })];
    const resolved = resolveVariables({ specs, vars: { DATE: 'yesterday' }, environment: env, processEnv: {}, builtins });
    expect(resolved.missing.map((s) => s.name)).toEqual(['DATE', 'SIZE', 'PW']);
    expect(resolved.invalid).toEqual([
      'DATE: "yesterday" does not match [0-9]{4}-[0-9]{2}-[0-9]{2} (from --var)',
      'SIZE: "HUGE" is not one of XSMALL, SMALL (from the environment in baton.yaml)',
    ]);
  });

  it('reuses what an earlier session recorded, but never for secrets', () => {
    const specs = [spec('LOAD_DATE'), spec('PW', { secret: true })];
    const resolved = resolveVariables({
      specs,
      vars: {},
      environment: { ...env, variables: {} },
      processEnv: {},
      builtins,
      recorded: [{ name: 'LOAD_DATE', value: '2026-11-24', secret: false, source: 'prompt' }, { name: 'PW', secret: true, source: 'prompt' }],
    });
    expect(resolved.values.get('LOAD_DATE')).toEqual({ value: '2026-11-24', secret: false, source: 'prompt' });
    expect(resolved.missing.map((s) => s.name)).toEqual(['PW']);
  });

  it('masks secrets when shown and finds captured fields by dotted name', () => {
    const values = new Map([['PW', { value: 'hunter2', secret: true, source: 'var' as const }]]);
    expect(shownVariables(values)).toEqual([{ name: 'PW', shown: '••••••', secret: true, source: 'var' }]);
    const captured = new Map([['load', { value: '42', exit: 0 }]]);
    expect(lookupIn(values, 'load.exit', captured)).toEqual({ value: '0' });
    expect(lookupIn(values, 'PW')).toEqual({ value: 'hunter2', secret: true });
    expect(lookupIn(values, 'nope.value', captured)).toBeUndefined();
  });

  it('names unknown --var names with a suggestion', () => {
    expect(unknownVars([spec('WH_SIZE'), spec('DB')], { WH_SIZ: 'x', OTHER: 'y' })).toEqual([
      'unknown variable WH_SIZ (did you mean WH_SIZE?)',
      'unknown variable OTHER (this runbook declares: WH_SIZE, DB)',
    ]);
  });
});

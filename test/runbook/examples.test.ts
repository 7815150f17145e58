// The example runbooks (test/fixtures/examples, the format's first examples): they validate, they use every construct of the format, and their
// shell actions really run with bash and meet their own `expect`.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { checkExpect } from '../../src/runbook/expect.js';
import { loadLibrary } from '../../src/runbook/library.js';
import type { Runbook } from '../../src/runbook/model.js';
import { fillTemplate, type TemplateValue } from '../../src/runbook/template.js';

const folder = fileURLToPath(new URL('../fixtures/examples/', import.meta.url));
const library = await loadLibrary(folder);
const actions = library.runbooks.flatMap((runbook) => runbook.steps.flatMap((step) => step.actions.map((action) => ({ runbook, step, action }))));
const variables = library.runbooks.flatMap((runbook) => runbook.variables);

describe('the example runbooks', { timeout: 60_000 }, () => {
  it('validate without problems', () => {
    expect(library.problems).toEqual([]);
    expect(library.runbooks.map((r) => r.id)).toEqual(['01-warehouse-setup', '02-load-recovery']);
  });

  it('use every construct of the format', async () => {
    const kinds = new Set(actions.map(({ action }) => action.kind));
    expect([...kinds].sort()).toEqual(['autosys', 'shell', 'sql']);
    const attrs = actions.map(({ action }) => action.attrs);
    for (const key of ['name', 'timeout', 'retries', 'retryDelay', 'expect', 'capture', 'confirm', 'danger', 'env', 'watch', 'csv'] as const) {
      expect(attrs.some((a) => a[key] !== undefined), key).toBe(true);
    }
    expect(attrs.some((a) => a.onFail?.kind === 'continue')).toBe(true);
    expect(attrs.some((a) => a.onFail?.kind === 'runbook')).toBe(true);
    expect(variables.some((v) => v.choices)).toBe(true);
    expect(variables.some((v) => v.pattern)).toBe(true);
    expect(variables.some((v) => v.secret && v.fromEnv)).toBe(true);
    expect(variables.some((v) => v.default?.includes('{{env}}'))).toBe(true);
    expect(library.runbooks.some((r) => r.requires.length > 0)).toBe(true);
    expect(library.runbooks.flatMap((r) => r.steps).some((s) => s.checks.length > 0)).toBe(true);
    expect(library.runbooks.flatMap((r) => r.steps).some((s) => s.prose.includes('```text'))).toBe(true);
    const sources = await Promise.all(library.runbooks.map((r) => readFile(r.path, 'utf8')));
    expect(sources.some((s) => /\{#[a-z-]+\}/.test(s)), 'an explicit step id').toBe(true);
    expect(sources.some((s) => /```\w+ \{"/.test(s)), 'Runme JSON attributes').toBe(true);
  });

  const shell = actions.filter(({ action }) => action.kind === 'shell' && !action.attrs.interactive);
  it.each(shell.map(({ runbook, action }) => [action.id, runbook, action] as const))('shell action %s runs with bash', async (_id, runbook, action) => {
    const code = fillTemplate(action.code, (name) => valueOf(runbook, name)).text;
    expect(code).not.toContain('{{');
    const result = await execa('bash', ['-c', code], { cwd: folder, stdin: 'ignore', reject: false, env: { BATON_ALERT_TOKEN: '' } });
    expect(result.exitCode, result.stderr).toBe(0);
    if (action.attrs.expect) {
      const fields = { exit: result.exitCode, exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr, ok: true, lines: result.stdout.split('\n') };
      expect(checkExpect(action.attrs.expect, fields)).toMatchObject({ passed: true });
    }
  });
});

/** Values as a sandbox run would have them: defaults, built-ins, and stand-ins for results of actions that need Snowflake or AutoSys. */
function valueOf(runbook: Runbook, name: string): TemplateValue | undefined {
  const builtins: Record<string, string> = { env: 'sandbox', operator: 'trainee', run_id: 'test-run', date: '2026-01-15' };
  const stand_ins: Record<string, string> = { value: '3', rowcount: '1', status: 'SU', rows: '1' };
  if (name in builtins) return { value: builtins[name]! };
  const [base, field] = name.split('.');
  const variable = runbook.variables.find((v) => v.name === base);
  if (variable) {
    if (variable.secret) return { value: '', secret: true };
    const value = variable.default ?? (variable.pattern?.includes('[0-9]{4}') ? '2026-01-15' : 'X');
    return { value: fillTemplate(value, (inner) => valueOf(runbook, inner)).text };
  }
  return field ? { value: stand_ins[field] ?? 'x' } : { value: '3' };
}

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startRun } from '../../src/engine/runner.js';
import { resultTable } from '../../src/engine/result-table.js';
import { openStore } from '../../src/store/runs.js';
import { tempDir, waitFor } from '../helpers/context.js';
import { makeRunbook } from '../helpers/runbook.js';

const sandbox = { name: 'sandbox', protected: false, variables: {} };

describe('cancel intent', () => {
  it('stops the running action, fails its step, and a retry runs it again', async () => {
    const dir = tempDir();
    const runbook = makeRunbook({
      path: join(dir, 'demo.md'),
      steps: [{ title: 'Wait', actions: ['if [ -f again ]; then echo second; else touch again; echo first; sleep 30; fi'] }],
    });
    const run = startRun({ runbook, environment: sandbox, operator: 'ana', store: openStore(join(dir, 'state')), mode: 'step' });
    await waitFor(() => run.getState().phase === 'running');
    expect(run.dispatch({ type: 'cancel' })).toEqual({ accepted: false, reason: 'nothing is running' });
    run.dispatch({ type: 'run', stepId: 'wait' });
    await waitFor(() => run.getState().output?.lines.some((l) => l.text === 'first'), 20_000, 'the attempt to print');
    expect(run.dispatch({ type: 'cancel' })).toEqual({ accepted: true });
    const failed = await waitFor(() => (run.getState().record!.steps[0]!.status === 'failed' ? run.getState() : undefined), 20_000, 'the step to fail');
    expect(failed.phase).toBe('running');
    expect(failed.record!.steps[0]!.failure).toContain('cancelled by ana');
    expect(run.dispatch({ type: 'retry', stepId: 'wait' })).toEqual({ accepted: true });
    await waitFor(() => run.getState().record!.steps[0]!.status === 'done', 20_000, 'the retry to pass');
    expect(run.getState().output?.lines.map((l) => l.text)).toEqual(['second']);
    run.dispatch({ type: 'pause' });
    await run.finished;
  }, 30_000);
});

describe('resultTable', () => {
  it('keeps columns and the first rows as masked text, and the total', () => {
    const table = resultTable(
      { columns: ['N', 'NAME', 'N'], row: [{ N: 1, NAME: 'hunter2 x', N_2: null }, { N: 2, NAME: { a: 1 }, N_2: 'b\nc' }], rows: 120 },
      { stepId: 's', actionId: 's/1', attempt: 1 },
      ['hunter2'],
    );
    expect(table).toEqual({
      stepId: 's',
      actionId: 's/1',
      attempt: 1,
      columns: ['N', 'NAME', 'N'],
      rows: [['1', '•••••• x', 'NULL'], ['2', '{"a":1}', 'b⏎c']],
      total: 120,
    });
  });

  it('is absent for a result without columns (a shell command)', () => {
    expect(resultTable({ exit: 0, stdout: 'x' }, { stepId: 's', actionId: 's/1', attempt: 1 }, [])).toBeUndefined();
  });
});

describe('the result table in the run state', () => {
  it('keeps an action\'s rows while a later action runs, and drops them when that action runs again', async () => {
    const { reduce, initialState } = await import('../../src/engine/reducer.js');
    const runbook = makeRunbook({ path: '/tmp/x.md', steps: [{ title: 'S', actions: ['a', 'b'] }] });
    let state = initialState({ runbook, environment: { name: 'sandbox', protected: false }, operator: 'ana', mode: 'step', dryRun: false });
    const attempt = (actionId: string) => ({ type: 'attempt-started' as const, stepId: 's', actionId, interactive: false, attempt: { n: 1, status: 'running' as const, operator: 'ana', startedAt: '2026-11-25T00:00:00.000Z' } });
    const table = { stepId: 's', actionId: 's/1', attempt: 1, columns: ['N'], rows: [['3']], total: 1 };
    state = reduce(state, attempt('s/1'));
    state = reduce(state, { type: 'attempt-ended', stepId: 's', actionId: 's/1', n: 1, status: 'succeeded', ended: { endedAt: '2026-11-25T00:00:01.000Z' }, table });
    expect(state.table).toEqual(table);
    state = reduce(state, attempt('s/2'));
    expect(state.table).toEqual(table);
    state = reduce(state, attempt('s/1'));
    expect(state.table).toBeUndefined();
  });
});

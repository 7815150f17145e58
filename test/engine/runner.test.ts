import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { Executor, ExecutionContext } from '../../src/executors/types.js';
import { shellExecutor } from '../../src/executors/shell.js';
import { acquireLock, processAlive } from '../../src/store/lock.js';
import { StateError, openStore, readRun, type RunStore } from '../../src/store/runs.js';
import { tempDir, waitFor } from '../helpers/context.js';
import { PROD, drive } from '../helpers/run.js';
import { makeRunbook } from '../helpers/runbook.js';

// Real processes on a shared machine: give them time; nothing here asserts on timing.
vi.setConfig({ testTimeout: 60_000 });

describe('the runner', () => {
  it('runs steps for real, captures, checks expect, skips by env, and records every attempt', async () => {
    const dir = tempDir();
    const runbook = makeRunbook({
      path: join(dir, 'demo.md'),
      variables: [{ name: 'WH', default: 'ETL_WH_{{env}}' }],
      steps: [
        { title: 'Make', actions: [{ code: 'echo {{WH}} > made.txt; echo 42', attrs: { capture: 'answer', expect: 'stdout contains "42"' } }] },
        { title: 'Use', actions: [{ code: 'echo "got {{answer}} and {{answer.exit}}"' }, { code: 'echo prod only', attrs: { env: ['prod'] } }], checks: ['Output read {{answer}}'] },
      ],
    });
    const { final, events } = drive(dir, { runbook });
    const state = await final;
    expect(state.ended).toEqual({ status: 'done' });
    expect(readFileSync(join(dir, 'made.txt'), 'utf8')).toBe('ETL_WH_sandbox\n');
    const outputs = events.flatMap((e) => (e.type === 'output' ? e.lines : []));
    expect(outputs).toEqual(['42', 'got 42 and 0']);
    const read = await readRun(join(dir, 'state'), state.record!.id);
    if (!read.ok) throw new Error(read.message);
    const [make, use] = read.record.steps;
    expect(make!.actions[0]).toMatchObject({ status: 'succeeded', captured: 'answer', attempts: [{ n: 1, status: 'succeeded', exitCode: 0, expect: { passed: true } }] });
    expect(use!.actions[1]).toMatchObject({ status: 'skipped', skip: { reason: 'runs only in prod', via: 'rule' } });
    expect(use!.checks[0]).toMatchObject({ status: 'confirmed', text: 'Output read 42', by: 'ana' });
    expect(read.record.variables).toContainEqual(expect.objectContaining({ name: 'answer', value: '42', secret: false, source: 'capture', fields: expect.objectContaining({ exit: 0, stdout: '42' }) }));
    const log = make!.actions[0]!.attempts[0]!.log!;
    expect(readFileSync(join(dir, 'state', log), 'utf8')).toBe('42\n');
  });

  it('retries with a doubling delay, and stops the run when the last attempt fails', async () => {
    const dir = tempDir();
    const runbook = makeRunbook({
      path: join(dir, 'demo.md'),
      steps: [{ title: 'Flaky', actions: [{ code: 'echo try >> tries; exit 3', attrs: { retries: 2, retryDelay: 20 } }] }, { title: 'Never', actions: ['touch never'] }],
    });
    const { final, events } = drive(dir, { runbook });
    const state = await final;
    expect(state.ended?.status).toBe('failed');
    expect(readFileSync(join(dir, 'tries'), 'utf8')).toBe('try\ntry\ntry\n');
    expect(events.flatMap((e) => (e.type === 'waiting' ? [e.delayMs] : []))).toEqual([20, 40]);
    expect(state.record!.steps[0]).toMatchObject({ status: 'failed', failure: 'flaky/1: exit 3' });
    expect(state.record!.steps[0]!.actions[0]!.attempts.map((a) => a.status)).toEqual(['failed', 'failed', 'failed']);
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });

  it('times an attempt out and kills its process tree', async () => {
    const dir = tempDir();
    const runbook = makeRunbook({ path: join(dir, 'demo.md'), steps: [{ title: 'Slow', actions: [{ code: '(sleep 60) & echo $! > child.pid; sleep 60', attrs: { timeout: 300 } }] }] });
    const state = await drive(dir, { runbook }).final;
    const attempt = state.record!.steps[0]!.actions[0]!.attempts[0]!;
    expect(attempt).toMatchObject({ status: 'timeout', error: { message: 'timed out after 0s' } });
    const child = Number(readFileSync(join(dir, 'child.pid'), 'utf8'));
    await waitFor(() => !processAlive(child), 10_000, 'the background child to be killed');
  });

  it('carries on past a failure with on-fail=continue and runs a fallback runbook as a linked run', async () => {
    const dir = tempDir();
    const recovery = makeRunbook({ id: 'recovery', path: join(dir, 'recovery.md'), steps: [{ title: 'Recover', actions: ['echo recovered > recovered.txt'] }] });
    const runbook = makeRunbook({
      id: 'main',
      path: join(dir, 'main.md'),
      steps: [
        { title: 'Soft', actions: [{ code: 'exit 1', attrs: { onFail: { kind: 'continue' } } }, 'echo after > after.txt'] },
        { title: 'Hard', actions: [{ code: 'exit 2', attrs: { onFail: { kind: 'runbook', runbook: 'recovery' } } }] },
      ],
    });
    const state = await drive(dir, { runbook, resolveRunbook: async (id) => (id === 'recovery' ? recovery : { problem: 'no such runbook' }) }).final;
    expect(state.ended?.status).toBe('done');
    expect(existsSync(join(dir, 'after.txt'))).toBe(true);
    expect(readFileSync(join(dir, 'recovered.txt'), 'utf8')).toBe('recovered\n');
    const record = state.record!;
    expect(record.steps[0]!.actions[0]).toMatchObject({ status: 'failed', tolerated: 'continue' });
    const hard = record.steps[1]!.actions[0]!;
    expect(hard).toMatchObject({ status: 'failed', tolerated: 'fallback' });
    expect(record.linked).toEqual([expect.objectContaining({ runbookId: 'recovery', stepId: 'hard', actionId: 'hard/1', status: 'done', runId: hard.fallbackRunId })]);
    const child = await readRun(join(dir, 'state'), hard.fallbackRunId!);
    expect(child).toMatchObject({ ok: true, record: { status: 'done', parent: { runId: record.id, stepId: 'hard', actionId: 'hard/1' } } });
  });

  it('watches until expect holds', async () => {
    const dir = tempDir();
    const runbook = makeRunbook({
      path: join(dir, 'demo.md'),
      steps: [{ title: 'Wait', actions: [{ code: 'echo x >> polls; wc -l < polls', attrs: { watch: 10, expect: 'number(stdout) >= 3' } }] }],
    });
    const state = await drive(dir, { runbook }).final;
    const attempts = state.record!.steps[0]!.actions[0]!.attempts;
    expect(attempts.map((a) => [a.status, Boolean(a.watch)])).toEqual([
      ['failed', false],
      ['failed', true],
      ['succeeded', true],
    ]);
  });

  it('gives up a watch once its timeout has passed since it began, with the last result recorded', async () => {
    const dir = tempDir();
    const runbook = makeRunbook({
      path: join(dir, 'demo.md'),
      steps: [{ title: 'Wait', actions: [{ code: 'echo RUNNING', attrs: { watch: 10, timeout: 3_600_000, expect: 'stdout == "SU"' } }] }],
    });
    // The clock moves only when the test says: nobody is there to stop the watch, the hour passes.
    let clock = Date.parse('2026-11-25T21:00:00Z');
    const driven = drive(dir, { runbook, now: () => new Date(clock) });
    await waitFor(() => driven.events.filter((e) => e.type === 'attempt-ended').length >= 2, 10_000, 'two polls');
    clock += 3_600_000;
    const state = await driven.final;
    expect(state.ended?.status).toBe('failed');
    const step = state.record!.steps[0]!;
    expect(step.failure).toMatch(/^wait\/1: gave up watching after 1h00m \(last: expect did not hold: stdout == "SU"\)$/);
    const attempts = step.actions[0]!.attempts;
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(attempts.at(-1)).toMatchObject({ status: 'failed', excerpt: 'RUNNING', expect: { passed: false } });
  });

  it('gives up when the wait before the next poll runs to the deadline, keeping the last real answer', async () => {
    const dir = tempDir();
    const runbook = makeRunbook({
      path: join(dir, 'demo.md'),
      steps: [{ title: 'Wait', actions: [{ code: 'sleep 0.3; echo RUNNING', attrs: { watch: 10, timeout: 1000, expect: 'stdout == "SU"' } }] }],
    });
    // While the second poll runs, the clock jumps to 5 ms before the deadline and stands there: the
    // wait after the poll is cut to those 5 ms. A poll after that wait would again have 5 ms (on
    // this clock), too short to answer, and its "timed out" would stand in for the real answer.
    let clock = Date.parse('2026-11-25T21:00:00Z');
    const driven = drive(dir, { runbook, now: () => new Date(clock) });
    await waitFor(() => driven.events.filter((e) => e.type === 'attempt-started').length >= 2, 10_000, 'the second poll');
    clock += 995;
    const state = await driven.final;
    expect(state.record!.steps[0]!.failure).toMatch(/^wait\/1: gave up watching after 1\.0s \(last: expect did not hold: stdout == "SU"\)$/);
    expect(state.record!.steps[0]!.actions[0]!.attempts.at(-1)).toMatchObject({ status: 'failed', excerpt: 'RUNNING', expect: { passed: false } });
  });

  it('stops watching when the operator says so, and the step fails with that reason', async () => {
    const dir = tempDir();
    const runbook = makeRunbook({ path: join(dir, 'demo.md'), steps: [{ title: 'Wait', actions: [{ code: 'echo RUNNING', attrs: { watch: 20, expect: 'stdout == "SU"' } }] }] });
    const driven = drive(dir, { runbook });
    await waitFor(() => driven.events.filter((e) => e.type === 'attempt-ended').length >= 2, 10_000, 'two polls');
    expect(driven.run.dispatch({ type: 'stop-watch', stepId: 'wait', actionId: 'wait/2' })).toEqual({ accepted: false, reason: 'that action is not being watched' });
    expect(driven.run.dispatch({ type: 'stop-watch', stepId: 'wait', actionId: 'wait/1' })).toEqual({ accepted: true });
    const state = await driven.final;
    expect(state.record!.steps[0]!.failure).toMatch(/^wait\/1: ana stopped watching \(last: expect did not hold/);
  });

  it('masks secrets in everything it shows or stores', async () => {
    const dir = tempDir();
    const canary = 'canary-7Zq9xK';
    const runbook = makeRunbook({
      path: join(dir, 'demo.md'),
      variables: [{ name: 'TOKEN', secret: true, fromEnv: 'TEST_TOKEN' }],
      steps: [{ title: 'Use the token', actions: [{ code: 'echo "inline {{TOKEN}}"; echo "env $BATON_VAR_TOKEN" >&2; exit 1', attrs: { onFail: { kind: 'continue' } } }], checks: ['Token {{TOKEN}} works'] }],
    });
    const { final, events } = drive(dir, { runbook, processEnv: { TEST_TOKEN: canary } });
    const state = await final;
    expect(JSON.stringify(events)).not.toContain(canary);
    expect(JSON.stringify(state)).not.toContain(canary);
    expect(events.flatMap((e) => (e.type === 'output' ? e.lines : []))).toEqual(expect.arrayContaining(['inline ••••••', 'env ••••••']));
    for (const file of filesUnder(join(dir, 'state'))) expect(readFileSync(file, 'utf8'), file).not.toContain(canary);
  });

  it('practises a dry run: shows every action filled in, runs nothing, records a practice run', async () => {
    const dir = tempDir();
    const runbook = makeRunbook({
      path: join(dir, 'demo.md'),
      variables: [{ name: 'TARGET', default: 'out-{{env}}' }],
      steps: [{ title: 'Write', actions: ['touch {{TARGET}}', { code: 'rm -rf {{TARGET}}', attrs: { danger: true } }], checks: ['Looked'] }],
    });
    const { final, events, asked } = drive(dir, { runbook, dryRun: true, environment: PROD });
    const state = await final;
    expect(asked).toEqual([]);
    expect(existsSync(join(dir, 'out-prod'))).toBe(false);
    expect(events.flatMap((e) => (e.type === 'action-previewed' ? [e.code] : []))).toEqual(['touch out-prod', 'rm -rf out-prod']);
    expect(state.record).toMatchObject({ practice: true, status: 'done' });
    expect(state.record!.steps[0]!.actions.map((a) => a.status)).toEqual(['previewed', 'previewed']);
    expect(state.record!.steps[0]!.actions[1]!.classification).toEqual({ level: 'destructive', reasons: ['marked danger in the runbook', 'rm -rf out-prod'] });
  });
});

describe('the guard in a protected environment', () => {
  const target: Executor = {
    kinds: ['shell'],
    classify: shellExecutor.classify,
    run: (context: ExecutionContext) => shellExecutor.run(context),
    describeTarget: async (context) => `host ${context.environment.name}-db-1 as svc_etl`,
  };

  it('asks to confirm a write, shows the live target once, and asks for the typed name for a destructive action', async () => {
    const dir = tempDir();
    const runbook = makeRunbook({ path: join(dir, 'demo.md'), steps: [{ title: 'Change', actions: ['echo a > a.txt', 'echo b > b.txt', 'rm -rf a.txt'] }] });
    let typedWrong = false;
    const driven = drive(dir, { runbook, environment: PROD, executors: async () => target }, (question, run) => {
      if (question.kind === 'type-name' && !typedWrong) {
        typedWrong = true;
        expect(run.dispatch({ type: 'answer', questionId: question.id, value: 'production' })).toEqual({ accepted: false, reason: 'type prod exactly (or nothing, to stop)' });
        return 'prod';
      }
      return question.kind === 'confirm' ? 'yes' : undefined;
    });
    const state = await driven.final;
    expect(state.ended?.status).toBe('done');
    expect(driven.asked.map((q) => [q.kind, q.assumeYes])).toEqual([
      ['confirm', undefined],
      ['confirm', undefined],
      ['type-name', undefined],
    ]);
    expect(driven.asked[0]!.detail).toContain('target: host prod-db-1 as svc_etl');
    expect(driven.asked[1]!.detail.some((d) => d.startsWith('target:'))).toBe(false);
    expect(state.record!.decisions.map((d) => [d.kind, d.answer, d.via])).toEqual([
      ['confirm', 'yes', 'operator'],
      ['confirm', 'yes', 'operator'],
      ['type-name', 'prod', 'operator'],
    ]);
  });

  it('stops when the operator declines, and skips the questions only with the recorded override', async () => {
    const dir = tempDir();
    const runbook = makeRunbook({ path: join(dir, 'demo.md'), steps: [{ title: 'Change', actions: ['echo a > a.txt'] }] });
    const declined = await drive(dir, { runbook, environment: PROD }, () => 'no').final;
    expect(declined.ended?.status).toBe('failed');
    expect(declined.record!.steps[0]!.failure).toBe('change/1: not run: ana declined');
    expect(existsSync(join(dir, 'a.txt'))).toBe(false);

    const other = tempDir();
    const overridden = drive(other, { runbook: { ...runbook, path: join(other, 'demo.md') }, environment: PROD, override: true });
    const state = await overridden.final;
    expect(overridden.asked).toEqual([]);
    expect(existsSync(join(other, 'a.txt'))).toBe(true);
    expect(state.record!.override).toMatchObject({ flag: '--i-know-what-i-am-doing', by: 'ana' });
    expect(state.record!.decisions).toEqual([expect.objectContaining({ via: 'override-flag', kind: 'confirm', actionId: 'change/1' })]);
  });
});

describe('step mode (the TUI face)', () => {
  it('runs a step only when asked for that step, and refuses intents typed ahead', async () => {
    const dir = tempDir();
    const runbook = makeRunbook({ path: join(dir, 'demo.md'), steps: [{ title: 'One', actions: ['echo 1 >> order'] }, { title: 'Two', actions: ['echo 2 >> order'] }] });
    const driven = drive(dir, { runbook, mode: 'step' });
    await waitFor(() => driven.run.getState().phase === 'running', 5000, 'the run to open');
    expect(driven.run.dispatch({ type: 'run', stepId: 'two' })).toEqual({ accepted: false, reason: 'step two is not the current step' });
    expect(driven.run.dispatch({ type: 'run', stepId: 'one' })).toEqual({ accepted: true });
    expect(driven.run.dispatch({ type: 'run', stepId: 'one' })).toMatchObject({ accepted: false });
    await waitFor(() => driven.run.getState().cursor === 1 && !driven.run.getState().activity, 5000, 'step one to finish');
    expect(readFileSync(join(dir, 'order'), 'utf8')).toBe('1\n');
    expect(driven.run.dispatch({ type: 'note', text: 'paused for the DBA' })).toEqual({ accepted: true });
    expect(driven.run.dispatch({ type: 'pause' })).toEqual({ accepted: true });
    const state = await driven.final;
    expect(state.ended?.status).toBe('paused');
    expect(state.record!.notes).toEqual([expect.objectContaining({ by: 'ana', text: 'paused for the DBA' })]);
  });

  it('retries a failed step, takes check answers as intents, and skips with a reason', async () => {
    const dir = tempDir();
    const runbook = makeRunbook({
      path: join(dir, 'demo.md'),
      steps: [
        { title: 'Flaky', actions: ['test -f ok || { touch ok; exit 1; }'], checks: ['Numbers match'] },
        { title: 'Optional', actions: ['touch optional'] },
        { title: 'Last', actions: ['true'] },
      ],
    });
    const driven = drive(dir, { runbook, mode: 'step' }, () => undefined);
    const state = () => driven.run.getState();
    await waitFor(() => state().phase === 'running', 5000, 'the run to open');
    driven.run.dispatch({ type: 'run', stepId: 'flaky' });
    await waitFor(() => state().record!.steps[0]!.status === 'failed', 10_000, 'the first failure');
    expect(driven.run.dispatch({ type: 'retry', stepId: 'flaky' })).toEqual({ accepted: true });
    const check = await waitFor(() => state().questions.find((q) => q.kind === 'check'), 10_000, 'the check');
    expect(driven.run.dispatch({ type: 'confirm-check', stepId: 'flaky', checkId: check.checkId!, note: '42 = 42' })).toEqual({ accepted: true });
    await waitFor(() => state().cursor === 1, 5000, 'the next step');
    expect(driven.run.dispatch({ type: 'skip', stepId: 'optional', reason: 'not needed tonight' })).toEqual({ accepted: true });
    await waitFor(() => state().cursor === 2, 5000, 'the last step');
    driven.run.dispatch({ type: 'run', stepId: 'last' });
    const final = await driven.final;
    expect(final.ended?.status).toBe('done');
    expect(existsSync(join(dir, 'optional'))).toBe(false);
    const [flaky, optional] = final.record!.steps;
    expect(flaky!.actions[0]!.attempts.map((a) => a.status)).toEqual(['failed', 'succeeded']);
    expect(flaky!.checks[0]).toMatchObject({ status: 'confirmed', note: '42 = 42', by: 'ana' });
    expect(optional).toMatchObject({ status: 'skipped', skip: { reason: 'not needed tonight', by: 'ana', via: 'operator' } });
  });

  it('aborting mid-action kills the child and records the attempt as aborted', async () => {
    const dir = tempDir();
    const runbook = makeRunbook({ path: join(dir, 'demo.md'), steps: [{ title: 'Long', actions: ['sleep 60'] }] });
    const driven = drive(dir, { runbook });
    const pid = await waitFor(() => driven.run.getState().record?.steps[0]!.actions[0]!.attempts[0]?.pid, 5000, 'the child');
    driven.run.dispatch({ type: 'abort', reason: 'stopped by SIGINT' });
    const state = await driven.final;
    expect(state.ended).toEqual({ status: 'aborted', reason: 'stopped by SIGINT' });
    expect(state.record!.steps[0]!.actions[0]).toMatchObject({ status: 'aborted', attempts: [{ status: 'aborted' }] });
    await waitFor(() => !processAlive(pid), 10_000, 'the child to die');
  });
});

describe('resume', () => {
  it('continues an unfinished run: asks about an unknown outcome, never re-runs it silently, says what changed', async () => {
    const dir = tempDir();
    const steps = [
      { title: 'Setup', actions: ['echo setup >> log'] },
      { title: 'Load', actions: ['echo load >> log; exit 1'] },
      { title: 'Report', actions: ['echo report >> log'] },
    ];
    const first = await drive(dir, { runbook: makeRunbook({ path: join(dir, 'demo.md'), steps }) }).final;
    expect(first.ended?.status).toBe('failed');
    // As if baton had been killed while the load was running: the attempt is still `running` on disk.
    const store = openStore(join(dir, 'state'));
    const crashed = structuredClone(first.record!);
    crashed.status = 'running';
    crashed.steps[1]!.status = 'running';
    crashed.steps[1]!.actions[0]!.status = 'running';
    crashed.steps[1]!.actions[0]!.attempts[0] = { n: 1, status: 'running', operator: 'ana', startedAt: crashed.startedAt };
    await store.save(crashed);

    const edited = makeRunbook({ path: join(dir, 'demo.md'), steps: [steps[0]!, steps[1]!, { title: 'Report', actions: ['echo REPORT >> log'] }] });
    const second = drive(dir, { runbook: edited, operator: 'ben' }, (q) => (q.kind === 'unknown-outcome' ? 'mark-done' : q.assumeYes));
    const state = await second.final;
    expect(second.asked.map((q) => q.kind)).toEqual(['runbook-changed', 'unknown-outcome']);
    expect(second.asked[0]!.detail).toEqual(['changed: Report (report)']);
    expect(state.record!.id).toBe(first.record!.id);
    expect(state.ended?.status).toBe('done');
    expect(readFileSync(join(dir, 'log'), 'utf8')).toBe('setup\nload\nREPORT\n');
    expect(state.record!.steps[1]!.actions[0]).toMatchObject({ status: 'marked-done', attempts: [{ status: 'unknown' }] });
    expect(state.record!.sessions.map((s) => s.operator)).toEqual(['ana', 'ben']);
    expect(state.record!.decisions.map((d) => [d.kind, d.answer, d.by])).toEqual([
      ['runbook-changed', 'continue', 'ben'],
      ['unknown-outcome', 'mark-done', 'ben'],
    ]);
  });

  it('keeps a capture’s fields across a resume, for templates and expect', async () => {
    const dir = tempDir();
    const runbook = makeRunbook({
      path: join(dir, 'demo.md'),
      steps: [
        { title: 'Make a key', actions: [{ code: 'echo pub-key-7Qx', attrs: { capture: 'KEY' } }] },
        { title: 'Wait', actions: ['test -f go-ahead'] },
        { title: 'Use the key', actions: [{ code: 'echo "registering {{KEY.stdout}}" > used', attrs: { expect: 'KEY.exit == 0 and KEY.stdout == "pub-key-7Qx"' } }] },
      ],
    });
    const first = await drive(dir, { runbook }).final;
    expect(first.ended?.status).toBe('failed');
    writeFileSync(join(dir, 'go-ahead'), '');
    const second = await drive(dir, { runbook }).final;
    expect(second.record!.id).toBe(first.record!.id);
    expect(second.ended?.status).toBe('done');
    expect(readFileSync(join(dir, 'used'), 'utf8')).toBe('registering pub-key-7Qx\n');
    expect(second.record!.variables.find((v) => v.name === 'KEY')).toMatchObject({ value: 'pub-key-7Qx', fields: { exit: 0, stdout: 'pub-key-7Qx' } });
  });

  it('finds an attempt the record never heard of in the attempt journal (or, for older runs, by its log file)', async () => {
    for (const evidence of ['journal', 'log file'] as const) {
      const dir = tempDir();
      const steps = [
        { title: 'Setup', actions: ['echo setup >> log'] },
        { title: 'Load', actions: ['echo load >> log; exit 1'] },
      ];
      const first = await drive(dir, { runbook: makeRunbook({ path: join(dir, 'demo.md'), steps }) }).final;
      // As if baton had been killed just after the load began, before the record said so.
      const store = openStore(join(dir, 'state'));
      const crashed = structuredClone(first.record!);
      crashed.status = 'running';
      crashed.steps[1]!.status = 'running';
      crashed.steps[1]!.actions[0]!.status = 'pending';
      crashed.steps[1]!.actions[0]!.attempts = [];
      await store.save(crashed);
      const logs = join(dir, 'state', 'logs', crashed.id);
      const journal = readFileSync(join(logs, 'attempts-begun.tsv'), 'utf8');
      expect(journal).toMatch(/^\S+\t01-setup\.1-1\n\S+\t02-load\.1-1\n$/);
      if (evidence === 'journal') rmSync(join(logs, '02-load.1-1.log'));
      else rmSync(join(logs, 'attempts-begun.tsv'));

      const second = drive(dir, { runbook: makeRunbook({ path: join(dir, 'demo.md'), steps }), operator: 'ben' }, (q) => (q.kind === 'unknown-outcome' ? 'skip' : q.assumeYes));
      const state = await second.final;
      expect(second.asked.map((q) => q.kind)).toEqual(['unknown-outcome']);
      expect(state.record!.steps[1]!.actions[0]).toMatchObject({ status: 'skipped', attempts: [{ n: 1, status: 'unknown', operator: 'ana' }] });
      // The load was not run again.
      expect(readFileSync(join(dir, 'log'), 'utf8')).toBe('setup\nload\n');
    }
  });

  it('refuses a second live run of the same runbook here, naming the holder', async () => {
    const dir = tempDir();
    const runbook = makeRunbook({ path: join(dir, 'demo.md'), steps: [{ title: 'Long', actions: ['sleep 60'] }] });
    const first = drive(dir, { runbook });
    await waitFor(() => first.run.getState().activity, 5000, 'the first run to start');
    const second = await drive(dir, { runbook, operator: 'ben' }).final;
    expect(second.refusal).toMatchObject({ kind: 'locked', holder: { operator: 'ana', pid: process.pid } });
    expect(second.refusal!.message).toMatch(/^demo in sandbox is held by ana on .* \(pid \d+\) since .* for run 2\d{7}T/);
    first.run.dispatch({ type: 'abort' });
    await first.final;
  });

  it('sets a corrupted record aside and starts a new run', async () => {
    const dir = tempDir();
    const runbook = makeRunbook({ path: join(dir, 'demo.md'), steps: [{ title: 'Fail', actions: ['exit 1'] }] });
    const first = await drive(dir, { runbook }).final;
    const path = join(dir, 'state', 'runs', `${first.record!.id}.json`);
    writeFileSync(path, '{"version": 1, "id": "cut short');
    const second = await drive(dir, { runbook }).final;
    expect(second.record!.id).not.toBe(first.record!.id);
    expect(readFileSync(`${path}.corrupt`, 'utf8')).toBe('{"version": 1, "id": "cut short');
    expect(second.messages.map((m) => m.text).join('\n')).toContain(`moved to ${path}.corrupt`);
    expect(second.record!.timeline.some((t) => t.kind === 'record-set-aside')).toBe(true);
  });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** A real store whose writes go through `save` (which writes to the real one when it wants). */
function withSave(real: RunStore, save: RunStore['save']): RunStore {
  return {
    ...real,
    stateDir: real.stateDir,
    logDir: (id) => real.logDir(id),
    relativePath: (p) => real.relativePath(p),
    read: (id) => real.read(id),
    list: (f) => real.list(f),
    setAside: (id) => real.setAside(id),
    save,
  };
}

describe('when the record cannot be written', () => {
  it('stops before starting anything more, and keeps the latest record elsewhere', async () => {
    const dir = tempDir();
    const real = openStore(join(dir, 'state'));
    let saves = 0;
    const filling = withSave(real, async (record) => {
      if (++saves > 1) throw new StateError(`cannot write ${real.stateDir}/runs/${record.id}.json: no space left on the device (free some space, or use --state-dir elsewhere)`, 'full');
      return real.save(record);
    });
    // Each step outlasts the moment changes are gathered for, so a write is attempted mid-run.
    const steps = [1, 2, 3, 4].map((n) => ({ title: `Step ${n}`, actions: [`echo ${n} >> ran; sleep 0.7`] }));
    const runbook = makeRunbook({ path: join(dir, 'demo.md'), steps });
    const state = await drive(dir, { runbook, store: filling }).final;
    expect(state.ended?.status).toBe('failed');
    expect(state.ended?.reason).toMatch(/no space left on the device/);
    expect(readFileSync(join(dir, 'ran'), 'utf8').trim().split('\n').length).toBeLessThan(4);
    const copy = join(tmpdir(), `baton-${state.record!.id}.json`);
    expect(JSON.parse(readFileSync(copy, 'utf8'))).toMatchObject({ id: state.record!.id, status: 'failed' });
    expect(state.messages.map((m) => m.text).join('\n')).toContain(`the latest record was written to ${copy} instead`);
  });

  it('asks for a required variable that has no value', async () => {
    const dir = tempDir();
    const runbook = makeRunbook({ path: join(dir, 'demo.md'), variables: [{ name: 'LOAD_DATE', pattern: '[0-9]{4}-[0-9]{2}-[0-9]{2}', prompt: 'Business date?' }], steps: [{ title: 'Use', actions: ['echo {{LOAD_DATE}} > date.txt'] }] });
    const driven = drive(dir, { runbook }, (q, run) => {
      if (q.kind !== 'variable') return undefined;
      expect(run.dispatch({ type: 'answer', questionId: q.id, value: 'yesterday' })).toEqual({ accepted: false, reason: 'the value must match [0-9]{4}-[0-9]{2}-[0-9]{2}' });
      return '2026-11-24';
    });
    const state = await driven.final;
    expect(driven.asked.map((q) => [q.kind, q.text, q.variable])).toEqual([['variable', 'Business date?', 'LOAD_DATE']]);
    expect(readFileSync(join(dir, 'date.txt'), 'utf8')).toBe('2026-11-24\n');
    expect(state.record!.variables).toContainEqual({ name: 'LOAD_DATE', value: '2026-11-24', secret: false, source: 'prompt' });
  });
});

describe('how often the record is written', () => {
  it('gathers a fast run’s changes into one write a moment, even when each write is slow', async () => {
    const dir = tempDir();
    const real = openStore(join(dir, 'state'));
    let saves = 0;
    const slow = withSave(real, async (record) => {
      saves++;
      // A busy disk: while this write waits, the run moves on and changes the record again.
      await new Promise((resolve) => setTimeout(resolve, 40));
      return real.save(record);
    });
    const steps = Array.from({ length: 150 }, (_, n) => ({ title: `Step ${n + 1}`, actions: ['sleep 0.01'] }));
    const started = performance.now();
    const state = await drive(dir, { runbook: makeRunbook({ path: join(dir, 'fast.md'), steps }), store: slow }).final;
    const seconds = (performance.now() - started) / 1000;
    expect(state.ended?.status).toBe('done');
    // Once a second while it moves, plus the start and the end: not one write after another.
    expect(saves, `${saves} writes in ${seconds.toFixed(1)} s`).toBeLessThanOrEqual(Math.ceil(seconds) + 3);
    const onDisk = await readRun(join(dir, 'state'), state.record!.id);
    expect(onDisk.ok && onDisk.record.status).toBe('done');
  });
});

describe('a lock left by a process that is gone', () => {
  it('is taken over with --take-over, and the record says so', async () => {
    const dir = tempDir();
    const runbook = makeRunbook({ path: join(dir, 'demo.md'), steps: [{ title: 'One', actions: ['true'] }] });
    const gone = Number(spawnSync('bash', ['-c', 'echo $$']).stdout.toString().trim());
    await acquireLock(join(dir, 'state'), { runId: 'old', runbookId: 'demo', environment: 'sandbox', operator: 'cy', host: hostname(), pid: gone, since: 'then' });
    const asked = drive(dir, { runbook }, () => undefined);
    await waitFor(() => asked.asked.length > 0, 5000, 'the take-over question');
    expect(asked.asked[0]!.kind).toBe('take-over');
    expect(asked.asked[0]!.assumeYes).toBeUndefined();
    expect(asked.asked[0]!.text).toBe(`demo in sandbox is held by cy on ${hostname()} (pid ${gone}) since then for run old, but that process is gone. Take the lock over?`);
    asked.run.dispatch({ type: 'abort' });
    expect((await asked.final).refusal?.kind).toBe('declined');

    const state = await drive(dir, { runbook, takeOver: true }).final;
    expect(state.ended?.status).toBe('done');
    expect(state.record!.timeline.map((t) => t.kind)).toContain('lock-taken-over');
    expect(state.record!.decisions).toEqual([expect.objectContaining({ kind: 'take-over', answer: 'yes', via: 'option' })]);
  });
});

describe('starting somewhere else', () => {
  const steps = ['One', 'Two', 'Three'].map((title) => ({ title, actions: [`echo ${title} >> ran`] }));

  it('--from skips the unfinished steps before it, saying why', async () => {
    const dir = tempDir();
    const state = await drive(dir, { runbook: makeRunbook({ path: join(dir, 'demo.md'), steps }), from: '2' }).final;
    expect(readFileSync(join(dir, 'ran'), 'utf8')).toBe('Two\nThree\n');
    expect(state.ended?.status).toBe('done');
    expect(state.record!.steps[0]).toMatchObject({ status: 'skipped', skip: { reason: 'started from step 2 (--from)', via: 'option' } });
  });

  it('--only runs one step and leaves the run to be continued', async () => {
    const dir = tempDir();
    const runbook = makeRunbook({ path: join(dir, 'demo.md'), steps });
    const first = await drive(dir, { runbook, only: 'three' }).final;
    expect(readFileSync(join(dir, 'ran'), 'utf8')).toBe('Three\n');
    expect(first.ended).toEqual({ status: 'paused', reason: 'only step three was asked for' });
    const second = await drive(dir, { runbook }).final;
    expect(second.record!.id).toBe(first.record!.id);
    expect(readFileSync(join(dir, 'ran'), 'utf8')).toBe('Three\nOne\nTwo\n');
    expect(second.ended?.status).toBe('done');
  });
});

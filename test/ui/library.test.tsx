// The library screen over a real folder and a real record: titles, summaries, step counts, where
// each runbook stands per environment, type-to-filter, the environment switcher, requirements.
import { hostname } from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startRun } from '../../src/engine/runner.js';
import { acquireLock } from '../../src/store/lock.js';
import { openStore } from '../../src/store/runs.js';
import { startApp, workspace, type AppUnderTest, type Workspace } from '../helpers/app.js';
import { KEY } from '../helpers/keys.js';
import { ENVIRONMENTS, runbookText, sh } from '../helpers/runbooks.js';
import { loadRunbook } from '../../src/runbook/library.js';

vi.setConfig({ testTimeout: 30_000 });

let app: AppUnderTest | undefined;
afterEach(() => app?.unmount());

function library(): Workspace {
  return workspace({
    'baton.yaml': ENVIRONMENTS,
    '01-warehouse.md': runbookText('Warehouse setup', ['summary: Create the warehouse and smoke-test it.'], { 'Say hello': sh('echo hello'), 'Say bye': sh('echo bye') }),
    '02-load-recovery.md': runbookText('Nightly load recovery', ['summary: The nightly load failed; restart it.', 'requires: [01-warehouse]'], { 'Look': sh('echo look'), 'Fix': sh('echo fix') }),
    '03-restore-orders.md': runbookText('Restore the orders table', ['summary: Bring ORDERS back from time travel.', 'tags: [recovery]'], { 'Check': sh('exit 3') }),
    '04-rotate-keys.md': runbookText('Rotate the service keys', [], { 'Rotate': sh('echo rotated') }),
    '05-broken.md': '---\ntitle: [unclosed\n---\n# Broken\n',
  });
}

async function runToEnd(ws: Workspace, file: string, environment = 'sandbox', stopAfter?: number) {
  const parsed = await loadRunbook(`${ws.runbooks}/${file}`);
  const run = startRun({ runbook: parsed.runbook!, environment: { name: environment, protected: environment === 'prod', variables: {} }, operator: 'ana', store: openStore(ws.stateDir), mode: stopAfter === undefined ? 'auto' : 'step' });
  if (stopAfter !== undefined) {
    for (let n = 0; n < stopAfter; n++) {
      await new Promise<void>((resolve) => {
        const off = run.subscribe((state) => {
          if (state.phase === 'running' && state.record!.steps[n]!.status === 'done') {
            off();
            resolve();
          }
        });
        const tryRun = () => (run.dispatch({ type: 'run', stepId: parsed.runbook!.steps[n]!.id }).accepted ? undefined : setTimeout(tryRun, 10));
        tryRun();
      });
    }
    run.dispatch({ type: 'pause' });
  }
  return run.finished;
}

describe('library screen', () => {
  it('lists every runbook with title, step count and its standing from the record, and the chosen one in detail', async () => {
    const ws = library();
    await runToEnd(ws, '01-warehouse.md');
    await runToEnd(ws, '02-load-recovery.md', 'sandbox', 1);
    await runToEnd(ws, '03-restore-orders.md');
    await acquireLock(ws.stateDir, { runId: 'x', runbookId: '04-rotate-keys', environment: 'sandbox', operator: 'bob', host: hostname(), pid: process.pid, since: new Date().toISOString() });
    app = await startApp(ws);
    const frame = await app.waitFor('locked by bob');
    expect(frame).toMatch(/Warehouse setup 01-warehouse\s+2 steps · ✔ done by ana/);
    expect(frame).toMatch(/Nightly load recovery 02-load-recovery\s+2 steps · in progress 1\/2/);
    expect(frame).toMatch(/Restore the orders table 03-restore-orders\s+1 step · ✘ failed 0\/1/);
    expect(frame).toMatch(/Rotate the service keys 04-rotate-keys\s+1 step · locked by bob@/);
    expect(frame).toMatch(/05-broken\s+invalid/);
    expect(frame).toContain('› Warehouse setup');
    expect(frame).toContain('Create the warehouse and smoke-test it.');
    expect(frame).toContain('baton · 5 runbooks');
  });

  it('finds "restore" in two keystrokes, and opens it with enter', async () => {
    const ws = library();
    app = await startApp(ws);
    await app.waitFor('Warehouse setup');
    await app.press('r', 'e');
    const frame = await app.waitFor('filter › re');
    const rows = frame.split('\n').filter((l) => /^[› ] \S/.test(l));
    expect(rows[0]).toContain('› Restore the orders table');
    expect(frame).toContain('Bring ORDERS back from time travel.');
    expect(frame).not.toContain('Rotate the service keys');
    await app.press(KEY.enter);
    await app.waitFor('1. Check', 'the runbook screen');
    expect(app.frame()).toContain('Restore the orders table in sandbox');
  });

  it('takes a line typed before the app had the keyboard as the filter, then enter', async () => {
    const ws = library();
    app = await startApp(ws);
    await app.waitFor('Warehouse setup');
    // What a terminal still in line mode hands over in one piece.
    await app.press('rest\n');
    await app.waitFor('1. Check', 'the runbook screen');
    expect(app.frame()).toContain('Restore the orders table in sandbox');
  });

  it('shows a runbook whose prerequisites are not done, and done once they are, per environment', async () => {
    const ws = library();
    await runToEnd(ws, '01-warehouse.md', 'sandbox');
    app = await startApp(ws);
    await app.waitFor('Warehouse setup');
    await app.press(KEY.down);
    let frame = await app.waitFor('requires 01-warehouse ✔ done');
    expect(frame).toMatch(/Warehouse setup 01-warehouse\s+2 steps · ✔ done by ana/);
    await app.press(KEY.tab);
    frame = await app.waitFor('[⚠ prod (protected)]');
    expect(frame).toContain('01-warehouse ✘ not done in prod');
    expect(frame).toMatch(/Warehouse setup 01-warehouse\s+2 steps · not started/);
    expect(frame).toContain(' sandbox ');
  });

  it('says why an invalid runbook cannot be opened, and clears the filter with esc', async () => {
    const ws = library();
    app = await startApp(ws);
    await app.waitFor('Warehouse setup');
    await app.press('broken');
    await app.waitFor('› 05-broken');
    expect(app.frame()).toMatch(/05-broken\.md:2:\d+/);
    await app.press(KEY.enter);
    await app.waitFor('fix it (baton validate');
    await app.press(KEY.escape);
    await app.waitFor((f) => f.includes('type to filter') && f.includes('Rotate the service keys'));
  });

  it('quits with q when the filter is empty', async () => {
    const ws = library();
    app = await startApp(ws);
    await app.waitFor('Warehouse setup');
    await app.press('q');
    expect(await app.exitCode).toBe(0);
  });
});

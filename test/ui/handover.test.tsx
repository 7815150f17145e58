// The handover screen: ctrl-d from the library, write the documents of the chosen environment
// (inventory off: no connection in these tests), see where they went and the summary, open the
// HTML through the viewer baton is told to use, and back. Its reducer is tested on its own.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startRun } from '../../src/engine/runner.js';
import { loadRunbook } from '../../src/runbook/library.js';
import { openStore } from '../../src/store/runs.js';
import { handoverReducer, READY, stateFor, type HandoverState } from '../../src/ui/handover/handover-model.js';
import { KEYS } from '../../src/ui/keys.js';
import { startApp, workspace, type AppUnderTest, type Workspace } from '../helpers/app.js';
import { KEY } from '../helpers/keys.js';
import { ENVIRONMENTS, runbookText, sh } from '../helpers/runbooks.js';

vi.setConfig({ testTimeout: 60_000 });

let app: AppUnderTest | undefined;
afterEach(() => {
  app?.unmount();
  delete process.env.BATON_OPEN;
});

async function wentLive(): Promise<Workspace> {
  const ws = workspace({
    'baton.yaml': ENVIRONMENTS,
    '01-warehouse.md': runbookText('Warehouse setup', ['summary: Create the warehouse.', 'tags: [go-live]'], { 'Say hello': sh('echo hello') }),
    '02-load.md': runbookText('Initial load', ['summary: Load the history.', 'tags: [go-live]'], { 'Load': sh('echo load') }),
    '03-restore.md': runbookText('Restore the orders', ['summary: "Use when ORDERS lost rows."', 'tags: [recovery]'], { 'Restore': sh('echo restore') }),
  });
  const parsed = await loadRunbook(join(ws.runbooks, '01-warehouse.md'));
  await startRun({ runbook: parsed.runbook!, environment: { name: 'sandbox', protected: false, variables: {} }, operator: 'ana', store: openStore(ws.stateDir), mode: 'auto' }).finished;
  return ws;
}

describe('handover screen', () => {
  it('writes the documents of the chosen environment and shows where they went and the summary', async () => {
    const ws = await wentLive();
    app = await startApp(ws);
    await app.waitFor('Warehouse setup');
    await app.press(KEY.ctrlD);
    await app.waitFor('Handover documents — sandbox');
    expect(app.frame()).toContain('live inventory: read (Snowflake and schedulers)');
    await app.press('i');
    await app.waitFor('live inventory: off');
    await app.press(KEY.enter);
    const frame = await app.waitFor('✔ written');
    const folder = join(ws.root, 'docs', 'handover');
    const today = new Date().toISOString().slice(0, 10);
    expect(frame).toContain(join(folder, `sandbox-${today}.md`).slice(-40));
    expect(existsSync(join(folder, `sandbox-${today}.md`))).toBe(true);
    expect(existsSync(join(folder, `sandbox-${today}.html`))).toBe(true);
    // The summary of the document, rendered for the terminal.
    expect(frame).toMatch(/Runbooks: 1 completed, 0 in progress, 0 failed, 1 never run/);
    expect(frame).toContain('Operators: ana');
    expect(readFileSync(join(folder, `sandbox-${today}.md`), 'utf8')).toContain('### Warehouse setup');
  });

  it('shows a written handover under its own environment only: another one starts from nothing', async () => {
    const ws = await wentLive();
    const viewer = join(ws.root, 'viewer.sh');
    writeFileSync(viewer, `#!/bin/sh\necho "$1" >> ${join(ws.root, 'viewed.txt')}\n`);
    chmodSync(viewer, 0o755);
    process.env.BATON_OPEN = viewer;
    app = await startApp(ws);
    await app.waitFor('Warehouse setup');
    await app.press(KEY.ctrlD);
    await app.waitFor('Handover documents — sandbox');
    await app.press('i', KEY.enter);
    await app.waitFor('✔ written');
    await app.press(KEY.escape);
    await app.waitFor('Warehouse setup');
    app.model.dispatch({ type: 'environment', name: 'prod' });
    await app.press(KEY.ctrlD);
    const frame = await app.waitFor('Handover documents — prod');
    expect(frame).toContain('enter writes the handover of this environment');
    expect(frame).not.toContain('sandbox-');
    expect(frame).not.toContain('o open the HTML');
    await app.press('o');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(existsSync(join(ws.root, 'viewed.txt'))).toBe(false);
  });

  it('opens the HTML with the viewer $BATON_OPEN names, then goes back to the library', async () => {
    const ws = await wentLive();
    const opened = join(ws.root, 'opened.txt');
    const viewer = join(ws.root, 'viewer.sh');
    writeFileSync(viewer, `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`);
    chmodSync(viewer, 0o755);
    process.env.BATON_OPEN = viewer;
    app = await startApp(ws);
    await app.waitFor('Warehouse setup');
    await app.press(KEY.ctrlD, 'i', KEY.enter);
    await app.waitFor('✔ written');
    await app.press('o');
    await app.waitFor('opened ');
    expect(readFileSync(opened, 'utf8')).toMatch(/docs\/handover\/sandbox-\d{4}-\d{2}-\d{2}\.html$/);
    await app.press('?');
    const help = await app.waitFor('Keys — handover');
    for (const key of KEYS.filter((k) => k.scope === 'handover' || k.scope === 'everywhere')) expect(help).toContain(key.does.slice(0, 40));
    await app.press('x', KEY.escape);
    await app.waitFor('filter ›');
  });

  it('says why nothing was written, and that a viewer is missing', async () => {
    const ws = await wentLive();
    process.env.BATON_OPEN = join(ws.root, 'no-such-viewer');
    app = await startApp(ws);
    await app.waitFor('Warehouse setup');
    writeFileSync(join(ws.runbooks, 'baton.yaml'), 'environments:\n  sandbox:\n    protectd: true\n');
    await app.press(KEY.ctrlD, 'i', KEY.enter);
    const frame = await app.waitFor('nothing written');
    expect(frame).toMatch(/unknown setting "protectd"/);
    writeFileSync(join(ws.runbooks, 'baton.yaml'), ENVIRONMENTS);
    await app.press(KEY.enter);
    await app.waitFor('✔ written');
    await app.press('o');
    await app.waitFor('is not installed here (set BATON_OPEN to a viewer)');
  });
});

describe('handover screen state', () => {
  it('keeps the inventory choice while writing, the last progress lines, and the result or the problem', () => {
    let state: HandoverState = handoverReducer(READY, { type: 'toggle-inventory' });
    expect(state.inventory).toBe(false);
    state = handoverReducer(state, { type: 'writing' });
    expect(handoverReducer(state, { type: 'toggle-inventory' })).toBe(state);
    for (let i = 1; i <= 7; i++) state = handoverReducer(state, { type: 'progress', line: `stage ${i}` });
    expect(state.progress).toEqual(['stage 3', 'stage 4', 'stage 5', 'stage 6', 'stage 7']);
    const failed = handoverReducer(state, { type: 'failed', problem: 'no environment prd' });
    expect(failed).toMatchObject({ phase: 'failed', inventory: false, problem: 'no environment prd' });
    // Progress after the end is late news from a finished write: ignored.
    expect(handoverReducer(failed, { type: 'progress', line: 'late' })).toBe(failed);
    const written = handoverReducer(handoverReducer(failed, { type: 'writing' }), { type: 'written', result: { ok: true, environment: 'sandbox', markdownPath: 'a.md', htmlPath: 'a.html', runs: 1, openItems: 0, incidents: 0, warnings: [], summary: '' } });
    expect(written).toMatchObject({ phase: 'written', result: { htmlPath: 'a.html' } });
    expect(written.problem).toBeUndefined();
    // A write's result belongs to the environment it was for.
    const forSandbox = handoverReducer(handoverReducer(READY, { type: 'writing', environment: 'sandbox' }), { type: 'written', result: written.result! });
    expect(stateFor(forSandbox, 'sandbox')).toBe(forSandbox);
    expect(stateFor(forSandbox, 'prod')).toEqual(READY);
    expect(stateFor(handoverReducer(READY, { type: 'writing', environment: 'sandbox' }), 'prod').phase).toBe('writing');
    const refused = handoverReducer(written, { type: 'open-failed', problem: 'xdg-open is not installed here' });
    expect(handoverReducer(refused, { type: 'opened', path: 'a.html' })).toEqual({ ...written, opened: 'a.html' });
  });
});

// The runbook screen driven by keys over real runs: the real runner and shell executor on temp
// runbooks, a temp state folder, frames read without colours.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KEYS } from '../../src/ui/keys.js';
import { latestRecord, startApp, workspace, type AppUnderTest } from '../helpers/app.js';
import { KEY } from '../helpers/keys.js';
import { runbookText, sh } from '../helpers/runbooks.js';

vi.setConfig({ testTimeout: 30_000 });

let app: AppUnderTest | undefined;
afterEach(() => app?.unmount());


describe('runbook screen', () => {
  it('runs a step that fails, retries it, and it passes; the run ends done', async () => {
    const ws = workspace({
      'load.md': runbookText('Nightly load', [], {
        'Load the orders': `Loads **yesterday's** orders.\n\n${sh("if [ -f .loaded-once ]; then echo 'loaded 120 rows'; else touch .loaded-once; echo 'warehouse suspended' >&2; exit 2; fi", 'name=load')}`,
        'Report': sh('echo report sent'),
      }),
    });
    app = await startApp(ws, { runbook: 'load' });
    await app.waitFor('enter run');
    expect(app.frame()).toContain("Loads yesterday's orders.");
    await app.press(KEY.enter);
    let frame = await app.waitFor('✘ failed');
    expect(frame).toContain('warehouse suspended');
    expect(frame).toContain('exit 2');
    expect(frame).toContain('r retry · s skip');
    await app.press(KEY.enter);
    await app.waitFor('the step failed: r retries it, s skips it');
    await app.press('r');
    frame = await app.waitFor((f) => /✔ 1\. Load the orders\s+×2/.test(f) && f.includes('enter run'));
    expect(frame).toMatch(/── output · load-the-orders\/load · attempt 2\nloaded 120 rows/);
    await app.press(KEY.enter);
    frame = await app.waitFor('Run done');
    expect(frame).toContain('2/2');
    const rec = await latestRecord(ws, (r) => r.status === 'done');
    expect(rec.steps[0]!.actions[0]!.attempts.map((a) => a.status)).toEqual(['failed', 'succeeded']);
  });

  it('fails a check with a note, and shows it', async () => {
    const ws = workspace({
      'checks.md': runbookText('Dashboard', [], { 'Look at the dashboard': `${sh('echo opened')}\n- [ ] The load dashboard is green.\n` }),
    });
    app = await startApp(ws, { runbook: 'checks' });
    await app.waitFor('enter run');
    await app.press(KEY.enter);
    await app.waitFor('y confirmed · n failed');
    await app.press('n');
    await app.waitFor('What is wrong?');
    await app.press('two tiles are red');
    await app.press(KEY.enter);
    const frame = await app.waitFor('failed by ana: two tiles are red');
    expect(frame).toContain('☒ The load dashboard is green.');
    expect(frame).toContain('check failed: The load dashboard is green. — two tiles are red');
    const rec = await latestRecord(ws, (r) => r.steps[0]!.checks[0]!.status !== 'pending');
    expect(rec.steps[0]!.checks[0]).toMatchObject({ status: 'failed', by: 'ana', note: 'two tiles are red' });
  });

  it('confirms a check with a note', async () => {
    const ws = workspace({ 'checks.md': runbookText('Dashboard', [], { 'Look': '- [ ] Tiles are green.\n' }) });
    app = await startApp(ws, { runbook: 'checks' });
    await app.waitFor('enter run');
    await app.press(KEY.enter);
    await app.waitFor('y confirmed');
    await app.press('c');
    await app.waitFor('Note:');
    await app.press('all 12 green');
    await app.press(KEY.enter);
    await app.waitFor('Run done');
    expect((await latestRecord(ws, (r) => r.status === 'done')).steps[0]!.checks[0]).toMatchObject({ status: 'confirmed', note: 'all 12 green' });
  });

  it('skips with a reason, adds a note, goes to a step, toggles the dry run', async () => {
    const ws = workspace({
      'walk.md': runbookText('Walk', [], { One: sh('echo one'), Two: sh('echo two > two.txt'), Three: sh('echo three') }),
    });
    app = await startApp(ws, { runbook: 'walk' });
    await app.waitFor('enter run');
    await app.press('d');
    await app.waitFor('DRY RUN');
    await app.press(KEY.enter);
    await app.waitFor('echo one');
    await app.press('d');
    await app.waitFor((f) => !f.includes('DRY RUN'));
    expect((await latestRecord(ws, (r) => r.timeline.some((t) => t.kind === 'dry-run'))).steps[0]!.status).toBe('pending');
    await app.press('g');
    await app.waitFor('Go to step (1-3):');
    await app.press('3', KEY.enter);
    await app.waitFor((f) => /▸ 3\. Three/.test(f));
    await app.press('s');
    await app.waitFor('Why skip step 3?');
    await app.press('not needed tonight', KEY.enter);
    await app.waitFor('↷ 3. Three');
    await app.press('a');
    await app.waitFor('Note:');
    await app.press('paged the DBA', KEY.enter);
    await app.waitFor((f) => /▸ 1\. One/.test(f));
    const rec = await latestRecord(ws, (r) => r.notes.length > 0 && r.steps[2]!.status === 'skipped');
    expect(rec.steps[2]!.skip).toMatchObject({ reason: 'not needed tonight', by: 'ana' });
    expect(rec.notes).toEqual([expect.objectContaining({ text: 'paged the DBA', by: 'ana' })]);
    expect(rec.timeline.map((t) => t.kind)).toEqual(expect.arrayContaining(['dry-run', 'jumped']));
  });

  it('lists every key in the help overlay', async () => {
    const ws = workspace({ 'walk.md': runbookText('Walk', [], { One: sh('echo one') }) });
    app = await startApp(ws, { runbook: 'walk' });
    await app.waitFor('enter run');
    await app.press('?');
    const frame = await app.waitFor('Keys — runbook');
    for (const key of KEYS.filter((k) => k.scope !== 'library' && k.scope !== 'handover')) expect(frame).toContain(key.does.slice(0, 40));
    await app.press('x');
    await app.waitFor('enter run');
  });

  it('cancels the running action with ctrl-c, asks before quitting while something runs', async () => {
    const ws = workspace({ 'slow.md': runbookText('Slow', [], { Wait: sh('echo waiting; sleep 30') }) });
    app = await startApp(ws, { runbook: 'slow' });
    await app.waitFor('enter run');
    await app.press(KEY.enter);
    await app.waitFor('ctrl-c cancel the action');
    await app.press('q');
    await app.waitFor('Something is running. Stop it');
    await app.press('n');
    await app.waitFor((f) => !f.includes('Something is running'));
    await app.press(KEY.ctrlC);
    const frame = await app.waitFor('cancelled by ana');
    expect(frame).toContain('✘ failed');
    expect((await latestRecord(ws, (r) => r.steps[0]!.status === 'failed')).steps[0]!.failure).toContain('cancelled by ana');
    await app.press('q');
    expect(await app.exitCode).toBe(0);
    expect((await latestRecord(ws)).status).toBe('paused');
  });

  it('stops the run and quits when the operator says yes while something runs', async () => {
    const ws = workspace({ 'slow.md': runbookText('Slow', [], { Wait: sh('sleep 30') }) });
    app = await startApp(ws, { runbook: 'slow' });
    await app.waitFor('enter run');
    await app.press(KEY.enter);
    await app.waitFor('ctrl-c cancel the action');
    await app.press('q');
    await app.waitFor('Something is running');
    await app.press('y');
    expect(await app.exitCode).toBe(130);
    expect((await latestRecord(ws)).status).toBe('aborted');
  });

  it('goes back to the library with esc, the run paused and shown in progress', async () => {
    const ws = workspace({ 'walk.md': runbookText('Walk', [], { One: sh('echo one'), Two: sh('echo two') }) });
    app = await startApp(ws, { runbook: 'walk' });
    await app.waitFor('enter run');
    await app.press(KEY.enter);
    await app.waitFor((f) => /✔ 1\. One/.test(f));
    await app.press(KEY.escape);
    await app.waitFor('in progress 1/2');
    await app.press(KEY.enter);
    await app.waitFor((f) => f.includes('resuming run') && /▸ 2\. Two/.test(f));
  });
});

// The run's questions as dialogs, over real runs: variables (pattern, choices, secret), the guard of
// a protected environment, an unknown outcome after a crash, a lock held by someone else, and a
// runbook that changed since its run started.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startRun } from '../../src/engine/runner.js';
import { loadRunbook } from '../../src/runbook/library.js';
import { acquireLock } from '../../src/store/lock.js';
import { listRuns, openStore, readRun } from '../../src/store/runs.js';
import { latestRecord, startApp, workspace, type AppUnderTest } from '../helpers/app.js';
import { waitFor } from '../helpers/context.js';
import { KEY } from '../helpers/keys.js';
import { ENVIRONMENTS, runbookText, sh } from '../helpers/runbooks.js';

vi.setConfig({ testTimeout: 40_000 });

let app: AppUnderTest | undefined;
afterEach(() => app?.unmount());


describe('dialogs', () => {
  it('asks for variables as the runbook says: a pattern, choices, a secret that is never shown', async () => {
    const ws = workspace({
      'vars.md': runbookText(
        'Variables',
        [
          'variables:',
          '  LOAD_DATE: { pattern: "[0-9]{4}-[0-9]{2}-[0-9]{2}", prompt: "Business date of the load (YYYY-MM-DD)" }',
          '  SIZE: { choices: [XSMALL, SMALL, MEDIUM] }',
          '  TOKEN: { secret: true }',
        ],
        { Show: sh('echo "date={{LOAD_DATE}} size={{SIZE}} token={{TOKEN}}"') },
      ),
    });
    app = await startApp(ws, { runbook: 'vars' });
    await app.waitFor('Business date of the load (YYYY-MM-DD)');
    await app.press('yesterday', KEY.enter);
    await app.waitFor('the value must match');
    await app.press(...Array(9).fill(KEY.backspace), '2026-11-24', KEY.enter);
    await app.waitFor('Value for SIZE');
    expect(app.frame()).toContain('one of: XSMALL, SMALL, MEDIUM');
    await app.press(KEY.down, KEY.down, KEY.enter);
    await app.waitFor('Value for TOKEN');
    await app.press('hunter2');
    expect(app.frame()).not.toContain('hunter2');
    await app.press(KEY.enter);
    await app.waitFor('enter run');
    await app.press(KEY.enter);
    const frame = await app.waitFor('date=2026-11-24 size=SMALL token=••••••');
    expect(frame).not.toContain('hunter2');
    const record = await latestRecord(ws, (r) => r.steps[0]!.status === 'done');
    expect(JSON.stringify(record)).not.toContain('hunter2');
    expect(record.variables).toEqual(expect.arrayContaining([{ name: 'SIZE', value: 'SMALL', secret: false, source: 'prompt' }, { name: 'TOKEN', secret: true, source: 'prompt' }]));
  });

  it('refuses a destructive step in a protected environment until its name is typed', async () => {
    const ws = workspace({
      'baton.yaml': ENVIRONMENTS,
      'purge.md': runbookText('Purge scratch', [], {
        'Write a marker': sh('echo marker > marker.txt'),
        'Remove the scratch folder': sh('mkdir -p scratch && rm -rf scratch && echo removed'),
      }),
    });
    app = await startApp(ws, { runbook: 'purge', environment: 'prod' });
    await app.waitFor('enter run');
    expect(app.frame()).toContain('PROTECTED');
    await app.press(KEY.enter);
    await app.waitFor('Run "Write a marker" in protected prod?');
    expect(app.frame()).toContain('risk: write');
    // In a protected environment the proposed answer is no.
    expect(app.frame()).toContain('Run it? y/N');
    await app.press('y');
    await app.waitFor((f) => /✔ 1\. Write a marker/.test(f));
    await app.press(KEY.enter);
    await app.waitFor('is destructive in protected prod. Type prod to run it');
    expect(app.frame()).toContain('rm -rf scratch');
    await app.press('sandbox', KEY.enter);
    await app.waitFor('type prod exactly');
    expect((await latestRecord(ws)).steps[1]!.actions[0]!.attempts).toEqual([]);
    await app.press(...Array(7).fill(KEY.backspace), 'prod', KEY.enter);
    const frame = await app.waitFor('Run done');
    expect(frame).toContain('removed');
    const record = await latestRecord(ws, (r) => r.status === 'done');
    expect(record.decisions.map((d) => [d.kind, d.answer])).toEqual([['confirm', 'yes'], ['type-name', 'prod']]);
  });

  it('asks before an action marked confirm: y or n only, Enter typed ahead answers nothing', async () => {
    const ws = workspace({ 'ask.md': runbookText('Ask', [], { 'Restart the agent': sh('echo restarted > restarted.txt', 'confirm') }) });
    app = await startApp(ws, { runbook: 'ask' });
    await app.waitFor('enter run');
    await app.press(KEY.enter);
    await app.waitFor('Run it? Y/n');
    await app.press(KEY.enter);
    expect(app.frame()).toContain('Run it? Y/n');
    await app.press('N');
    await app.waitFor((f) => !f.includes('Run it?'));
    const record = await latestRecord(ws, (r) => r.decisions.length > 0);
    expect(record.decisions.map((d) => [d.kind, d.answer])).toEqual([['confirm', 'no']]);
    expect(record.steps[0]!.actions[0]!.attempts).toEqual([]);
  });

  it('asks what to do about an action whose outcome is unknown after a crash, and resumes', async () => {
    const ws = workspace({
      'crash.md': runbookText('Crash', [], { 'Long load': sh('echo started; sleep 60'), 'Report': sh('echo reported') }),
    });
    const bin = fileURLToPath(new URL('../../bin/baton.js', import.meta.url));
    const child = spawn(process.execPath, [bin, 'exec', join(ws.runbooks, 'crash.md'), '--state-dir', ws.stateDir, '--operator', 'bob'], { stdio: 'ignore' });
    const record = await waitFor(async () => {
      const { runs } = await listRuns(ws.stateDir);
      if (!runs[0]) return undefined;
      const read = await readRun(ws.stateDir, runs[0].id);
      return read.ok && read.record.steps[0]!.actions[0]!.attempts[0]?.pid ? read.record : undefined;
    }, 20_000, 'the attempt to start');
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    process.kill(record.steps[0]!.actions[0]!.attempts[0]!.pid!, 'SIGKILL');
    app = await startApp(ws, { runbook: 'crash' });
    await app.waitFor('Lock held by a process that is gone');
    expect(app.frame()).toContain('is held by bob on');
    await app.press('y');
    await app.waitFor('Outcome unknown');
    expect(app.frame()).toContain('"Long load" was running (attempt 1');
    expect(app.frame()).toContain('$ echo started; sleep 60');
    await app.press('d');
    await app.waitFor((f) => /✔ 1\. Long load/.test(f) && /▸ 2\. Report/.test(f));
    await app.press(KEY.enter);
    await app.waitFor('Run done');
    const after = await latestRecord(ws, (r) => r.status === 'done');
    expect(after.steps[0]!.actions[0]!.status).toBe('marked-done');
    expect(after.decisions.map((d) => [d.kind, d.answer, d.by])).toEqual([['take-over', 'yes', 'ana'], ['unknown-outcome', 'mark-done', 'ana']]);
  });

  it('says who holds the lock when the runbook is being run elsewhere', async () => {
    const ws = workspace({ 'locked.md': runbookText('Locked', [], { One: sh('echo one') }) });
    await acquireLock(ws.stateDir, { runId: 'r1', runbookId: 'locked', environment: 'sandbox', operator: 'bob', host: hostname(), pid: process.pid, since: '2026-11-25T21:40:00.000Z' });
    app = await startApp(ws, { runbook: 'locked' });
    const frame = await app.waitFor('This runbook is locked');
    expect(frame.replace(/\s+/g, ' ')).toContain(`held by bob on ${hostname()} (pid ${process.pid}) since 2026-11-25T21:40:00.000Z for run r1`);
    await app.press(KEY.escape);
    await app.waitFor(`locked by bob@${hostname()}`);
  });

  it('lists the changed steps when the runbook changed since its run started, and continues', async () => {
    const ws = workspace({ 'change.md': runbookText('Change', [], { One: sh('echo one'), Two: sh('echo two') }) });
    const parsed = await loadRunbook(join(ws.runbooks, 'change.md'));
    const run = startRun({ runbook: parsed.runbook!, environment: { name: 'sandbox', protected: false, variables: {} }, operator: 'bob', store: openStore(ws.stateDir), mode: 'step', only: 'one' });
    await waitFor(() => run.getState().phase === 'running');
    run.dispatch({ type: 'run', stepId: 'one' });
    await run.finished;
    writeFileSync(join(ws.runbooks, 'change.md'), runbookText('Change', [], { One: sh('echo one'), Two: sh('echo two, changed') }));
    app = await startApp(ws, { runbook: 'change' });
    await app.waitFor('Runbook changed since this run started');
    expect(app.frame()).toContain('changed: Two (two)');
    await app.press('c');
    await app.waitFor((f) => /▸ 2\. Two/.test(f) && f.includes('enter run'));
    await app.press(KEY.enter);
    await app.waitFor('two, changed');
  });
});

// The built app in a real terminal: tmux runs `node bin/baton.js` with CI unset (Ink then draws
// every frame), keys go in with send-keys, the screen comes back with capture-pane. A shell runbook
// is walked to the end with the keyboard alone, as an operator would.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { waitFor } from '../helpers/context.js';
import { workspace } from '../helpers/app.js';
import { runbookText, sh } from '../helpers/runbooks.js';

vi.setConfig({ testTimeout: 60_000 });

const root = fileURLToPath(new URL('../..', import.meta.url));
const sessions: string[] = [];
afterEach(() => {
  for (const name of sessions.splice(0)) spawnSync('tmux', ['kill-session', '-t', name]);
});

/** Start the built app in a detached tmux session of 100×30; returns how to drive it. */
function tmuxApp(args: string[], env: Record<string, string> = {}) {
  const name = `baton-test-${process.pid}-${sessions.length}-${Date.now()}`;
  sessions.push(name);
  const assignments = Object.entries(env).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  const command = ['env', '-u', 'CI', '-u', 'NO_COLOR', 'TERM=xterm-256color', ...assignments, JSON.stringify(process.execPath), JSON.stringify(join(root, 'bin', 'baton.js')), ...args.map((a) => JSON.stringify(a))].join(' ');
  // `; sleep` keeps the pane after the app exits, so its last words can still be read.
  execFileSync('tmux', ['new-session', '-d', '-s', name, '-x', '100', '-y', '30', `${command}; echo "exited $?"; sleep 60`]);
  const screen = (escapes = false) => execFileSync('tmux', ['capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', name], { encoding: 'utf8' });
  return {
    screen,
    keys: (...keys: string[]) => execFileSync('tmux', ['send-keys', '-t', name, ...keys]),
    until: (text: string | RegExp, what = String(text)) =>
      waitFor(() => {
        const s = screen();
        return (typeof text === 'string' ? s.includes(text) : text.test(s)) ? s : undefined;
      }, 20_000, what).catch((error: Error) => {
        throw new Error(`${error.message}\n--- screen ---\n${screen()}`);
      }),
  };
}

const walk = () =>
  workspace({
    'walk-the-night.md': runbookText('Walk the night', ['summary: Three steps, one check.'], {
      'Say hello': sh('echo "hello from $((6*7))"'),
      'Count files': `${sh('ls | wc -l | sed "s/^/files: /"')}\n- [ ] The count looks right.\n`,
      'Finish': sh('echo "all done"'),
    }),
    'other.md': runbookText('Something else', [], { One: sh('echo other') }),
  });

describe('the built app in a real terminal', () => {
  it('walks a shell runbook to the end with the keyboard', async () => {
    const ws = walk();
    const app = tmuxApp(['--runbooks', ws.runbooks, '--state-dir', ws.stateDir]);
    await app.until('type to filter');
    app.keys('w', 'a');
    await app.until('› Walk the night');
    app.keys('Enter');
    await app.until(/enter run/);
    app.keys('Enter');
    await app.until('hello from 42');
    await app.until(/▸ 2\. Count files/);
    app.keys('Enter');
    await app.until('y confirmed');
    expect(app.screen()).toMatch(/files: 2/);
    app.keys('y');
    await app.until(/▸ 3\. Finish/);
    app.keys('Enter');
    const screen = await app.until('Run done');
    expect(screen).toContain('all done');
    expect(screen).toContain('3/3');
    app.keys('q');
    await app.until('exited 0');
    const runs = readdirSync(join(ws.stateDir, 'runs')).filter((f) => f.endsWith('.json'));
    const record = JSON.parse(readFileSync(join(ws.stateDir, 'runs', runs[0]!), 'utf8'));
    expect(record.status).toBe('done');
    expect(record.steps[1].checks[0]).toMatchObject({ status: 'confirmed', via: 'operator' });
  });

  it('draws without colour when NO_COLOR is set', async () => {
    const ws = walk();
    const app = tmuxApp(['--runbooks', ws.runbooks, '--state-dir', ws.stateDir], { NO_COLOR: '1' });
    await app.until('type to filter');
    const colours = /\x1b\[[0-9;]*m/;
    expect(app.screen(true)).not.toMatch(colours);
    const coloured = tmuxApp(['--runbooks', ws.runbooks, '--state-dir', ws.stateDir + '-2']);
    await coloured.until('type to filter');
    expect(coloured.screen(true)).toMatch(colours);
  });

  it('falls back to the headless run when stdout is not a terminal', () => {
    const ws = walk();
    const result = spawnSync(process.execPath, [join(root, 'bin', 'baton.js'), 'run', 'walk-the-night', '--runbooks', ws.runbooks, '--state-dir', ws.stateDir, '--var', 'X=1'], { encoding: 'utf8', env: { ...process.env, BATON_OPERATOR: 'ana' }, input: '' });
    expect(result.stderr).toContain('--var: ');
    const ok = spawnSync(process.execPath, [join(root, 'bin', 'baton.js'), 'exec', 'walk-the-night', '--runbooks', ws.runbooks, '--state-dir', ws.stateDir, '--yes'], { encoding: 'utf8' });
    const viaRun = spawnSync(process.execPath, [join(root, 'bin', 'baton.js'), 'run', 'other', '--runbooks', ws.runbooks, '--state-dir', ws.stateDir], { encoding: 'utf8', input: '' });
    expect(ok.status).toBe(0);
    expect(viaRun.status).toBe(0);
    expect(viaRun.stdout).toContain('other');
    expect(viaRun.stdout).not.toContain('\x1b[?1049h');
  });
});

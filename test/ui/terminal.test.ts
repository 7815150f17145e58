// The built app in a real terminal: tmux runs `node bin/baton.js` with CI unset (Ink then draws
// every frame), keys go in with send-keys, the screen comes back with capture-pane. A shell runbook
// is walked to the end with the keyboard alone, as an operator would.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { tempDir, waitFor } from '../helpers/context.js';
import { workspace } from '../helpers/app.js';
import { ensureSandbox } from '../../src/sandbox/index.js';
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
  // Compiled code is kept per test, not in the repository's node_modules/.cache.
  const assignments = Object.entries({ BATON_CODE_CACHE_DIR: tempDir('baton-code-'), ...env }).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  const command = ['env', '-u', 'CI', '-u', 'NO_COLOR', 'TERM=xterm-256color', ...assignments, JSON.stringify(process.execPath), JSON.stringify(join(root, 'bin', 'baton.js')), ...args.map((a) => JSON.stringify(a))].join(' ');
  // `; sleep` keeps the pane after the app exits, so its last words can still be read.
  execFileSync('tmux', ['new-session', '-d', '-s', name, '-x', '100', '-y', '30', `${command}; echo "exited $?"; sleep 60`]);
  const screen = (escapes = false) => execFileSync('tmux', ['capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', name], { encoding: 'utf8' });
  const shows = (text: string | RegExp) => {
    const s = screen();
    return (typeof text === 'string' ? s.includes(text) : text.test(s)) ? s : undefined;
  };
  const keys = (...keys: string[]) => execFileSync('tmux', ['send-keys', '-t', name, ...keys]);
  const until = (text: string | RegExp, what = String(text), ms = 20_000) =>
    waitFor(() => shows(text), ms, what).catch((error: Error) => {
      throw new Error(`${error.message}\n--- screen ---\n${screen()}`);
    });
  return {
    screen,
    keys,
    until,
    /**
     * Press a key until the screen shows its effect. baton's own keys listen from the frame that
     * shows them (src/ui/use-keys.tsx), but @inkjs/ui's inputs start just after their frame, and a
     * key in that moment reaches nobody; an operator presses again, and so does this.
     */
    press: async (key: string, effect: string | RegExp, what = String(effect)) => {
      for (let tries = 1; ; tries++) {
        keys(key);
        try {
          return await waitFor(() => shows(effect), tries < 3 ? 3_000 : 20_000, what);
        } catch (error) {
          if (tries === 3) throw new Error(`${(error as Error).message}\n--- screen ---\n${screen()}`);
        }
      }
    },
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

  it('walks the bundled set-up runbook against the sandbox of its state folder', async () => {
    const stateDir = join(tempDir('baton-tui-sandbox-'), 'state');
    const sandbox = await ensureSandbox({ stateDir, port: 0 });
    try {
      const app = tmuxApp(['--runbooks', join(root, 'runbooks'), '--state-dir', stateDir], { BATON_OPERATOR: 'ana' });
      await app.until('type to filter');
      app.keys('0', '1', '-');
      await app.until('filter › 01-');
      await app.press('Enter', /enter run/);
      // The SQL ran through snowflake-sdk against the sandbox: its answer shows as a table.
      const asked = await app.press('Enter', 'y confirmed');
      expect(asked).toMatch(/SANDBOX\s+│\s+OPERATOR/);
      await app.press('y', '▸ 2. Create the warehouses');
      await app.press('Enter', '▸ 3. Create the database');
      await app.press('Enter', '▸ 4. Cap the credits');
      await app.press('Enter', 'y confirmed');
      await app.press('y', '4/4');
      app.keys('Escape');
      await app.until(/01-setup-database-and-warehouses\s+4 steps · ✔ done by ana/);
      app.keys('q');
      await app.until('exited 0');
      // The warehouses are there, read back over another connection.
      // (Not spawnSync: the sandbox answers from this process, which must stay free to.)
      const shown = await execa(process.execPath, [join(root, 'bin', 'baton.js'), 'sql', '--env', 'sandbox', '--format', 'json', '-q', "SHOW WAREHOUSES LIKE 'SALES_DW_%'"], {
        cwd: root,
        env: { BATON_STATE_DIR: stateDir },
        stdin: 'ignore',
        reject: false,
      });
      expect(shown.exitCode, shown.stderr).toBe(0);
      const rows = JSON.parse(shown.stdout.trim().split('\n').at(-1)!) as { name: string }[];
      expect(rows.map((row) => row.name).sort()).toEqual(['SALES_DW_BI_WH', 'SALES_DW_ETL_WH']);
    } finally {
      await sandbox.stop();
    }
  }, 120_000);

  it('hands the terminal to an interactive action, then takes the screen back and carries on', async () => {
    const ws = workspace();
    const answer = join(ws.root, 'answer.txt');
    ws.write(
      'ask.md',
      runbookText('Ask the operator', [], {
        // The question is put together when it runs, so the screen before cannot show it.
        'Ask for the warehouse': sh(`printf 'Which %s? ' warehouse\nread -r ANSWER\necho "got $ANSWER" > '${answer}'`, 'interactive'),
        'Carry on': sh(`echo "after the prompt: $(cat '${answer}')"`),
      }),
    );
    const app = tmuxApp(['--runbooks', ws.runbooks, '--state-dir', ws.stateDir]);
    await app.until('type to filter');
    app.keys('Enter');
    await app.until(/enter run/);
    app.keys('Enter');
    // The child has the screen to itself: its question shows, the app draws nothing over it.
    const asked = await app.until('Which warehouse?');
    expect(asked).not.toMatch(/Ask the operator|enter run/);
    // …and keeps it: nothing the app draws late (its last frame's erase) wipes the question.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(app.screen()).toContain('Which warehouse?');
    app.keys('WH_LOAD');
    await app.until('Which warehouse? WH_LOAD');
    app.keys('Enter');
    // The app takes the screen back and moves on; the child read the line typed into the pane.
    const back = await app.until(/▸ 2\. Carry on/);
    expect(back).toMatch(/✔ 1\. Ask for the warehou/);
    expect(back).not.toContain('Which warehouse?');
    expect(readFileSync(answer, 'utf8')).toBe('got WH_LOAD\n');
    app.keys('Enter');
    const done = await app.until('Run done');
    expect(done).toContain('after the prompt: got WH_LOAD');
    app.keys('q');
    await app.until('exited 0');
  });

  it('sends Ctrl-C to the interactive action only: it fails, the app stays', async () => {
    const ws = workspace();
    ws.write('wait.md', runbookText('Wait for a line', [], { 'Read a line': sh(`printf 'Type a %s: ' line\nread -r LINE`, 'interactive') }));
    const app = tmuxApp(['--runbooks', ws.runbooks, '--state-dir', ws.stateDir]);
    await app.until('type to filter');
    app.keys('Enter');
    await app.until(/enter run/);
    app.keys('Enter');
    await app.until('Type a line:');
    app.keys('C-c');
    const failed = await app.until(/✘ 1\. Read a line/);
    expect(failed).toMatch(/r retry/);
    app.keys('q');
    await app.until('exited');
  });

  it('shows the same library from the kept-code lane as from the module build, and keeps the code', async () => {
    const ws = walk();
    const kept = tempDir('baton-code-');
    const lane = tmuxApp(['--runbooks', ws.runbooks, '--state-dir', ws.stateDir], { BATON_CODE_CACHE_DIR: kept });
    const fromLane = await lane.until('type to filter');
    await waitFor(() => readdirSync(kept).some((f) => f.endsWith('.bin')), 20_000, 'the kept code');
    const unused = tempDir('baton-code-');
    const modules = tmuxApp(['--runbooks', ws.runbooks, '--state-dir', ws.stateDir], { BATON_CODE_CACHE: 'off', BATON_CODE_CACHE_DIR: unused });
    const fromModules = await modules.until('type to filter');
    expect(fromModules).toBe(fromLane);
    expect(existsSync(unused) ? readdirSync(unused) : []).toEqual([]);
    const again = tmuxApp(['--runbooks', ws.runbooks, '--state-dir', ws.stateDir], { BATON_CODE_CACHE_DIR: kept });
    expect(await again.until('type to filter')).toBe(fromLane);
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

// The app stays responsive while an action floods it with output: the time from a key press to the
// frame that shows its effect (the note prompt opening), while a shell action prints about 100,000
// lines a second, against the same with nothing running, in the same run. Real runner, real shell
// executor, real Ink rendering (at its normal frame rate) into an in-memory terminal.
// Run alone: npx tsx bench/tui-keys-under-output.ts
import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppModel } from '../src/ui/app/app-model.js';
import { realServices } from '../src/ui/app/services.js';
import { readLibrary } from '../src/ui/library/summaries.js';
import { mountApp } from '../src/ui/mount.js';
import { median } from './tui-common.js';

const PRESSES = 25;

class Terminal extends EventEmitter {
  isTTY = true;
  columns = 100;
  rows = 30;
  written = '';
  write(chunk: string): boolean {
    this.written += chunk;
    if (this.written.length > 1_000_000) this.written = this.written.slice(-200_000);
    this.emit('frame');
    return true;
  }
}
class Keyboard extends EventEmitter {
  isTTY = true;
  queue: string[] = [];
  setRawMode() {}
  setEncoding() {}
  ref() {}
  unref() {}
  resume() {}
  pause() {}
  read(): string | null {
    return this.queue.shift() ?? null;
  }
  press(key: string) {
    this.queue.push(key);
    this.emit('readable');
    this.emit('data', key);
  }
}

const base = mkdtempSync(join(tmpdir(), 'baton-bench-keys-'));
const runbooks = join(base, 'runbooks');
mkdirSync(runbooks);
// About 100,000 lines a second: 10,000 lines every 0.1 s, for longer than the bench takes.
writeFileSync(join(runbooks, 'flood.md'), '# Flood\n\n## Print a lot\n\n```bash\nfor i in $(seq 1 600); do seq 1 10000; sleep 0.1; done\n```\n\n## Rest\n\n```bash\necho rest\n```\n');
const stdout = new Terminal();
const stdin = new Keyboard();
const library = await readLibrary(runbooks, join(base, 'state'));
let exited = false;
const model = new AppModel(realServices({ runbooks, stateDir: join(base, 'state') }, { operator: 'bench' }), { library, runbook: 'flood', onExit: () => (exited = true) });
const instance = mountApp(model, { stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(text: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!stdout.written.slice(-20_000).includes(text)) {
    if (Date.now() > end) throw new Error(`"${text}" did not show; the screen had: ${stdout.written.slice(-1500)}`);
    await new Promise((resolve) => stdout.once('frame', resolve).setMaxListeners(0) && setTimeout(resolve, 50));
  }
}
/** Milliseconds from pressing `a` to the frame with the note prompt; then close it. */
async function noteLatency(): Promise<number> {
  stdout.written = '';
  const started = performance.now();
  stdin.press('a');
  await until('Note:');
  const ms = performance.now() - started;
  stdout.written = '';
  stdin.press('\x1b');
  // Closed when a frame without the prompt has been drawn (the footer is in every frame).
  while (!(stdout.written.includes('enter run') || stdout.written.includes('ctrl-c cancel')) || stdout.written.slice(stdout.written.lastIndexOf('Flood in')).includes('Note:')) await sleep(5);
  await sleep(20);
  return ms;
}

await until('enter run');
await sleep(300);
const idle: number[] = [];
for (let i = 0; i < PRESSES; i++) idle.push(await noteLatency());
stdin.press('\r');
await until('ctrl-c cancel the action');
await sleep(1000);
const busy: number[] = [];
const run = model.getState().run!;
const linesBefore = run.getState().output?.dropped ?? 0;
const floodStarted = performance.now();
for (let i = 0; i < PRESSES; i++) busy.push(await noteLatency());
const seconds = (performance.now() - floodStarted) / 1000;
const printed = (run.getState().output?.dropped ?? 0) - linesBefore;
stdin.press('\x03');
await until('cancelled by bench');
stdin.press('q');
while (!exited) await sleep(20);
instance.unmount();

const m = { idle: median(idle), busy: median(busy) };
console.log(`key to frame, idle: median ${m.idle.toFixed(1)} ms, max ${Math.max(...idle).toFixed(1)} ms`);
console.log(`key to frame while the action prints ${Math.round(printed / seconds).toLocaleString('en')} lines/s: median ${m.busy.toFixed(1)} ms, max ${Math.max(...busy).toFixed(1)} ms`);
console.log(`ratio busy/idle: ${(m.busy / m.idle).toFixed(2)} (budget: a frame at 30 fps, 33 ms, plus the idle time)`);
if (m.busy > m.idle + 1000 / 30 + 20) process.exitCode = 1;

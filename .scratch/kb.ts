import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppModel } from '../src/ui/app/app-model.js';
import { realServices } from '../src/ui/app/services.js';
import { readLibrary } from '../src/ui/library/summaries.js';
import { mountApp } from '../src/ui/mount.js';
class Terminal extends EventEmitter { isTTY = true; columns = 100; rows = 30; written = ''; write(c: string) { this.written += c; return true; } }
class Keyboard extends EventEmitter { isTTY = true; q: string[] = []; setRawMode(m: boolean) { console.error('raw', m); } setEncoding() {} ref() {} unref() {} resume() {} pause() {} read() { return this.q.shift() ?? null; } press(k: string) { this.q.push(k); this.emit('readable'); } }
const base = mkdtempSync(join(tmpdir(), 'kb-')); const runbooks = join(base, 'rb'); mkdirSync(runbooks);
writeFileSync(join(runbooks, 'flood.md'), '# Flood\n\n## One\n\n```bash\necho hi\n```\n');
const stdout = new Terminal(); const stdin = new Keyboard();
const model = new AppModel(realServices({ runbooks, stateDir: join(base, 'st') }), { library: await readLibrary(runbooks, join(base, 'st')), runbook: 'flood', onExit: () => {} });
mountApp(model, { stdout: stdout as any, stdin: stdin as any });
await new Promise((r) => setTimeout(r, 2000));
console.error('listeners', stdin.listenerCount('readable'));
stdin.press('a');
await new Promise((r) => setTimeout(r, 500));
console.error(stdout.written.slice(-800));
process.exit(0);

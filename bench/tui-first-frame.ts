// Time from process start to the terminal app's first interactive frame of the library (50
// runbooks in the folder), against a bare Ink "hello" app bundled with the same esbuild options,
// measured in the same run, interleaved, under a real pseudo-terminal with CI unset.
//
// baton's bare start runs dist/app.cjs with V8's compiled code kept from an earlier start
// (src/app-lane.ts): "app" is that, as an operator gets it from the second start after a build
// on. Beside it, the same start without that cache (BATON_CODE_CACHE=off: the ES module build),
// and a start whose code cache is not written yet (the first start after a build).
// Run alone: npx tsx bench/tui-first-frame.ts   (builds dist/ first if needed)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { best, ensureBuilt, library, median, root, timeToScreen } from './tui-common.js';

// Read from the repository at run time (not bundled into the bench), so the plugin finds its shim.
const { bundleOptions, inkStartup } = await import(pathToFileURL(join(root, 'scripts', 'bundle-options.js')).href);

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);

ensureBuilt();
// The hello app lives under node_modules so it resolves the same ink and react as baton.
const helloDir = join(root, 'node_modules', '.cache', 'baton-bench', 'ink-hello');
rmSync(helloDir, { recursive: true, force: true });
mkdirSync(helloDir, { recursive: true });
writeFileSync(
  join(helloDir, 'hello.tsx'),
  "import { render, Text, useInput } from 'ink';\nfunction Hello() {\n  useInput(() => undefined);\n  return <Text>Hello from Ink</Text>;\n}\nrender(<Hello />);\n",
);
const options = { ...bundleOptions(root), jsx: 'automatic' as const, sourcemap: false };
await build({ ...options, entryPoints: { hello: join(helloDir, 'hello.tsx') }, outdir: join(helloDir, 'stock') });
await build({ ...options, entryPoints: { hello: join(helloDir, 'hello.tsx') }, outdir: join(helloDir, 'trimmed'), plugins: [inkStartup] });

const { runbooks, stateDir } = library(50);
const scratch = mkdtempSync(join(tmpdir(), 'baton-bench-code-'));
const codeCache = join(scratch, 'kept');
const app = `${process.execPath} ${join(root, 'bin', 'baton.js')} --runbooks ${runbooks} --state-dir ${stateDir}`;
const appMarker = 'type to filter';
const load = () => loadavg().map((n) => n.toFixed(1)).join(' ');
const loadBefore = load();
// The very first start: no summaries cached, no compiled code kept. It leaves both for the rest.
const cold = await timeToScreen(app, appMarker, { BATON_CODE_CACHE_DIR: codeCache }, 1500);

let fresh = 0;
const programs: Record<string, { command: string; marker: string; env?: () => NodeJS.ProcessEnv }> = {
  app: { command: app, marker: appMarker, env: () => ({ BATON_CODE_CACHE_DIR: codeCache }) },
  esm: { command: app, marker: appMarker, env: () => ({ BATON_CODE_CACHE: 'off' }) },
  uncached: { command: app, marker: appMarker, env: () => ({ BATON_CODE_CACHE_DIR: join(scratch, `fresh-${fresh++}`) }) },
  stock: { command: `${process.execPath} ${join(helloDir, 'stock', 'hello.js')}`, marker: 'Hello from Ink' },
  trimmed: { command: `${process.execPath} ${join(helloDir, 'trimmed', 'hello.js')}`, marker: 'Hello from Ink' },
  node: { command: `${process.execPath} -e "console.log('node is up')"`, marker: 'node is up' },
};
const wall: Record<string, number[]> = {};
const cpu: Record<string, number[]> = {};
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, { command, marker, env }] of Object.entries(programs)) {
    const time = await timeToScreen(command, marker, env?.() ?? {});
    (wall[name] ??= []).push(time.ms);
    if (time.cpuMs !== undefined) (cpu[name] ??= []).push(time.cpuMs);
  }
}
rmSync(scratch, { recursive: true, force: true });

const s = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
const withCpu = cpu.app?.length === ROUNDS;
const line = (label: string, name: string) => {
  const w = wall[name]!;
  const c = cpu[name];
  console.log(`${label.padEnd(52)} best ${s(best(w))}  median ${s(median(w))}${withCpu && c ? `   CPU best ${s(best(c))}  median ${s(median(c))}` : ''}`);
};
console.log(`${ROUNDS} interleaved rounds; load average ${loadBefore} before, ${load()} after`);
line('first frame of the library, 50 runbooks:', 'app');
line('  the same without the code cache (ESM build):', 'esm');
line('  the same before its code cache is written:', 'uncached');
console.log(`${'  first start: no summaries, no code cached:'.padEnd(52)} ${s(cold.ms)}`);
line('baseline, Ink hello built the same way:', 'stock');
line("  the same hello with baton's Ink start-up trims:", 'trimmed');
line('  node printing one line:', 'node');
const ratio = (name: string, of: Record<string, number[]>, by = 'stock') => median(of[name]!) / median(of[by]!);
const both = (name: string, by = 'stock') => `${ratio(name, wall, by).toFixed(2)} wall-clock${withCpu ? `, ${ratio(name, cpu, by).toFixed(2)} CPU` : ''}`;
console.log(`ratio baton/hello (medians): ${both('app')} (budget ≤ 1.00)`);
console.log(`  without the code cache: ${both('esm')}; before it is written: ${both('uncached')}; baton/trimmed hello: ${both('app', 'trimmed')}`);
if (ratio('app', wall) > 1) process.exitCode = 1;

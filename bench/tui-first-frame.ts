// Time from process start to the terminal app's first interactive frame of the library (50
// runbooks in the folder), against a bare Ink "hello" app bundled with the same esbuild options,
// measured in the same run, interleaved, under a real pseudo-terminal with CI unset.
// Run alone: npx tsx bench/tui-first-frame.ts   (builds dist/ first if needed)
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { ensureBuilt, library, median, root, timeToScreen } from './tui-common.js';

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
const app = `${process.execPath} ${join(root, 'bin', 'baton.js')} --runbooks ${runbooks} --state-dir ${stateDir}`;
const appMarker = 'type to filter';
const cold = await timeToScreen(app, appMarker);

const programs = {
  app: [app, appMarker],
  stock: [`${process.execPath} ${join(helloDir, 'stock', 'hello.js')}`, 'Hello from Ink'],
  trimmed: [`${process.execPath} ${join(helloDir, 'trimmed', 'hello.js')}`, 'Hello from Ink'],
  node: [`${process.execPath} -e "console.log('node is up')"`, 'node is up'],
} as const;
const wall: Record<string, number[]> = { app: [], stock: [], trimmed: [], node: [] };
const cpu: Record<string, number[]> = { app: [], stock: [], trimmed: [], node: [] };
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, [command, marker]] of Object.entries(programs)) {
    const time = await timeToScreen(command, marker);
    wall[name]!.push(time.ms);
    if (time.cpuMs !== undefined) cpu[name]!.push(time.cpuMs);
  }
}
const m = (set: Record<string, number[]>, name: string) => median(set[name]!);
const s = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
const withCpu = cpu.app!.length === ROUNDS;
const line = (label: string, name: string) => console.log(`${label.padEnd(48)} ${s(m(wall, name))}${withCpu ? `   (CPU ${s(m(cpu, name))})` : ''}`);
line(`first frame of the library, 50 runbooks (median of ${ROUNDS}):`, 'app');
console.log(`${'  first start, summaries not cached yet:'.padEnd(48)} ${s(cold.ms)}`);
line('baseline, Ink hello built the same way:', 'stock');
line("  the same hello with baton's Ink start-up trims:", 'trimmed');
line('  node printing one line:', 'node');
const ratio = m(wall, 'app') / m(wall, 'stock');
console.log(`ratio baton/hello: ${ratio.toFixed(2)} wall-clock${withCpu ? `, ${(m(cpu, 'app') / m(cpu, 'stock')).toFixed(2)} CPU time` : ''} (budget ≤ 1.00); baton/trimmed hello: ${(m(wall, 'app') / m(wall, 'trimmed')).toFixed(2)}`);
if (ratio > 1) process.exitCode = 1;

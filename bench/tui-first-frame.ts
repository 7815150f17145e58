// Time from process start to the terminal app's first interactive frame of the library (50
// runbooks in the folder), against a bare Ink "hello" app bundled with the same esbuild options,
// measured in the same run, interleaved, under a real pseudo-terminal with CI unset.
// Run alone: npx tsx bench/tui-first-frame.ts   (builds dist/ first if needed)
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
// @ts-expect-error plain JavaScript module shared with the build
import { bundleOptions, inkStartup } from '../scripts/bundle-options.js';
import { ensureBuilt, library, median, root, timeToScreen } from './tui-common.js';

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

const times = { app: [] as number[], stock: [] as number[], trimmed: [] as number[], node: [] as number[] };
for (let round = 0; round < ROUNDS; round++) {
  times.app.push(await timeToScreen(app, appMarker));
  times.stock.push(await timeToScreen(`${process.execPath} ${join(helloDir, 'stock', 'hello.js')}`, 'Hello from Ink'));
  times.trimmed.push(await timeToScreen(`${process.execPath} ${join(helloDir, 'trimmed', 'hello.js')}`, 'Hello from Ink'));
  times.node.push(await timeToScreen(`${process.execPath} -e "console.log('node is up')"`, 'node is up'));
}
const m = { app: median(times.app), stock: median(times.stock), trimmed: median(times.trimmed), node: median(times.node) };
const ratio = m.app / m.stock;
console.log(`first frame of the library, 50 runbooks (median of ${ROUNDS}): ${(m.app / 1000).toFixed(3)} s  (first start, summaries not cached yet: ${(cold / 1000).toFixed(3)} s)`);
console.log(`baseline, Ink hello built the same way:        ${(m.stock / 1000).toFixed(3)} s`);
console.log(`  the same hello with baton's Ink start-up trims: ${(m.trimmed / 1000).toFixed(3)} s`);
console.log(`  node printing one line:                         ${(m.node / 1000).toFixed(3)} s`);
console.log(`ratio baton/hello: ${ratio.toFixed(2)} (budget ≤ 1.00); baton/trimmed hello: ${(m.app / m.trimmed).toFixed(2)}`);
if (ratio > 1) process.exitCode = 1;

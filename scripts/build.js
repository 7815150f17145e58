// Bundles baton into dist/ with esbuild. One bundle with split chunks: the entry stays small and
// everything behind a dynamic import() (sandbox, snowflake executor, TUI screens) loads on demand.
// Then the fast lanes, dist/app.cjs and dist/cli.cjs (see scripts/app-lane.js).
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildAppLane, buildCliLane, laneImports } from './app-lane.js';
import { bundleOptions, inkStartup } from './bundle-options.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Entry points: name in dist/ → source file. */
export const entries = {
  cli: 'src/cli.ts',
  // What bin/baton.js starts: the terminal app's fast lane, else cli.
  main: 'src/main.ts',
  // The AutoSys CLI fakes (sandbox/bin/sendevent, autorep, jil, autostatus, autosyslog).
  'autosys-cli': 'src/sandbox/scheduler/autosys/cli.ts',
  // sandbox/bin/scheduler-fakes: the AutoSys and Control-M fakes alone.
  'scheduler-fakes': 'src/sandbox/scheduler/standalone.ts',
  // What dist/app.cjs imports from this build, under names it can find.
  ...laneImports,
};

await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  ...bundleOptions(root),
  entryPoints: entries,
  outdir: 'dist',
  plugins: [inkStartup],
});
await buildAppLane(root);
await buildCliLane(root);

// Bundles baton into dist/ with esbuild. One bundle with split chunks: the entry stays small and
// everything behind a dynamic import() (sandbox, snowflake executor, TUI screens) loads on demand.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
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
};

await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  ...bundleOptions(root),
  entryPoints: entries,
  outdir: 'dist',
  plugins: [inkStartup],
});

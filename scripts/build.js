// Bundles baton into dist/ with esbuild. One bundle with split chunks: the entry stays small and
// everything behind a dynamic import() (sandbox, snowflake executor, TUI screens) loads on demand.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Entry points: name in dist/ → source file. */
export const entries = {
  cli: 'src/cli.ts',
  // The AutoSys CLI fakes (sandbox/bin/sendevent, autorep, jil, autostatus, autosyslog).
  'autosys-cli': 'src/sandbox/scheduler/autosys/cli.ts',
  // sandbox/bin/scheduler-fakes: the AutoSys and Control-M fakes alone.
  'scheduler-fakes': 'src/sandbox/scheduler/standalone.ts',
};

/** Packages that must stay outside the bundle: native code, or heavy and loaded lazily by path. */
const external = [
  'snowflake-sdk',
  '@duckdb/node-api',
  'playwright-core',
  'react-devtools-core',
];

await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: entries,
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  external,
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
  // Some bundled CommonJS dependencies call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __batonCreateRequire } from 'node:module'; const require = __batonCreateRequire(import.meta.url);",
  },
});

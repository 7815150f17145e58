// The fast lanes: bare `baton` (dist/app.cjs) and every other command line (dist/cli.cjs), each as
// one CommonJS script, so that V8 can keep its compiled code between starts (Node 20 caches no
// compiled code for ES modules; a script run through vm.Script can be given the code V8 compiled
// for it last time: src/app-lane.ts).
//
// The script holds the app's screens with Ink and React, and nothing else: the modules that hold
// the engine, the parser and the record (which never touch React) stay in the ESM build, under
// fixed names in dist/lane/, and the script imports them from there when it needs them. Every
// other dynamic import is bundled (and only evaluated when reached), so one React and one Ink
// serve every screen.
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import { bundleOptions, inkStartupPlugin } from './bundle-options.js';

/** Modules the app lane leaves to the ESM build: name in dist/ → source file. */
const appLeftToEsm = {
  'lane/open-run': 'src/ui/app/open-run.ts',
  'lane/standing': 'src/ui/library/standing.ts',
  'lane/runbook-library': 'src/runbook/library.ts',
  'lane/environments': 'src/config/environments.ts',
  'lane/list': 'src/commands/list.ts',
  'lane/exec': 'src/commands/exec.ts',
  'lane/handover': 'src/handover/generate.ts',
};

// The command line's lane holds the commands, the engine, the parser, the record and the
// executors; the terminal app and the sandbox (its SQL engine is most of baton's code, and a run
// starts it as a process of its own) stay in the ESM build, as do the packages left out of every
// bundle and execa (ES modules only, needed by interactive actions alone).
const cliLeftToEsm = {
  'lane/tui': 'src/commands/tui.ts',
  'lane/sandbox': 'src/commands/sandbox.ts',
  'lane/sandbox-index': 'src/sandbox/index.ts',
};

/** Modules a lane imports from the ESM build: name in dist/ → source file (the build must hold them). */
export const laneImports = { ...appLeftToEsm, ...cliLeftToEsm };

/** The first line of a lane: a digest of the rest, so a cached compilation is never taken for another build's. */
export const laneMark = (name) => `/*baton-${name}-lane `;

// A CommonJS script cannot wait at its top level; two of Ink's modules do. Neither needs to here.
const LANE_PATCHES = [
  {
    // yoga-layout waits for its WebAssembly to compile. Compiled synchronously instead (the module
    // is small), Emscripten has filled in the object it was given by the time it returns.
    package: 'yoga-layout',
    path: 'dist/binaries/yoga-wasm-base64-esm.js',
    edits: [
      ['function c(e){return ya().then(function(f){return WebAssembly.instantiate(f,d)}).then(function(f){return f}).then(e,', 'function c(e){return Promise.resolve(e({instance:new WebAssembly.Instance(new WebAssembly.Module(wa()),d)})).then(null,'],
      ['var _scriptDir = import.meta.url;', 'var _scriptDir = "";'],
    ],
  },
  { package: 'yoga-layout', path: 'dist/src/index.js', edits: [['const Yoga = wrapAssembly(await loadYoga());', 'const Yoga = wrapAssembly(((module) => (loadYoga(module), module))({}));']] },
  {
    // Ink connects React's devtools when DEV=true; the lane is not used then (src/app-lane.ts).
    package: 'ink',
    path: 'build/reconciler.js',
    edits: [
      ["await import('./devtools.js');", "throw Object.assign(new Error('React devtools need the ESM build'), { code: 'ERR_MODULE_NOT_FOUND' });"],
      ['? await loadPackageJson()', '? { name: undefined, version: undefined }'],
    ],
  },
];

/** Build dist/app.cjs (and its map) from src/commands/tui.ts; the ESM build must hold `laneImports`. */
export function buildAppLane(root, outdir = 'dist') {
  return buildLane(root, { name: 'app', entry: 'src/commands/tui.ts', leftToEsm: appLeftToEsm, packages: [], patches: LANE_PATCHES }, outdir);
}

/** Build dist/cli.cjs (and its map) from src/cli.ts; the ESM build must hold `laneImports`. */
export function buildCliLane(root, outdir = 'dist') {
  return buildLane(root, { name: 'cli', entry: 'src/cli.ts', leftToEsm: cliLeftToEsm, packages: ['execa'], patches: [] }, outdir);
}

async function buildLane(root, { name, entry, leftToEsm, packages, patches }, outdir) {
  const dist = resolve(root, outdir);
  const leftBehind = new Map(Object.entries(leftToEsm).map(([module, source]) => [resolve(root, source), `./${module}.js`]));
  const boundary = {
    name: 'lane-boundary',
    setup(b) {
      b.onResolve({ filter: /^\./ }, async (args) => {
        if (args.kind !== 'dynamic-import' || args.pluginData?.lane) return undefined;
        const found = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: { lane: true } });
        const esm = leftBehind.get(found.path);
        return esm ? { path: esm, external: true } : undefined;
      });
    },
  };
  const options = bundleOptions(root);
  delete options.banner;
  const file = `${name}.cjs`;
  const result = await build({
    ...options,
    entryPoints: { [name]: entry },
    outdir: dist,
    outExtension: { '.js': '.cjs' },
    splitting: false,
    format: 'cjs',
    external: [...options.external, ...packages],
    // The script's own URL, as the ESM build's chunks (in the same folder) see theirs.
    define: { ...options.define, 'import.meta.url': '__batonImportMetaUrl' },
    // Keep import() of what lives in the ESM build (CommonJS output would turn it into require()).
    supported: { 'dynamic-import': true },
    write: false,
    plugins: [boundary, inkStartupPlugin(patches)],
  });
  if (result.warnings.length > 0) throw new Error(`dist/${file}: ${result.warnings.map((w) => w.text).join('; ')}`);
  const script = result.outputFiles.find((f) => f.path.endsWith('.cjs'));
  const map = result.outputFiles.find((f) => f.path.endsWith('.cjs.map'));
  // The script runs inside a function that receives `__batonImport` (import() relative to dist/,
  // or of a package): import() in a vm.Script would need Node's experimental module hooks.
  const allowed = new Set([...leftBehind.values(), ...options.external, ...packages]);
  let imports = 0;
  let stray;
  const text = script.text.replace(/\bimport\("([^"]*)"\)/g, (call, specifier) => {
    if (!allowed.has(specifier)) stray ??= call;
    imports++;
    return `__batonImport(${JSON.stringify(specifier)})`;
  });
  if (stray || imports === 0) throw new Error(`dist/${file}: ${stray ? `${stray} cannot run in the lane; leave it to the ESM build in scripts/app-lane.js` : 'found no import() of the ESM build'}`);
  const digest = createHash('sha256').update(text).digest('hex').slice(0, 16);
  await mkdir(dist, { recursive: true });
  await writeFile(join(dist, file), `${laneMark(name)}${digest}*/\n${text}`);
  // One line more at the top: every mapping moves down one.
  const shifted = JSON.parse(map.text);
  shifted.mappings = `;${shifted.mappings}`;
  await writeFile(join(dist, `${file}.map`), JSON.stringify(shifted));
  return { file: relative(root, join(dist, file)), bytes: Buffer.byteLength(text), digest };
}

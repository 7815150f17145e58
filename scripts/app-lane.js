// The terminal app's fast lane, dist/app.cjs: bare `baton` as one CommonJS script, so that V8 can
// keep its compiled code between starts (Node 20 caches no compiled code for ES modules; a script
// run through vm.Script can be given the code V8 compiled for it last time: src/app-lane.ts).
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

/** Modules the fast lane leaves to the ESM build: name in dist/ → source file. */
export const laneImports = {
  'lane/open-run': 'src/ui/app/open-run.ts',
  'lane/standing': 'src/ui/library/standing.ts',
  'lane/runbook-library': 'src/runbook/library.ts',
  'lane/environments': 'src/config/environments.ts',
  'lane/list': 'src/commands/list.ts',
  'lane/exec': 'src/commands/exec.ts',
  'lane/handover': 'src/handover/generate.ts',
};

/** The first line of dist/app.cjs: a digest of the rest, so a cached compilation is never taken for another build's. */
export const LANE_MARK = '/*baton-app-lane ';

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
export async function buildAppLane(root, outdir = 'dist') {
  const dist = resolve(root, outdir);
  const leftToEsm = new Map(Object.entries(laneImports).map(([name, source]) => [resolve(root, source), `./${name}.js`]));
  const boundary = {
    name: 'app-lane-boundary',
    setup(b) {
      b.onResolve({ filter: /^\./ }, async (args) => {
        if (args.kind !== 'dynamic-import' || args.pluginData?.lane) return undefined;
        const found = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: { lane: true } });
        const esm = leftToEsm.get(found.path);
        return esm ? { path: esm, external: true } : undefined;
      });
    },
  };
  const options = bundleOptions(root);
  delete options.banner;
  const result = await build({
    ...options,
    entryPoints: { app: 'src/commands/tui.ts' },
    outdir: dist,
    outExtension: { '.js': '.cjs' },
    splitting: false,
    format: 'cjs',
    // Keep import() of what lives in the ESM build (CommonJS output would turn it into require()).
    supported: { 'dynamic-import': true },
    write: false,
    plugins: [boundary, inkStartupPlugin(LANE_PATCHES)],
  });
  if (result.warnings.length > 0) throw new Error(`dist/app.cjs: ${result.warnings.map((w) => w.text).join('; ')}`);
  const script = result.outputFiles.find((f) => f.path.endsWith('.cjs'));
  const map = result.outputFiles.find((f) => f.path.endsWith('.cjs.map'));
  // The script runs inside a function that receives `__batonImport` (import() relative to dist/):
  // import() in a vm.Script would need Node's experimental module hooks.
  let imports = 0;
  const text = script.text.replace(/\bimport\("(\.\/lane\/[\w-]+\.js)"\)/g, (_, path) => {
    imports++;
    return `__batonImport(${JSON.stringify(path)})`;
  });
  const stray = /\bimport\("[^"]*"\)/.exec(text);
  if (stray || imports === 0) throw new Error(`dist/app.cjs: ${stray ? `${stray[0]} cannot run in the lane; add it to laneImports in scripts/app-lane.js` : 'found no import() of the ESM build'}`);
  const digest = createHash('sha256').update(text).digest('hex').slice(0, 16);
  await mkdir(dist, { recursive: true });
  await writeFile(join(dist, 'app.cjs'), `${LANE_MARK}${digest}*/\n${text}`);
  // One line more at the top: every mapping moves down one.
  const shifted = JSON.parse(map.text);
  shifted.mappings = `;${shifted.mappings}`;
  await writeFile(join(dist, 'app.cjs.map'), JSON.stringify(shifted));
  return { file: relative(root, join(dist, 'app.cjs')), bytes: Buffer.byteLength(text), digest };
}

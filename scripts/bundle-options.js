// The esbuild options baton ships with, shared by the build and by the benches that compare a
// bundle of baton with another bundle "built the same way".
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** Packages that must stay outside the bundle: native code, or heavy and loaded lazily by path. */
export const external = ['snowflake-sdk', '@duckdb/node-api', 'playwright-core', 'react-devtools-core'];

/** Options every baton bundle uses: one ESM bundle for Node 20, split chunks, minified. */
export function bundleOptions(root) {
  return {
    absWorkingDir: root,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Smaller text is less to parse at start-up: the terminal app's first frame waits on it.
    minify: true,
    sourcemap: 'linked',
    external,
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
    // Some bundled CommonJS dependencies call require() for Node built-ins.
    banner: {
      js: "import { createRequire as __batonCreateRequire } from 'node:module'; const require = __batonCreateRequire(import.meta.url);",
    },
  };
}

// Edits to what Ink loads, each an exact string of the pinned version; if one stops matching, the
// build warns and that module loads unchanged (slower, never wrong).
const graphemes = fileURLToPath(new URL('./shims/graphemes.js', import.meta.url));
const useGraphemes = (names) => `import { ${names} } from ${JSON.stringify(graphemes)};\n`;
// A module of node_modules by its path inside the package; `nested` for a copy inside another package.
const moduleFile = (path, nested = '') => new RegExp(`[\\\\/]node_modules[\\\\/]${nested ? `${nested}[\\\\/]node_modules[\\\\/]` : ''}${path.replace(/[/.]/g, (c) => (c === '/' ? '[\\\\/]' : '\\.'))}$`);
const topLevel = (pattern) => (path) => pattern.test(path) && !/node_modules[\\/].*node_modules[\\/]/.test(path);
const PATCHES = [
  {
    // yoga-layout (Ink's layout engine) ships its WebAssembly as a base64 data: URL and loads it
    // with fetch(), which makes Node load its whole HTTP client (undici) before the first frame,
    // then decodes the text one character at a time. Both are replaced by Buffer's decoding.
    file: topLevel(moduleFile('yoga-layout/dist/binaries/yoga-wasm-base64-esm.js')),
    edits: [
      ['return w||"function"!=typeof fetch?', 'return true?'],
      ['var b=xa(a.slice(37)),c=new Uint8Array(b.length);for(a=0;a<b.length;++a)c[a]=b.charCodeAt(a);var d=c', 'var d=Buffer.from(a.slice(37),"base64")'],
    ],
  },
  // Ink's text helpers each create an Intl.Segmenter when they load; the first one of a process
  // loads ICU's break rules. A StartupSegmenter (shims/graphemes.js) gives the same segments and
  // creates the real one only for text that needs it.
  ...[
    topLevel(moduleFile('string-width/index.js')),
    (path) => moduleFile('string-width/index.js', 'wrap-ansi').test(path),
    topLevel(moduleFile('slice-ansi/tokenize-ansi.js')),
    topLevel(moduleFile('@alcalzone/ansi-tokenize/build/tokenize.js')),
  ].map((file) => ({ file, prefix: useGraphemes('StartupSegmenter'), edits: [['new Intl.Segmenter(', 'new StartupSegmenter(']] })),
  {
    // string-width builds the set of every emoji sequence when it loads (tens of ms); it is needed
    // only for text with emoji, and compiled on its first test instead.
    file: topLevel(moduleFile('string-width/index.js')),
    prefix: useGraphemes('lazyRegExp'),
    edits: [['const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;', "const rgiEmojiRegex = lazyRegExp('^\\\\p{RGI_Emoji}$', 'v');"]],
  },
];
const patchedPackages = /[\\/]node_modules[\\/](yoga-layout|string-width|wrap-ansi|slice-ansi|@alcalzone[\\/]ansi-tokenize)[\\/]/;

/** Shims the bundle gives Ink's modules in place of a package (see each shim's opening comment). */
const SHIMS = {
  // Ink's string-width (8.x, at the top of node_modules), not wrap-ansi's own 7.x.
  'string-width': { shim: fileURLToPath(new URL('./shims/string-width.js', import.meta.url)), only: /[\\/]node_modules[\\/]string-width[\\/]index\.js$/ },
  '@alcalzone/ansi-tokenize': { shim: fileURLToPath(new URL('./shims/ansi-tokenize.js', import.meta.url)), only: /[\\/]node_modules[\\/]@alcalzone[\\/]ansi-tokenize[\\/]/ },
};
const shimFiles = new Set(Object.values(SHIMS).map((s) => s.shim));

/** esbuild plugin: what Ink loads and does at start-up that the terminal app does without (see above). */
export const inkStartup = {
  name: 'ink-startup',
  setup(build) {
    const names = Object.keys(SHIMS).map((n) => n.replace(/[/@.-]/g, '\\$&'));
    build.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, async (args) => {
      if (shimFiles.has(args.importer) || args.pluginData?.real) return undefined;
      const real = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: { real: true } });
      const keep = { path: real.path, namespace: real.namespace, ...(real.sideEffects === false ? { sideEffects: false } : {}) };
      const { shim, only } = SHIMS[args.path];
      // Only the copy at the top of node_modules: nested copies are other versions.
      return only.test(real.path) && !/node_modules[\\/].*node_modules[\\/]/.test(real.path) ? { path: shim } : keep;
    });
    build.onLoad({ filter: patchedPackages }, async (args) => {
      const patches = PATCHES.filter((p) => p.file(args.path));
      if (patches.length === 0) return undefined;
      let text = await readFile(args.path, 'utf8');
      const warnings = [];
      for (const patch of patches) {
        const missing = patch.edits.find(([from]) => !text.includes(from));
        if (missing) {
          warnings.push({ text: `${args.path.replace(/^.*node_modules[\\/]/, '')} changed: "${missing[0].slice(0, 40)}…" not found; it now loads unchanged, the slow way (see scripts/bundle-options.js)` });
          continue;
        }
        for (const [from, to] of patch.edits) text = text.replace(from, () => to);
        text = (patch.prefix ?? '') + text;
      }
      return { contents: text, loader: 'js', warnings };
    });
  },
};

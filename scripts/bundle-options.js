// The esbuild options baton ships with, shared by the build and by the benches that compare a
// bundle of baton with another bundle "built the same way".
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const fastStringWidth = fileURLToPath(new URL('./shims/string-width.js', import.meta.url));

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

// yoga-layout (Ink's layout engine) ships its WebAssembly as a base64 data: URL and loads it with
// fetch(), which makes Node load its whole HTTP client (undici) before the first frame, then
// decodes the text one character at a time. Both are replaced by Buffer's native decoding. The
// patches are exact strings of the pinned version; if they stop matching, the build says so.
const YOGA_PATCHES = [
  ['return w||"function"!=typeof fetch?', 'return true?'],
  ['var b=xa(a.slice(37)),c=new Uint8Array(b.length);for(a=0;a<b.length;++a)c[a]=b.charCodeAt(a);var d=c', 'var d=Buffer.from(a.slice(37),"base64")'],
];

/** esbuild plugin: what Ink loads at start-up that the terminal app does without (see above). */
export const inkStartup = {
  name: 'ink-startup',
  setup(build) {
    // Ink's string-width (8.x, at the top of node_modules) answered through a per-character cache:
    // see scripts/shims/string-width.js. Other copies (wrap-ansi keeps its own 7.x) are left alone.
    build.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.importer === fastStringWidth || args.pluginData?.real) return undefined;
      const real = await build.resolve('string-width', { kind: args.kind, resolveDir: args.resolveDir, pluginData: { real: true } });
      const keep = { path: real.path, namespace: real.namespace, ...(real.sideEffects === false ? { sideEffects: false } : {}) };
      return /[\\/]node_modules[\\/]string-width[\\/]index\.js$/.test(real.path) && !/node_modules[\\/].*node_modules[\\/]string-width/.test(real.path) ? { path: fastStringWidth } : keep;
    });
    build.onLoad({ filter: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ }, async (args) => {
      let text = await readFile(args.path, 'utf8');
      for (const [from, to] of YOGA_PATCHES) {
        if (!text.includes(from)) {
          return { contents: text, loader: 'js', warnings: [{ text: `yoga-layout changed: "${from.slice(0, 30)}…" not found; its wasm now loads the slow way (see scripts/bundle-options.js)` }] };
        }
        text = text.replace(from, to);
      }
      return { contents: text, loader: 'js' };
    });
  },
};

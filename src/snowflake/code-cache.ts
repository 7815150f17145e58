// V8's compiled code of a CommonJS dependency, kept between starts. snowflake-sdk and its
// dependencies are some 700 CommonJS files; compiling them is most of the 0.5–1.2 s its import
// costs, and Node 20 keeps no compiled code for them (module.enableCompileCache is Node 22).
// While `load` runs, each CommonJS file under node_modules is compiled through vm.Script with the
// code an earlier start left; afterwards, code for the files compiled now is written for the next.
//
// One file per dependency and per V8 in node_modules/.cache/baton/ (or $BATON_CODE_CACHE_DIR).
// V8 checks only a source's length before taking its code, so each file's code is stored with a
// hash of that file's text and used only for the very same text: an upgraded dependency compiles
// afresh. The file is sealed as the app's kept code is (app-lane.ts). BATON_CODE_CACHE=off, a file that uses
// import() (vm.Script would need its own loader for it) or anything amiss: Node's own compile.
import { createHash } from 'node:crypto';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { readKeptCode, writeKeptCode } from '../app-lane.js';

/** How a load went: files compiled from kept code, and files compiled now. */
export interface KeptCodeStats {
  kept: number;
  compiled: number;
  /** Whether code was written for the next start. */
  written: boolean;
}

interface CompileHook {
  _compile(this: NodeModule, content: string, filename: string, format?: string): unknown;
}

const moduleProto = (Module as unknown as { prototype: CompileHook }).prototype;
const internals = Module as unknown as {
  _resolveFilename(request: string, parent: NodeModule, isMain: boolean, options?: unknown): string;
  _resolveLookupPaths(request: string, parent: NodeModule): string[] | null;
  _extensions: NodeJS.RequireExtensions;
  _cache: NodeJS.Require['cache'];
  wrap(source: string): string;
};

/** Where kept code goes: $BATON_CODE_CACHE_DIR, else node_modules/.cache/baton beside the dependency. */
function keptCodeDir(dependency: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.BATON_CODE_CACHE_DIR) return env.BATON_CODE_CACHE_DIR;
  try {
    const entry = createRequire(import.meta.url).resolve(dependency);
    const at = entry.lastIndexOf(`${'/'}node_modules${'/'}`);
    return at < 0 ? undefined : join(entry.slice(0, at), 'node_modules', '.cache', 'baton');
  } catch {
    return undefined;
  }
}


/** Kept code by file name: [text hash, code]. */
type Kept = Map<string, { hash: string; code: Buffer }>;

/**
 * Run `load` (which imports `name`) with kept code for the CommonJS files it compiles; `keep()`
 * leaves code for the next start when some were compiled now. Never fails because of the cache.
 */
export async function loadWithKeptCode<T>(
  name: string,
  load: () => Promise<T>,
  options: { dir?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ value: T; stats: KeptCodeStats; keep: () => boolean }> {
  const env = options.env ?? process.env;
  const stats: KeptCodeStats = { kept: 0, compiled: 0, written: false };
  const dir = env.BATON_CODE_CACHE === 'off' ? undefined : (options.dir ?? keptCodeDir(name, env));
  if (!dir) return { value: await load(), stats, keep: () => false };
  const file = join(dir, `${name.replace(/[^A-Za-z0-9_.-]+/g, '-')}-v8-${process.versions.v8}-${process.arch}.bin`);
  const kept = readKept(file);
  const compiledNow = new Map<string, { hash: string; script: Script }>();
  const original = moduleProto._compile;
  moduleProto._compile = function (this: NodeModule, content: string, filename: string, format?: string) {
    if (format === 'module' || !filename.includes(`${'/'}node_modules${'/'}`) || !/\.c?js$/.test(filename) || content.includes('import(')) {
      return original.apply(this, arguments as unknown as [string, string, string?]);
    }
    const hash = createHash('sha256').update(content).digest('base64');
    const earlier = kept.get(filename);
    const cachedData = earlier?.hash === hash ? earlier.code : undefined;
    const script = new Script(internals.wrap(content), { filename, ...(cachedData ? { cachedData } : {}) });
    if (cachedData && !script.cachedDataRejected) stats.kept++;
    else {
      stats.compiled++;
      compiledNow.set(filename, { hash, script });
    }
    const run = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return run.call(this.exports, this.exports, requireFor(this), this, filename, dirname(filename));
  };
  let value: T;
  try {
    value = await load();
  } finally {
    moduleProto._compile = original;
  }
  // Code taken after the dependency has done some work also holds the functions it compiled
  // on the way (V8 compiles most lazily): the caller says when, e.g. after a first query.
  const keep = () => {
    if (stats.written || compiledNow.size === 0) return false;
    stats.written = keepCode(file, kept, compiledNow);
    return stats.written;
  };
  return { value, stats, keep };
}

/** `require` as Node gives a module its own. */
function requireFor(module: NodeModule): NodeJS.Require {
  const require = ((request: string) => module.require(request)) as NodeJS.Require;
  const resolve = ((request: string, options?: unknown) => internals._resolveFilename(request, module, false, options)) as NodeJS.RequireResolve;
  resolve.paths = (request: string) => internals._resolveLookupPaths(request, module);
  require.resolve = resolve;
  require.main = process.mainModule;
  require.extensions = internals._extensions;
  require.cache = internals._cache;
  return require;
}

/** The kept code in `file`, when it is there and whole. */
function readKept(file: string): Kept {
  const kept: Kept = new Map();
  const body = readKeptCode(file);
  if (!body) return kept; // Not there yet, or damaged: this start compiles and leaves it.
  try {
    const indexLength = body.readUInt32LE(0);
    const index = JSON.parse(body.subarray(4, 4 + indexLength).toString('utf8')) as [string, string, number][];
    let at = 4 + indexLength;
    for (const [filename, hash, length] of index) {
      kept.set(filename, { hash, code: body.subarray(at, at + length) });
      at += length;
    }
  } catch {
    kept.clear(); // Not ours.
  }
  return kept;
}

/** Write the code kept so far with the code of the files compiled now; false when it cannot. */
function keepCode(file: string, kept: Kept, compiledNow: Map<string, { hash: string; script: Script }>): boolean {
  try {
    const all = new Map(kept);
    for (const [filename, { hash, script }] of compiledNow) all.set(filename, { hash, code: script.createCachedData() });
    const index: [string, string, number][] = [];
    const codes: Buffer[] = [];
    for (const [filename, { hash, code }] of all) {
      index.push([filename, hash, code.length]);
      codes.push(code);
    }
    const indexText = Buffer.from(JSON.stringify(index), 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32LE(indexText.length, 0);
    writeKeptCode(file, Buffer.concat([length, indexText, ...codes]));
    return true;
  } catch {
    // A read-only install only costs the next start its speed.
    return false;
  }
}

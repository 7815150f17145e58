// Bare `baton` through dist/app.cjs, and every other command line through dist/cli.cjs (both built
// by scripts/app-lane.js), with V8's compiled code kept between starts: the script is compiled
// through vm.Script, given the code V8 produced for it on an earlier start, and once the first
// frame is on the screen (the app) or the command is done (the rest) a start without usable code
// leaves its own for the next one. Node 20 keeps no compiled code for ES modules, and compiling
// Ink, React and the screens is a large share of the time to the first frame; for `baton exec`,
// compiling the engine, the parser and their packages is most of its start after Node's own.
//
// The cache lives in node_modules/.cache/baton/ (or $BATON_CODE_CACHE_DIR), one file per build of
// the script and per V8. V8 refuses code from another version, flags or source length, but does
// not check the bytes themselves: each file starts with a SHA-256 of the rest, checked here.
// BATON_CODE_CACHE=off, DEV=true (React devtools) or anything amiss here: the ES module build.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';
import type { AppHooks, TuiOptions } from './commands/tui.js';

/** A lane loaded: its exports, and what to do once it has done its first work. */
export interface Lane<T> {
  exports: T;
  /** Where this start's code came from: kept from an earlier start, or compiled now. */
  code: 'kept' | 'compiled';
  /** Leave the compiled code for the next start, unless this start used it. */
  keepCode(): void;
}

/** What the app lane offers: the app, and what to do once its first frame is up. */
export interface AppLane extends Omit<Lane<unknown>, 'exports'> {
  openApp(options: TuiOptions, hooks?: AppHooks): Promise<number>;
}

/** Whether this process should take a lane (not when switched off, nor for React devtools). */
export function laneWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.BATON_CODE_CACHE !== 'off' && env.DEV !== 'true';
}

/** Where compiled code is kept for the scripts in `dist`. */
export function codeCacheDir(dist: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.BATON_CODE_CACHE_DIR || join(dirname(dist), 'node_modules', '.cache', 'baton');
}

/** Load dist/app.cjs with its cached code; undefined when it is missing or will not run. */
export function loadAppLane(dist: string, cacheDir: string = codeCacheDir(dist)): AppLane | undefined {
  const lane = loadLane<{ openApp?: AppLane['openApp'] }>(dist, 'app', cacheDir);
  const openApp = lane?.exports.openApp;
  return lane && typeof openApp === 'function' ? { openApp, code: lane.code, keepCode: lane.keepCode } : undefined;
}

/** Load dist/cli.cjs (every command line but the bare app) with its cached code; undefined when it is missing or will not run. */
export function loadCliLane(dist: string, cacheDir: string = codeCacheDir(dist)): Lane<{ runCli: (argv: string[]) => Promise<number> }> | undefined {
  const lane = loadLane<{ runCli?: (argv: string[]) => Promise<number> }>(dist, 'cli', cacheDir);
  const runCli = lane?.exports.runCli;
  return lane && typeof runCli === 'function' ? { ...lane, exports: { runCli } } : undefined;
}

/** Load dist/<name>.cjs, built by scripts/app-lane.js, with the code kept for it; undefined when it is missing or will not run. */
function loadLane<T>(dist: string, name: string, cacheDir: string): Lane<Partial<T>> | undefined {
  try {
    const file = join(dist, `${name}.cjs`);
    const source = readFileSync(file, 'utf8');
    const mark = `/*baton-${name}-lane `;
    if (!source.startsWith(mark)) return undefined;
    const digest = source.slice(mark.length, source.indexOf('*/'));
    const cacheFile = join(cacheDir, `${name}-${digest}-v8-${process.versions.v8}-${process.arch}.bin`);
    const cachedData = readKeptCode(cacheFile);
    const script = new Script(`(function (exports, require, module, __filename, __dirname, __batonImport, __batonImportMetaUrl) {${source}\n})`, {
      filename: file,
      ...(cachedData ? { cachedData } : {}),
    });
    const used = cachedData !== undefined && !script.cachedDataRejected;
    const module = { exports: {} as Partial<T> };
    const base = pathToFileURL(file);
    // A package (snowflake-sdk, execa…) as this module would find it; anything else from dist/.
    const importFromDist = (specifier: string) => import(specifier.startsWith('.') ? new URL(specifier, base).href : specifier);
    script.runInThisContext()(module.exports, createRequire(file), module, file, dist, importFromDist, base.href);
    return {
      exports: module.exports,
      code: used ? 'kept' : 'compiled',
      keepCode: () => {
        if (!used) setImmediate(() => keepCompiledCode(script, cacheDir, cacheFile, name, digest));
      },
    };
  } catch {
    return undefined;
  }
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest();

/** The code kept in `file` when it is there and whole (its first 32 bytes are a SHA-256 of the rest). */
export function readKeptCode(file: string): Buffer | undefined {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch {
    return undefined; // Not there yet: this start compiles and leaves it.
  }
  const code = data.subarray(32);
  return data.length > 32 && sha256(code).equals(data.subarray(0, 32)) ? code : undefined;
}

/**
 * Write `code` to `file` with its SHA-256 in front, through a temporary file and a rename so a
 * reader never sees half of it. Throws when it cannot (a read-only install).
 */
export function writeKeptCode(file: string, code: Buffer): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, Buffer.concat([sha256(code), code]));
  renameSync(temp, file);
}

function keepCompiledCode(script: Script, cacheDir: string, cacheFile: string, name: string, digest: string): void {
  try {
    writeKeptCode(cacheFile, script.createCachedData());
    // Code for earlier builds of the script is of no further use (other V8s' code is kept).
    for (const other of readdirSync(cacheDir)) {
      if (other.startsWith(`${name}-`) && other.endsWith('.bin') && !other.startsWith(`${name}-${digest}-`)) rmSync(join(cacheDir, other), { force: true });
    }
  } catch {
    // A read-only install only costs the next start its speed.
  }
}

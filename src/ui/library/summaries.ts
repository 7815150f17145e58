// What the library screen shows of each runbook, read fast: a small cache in the state folder keyed
// by each file's size and modification time, so the first frame needs no Markdown or YAML parser.
// Only files that changed since the last start are parsed (the parser is imported just for them).
import { readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** One runbook as the library lists it. */
export interface RunbookSummary {
  id: string;
  path: string;
  title: string;
  summary?: string;
  tags: string[];
  steps: number;
  requires: string[];
  /** Environments it may run in; all when absent. */
  environments?: string[];
  /** Errors that keep it from running; the first one in `problem`. */
  errors: number;
  problem?: string;
}

/** An environment as the library's switcher shows it. */
export interface EnvironmentSummary {
  name: string;
  protected: boolean;
  description?: string;
}

/** The runbooks of a folder and its environments. */
export interface LibrarySnapshot {
  folder: string;
  runbooks: RunbookSummary[];
  environments: EnvironmentSummary[];
  /** The environment baton.yaml names as default. */
  defaultEnvironment: string;
  /** Problems with the folder or baton.yaml, one line each. */
  problems: string[];
}

interface CacheFile {
  version: number;
  files: Record<string, { size: number; mtimeMs: number; summary: RunbookSummary }>;
  environments?: { size: number; mtimeMs: number; value: Omit<LibrarySnapshot, 'folder' | 'runbooks'> };
}

const CACHE_VERSION = 1;

/** Where the cache of a runbooks folder lives. */
export function cachePath(stateDir: string, folder: string): string {
  const key = resolve(folder).replace(/[^A-Za-z0-9]+/g, '_').slice(-80);
  return join(stateDir, 'cache', `library-${key}.json`);
}

/** Read the library's summaries, parsing only files changed since the cache was written. */
export async function readLibrary(folder: string, stateDir: string): Promise<LibrarySnapshot> {
  const cacheFile = cachePath(stateDir, folder);
  const cache = await readCache(cacheFile);
  let names: string[];
  // Synchronous reads: a folder of runbooks and one small cache file are quicker read in one go
  // than through the thread pool, and nothing else can happen before the first frame anyway.
  try {
    names = readdirSync(folder)
      .filter((n) => /\.md$/i.test(n) && !n.startsWith('.') && n.toLowerCase() !== 'readme.md')
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (error as Error).message;
    return { folder, runbooks: [], environments: [], defaultEnvironment: 'sandbox', problems: [`${folder}: cannot read the runbooks folder: ${why} (give another with --runbooks DIR)`] };
  }
  const fresh: CacheFile = { version: CACHE_VERSION, files: {} };
  const stats = names.map((name) => statOrNothing(join(folder, name)));
  const changed: string[] = [];
  names.forEach((name, i) => {
    const info = stats[i];
    const known = cache.files[name];
    if (info && known && known.size === info.size && known.mtimeMs === info.mtimeMs) fresh.files[name] = known;
    else if (info?.isFile()) changed.push(name);
  });
  if (changed.length > 0) {
    const { loadRunbook } = await import('../../runbook/library.js');
    for (const name of changed) {
      const path = join(folder, name);
      const info = stats[names.indexOf(name)]!;
      fresh.files[name] = { size: info.size, mtimeMs: info.mtimeMs, summary: summarize(path, await loadRunbook(path)) };
    }
  }
  const environments = await readEnvironments(folder, cache, fresh);
  if (changed.length > 0 || fresh.environments !== cache.environments || Object.keys(cache.files).length !== names.length) {
    await writeCache(cacheFile, fresh);
  }
  const runbooks = names.flatMap((name) => (fresh.files[name] ? [{ ...fresh.files[name]!.summary, path: join(folder, name) }] : []));
  return { folder, runbooks, ...environments };
}

type ParseResult = Awaited<ReturnType<typeof import('../../runbook/library.js')['loadRunbook']>>;

function summarize(path: string, parsed: ParseResult): RunbookSummary {
  const id = path.replace(/^.*[\\/]/, '').replace(/\.md$/i, '');
  const errors = parsed.problems.filter((p) => p.severity === 'error');
  const first = errors[0];
  const runbook = parsed.runbook;
  return {
    id,
    path,
    title: runbook?.title ?? id,
    ...(runbook?.summary ? { summary: runbook.summary } : {}),
    tags: runbook?.tags ?? [],
    steps: runbook?.steps.length ?? 0,
    requires: runbook?.requires ?? [],
    ...(runbook?.environments ? { environments: runbook.environments } : {}),
    errors: runbook ? errors.length : Math.max(1, errors.length),
    ...(first ? { problem: `${first.file}:${first.line}:${first.column}: ${first.message}` } : {}),
  };
}

async function readEnvironments(folder: string, cache: CacheFile, fresh: CacheFile): Promise<Omit<LibrarySnapshot, 'folder' | 'runbooks'>> {
  const file = join(folder, 'baton.yaml');
  const info = statOrNothing(file);
  const size = info?.size ?? -1;
  const mtimeMs = info?.mtimeMs ?? -1;
  if (cache.environments && cache.environments.size === size && cache.environments.mtimeMs === mtimeMs) {
    fresh.environments = cache.environments;
    return cache.environments.value;
  }
  const { loadEnvironments } = await import('../../config/environments.js');
  const loaded = await loadEnvironments(folder);
  const value = {
    environments: loaded.environments.map((e) => ({ name: e.name, protected: e.protected, ...(e.description ? { description: e.description } : {}) })),
    defaultEnvironment: loaded.default,
    problems: loaded.problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`),
  };
  fresh.environments = { size, mtimeMs, value };
  return value;
}

function statOrNothing(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

async function readCache(path: string): Promise<CacheFile> {
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as CacheFile;
    if (data.version === CACHE_VERSION && data.files && typeof data.files === 'object') return data;
  } catch {
    // No cache yet, or a damaged one: it is rebuilt from the files.
  }
  return { version: CACHE_VERSION, files: {} };
}

async function writeCache(path: string, cache: CacheFile): Promise<void> {
  try {
    await mkdir(join(path, '..'), { recursive: true });
    const temp = `${path}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(cache), 'utf8');
    await rename(temp, path);
  } catch {
    // A read-only state folder only costs speed next time; the screen does not depend on the cache.
  }
}

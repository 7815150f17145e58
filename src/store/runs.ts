// Run records on disk: one lowdb file per run (`state/runs/<id>.json`, written atomically: a temp
// file renamed over the old one), full output under `state/logs/<id>/`, and a small append-only
// index (`state/runs/index.jsonl`) so listing 1,000 runs reads one file instead of 1,000.
//
// The index is a cache. Listing heals it: a record missing from the index is read and added, an
// index line whose record is gone is dropped, and runs the index still calls `running` are re-read
// (their process may have died between writing the record and the index). The record is the truth.
import { appendFileSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import { RECORD_VERSION, summarize, type RunRecord, type RunStatus, type RunSummary } from './record.js';
import { isRunId, runIdTime } from './run-id.js';
import { statePaths, type StatePaths } from './paths.js';

/** Which runs to list. */
export interface RunFilter {
  environment?: string;
  runbookId?: string;
  /** Only runs started at or after this time. */
  since?: Date;
  status?: RunStatus[];
  /** Include dry runs (default true). */
  practice?: boolean;
  /** At most this many, newest first. */
  limit?: number;
}

/** The outcome of reading one record. */
export type ReadResult =
  | { ok: true; record: RunRecord }
  | { ok: false; reason: 'missing' | 'corrupt' | 'unreadable'; message: string };

/** Runs found, and records that could not be read (each as one line naming the file). */
export interface RunList {
  runs: RunSummary[];
  problems: string[];
}

/** A state folder problem in words an operator can act on. */
export class StateError extends Error {
  constructor(
    message: string,
    /** `unwritable`: read-only or not a folder; `full`: no space left; `other`: anything else. */
    readonly kind: 'unwritable' | 'full' | 'other',
  ) {
    super(message);
    this.name = 'StateError';
  }
}

/** The engine's seam to the record: tests may put a recording fake here. */
export interface RunStore {
  readonly stateDir: string;
  /** Write the whole record atomically (create or replace). Throws {@link StateError}. */
  save(record: RunRecord): Promise<void>;
  read(id: string): Promise<ReadResult>;
  list(filter?: RunFilter): Promise<RunList>;
  /** Move an unreadable record out of the way (never overwritten); returns where it went. */
  setAside(id: string): Promise<string>;
  /** Folder for a run's log files; created on demand. */
  logDir(runId: string): Promise<string>;
  /** A path inside the state folder as stored in records (`logs/<id>/…`). */
  relativePath(path: string): string;
}

/** The real store over a state folder. */
export function openStore(stateDir: string): RunStore {
  return new FileStore(statePaths(stateDir));
}

/** List recorded runs in a state folder, newest first. */
export function listRuns(stateDir: string, filter: RunFilter = {}): Promise<RunList> {
  return openStore(stateDir).list(filter);
}

/** Read one run's record from a state folder. */
export function readRun(stateDir: string, id: string): Promise<ReadResult> {
  return openStore(stateDir).read(id);
}

/** The latest run of each runbook in each environment (practice runs apart), keyed `runbookId@env`. */
export async function latestRuns(stateDir: string, filter: RunFilter = {}): Promise<Map<string, RunSummary>> {
  const { runs } = await listRuns(stateDir, { ...filter, practice: false });
  const latest = new Map<string, RunSummary>();
  for (const run of runs) {
    const key = `${run.runbookId}@${run.environment}`;
    if (!latest.has(key) && !run.parentRunId) latest.set(key, run);
  }
  return latest;
}

/** A filesystem error as a {@link StateError} naming the path and what to do. */
export function stateError(error: unknown, path: string, verb: 'write' | 'read' = 'write'): StateError {
  const code = (error as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new StateError(`cannot write ${path}: the state folder is read-only (use --state-dir or BATON_STATE_DIR to point elsewhere)`, 'unwritable');
    case 'ENOTDIR':
    case 'EEXIST':
    case 'EISDIR':
      return new StateError(`cannot ${verb} ${path}: part of that path is not a folder (use --state-dir or BATON_STATE_DIR to point elsewhere)`, 'unwritable');
    case 'ENOSPC':
    case 'EDQUOT':
      return new StateError(`cannot write ${path}: no space left on the device (free some space, or use --state-dir elsewhere)`, 'full');
    default:
      return new StateError(`cannot ${verb} ${path}: ${(error as Error)?.message ?? String(error)}`, 'other');
  }
}

class FileStore implements RunStore {
  readonly stateDir: string;
  readonly #paths: StatePaths;
  readonly #files = new Map<string, Low<RunRecord>>();
  /** What was last appended to the index per run, so unchanged summaries are not appended again. */
  readonly #indexed = new Map<string, string>();
  readonly #logDirs = new Set<string>();
  #ready?: Promise<void>;

  constructor(paths: StatePaths) {
    this.#paths = paths;
    this.stateDir = paths.root;
  }

  async save(record: RunRecord): Promise<void> {
    await this.#ensureFolders();
    if (!isRunId(record.id)) throw new StateError(`refusing to write a record with the id "${record.id}"`, 'other');
    const path = this.#recordPath(record.id);
    let file = this.#files.get(record.id);
    if (!file) {
      file = new Low<RunRecord>(new DataFile<RunRecord>(path, { parse: JSON.parse, stringify: stringifyRecord }), record);
      this.#files.set(record.id, file);
    }
    file.data = record;
    // Written through the thread pool (temp file, then rename): creating the temp file can wait
    // milliseconds on a busy disk, and the run's next step need not wait with it. The engine
    // gathers changes and waits for the write only where it must (see RunCore.flush).
    try {
      await file.write();
    } catch (error) {
      throw stateError(error, path);
    }
    this.#index(record);
  }

  async read(id: string): Promise<ReadResult> {
    if (!isRunId(id)) return { ok: false, reason: 'missing', message: `"${id}" is not a run id` };
    const path = this.#recordPath(id);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return { ok: false, reason: 'missing', message: `no run ${id} in ${this.#paths.runs}` };
      }
      return { ok: false, reason: 'unreadable', message: `cannot read ${path}: ${(error as Error).message}` };
    }
    return parseRecord(text, path);
  }

  async list(filter: RunFilter = {}): Promise<RunList> {
    const problems: string[] = [];
    let names: string[];
    try {
      names = await readdir(this.#paths.runs);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { runs: [], problems };
      throw stateError(error, this.#paths.runs, 'read');
    }
    const ids = names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).map((n) => n.slice(0, -5));
    const sinceMs = filter.since?.getTime();
    // The id starts with the run's start time: runs before `since` are ruled out without reading.
    const wanted = ids.filter((id) => sinceMs === undefined || (runIdTime(id)?.getTime() ?? Infinity) >= sinceMs - 1000);
    const indexed = await this.#readIndex(new Set(ids));
    const summaries: RunSummary[] = [];
    const heal: RunSummary[] = [];
    for (const id of wanted) {
      let summary = indexed.get(id);
      if (summary && !matchesCheap(summary, filter)) continue;
      if (!summary || summary.status === 'running') {
        const read = await this.read(id);
        if (!read.ok) {
          problems.push(read.message);
          continue;
        }
        const fresh = summarize(read.record);
        if (!summary || JSON.stringify(summary) !== JSON.stringify(fresh)) heal.push(fresh);
        summary = fresh;
      }
      summaries.push(summary);
    }
    if (heal.length > 0) {
      try {
        this.#appendIndex(heal);
      } catch {
        // A read-only state folder can still be listed.
      }
    }
    const runs = summaries
      .filter((s) => matches(s, filter))
      .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    return { runs: filter.limit === undefined ? runs : runs.slice(0, filter.limit), problems };
  }

  async setAside(id: string): Promise<string> {
    const path = this.#recordPath(id);
    let target = `${path}.corrupt`;
    for (let n = 2; await exists(target); n++) target = `${path}.corrupt-${n}`;
    await rename(path, target);
    this.#files.delete(id);
    return target;
  }

  async logDir(runId: string): Promise<string> {
    const dir = join(this.#paths.logs, runId);
    if (this.#logDirs.has(dir)) return dir;
    try {
      await mkdir(dir, { recursive: true });
    } catch (error) {
      throw stateError(error, dir);
    }
    this.#logDirs.add(dir);
    return dir;
  }

  relativePath(path: string): string {
    return relative(this.#paths.root, path).split('\\').join('/');
  }

  #recordPath(id: string): string {
    return join(this.#paths.runs, `${id}.json`);
  }

  #ensureFolders(): Promise<void> {
    this.#ready ??= (async () => {
      for (const dir of [this.#paths.runs, this.#paths.logs, this.#paths.locks]) {
        try {
          await mkdir(dir, { recursive: true });
        } catch (error) {
          throw stateError(error, dir);
        }
      }
    })();
    this.#ready.catch(() => (this.#ready = undefined));
    return this.#ready;
  }

  #index(record: RunRecord): void {
    const summary = summarize(record);
    // Only status changes (and the first write) go to the index: step progress is read from the
    // record while a run is live, so a 200-step run adds a handful of lines, not hundreds.
    const key = `${summary.status}|${summary.stepsDone}|${summary.endedAt ?? ''}`;
    const last = this.#indexed.get(record.id);
    if (last !== undefined && (last === key || summary.status === 'running')) return;
    this.#indexed.set(record.id, key);
    this.#appendIndex([summary]);
  }

  #appendIndex(summaries: RunSummary[]): void {
    const text = summaries.map((s) => JSON.stringify(s)).join('\n') + '\n';
    try {
      // Appends of one small line are atomic on local filesystems, so concurrent runs can share it.
      appendFileSync(this.#paths.index, text, 'utf8');
    } catch (error) {
      throw stateError(error, this.#paths.index);
    }
  }

  async #readIndex(present: Set<string>): Promise<Map<string, RunSummary>> {
    const map = new Map<string, RunSummary>();
    let text: string;
    try {
      text = await readFile(this.#paths.index, 'utf8');
    } catch {
      return map;
    }
    let lines = 0;
    for (const line of text.split('\n')) {
      if (line === '') continue;
      lines++;
      try {
        const summary = JSON.parse(line) as RunSummary;
        if (typeof summary.id === 'string' && present.has(summary.id)) map.set(summary.id, summary);
      } catch {
        // A torn or hand-edited line: the record itself will be read instead.
      }
    }
    if (lines > 4000 && lines > map.size * 4) await this.#compactIndex(map).catch(() => undefined);
    return map;
  }

  async #compactIndex(map: Map<string, RunSummary>): Promise<void> {
    // Rewritten through a temp file and a rename; a line appended meanwhile by another run may be
    // lost, which listing heals by reading that run's record.
    const temp = `${this.#paths.index}.${process.pid}.tmp`;
    await writeFile(temp, [...map.values()].map((s) => JSON.stringify(s)).join('\n') + '\n', 'utf8');
    await rename(temp, this.#paths.index);
  }
}

// Compact: the record is rewritten whole while a run moves (gathered, and at every point where it
// must be on disk), so its size is its cost.
// `baton show` is the readable form.
function stringifyRecord(record: RunRecord): string {
  return JSON.stringify(record) + '\n';
}

/** Parse a record's text; a file that is not a record of a known version is reported, never guessed at. */
export function parseRecord(text: string, path: string): ReadResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: 'corrupt', message: `${path}: not valid JSON (${(error as Error).message}); the file was probably edited by hand or cut short` };
  }
  const record = data as Partial<RunRecord> | null;
  if (!record || typeof record !== 'object' || typeof record.version !== 'number' || typeof record.id !== 'string' || !Array.isArray(record.steps) || !record.runbook || !record.environment) {
    return { ok: false, reason: 'corrupt', message: `${path}: not a baton run record (missing version, id, runbook, environment or steps)` };
  }
  if (record.version > RECORD_VERSION) {
    return { ok: false, reason: 'unreadable', message: `${path}: written by a newer baton (record version ${record.version}, this one reads ${RECORD_VERSION})` };
  }
  return { ok: true, record: record as RunRecord };
}

function matchesCheap(summary: RunSummary, filter: RunFilter): boolean {
  if (filter.environment !== undefined && summary.environment !== filter.environment) return false;
  if (filter.runbookId !== undefined && summary.runbookId !== filter.runbookId) return false;
  return true;
}

function matches(summary: RunSummary, filter: RunFilter): boolean {
  if (!matchesCheap(summary, filter)) return false;
  if (filter.since && Date.parse(summary.startedAt) < filter.since.getTime()) return false;
  if (filter.status && !filter.status.includes(summary.status)) return false;
  if (filter.practice === false && summary.practice) return false;
  if (filter.practice === true && !summary.practice) return false;
  return true;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

// One sandbox per data folder: its DuckDB files must never be opened by two processes. The lock
// file is also how `baton sandbox status|stop` find a sandbox running in the background: it names
// the process and, once listening, the URL.
import { hostname } from 'node:os';
import { join } from 'node:path';
import { link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { processAlive } from '../store/lock.js';

export { processAlive } from '../store/lock.js';

/** What the lock file says about the sandbox holding a data folder. */
export interface SandboxHolder {
  pid: number;
  host: string;
  /** Empty until the server listens. */
  url: string;
  port: number;
  dataDir: string;
  startedAt: string;
}

/** Refusal to start: another live process holds the data folder. */
export class SandboxBusyError extends Error {
  constructor(readonly holder: SandboxHolder) {
    super(
      `The sandbox data in ${holder.dataDir} is in use by process ${holder.pid}` +
        (holder.url ? ` (${holder.url})` : ' (starting)') +
        '. Stop it first with `baton sandbox stop`, or use another --data folder.',
    );
    this.name = 'SandboxBusyError';
  }
}

/** The lock file of a data folder. */
export function lockPath(dataDir: string): string {
  return join(dataDir, 'sandbox.lock');
}

/** The holder named in a data folder's lock, alive or not; undefined without a readable lock. */
export async function readHolder(dataDir: string): Promise<SandboxHolder | undefined> {
  return readHolderAt(lockPath(dataDir));
}

/** The holder if it is a live process (on another machine sharing the folder, assumed alive). */
export async function liveHolder(dataDir: string): Promise<SandboxHolder | undefined> {
  const holder = await readHolder(dataDir);
  if (!holder) return undefined;
  if (holder.host !== hostname()) return holder;
  return processAlive(holder.pid) ? holder : undefined;
}

/** A held lock: update it once listening, release it when stopping. */
export interface SandboxLock {
  readonly holder: SandboxHolder;
  listening(url: string, port: number): Promise<void>;
  release(): Promise<void>;
}

/** Takes the data folder's lock for this process, taking over a lock whose process is gone. */
export async function acquireLock(dataDir: string): Promise<SandboxLock> {
  await mkdir(dataDir, { recursive: true });
  const path = lockPath(dataDir);
  const holder: SandboxHolder = { pid: process.pid, host: hostname(), url: '', port: 0, dataDir, startedAt: new Date().toISOString() };
  const draft = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(draft, JSON.stringify(holder, null, 2));
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        // link() fails when the lock exists: only one process can create it.
        await link(draft, path);
        return heldLock(path, holder);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const current = await readHolder(dataDir);
      if (current && (current.host !== hostname() || processAlive(current.pid))) throw new SandboxBusyError(current);
      await setAsideStale(path, current);
    }
    throw new Error(`Could not take the sandbox lock ${path}: it keeps changing. Is another sandbox starting?`);
  } finally {
    await rm(draft, { force: true });
  }
}

/** Moves a dead holder's lock aside; if a live one slipped in meanwhile, puts it back. */
async function setAsideStale(path: string, stale: SandboxHolder | undefined): Promise<void> {
  const aside = `${path}.stale.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    await rename(path, aside);
  } catch {
    return;
  }
  try {
    const moved = JSON.parse(await readFile(aside, 'utf8')) as SandboxHolder;
    if (stale && moved.pid !== stale.pid && processAlive(moved.pid)) await link(aside, path).catch(() => {});
  } catch {
    // An unreadable lock is as good as stale.
  } finally {
    await rm(aside, { force: true });
  }
}

function heldLock(path: string, holder: SandboxHolder): SandboxLock {
  let released = false;
  return {
    holder,
    async listening(url, port) {
      holder.url = url;
      holder.port = port;
      const draft = `${path}.${process.pid}.update`;
      await writeFile(draft, JSON.stringify(holder, null, 2));
      await rename(draft, path);
    },
    async release() {
      if (released) return;
      released = true;
      const current = await readHolderAt(path);
      if (current?.pid === holder.pid && current.startedAt === holder.startedAt) await rm(path, { force: true });
    },
  };
}

async function readHolderAt(path: string): Promise<SandboxHolder | undefined> {
  try {
    const holder = JSON.parse(await readFile(path, 'utf8')) as SandboxHolder;
    return typeof holder.pid === 'number' ? holder : undefined;
  } catch {
    return undefined;
  }
}

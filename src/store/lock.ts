// One live run per runbook and environment. The lock is a small JSON file created atomically
// (written to a temp file, then hard-linked into place, which fails if a lock is already there),
// naming who holds it so a refused start can say who to talk to.
import { readFileSync } from 'node:fs';
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { stateError } from './runs.js';
import { statePaths } from './paths.js';

/** Who holds a lock. */
export interface LockHolder {
  runId: string;
  runbookId: string;
  environment: string;
  operator: string;
  host: string;
  pid: number;
  /** ISO time the lock was taken. */
  since: string;
}

/** Whether a lock's holder still runs: `unknown` when it is on another host. */
export type Liveness = 'alive' | 'dead' | 'unknown';

/** The outcome of trying to take a lock. */
export type LockAttempt =
  | { acquired: true }
  | { acquired: false; holder: LockHolder; liveness: Liveness; path: string };

/** The lock file of a runbook in an environment. */
export function lockPath(stateDir: string, runbookId: string, environment: string): string {
  const safe = (text: string) => text.replace(/[^A-Za-z0-9_.-]/g, '_');
  return join(statePaths(stateDir).locks, `${safe(runbookId)}@${safe(environment)}.json`);
}

/** Take the lock for `holder`, or say who has it and whether that process still runs. */
export async function acquireLock(stateDir: string, holder: LockHolder): Promise<LockAttempt> {
  const path = lockPath(stateDir, holder.runbookId, holder.environment);
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    await mkdir(statePaths(stateDir).locks, { recursive: true });
    await writeFile(temp, JSON.stringify(holder, null, 1) + '\n', 'utf8');
  } catch (error) {
    throw stateError(error, path);
  }
  try {
    await link(temp, path);
    return { acquired: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw stateError(error, path);
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  const current = await readHolder(path);
  return { acquired: false, holder: current, liveness: liveness(current), path };
}

/** Replace a lock whose holder is gone (after the operator agreed, or `--take-over`). */
export async function takeOverLock(stateDir: string, holder: LockHolder): Promise<void> {
  const path = lockPath(stateDir, holder.runbookId, holder.environment);
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    await writeFile(temp, JSON.stringify(holder, null, 1) + '\n', 'utf8');
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw stateError(error, path);
  }
}

/** Remove the lock if `runId` still holds it. */
export async function releaseLock(stateDir: string, runbookId: string, environment: string, runId: string): Promise<void> {
  const path = lockPath(stateDir, runbookId, environment);
  try {
    const current = await readHolder(path);
    if (current.runId === runId) await unlink(path);
  } catch {
    // Already gone, or unreadable: nothing of ours to remove.
  }
}

/** The holder of an existing lock; an unreadable lock (cut short by a crash) reads as a dead holder. */
export async function readHolder(path: string): Promise<LockHolder> {
  try {
    const data = JSON.parse(await readFile(path, 'utf8')) as LockHolder;
    if (typeof data.pid === 'number' && typeof data.host === 'string') return data;
  } catch {
    // fall through
  }
  return { runId: '?', runbookId: '?', environment: '?', operator: 'unknown', host: hostname(), pid: 0, since: '?' };
}

/** Whether the process holding a lock still runs. Only this host's processes can be checked. */
export function liveness(holder: LockHolder): Liveness {
  if (holder.host !== hostname()) return 'unknown';
  if (!Number.isInteger(holder.pid) || holder.pid <= 0) return 'dead';
  if (!processAlive(holder.pid)) return 'dead';
  // A reused pid belongs to some other program: on Linux its command line tells.
  try {
    const command = readFileSync(`/proc/${holder.pid}/cmdline`, 'utf8');
    if (!/node|baton/.test(command)) return 'dead';
  } catch {
    // No /proc (macOS) or no permission: trust the pid.
  }
  return 'alive';
}

/** Whether a process with this id exists on this host. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The lock holder as one line: "held by ana on host ops-1 (pid 4242) since 21:40 for run …". */
export function describeHolder(holder: LockHolder): string {
  return `held by ${holder.operator} on ${holder.host} (pid ${holder.pid}) since ${holder.since} for run ${holder.runId}`;
}

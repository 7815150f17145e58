// Fake scheduler jobs run their command for real: `/bin/sh -c COMMAND` in its own process group, so
// a kill reaches everything the command started, with output written to files as an agent would.
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, closeSync } from 'node:fs';
import { basename, delimiter, dirname, join } from 'node:path';
import { sandboxBin } from '../../scheduler/sandbox-endpoints.js';

/** How one job process ended. */
export interface JobExit {
  /** Exit code; 128 + signal number style codes are left to the caller. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The process could not be started at all. */
  error?: string;
}

/** A running job process. */
export interface JobProcess {
  pid: number | undefined;
  /** Ask the process group to stop: SIGTERM, then SIGKILL after a grace period. */
  kill(): void;
  done: Promise<JobExit>;
}

/** What to run and where its output goes. */
export interface JobCommand {
  command: string;
  cwd: string;
  env: Record<string, string>;
  stdoutFile: string;
  /** Same as stdoutFile to merge both streams into one file. */
  stderrFile: string;
  /** Append instead of truncating (AutoSys `>>file`). */
  append?: boolean;
}

const KILL_GRACE_MS = 2000;

/** Start a job's command; never throws (a failed start resolves `done` with an error). */
export function startJobProcess(job: JobCommand): JobProcess {
  const flags = job.append ? 'a' : 'w';
  let out: number | undefined;
  let err: number | undefined;
  try {
    // The working folder is the agent's: created on first use, never silently swapped for another.
    mkdirSync(job.cwd, { recursive: true });
    mkdirSync(dirname(job.stdoutFile), { recursive: true });
    mkdirSync(dirname(job.stderrFile), { recursive: true });
    out = openSync(job.stdoutFile, flags);
    err = job.stderrFile === job.stdoutFile ? out : openSync(job.stderrFile, flags);
  } catch (error) {
    if (out !== undefined) closeSync(out);
    return { pid: undefined, kill: () => {}, done: Promise.resolve({ code: null, signal: null, error: (error as Error).message }) };
  }
  const child = spawn('/bin/sh', ['-c', job.command], {
    cwd: job.cwd,
    env: job.env,
    stdio: ['ignore', out, err],
    detached: true,
  });
  closeSync(out);
  if (err !== out) closeSync(err);
  let timer: NodeJS.Timeout | undefined;
  const done = new Promise<JobExit>((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, error: error.message }));
    child.once('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal });
    });
  });
  const signalGroup = (signal: NodeJS.Signals): void => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  return {
    pid: child.pid,
    kill() {
      signalGroup('SIGTERM');
      timer ??= setTimeout(() => signalGroup('SIGKILL'), KILL_GRACE_MS);
      timer.unref();
    },
    done,
  };
}

/**
 * The environment job commands run with: the sandbox's own, plus `sandbox/bin` first on PATH so a
 * job can call the scheduler CLIs and `baton` the way it would on a real agent.
 */
export function jobEnvironment(extra: Record<string, string | undefined>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) env[key] = value;
  env.PATH = [sandboxBin(), env.PATH ?? ''].filter(Boolean).join(delimiter);
  return env;
}

/** Variables for job commands: a name → value, or undefined to leave the sandbox process's own. */
export type JobVariables = Record<string, string | undefined>;

/** The folder job commands run in, as an agent's working folder: `<sandbox data>/jobs`. */
export function sandboxJobFolder(dataDir: string): string {
  return join(dataDir, 'jobs');
}

/**
 * What a job needs to reach the sandbox that runs it, read when the job starts (the sandbox knows
 * its URL only once it listens): `BATON_SANDBOX_URL` for `baton sql --env sandbox`, the AutoSys
 * fake for the CLIs, and `BATON_STATE_DIR` when the data folder is a state folder's `sandbox`.
 */
export function sandboxJobVariables(dataDir: string, baseUrl: () => string, own: JobVariables = {}): () => JobVariables {
  return () => {
    const url = baseUrl();
    return {
      ...(url ? { BATON_SANDBOX_URL: url, BATON_AUTOSYS_URL: `${url}/autosys` } : {}),
      ...(basename(dataDir) === 'sandbox' ? { BATON_STATE_DIR: dirname(dataDir) } : {}),
      ...own,
    };
  };
}

/** The timers and running job processes of a fake scheduler, stopped together when it closes. */
export class BackgroundWork {
  /** Set once closing starts: timers no longer fire and finished processes are not recorded. */
  closed = false;
  /** Running job processes by job key. */
  readonly processes = new Map<string, JobProcess>();
  /** Keys of jobs whose process was killed on purpose (their end is a kill, not a failure). */
  readonly killed = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly listeners = new Set<() => void>();
  private idleWaiters: (() => void)[] = [];

  /** Run `work` after `ms`, unless closed by then. */
  later(ms: number, work: () => void): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closed) work();
      if (this.timers.size === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    }, ms);
    this.timers.add(timer);
  }

  /**
   * Resolves once nothing is due any more: every event accepted has been processed and no start,
   * retry or poll is waiting on a timer (running processes do not count). Lets a caller see that
   * something did not happen without sleeping for a guessed while.
   */
  idle(): Promise<void> {
    if (this.timers.size === 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Call `listener` after every change of the scheduler's state; returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tell the listeners the state changed. */
  changed(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** Kill a job's process on purpose; false when it has none. */
  kill(key: string): boolean {
    const process = this.processes.get(key);
    if (!process) return false;
    this.killed.add(key);
    process.kill();
    return true;
  }

  /** Cancel the timers, kill every process and wait for them; the keys of those that were running. */
  async stop(): Promise<string[]> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const wake of this.idleWaiters.splice(0)) wake();
    const running = [...this.processes.keys()];
    for (const key of running) this.kill(key);
    await Promise.all(running.map((key) => this.processes.get(key)?.done));
    return running;
  }
}

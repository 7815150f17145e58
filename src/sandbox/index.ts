// The sandbox as the rest of baton uses it: find the one running for a state folder, or start it
// in this process, and the connection options that reach it. Everything heavy (the server, the
// DuckDB engine) loads only when a sandbox really has to start here.
import { resolve } from 'node:path';
import { SANDBOX_DEFAULTS } from './engine-api.js';
import type { RunningSandbox, ServiceRegistration } from './host.js';
import { liveHolder, SandboxBusyError } from './lock.js';
import { probeSandbox, type SandboxStatus } from './probe.js';

export { SANDBOX_DEFAULTS } from './engine-api.js';

/** Where to find or start the sandbox. */
export interface EnsureSandboxOptions {
  /** baton's state folder; the sandbox keeps its data in `<stateDir>/sandbox`. */
  stateDir: string;
  /** Port on 127.0.0.1 (default 8085); 0 starts on any free port without looking for a running one. */
  port?: number;
  /** Services to host if it starts here (default: all of SANDBOX_SERVICES). */
  services?: readonly ServiceRegistration[];
}

/** A sandbox to talk to. */
export interface SandboxHandle {
  /** Base URL, e.g. `http://127.0.0.1:8085`: the `accessUrl` of a snowflake-sdk connection. */
  url: string;
  /** Account name to connect with: `sandbox`. */
  account: string;
  /** The data folder it serves. */
  dataDir: string;
  /** True when this process started it (and `stop` stops it once every user has called it). */
  startedHere: boolean;
  /** Stops the sandbox if this process started it and nobody else here still uses it; otherwise nothing. */
  stop(): Promise<void>;
}

/** Options for snowflake-sdk's `createConnection` that reach the sandbox with the default login. */
export interface SandboxConnectionOptions {
  account: string;
  accessUrl: string;
  username: string;
  password: string;
  role: string;
}

/** The connection options for the sandbox at `url`, logging in as the documented default user. */
export function sandboxConnectionOptions(url: string): SandboxConnectionOptions {
  return {
    account: SANDBOX_DEFAULTS.account,
    accessUrl: url,
    username: SANDBOX_DEFAULTS.user,
    password: SANDBOX_DEFAULTS.password,
    role: SANDBOX_DEFAULTS.role,
  };
}

/** Sandboxes started by this process, shared by every caller here, by data folder. */
const startedHere = new Map<string, { running: Promise<RunningSandbox>; users: number }>();

/** How long to wait for a sandbox another process is starting on the same data. */
const WAIT_FOR_OTHER_MS = 60_000;

/**
 * The sandbox for a state folder: the one another process runs on this data folder (on whatever
 * port), or the one already answering on the port (checked to be a baton sandbox), or else a new
 * one started in this process. A lock on the data folder keeps two processes from opening the same DuckDB files.
 */
export function ensureSandbox(options: EnsureSandboxOptions): Promise<SandboxHandle> {
  const dataDir = resolve(options.stateDir, 'sandbox');
  // One look at a time per data folder, so two callers in this process never both start one.
  const found = (looking.get(dataDir) ?? Promise.resolve()).then(
    () => find(dataDir, options),
    () => find(dataDir, options),
  );
  looking.set(dataDir, found);
  return found;
}

const looking = new Map<string, Promise<SandboxHandle>>();

async function find(dataDir: string, options: EnsureSandboxOptions): Promise<SandboxHandle> {
  const port = options.port ?? SANDBOX_DEFAULTS.port;

  const shared = startedHere.get(dataDir);
  if (shared) return local(dataDir, shared);

  // The sandbox serving this data folder comes first, whatever port it was given; only then one
  // answering on the port (a sandbox started on other data, e.g. with --data).
  const elsewhere = await runningFor(dataDir);
  if (elsewhere) return remote(elsewhere);
  if (port !== 0) {
    const status = await probeSandbox(`http://${SANDBOX_DEFAULTS.host}:${port}`);
    if (status) return remote(status);
  }

  const entry = { running: start(dataDir, port, options.services), users: 0 };
  startedHere.set(dataDir, entry);
  try {
    await entry.running;
    return local(dataDir, entry);
  } catch (error) {
    startedHere.delete(dataDir);
    if (!(error instanceof SandboxBusyError)) throw error;
    // Another process took the data folder first: it is starting, so wait for it to answer.
    const status = await waitForOther(dataDir);
    if (status) return remote(status);
    throw error;
  }
}

async function start(dataDir: string, port: number, services: readonly ServiceRegistration[] | undefined): Promise<RunningSandbox> {
  const { startSandbox } = await import('./host.js');
  const registrations = services ?? (await import('./services.js')).SANDBOX_SERVICES;
  return startSandbox({ dataDir, port, services: registrations });
}

/** The status of the live sandbox holding this data folder, if it answers. */
async function runningFor(dataDir: string): Promise<SandboxStatus | undefined> {
  const holder = await liveHolder(dataDir);
  return holder?.url ? probeSandbox(holder.url) : undefined;
}

async function waitForOther(dataDir: string): Promise<SandboxStatus | undefined> {
  const deadline = Date.now() + WAIT_FOR_OTHER_MS;
  while (Date.now() < deadline) {
    const status = await runningFor(dataDir);
    if (status) return status;
    if (!(await liveHolder(dataDir))) return undefined;
    await new Promise((resolveWait) => setTimeout(resolveWait, 250));
  }
  return undefined;
}

function remote(status: SandboxStatus): SandboxHandle {
  return { url: status.url, account: status.account, dataDir: status.dataDir, startedHere: false, stop: async () => {} };
}

async function local(dataDir: string, entry: { running: Promise<RunningSandbox>; users: number }): Promise<SandboxHandle> {
  const running = await entry.running;
  entry.users++;
  let stopped = false;
  return {
    url: running.url,
    account: SANDBOX_DEFAULTS.account,
    dataDir,
    startedHere: true,
    async stop() {
      if (stopped) return;
      stopped = true;
      entry.users--;
      if (entry.users > 0) return;
      startedHere.delete(dataDir);
      await running.stop();
    },
  };
}

// What the sandbox benchmarks share: the sandbox and the baseline responder as child processes
// (each on its own core, as a trainee runs them), and the quiet snowflake-sdk.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Connection } from 'snowflake-sdk';

const root = fileURLToPath(new URL('..', import.meta.url));

/** A server in a child process and its URL. */
export interface ChildServer {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Waits for a child to print a line containing an http URL, then returns that URL. */
function urlFrom(child: ChildProcess, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`${what} exited (${code}) before listening:\n${seen}`)));
  });
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
}

/** `baton sandbox start` from the built bundle, on a free port and the given data folder. */
export async function startSandboxProcess(dataDir: string): Promise<ChildServer> {
  const cli = `${root}bin/baton.js`;
  if (!existsSync(`${root}dist/cli.js`)) throw new Error('Build first: npm run build');
  const child = spawn(process.execPath, [cli, 'sandbox', 'start', '--port', '0', '--data', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  return { url: await urlFrom(child, 'the sandbox'), process: child, stop: stopper(child) };
}

/** The trivial hard-coded responder, the baseline every sandbox figure is compared with. */
export async function startResponderProcess(): Promise<ChildServer> {
  const child = spawn(process.execPath, [`${root}bench/trivial-responder.mjs`], { stdio: ['ignore', 'pipe', 'inherit'] });
  return { url: await urlFrom(child, 'the responder'), process: child, stop: stopper(child) };
}

/** The quiet snowflake-sdk and a connection with the sandbox's default login, as the tests use them. */
export { loadDriver, connect as connectTo } from '../test/sandbox/driver.js';

/** Runs one statement, resolving with its row count. */
export function query(connection: Connection, sqlText: string): Promise<number> {
  return new Promise((resolve, reject) => {
    connection.execute({ sqlText, complete: (error, _statement, rows) => (error ? reject(error) : resolve(rows?.length ?? 0)) });
  });
}

/** Formats a ratio as "2.31×". */
export function ratio(value: number, baseline: number): string {
  return `${(value / baseline).toFixed(2)}×`;
}

// What the sandbox benchmarks share: the sandbox and the baseline responder as child processes
// (each on its own core, as a trainee runs them), and the quiet snowflake-sdk.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Connection, ConnectionOptions } from 'snowflake-sdk';

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

type Sdk = typeof import('snowflake-sdk');

/** snowflake-sdk, quiet. */
export async function loadDriver(): Promise<Sdk> {
  process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION = 'true';
  process.env.SF_TELEMETRY_DISABLE_CONNECTION_SHAPE = '1';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const module = (await import('snowflake-sdk')) as Sdk & { default?: Sdk };
  const sdk = module.default ?? module;
  sdk.configure({ logLevel: 'ERROR' });
  return sdk;
}

/** A connection to `url` with the sandbox's default login. */
export async function connectTo(url: string, extra: Partial<ConnectionOptions> = {}): Promise<Connection> {
  const sdk = await loadDriver();
  const connection = sdk.createConnection({
    account: 'sandbox',
    accessUrl: url,
    username: 'OPERATOR',
    password: 'sandbox',
    sfRetryMaxLoginRetries: 0,
    ...extra,
  } as ConnectionOptions);
  await new Promise<void>((resolve, reject) => connection.connect((error) => (error ? reject(error) : resolve())));
  return connection;
}

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

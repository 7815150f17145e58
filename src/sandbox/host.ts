// One HTTP server, one port, several fakes: each service answers under its own path prefix (see
// service.ts) and the longest matching prefix wins, so Snowflake at `/` takes what no other claims.
// `/sandbox/status` says what is running, so a client can tell a baton sandbox from anything else
// that happens to listen on the port.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import pkg from '../../package.json' with { type: 'json' };
import { SANDBOX_DEFAULTS } from './engine-api.js';
import { acquireLock } from './lock.js';
import { STATUS_PATH, type SandboxStatus } from './probe.js';
import type { SandboxService, SandboxServiceOptions } from './service.js';
import type { ServiceState } from './probe.js';

/** A service the sandbox can host: a name and a factory, registered in services.ts. */
export interface ServiceRegistration {
  /** Short name for status output. */
  name: string;
  /** The sandbox refuses to start without it (Snowflake); others are shown as failed and skipped. */
  required?: boolean;
  /** Builds the service; import heavy modules inside, so an unused service costs nothing. */
  create(options: SandboxServiceOptions): Promise<SandboxService>;
}

/** How to start a sandbox. */
export interface StartSandboxOptions {
  /** Data folder, holding the lock and each service's subfolder. */
  dataDir: string;
  /** Port on 127.0.0.1; 0 picks a free one. Default 8085. */
  port?: number;
  /** Services to host. */
  services: readonly ServiceRegistration[];
  /** Where log lines go; default `<dataDir>/sandbox.log`. */
  log?: (line: string) => void;
}

/** A sandbox running in this process. */
export interface RunningSandbox {
  url: string;
  port: number;
  dataDir: string;
  services: ServiceState[];
  /** Stops serving, closes every service (flushing its data) and releases the data folder. */
  stop(): Promise<void>;
}

/** Raised when the port is taken by some other program. */
export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(`Port ${port} on 127.0.0.1 is already in use by another program. Start the sandbox on another port with --port.`);
    this.name = 'PortInUseError';
  }
}

/** Starts a sandbox: takes the data folder's lock, listens, then starts the services. */
export async function startSandbox(options: StartSandboxOptions): Promise<RunningSandbox> {
  const lock = await acquireLock(options.dataDir);
  const log = options.log ?? fileLog(options.dataDir);
  let url = '';
  const started: { service: SandboxService; state: ServiceState }[] = [];
  const services: ServiceState[] = [];
  let routes: SandboxService[] = [];
  // Listening comes first so services know their URL when they start; requests that arrive
  // meanwhile wait for them rather than being refused.
  let markReady!: (ok: boolean) => void;
  const ready = new Promise<boolean>((resolve) => (markReady = resolve));
  const status = (): SandboxStatus => ({
    product: 'baton-sandbox',
    version: pkg.version,
    pid: process.pid,
    url,
    dataDir: options.dataDir,
    account: SANDBOX_DEFAULTS.account,
    startedAt: lock.holder.startedAt,
    services,
  });
  const server = createServer((request, response) => void serve(request, response, ready, () => routes, status, log));
  // The driver keeps idle sockets 30 s; closing them sooner makes it fail on a reused socket.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  // Result requests are held open until the query ends (long poll).
  server.requestTimeout = 0;

  const abandon = async (): Promise<void> => {
    markReady(false);
    await Promise.allSettled(started.map(({ service }) => service.close()));
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await lock.release();
  };
  try {
    await listen(server, options.port ?? SANDBOX_DEFAULTS.port);
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    url = `http://${SANDBOX_DEFAULTS.host}:${port}`;
    const serviceOptions: SandboxServiceOptions = { dataDir: options.dataDir, baseUrl: () => url, log };
    for (const registration of options.services) {
      try {
        const service = await registration.create(serviceOptions);
        started.push({ service, state: { name: service.name, prefix: service.prefix, state: 'up' } });
      } catch (error) {
        if (registration.required) throw error;
        const reason = error instanceof Error ? error.message : String(error);
        log(`service ${registration.name} did not start: ${reason}`);
        services.push({ name: registration.name, prefix: '', state: 'failed', error: reason });
      }
    }
    services.unshift(...started.map(({ state }) => state));
    // Longest prefix first, so `/autosys/...` never falls through to Snowflake at `/`.
    routes = started.map(({ service }) => service).sort((a, b) => b.prefix.length - a.prefix.length);
    await lock.listening(url, port);
    markReady(true);
    log(`sandbox listening on ${url} (pid ${process.pid}), services: ${services.map((s) => `${s.name} ${s.state}`).join(', ')}`);
    let stopping: Promise<void> | undefined;
    return {
      url,
      port,
      dataDir: options.dataDir,
      services,
      stop() {
        stopping ??= (async () => {
          const closed = new Promise<void>((resolve) => server.close(() => resolve()));
          server.closeIdleConnections();
          // Services end what they run first, which answers the requests still held open.
          await Promise.allSettled(started.map(({ service }) => service.close()));
          server.closeAllConnections();
          await closed;
          await lock.release();
          log('sandbox stopped');
        })();
        return stopping;
      },
    };
  } catch (error) {
    await abandon();
    throw error;
  }
}

async function serve(
  request: IncomingMessage,
  response: ServerResponse,
  ready: Promise<boolean>,
  routesNow: () => readonly SandboxService[],
  status: () => SandboxStatus,
  log: (line: string) => void,
): Promise<void> {
  const path = (request.url ?? '/').split('?')[0] ?? '/';
  try {
    if (!(await ready)) {
      response.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('The sandbox is shutting down.');
      return;
    }
    const routes = routesNow();
    if (path === STATUS_PATH && request.method === 'GET') {
      const text = JSON.stringify(status());
      response.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
      response.end(text);
      return;
    }
    const service = routes.find(({ prefix }) => prefix === '/' || path === prefix || path.startsWith(prefix + '/'));
    if (!service) {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end(`Nothing in the sandbox answers ${path}.`);
      return;
    }
    await service.handle(request, response);
  } catch (error) {
    log(`${request.method} ${request.url} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    if (!response.headersSent) {
      response.writeHead(500, { 'Content-Type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify({ error: 'The sandbox failed to answer this request; see sandbox.log in its data folder.' }));
    } else {
      response.destroy();
    }
  }
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => reject(error.code === 'EADDRINUSE' ? new PortInUseError(port) : error);
    server.once('error', onError);
    server.listen(port, SANDBOX_DEFAULTS.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** Appends timestamped lines to `<dataDir>/sandbox.log`, never failing the caller. */
export function fileLog(dataDir: string): (line: string) => void {
  const path = join(dataDir, 'sandbox.log');
  let queue = Promise.resolve();
  return (line) => {
    const text = `${new Date().toISOString()} ${line}\n`;
    queue = queue.then(() => appendFile(path, text)).catch(() => {});
  };
}

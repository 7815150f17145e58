// The scheduler fakes of the sandbox: AutoSys (`/autosys`, driven by the CLIs in sandbox/bin) and
// the Control-M Automation API (`/automation-api`). The sandbox server mounts both factories; a
// trainee or a test can also start them alone with startSchedulerFakes.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SandboxService } from '../service.js';
import { createAutosysService, type AutosysService, type AutosysServiceOptions } from './autosys/service.js';
import { createControlmService, type ControlmService, type ControlmServiceOptions } from './controlm/service.js';

export { createAutosysService, type AutosysService, type AutosysServiceOptions } from './autosys/service.js';
export {
  createControlmService, SANDBOX_CONTROLM_PASSWORD, SANDBOX_CONTROLM_USER, type ControlmService, type ControlmServiceOptions,
} from './controlm/service.js';

/** The sandbox's default port, where the CLIs and the sandbox environment look by default. */
export const DEFAULT_SANDBOX_PORT = 8085;

/** Options of {@link startSchedulerFakes}. */
export interface SchedulerFakesOptions {
  /** Port to listen on; 0 picks a free one. Default 8085. */
  port?: number;
  /** Address to listen on, default 127.0.0.1 (the fakes run jobs: never expose them). */
  host?: string;
  /** Where both fakes keep their state and job output. */
  dataDir: string;
  autosys?: Partial<Omit<AutosysServiceOptions, 'dataDir' | 'baseUrl'>>;
  controlm?: Partial<Omit<ControlmServiceOptions, 'dataDir' | 'baseUrl'>>;
}

/** Both fakes listening on one port. */
export interface SchedulerFakes {
  /** Base URL, e.g. `http://127.0.0.1:8085`; AutoSys is at `/autosys`, Control-M at `/automation-api`. */
  url: string;
  autosys: AutosysService;
  controlm: ControlmService;
  /** Stop both fakes (running jobs end terminated) and the listener. */
  close(): Promise<void>;
}

/** Start the AutoSys and Control-M fakes in one HTTP server, without the rest of the sandbox. */
export async function startSchedulerFakes(options: SchedulerFakesOptions): Promise<SchedulerFakes> {
  let url = '';
  const baseUrl = (): string => url;
  // Alone, the fakes serve no Snowflake: a job's `baton sql` finds the sandbox as any command would.
  const own = { BATON_SANDBOX_URL: undefined };
  const autosys = await createAutosysService({ ...options.autosys, jobEnv: { ...own, ...options.autosys?.jobEnv }, dataDir: options.dataDir, baseUrl });
  const controlm = await createControlmService({ ...options.controlm, jobEnv: { ...own, ...options.controlm?.jobEnv }, dataDir: options.dataDir, baseUrl });
  const services: SandboxService[] = [autosys, controlm];
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://sandbox').pathname;
    const service = services.find((s) => path === s.prefix || path.startsWith(s.prefix + '/'));
    if (!service) {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: `nothing here: the scheduler fakes answer under /autosys and /automation-api` }));
      return;
    }
    Promise.resolve(service.handle(request, response)).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ errors: [{ message: (error as Error).message }] }));
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_SANDBOX_PORT, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  return {
    url,
    autosys,
    controlm,
    async close() {
      await Promise.all(services.map((s) => s.close()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

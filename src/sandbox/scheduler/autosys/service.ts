// The AutoSys fake as a sandbox service under `/autosys`: the CLIs in sandbox/bin post their
// argv and stdin to `/autosys/cli` and print the reply; `GET /autosys` says the fake is up.
import { join } from 'node:path';
import type { SandboxService, SandboxServiceOptions } from '../../service.js';
import { sandboxJobFolder, sandboxJobVariables, type JobVariables } from '../job-process.js';
import { readBody, routeOf, sendJson } from '../http.js';
import { AUTOSYS_PROGRAMS, runAutosysCommand, type AutosysProgram } from './commands.js';
import { AutosysEventServer, type AutosysTimings } from './event-server.js';

/** Options of the AutoSys service beyond the sandbox's own. */
export interface AutosysServiceOptions extends SandboxServiceOptions {
  /** Instance name (`$AUTOSERV`), default `SBX`. */
  instance?: string;
  /** Working folder of job commands (default `<sandbox data>/jobs`). */
  jobCwd?: string;
  /** Extra environment for job commands (undefined: the sandbox process's own). */
  jobEnv?: JobVariables;
  timings?: Partial<AutosysTimings>;
}

/** The AutoSys service with its event server reachable, for tests and inventory. */
export interface AutosysService extends SandboxService {
  readonly eventServer: AutosysEventServer;
}

/** The request body of `POST /autosys/cli`. */
export interface CliRequest {
  program: string;
  args: string[];
  stdin?: string;
}

/** Create the AutoSys fake; its state lives in `<dataDir>/autosys`. */
export async function createAutosysService(options: AutosysServiceOptions): Promise<AutosysService> {
  const eventServer = new AutosysEventServer({
    dataDir: join(options.dataDir, 'autosys'),
    instance: options.instance,
    jobCwd: options.jobCwd ?? sandboxJobFolder(options.dataDir),
    jobEnv: sandboxJobVariables(options.dataDir, options.baseUrl, options.jobEnv),
    timings: options.timings,
    log: options.log,
  });
  const prefix = '/autosys';
  return {
    name: 'autosys',
    prefix,
    eventServer,
    async handle(request, response) {
      const { path } = routeOf(request, prefix);
      if (request.method === 'GET' && path === '/') {
        sendJson(response, 200, { service: 'autosys', instance: eventServer.instance, jobs: eventServer.jobs().length });
        return;
      }
      if (request.method !== 'POST' || path !== '/cli') {
        sendJson(response, 404, { error: `no such AutoSys sandbox endpoint: ${request.method} ${path}` });
        return;
      }
      let body: CliRequest;
      try {
        body = JSON.parse((await readBody(request)).toString('utf8')) as CliRequest;
      } catch (error) {
        sendJson(response, 400, { error: `bad request: ${(error as Error).message}` });
        return;
      }
      if (!AUTOSYS_PROGRAMS.includes(body.program as AutosysProgram) || !Array.isArray(body.args)) {
        sendJson(response, 400, { error: `unknown program ${String(body.program)}` });
        return;
      }
      const reply = runAutosysCommand(eventServer, body.program as AutosysProgram, body.args.map(String), body.stdin ?? '');
      sendJson(response, 200, reply);
    },
    close: () => eventServer.close(),
  };
}

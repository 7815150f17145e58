// A sandbox on a free port and a temporary data folder, for tests.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SandboxEngine } from '../../src/sandbox/engine-api.js';
import { startSandbox, type RunningSandbox, type ServiceRegistration } from '../../src/sandbox/host.js';
import { createSnowflakeService, type SnowflakeServiceOptions } from '../../src/sandbox/server/snowflake-service.js';

/** A running test sandbox, with the paths of every request it answered. */
export interface TestSandbox extends RunningSandbox {
  requests: string[];
  service: ReturnType<typeof createSnowflakeService>;
  logLines: string[];
}

/** Options: the engine, plus any Snowflake service tuning. */
export interface TestSandboxOptions extends Partial<Omit<SnowflakeServiceOptions, 'engine' | 'dataDir' | 'baseUrl'>> {
  /** The engine, or how to open one in the sandbox's data folder. */
  engine: SandboxEngine | ((dataDir: string) => Promise<SandboxEngine>);
  services?: ServiceRegistration[];
}

/** Starts a sandbox whose Snowflake service runs on the given engine. */
export async function startTestSandbox(options: TestSandboxOptions): Promise<TestSandbox> {
  const dataDir = await mkdtemp(join(tmpdir(), 'baton-sandbox-'));
  const requests: string[] = [];
  const logLines: string[] = [];
  let service!: ReturnType<typeof createSnowflakeService>;
  const { engine, services = [], ...tuning } = options;
  const snowflake: ServiceRegistration = {
    name: 'snowflake',
    required: true,
    async create(serviceOptions) {
      const opened = typeof engine === 'function' ? await engine(serviceOptions.dataDir) : engine;
      service = createSnowflakeService({ ...serviceOptions, ...tuning, engine: opened });
      return {
        name: service.name,
        prefix: service.prefix,
        handle(request, response) {
          requests.push(`${request.method} ${(request.url ?? '').split('?')[0]}`);
          return service.handle(request, response);
        },
        close: () => service.close(),
      };
    },
  };
  const sandbox = await startSandbox({ dataDir, port: 0, services: [snowflake, ...services], log: (line) => logLines.push(line) });
  return {
    ...sandbox,
    requests,
    service,
    logLines,
    async stop() {
      await sandbox.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

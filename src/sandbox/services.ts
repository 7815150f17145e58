// The services one sandbox hosts. Adding a fake is one line here: a name and a factory that
// imports its module lazily, so nothing loads until the sandbox actually starts.
import { join } from 'node:path';
import type { ServiceRegistration } from './host.js';

/** Everything `baton sandbox start` and `ensureSandbox` host, Snowflake first. */
export const SANDBOX_SERVICES: readonly ServiceRegistration[] = [
  {
    name: 'snowflake',
    required: true,
    async create(options) {
      const [{ createSnowflakeService }, { openSandboxEngine }] = await Promise.all([import('./server/snowflake-service.js'), import('./sql/index.js')]);
      const engine = await openSandboxEngine({ dataDir: join(options.dataDir, 'snowflake') });
      return createSnowflakeService({ ...options, engine });
    },
  },
  // Scheduler fakes, mounted at their own prefixes:
  // { name: 'autosys', create: async (options) => (await import('./scheduler/autosys/service.js')).createAutosysService(options) },
  // { name: 'controlm', create: async (options) => (await import('./scheduler/controlm/service.js')).createControlmService(options) },
];

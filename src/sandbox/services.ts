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
  // The scheduler fakes mount at their own prefixes (/autosys, /automation-api), one line each:
  // { name: 'autosys', create: async (options) => (await import('./scheduler/index.js')).createAutosysService(options) },
  // { name: 'controlm', create: async (options) => (await import('./scheduler/index.js')).createControlmService(options) },
];

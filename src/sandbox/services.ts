// The services one sandbox hosts. Adding a fake is one line in SANDBOX_SERVICES: a name and a
// factory that imports its module lazily, so nothing loads until the sandbox actually starts.
import { join } from 'node:path';
import type { ServiceRegistration } from './host.js';

/** Snowflake at `/`, on the DuckDB engine in `<data>/snowflake`. */
export const SNOWFLAKE_SERVICE: ServiceRegistration = {
  name: 'snowflake',
  required: true,
  async create(options) {
    const [{ createSnowflakeService }, { openSandboxEngine }] = await Promise.all([import('./server/snowflake-service.js'), import('./sql/index.js')]);
    const engine = await openSandboxEngine({ dataDir: join(options.dataDir, 'snowflake') });
    return createSnowflakeService({ ...options, engine });
  },
};

/** The scheduler fakes, each at its own prefix (`/autosys`, `/automation-api`). */
export const SCHEDULER_SERVICES: readonly ServiceRegistration[] = [
  { name: 'autosys', create: async (options) => (await import('./scheduler/index.js')).createAutosysService(options) },
  { name: 'controlm', create: async (options) => (await import('./scheduler/index.js')).createControlmService(options) },
];

/** Everything `baton sandbox start` and `ensureSandbox` host, Snowflake first. */
export const SANDBOX_SERVICES: readonly ServiceRegistration[] = [SNOWFLAKE_SERVICE, ...SCHEDULER_SERVICES];

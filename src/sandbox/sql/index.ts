// The sandbox's SQL engine: Snowflake SQL, account objects, RBAC and Time Travel on an embedded
// DuckDB. Heavy modules (DuckDB, the engine) load on first use.
import type { SandboxEngine } from '../engine-api.js';

/** Opens the sandbox engine on a data folder (created and seeded the first time) or in memory. */
export async function openSandboxEngine({ dataDir, seed }: { dataDir: string | ':memory:'; seed?: boolean }): Promise<SandboxEngine> {
  const { SnowflakeEngine } = await import('./engine.js');
  return SnowflakeEngine.open({ dataDir, seed });
}

// The sandbox server on the test engine (test/sandbox/memory-engine.ts) in its own process: what
// the wire protocol costs without SQL, to tell the server's share of a figure from the engine's.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../src/sandbox/host.js';
import { createSnowflakeService } from '../src/sandbox/server/snowflake-service.js';
import { column, memoryEngine } from '../test/sandbox/memory-engine.js';

const engine = memoryEngine();
const execute = engine.execute.bind(engine);
// Answer SELECT 1 as the real engine would; everything else as the memory engine does.
engine.execute = async (session, statement, signal) =>
  /^select 1$/i.test(statement.sql.trim()) ? { columns: [column('1', 'fixed', 0)], rows: [['1']], statementTypeId: 0x1000 } : execute(session, statement, signal);
const sandbox = await startSandbox({
  dataDir: await mkdtemp(join(tmpdir(), 'baton-bench-memory-')),
  port: 0,
  services: [{ name: 'snowflake', required: true, create: async (options) => createSnowflakeService({ ...options, engine }) }],
  log: () => {},
});
process.stdout.write(`listening on ${sandbox.url}\n`);
process.once('SIGTERM', () => void sandbox.stop().then(() => process.exit(0)));

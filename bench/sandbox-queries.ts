// Small queries per second through snowflake-sdk against the sandbox, with the driver's round trip
// against a trivial hard-coded responder as the baseline in the same run.
// Run alone: npx tsx bench/sandbox-queries.ts   (after npm run build)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from 'snowflake-sdk';
import { connectTo, query, ratio, startMemorySandboxProcess, startResponderProcess, startSandboxProcess, type ChildServer } from './fixtures/sandbox.js';

const CONNECTIONS = 4;
const IN_FLIGHT_PER_CONNECTION = 2;
const QUERIES = 3000;
const SEQUENTIAL = 300;
/** Small queries per second the sandbox must sustain. */
const TARGET_PER_SECOND = 500;

interface Figures {
  perSecond: number;
  sequentialMs: number;
}

async function measure(server: ChildServer, sql: string): Promise<Figures> {
  const connections: Connection[] = [];
  for (let i = 0; i < CONNECTIONS; i++) connections.push(await connectTo(server.url));
  for (let i = 0; i < 100; i++) await query(connections[i % CONNECTIONS]!, sql);

  let started = performance.now();
  for (let i = 0; i < SEQUENTIAL; i++) await query(connections[0]!, sql);
  const sequentialMs = (performance.now() - started) / SEQUENTIAL;

  let issued = 0;
  const lane = async (connection: Connection): Promise<void> => {
    while (issued < QUERIES) {
      issued++;
      await query(connection, sql);
    }
  };
  started = performance.now();
  await Promise.all(connections.flatMap((connection) => Array.from({ length: IN_FLIGHT_PER_CONNECTION }, () => lane(connection))));
  const perSecond = QUERIES / ((performance.now() - started) / 1000);
  await Promise.all(connections.map((connection) => new Promise((resolve) => connection.destroy(resolve))));
  return { perSecond, sequentialMs };
}

const dataDir = await mkdtemp(join(tmpdir(), 'baton-bench-sandbox-'));
const responder = await startResponderProcess();
const protocolOnly = await startMemorySandboxProcess();
const sandbox = await startSandboxProcess(dataDir);
try {
  const baseline = await measure(responder, 'SELECT 1');
  const server = await measure(protocolOnly, 'SELECT 1');
  const figures = await measure(sandbox, 'SELECT 1');
  const line = (name: string, f: Figures): string =>
    `${name}: ${f.perSecond.toFixed(0)}/s with ${CONNECTIONS * IN_FLIGHT_PER_CONNECTION} in flight, ${f.sequentialMs.toFixed(2)} ms each one at a time`;
  console.log(line('sandbox (DuckDB engine) small queries', figures));
  console.log(line('sandbox server on the memory engine', server));
  console.log(line('baseline (hard-coded responder)', baseline));
  console.log(`ratio to baseline: sandbox ${ratio(figures.perSecond, baseline.perSecond)}, server alone ${ratio(server.perSecond, baseline.perSecond)} (throughput)   budget ≥ ${TARGET_PER_SECOND}/s`);
  if (figures.perSecond < TARGET_PER_SECOND) {
    console.error(`under budget: ${figures.perSecond.toFixed(0)} small queries/s < ${TARGET_PER_SECOND}/s`);
    process.exitCode = 1;
  }
} finally {
  await Promise.all([responder.stop(), protocolOnly.stop(), sandbox.stop()]);
  await rm(dataDir, { recursive: true, force: true });
}

// Sandbox start-up to the first answered login: `baton sandbox start` on a fresh data folder (it
// seeds) and again on the same folder, against the trivial responder's start-up to its first
// login as the baseline in the same run.
// Run alone: npx tsx bench/sandbox-startup.ts   (after npm run build)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectTo, loadDriver, ratio, startResponderProcess, startSandboxProcess, type ChildServer } from './fixtures/sandbox.js';

async function firstLogin(start: () => Promise<ChildServer>): Promise<number> {
  const started = performance.now();
  const server = await start();
  const connection = await connectTo(server.url);
  const seconds = (performance.now() - started) / 1000;
  await new Promise((resolve) => connection.destroy(resolve));
  await server.stop();
  return seconds;
}

// The driver's own load time is not the server's: load it before any clock starts.
await loadDriver();
const dataDir = await mkdtemp(join(tmpdir(), 'baton-bench-sandbox-'));
try {
  const baseline = await firstLogin(startResponderProcess);
  const fresh = await firstLogin(() => startSandboxProcess(dataDir));
  const again = await firstLogin(() => startSandboxProcess(dataDir));
  console.log(`sandbox start-up to first login: ${fresh.toFixed(2)} s on a fresh data folder, ${again.toFixed(2)} s on existing data`);
  console.log(`baseline (hard-coded responder): ${baseline.toFixed(2)} s`);
  console.log(`ratio sandbox/baseline: fresh ${ratio(fresh, baseline)}, existing ${ratio(again, baseline)}`);
} finally {
  await rm(dataDir, { recursive: true, force: true });
}

// Time to stream 100,000 rows through snowflake-sdk from the sandbox, with the same row count from
// a trivial hard-coded responder (one inline rowset, no engine) as the baseline in the same run.
// Run alone: npx tsx bench/sandbox-stream.ts   (after npm run build)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectTo, ratio, startResponderProcess, startSandboxProcess, type ChildServer } from './fixtures/sandbox.js';

const ROWS = 100_000;

async function stream(server: ChildServer, sql: string): Promise<number> {
  const connection = await connectTo(server.url);
  const started = performance.now();
  const statement = connection.execute({ sqlText: sql, streamResult: true });
  let count = 0;
  for await (const row of statement.streamRows()) if (row) count++;
  const seconds = (performance.now() - started) / 1000;
  if (count !== ROWS) throw new Error(`expected ${ROWS} rows, streamed ${count}`);
  await new Promise((resolve) => connection.destroy(resolve));
  return seconds;
}

const dataDir = await mkdtemp(join(tmpdir(), 'baton-bench-sandbox-'));
const responder = await startResponderProcess();
const sandbox = await startSandboxProcess(dataDir);
try {
  const baseline = await stream(responder, `ROWS ${ROWS}`);
  const seconds = await stream(sandbox, `SELECT SEQ4() + 1 AS N, 'row ' || (SEQ4() + 1) AS LABEL FROM TABLE(GENERATOR(ROWCOUNT => ${ROWS}))`);
  console.log(`sandbox: ${ROWS} rows streamed in ${seconds.toFixed(2)} s (${(ROWS / seconds).toFixed(0)} rows/s)`);
  console.log(`baseline (hard-coded responder): ${baseline.toFixed(2)} s`);
  console.log(`ratio sandbox/baseline: ${ratio(seconds, baseline)}`);
} finally {
  await Promise.all([responder.stop(), sandbox.stop()]);
  await rm(dataDir, { recursive: true, force: true });
}

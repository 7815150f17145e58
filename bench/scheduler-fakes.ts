// Scheduler round trips as a runbook step pays them: one `autorep -J JOB -w` through the AutoSys CLI
// fake (a process per call, like the real CLI), against starting a bare `node` the same way as the
// baseline (budget: 2.5× it); and one Control-M job status call through baton's client, against a
// GET to a trivial HTTP server in the same process (budget: 5 ms).
// Run alone: npm run bench -- scheduler
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ControlmClient } from '../src/executors/controlm-client.js';
import { packageRoot } from '../src/scheduler/sandbox-endpoints.js';
import { startSchedulerFakes } from '../src/sandbox/scheduler/index.js';

const run = promisify(execFile);
const root = packageRoot();
const CLI_RATIO_BUDGET = 2.5;
const STATUS_BUDGET_MS = 5;

async function median(times: number, work: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  await work(); // warm-up
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await work();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

const dataDir = mkdtempSync(join(tmpdir(), 'baton-bench-scheduler-'));
const fakes = await startSchedulerFakes({ port: 0, dataDir, controlm: { timings: { submitMs: 1 } } });
const trivial = createServer((_req, res) => res.end('{}'));
await new Promise<void>((resolve) => trivial.listen(0, '127.0.0.1', resolve));
try {
  fakes.autosys.eventServer.loadJil('insert_job: JB_BENCH   job_type: CMD\ncommand: true\n');
  const env = { ...process.env, BATON_AUTOSYS_URL: `${fakes.url}/autosys` };
  const bare = join(dataDir, 'bare-node');
  writeFileSync(bare, '#!/bin/sh\nexec node -e 0\n', { mode: 0o755 });
  const autorep = await median(15, () => run(join(root, 'sandbox', 'bin', 'autorep'), ['-J', 'JB_BENCH', '-w'], { env }));
  const node = await median(15, () => run(bare, [], { env }));
  console.log(`autorep -J JOB -w through the AutoSys CLI fake: ${autorep.toFixed(0)} ms per call (median of 15)`);
  console.log(`baseline (sh + bare node start): ${node.toFixed(0)} ms; ratio ${(autorep / node).toFixed(2)}   budget ${CLI_RATIO_BUDGET}×`);
  if (autorep / node > CLI_RATIO_BUDGET) {
    console.error(`over budget: autorep costs ${(autorep / node).toFixed(2)}× a bare node start`);
    process.exitCode = 1;
  }

  fakes.controlm.workbench.deploy('bench.json', JSON.stringify({ B: { Type: 'Folder', J: { Type: 'Job:Command', Command: 'true' } } }));
  const order = fakes.controlm.workbench.order({ folder: 'B', user: 'sandbox' });
  const jobId = `workbench:${order.orderIds[0]}`;
  const client = new ControlmClient({ endpoint: `${fakes.url}/automation-api`, user: 'sandbox', password: 'sandbox', insecure: false, credentialSource: 'bench' });
  const status = await median(200, () => client.call('GET', `/run/job/${jobId}/status`));
  const port = (trivial.address() as AddressInfo).port;
  const plain = await median(200, () => new Promise((resolve, reject) => {
    get(`http://127.0.0.1:${port}/`, (res) => res.resume().on('end', resolve)).on('error', reject);
  }));
  console.log(`Control-M job status through baton's client: ${status.toFixed(2)} ms per call (median of 200)`);
  console.log(`baseline (GET to a trivial HTTP server): ${plain.toFixed(2)} ms; ratio ${(status / plain).toFixed(2)}   budget ${STATUS_BUDGET_MS} ms`);
  if (status > STATUS_BUDGET_MS) {
    console.error(`over budget: ${status.toFixed(2)} ms > ${STATUS_BUDGET_MS} ms per status call`);
    process.exitCode = 1;
  }
} finally {
  trivial.close();
  await fakes.close();
  rmSync(dataDir, { recursive: true, force: true });
}

// The cost of writing run records into a state folder that already holds 1,000 earlier runs vs
// an empty one, measured in the same run, interleaved: whole record lifecycles (created, ten
// progress writes, finished) of a 12-step run. Budget: ≤ 1.1×. Also shows what listing a
// runbook's earlier runs costs with 1,000 of them (what every start does to find one to resume).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { newRecord } from '../src/engine/resume.js';
import type { RunRecord } from '../src/store/record.js';
import { newRunId } from '../src/store/run-id.js';
import { openStore, type RunStore } from '../src/store/runs.js';
import { makeRunbook } from '../test/helpers/runbook.js';
import { median, scratch } from './exec-common.js';

const EARLIER = 1_000;
const ROUNDS = 15;
const LIFECYCLES = 10;
const BUDGET = 1.1;

const runbook = makeRunbook({
  id: 'go-live-setup',
  path: '/runbooks/go-live-setup.md',
  steps: Array.from({ length: 12 }, (_, i) => ({ title: `Step ${i + 1}`, actions: [`echo step ${i + 1}`, 'true'], checks: ['Looks right'] })),
});
let clock = Date.parse('2026-01-01T00:00:00Z');

function record(environment: string, runbookId = 'go-live-setup'): RunRecord {
  const at = new Date((clock += 60_000));
  const base = newRecord({
    id: newRunId(runbookId, environment, at),
    runbook: { ...runbook, id: runbookId },
    environment: { name: environment, protected: environment === 'prod' },
    operator: 'ana',
    practice: false,
    at: at.toISOString(),
    session: { operator: 'ana', host: 'ops-1', pid: 4242, startedAt: at.toISOString() },
  });
  return base;
}

/** One run's writes: created, ten writes as steps finish, then finished. */
function lifecycle(store: RunStore): Promise<void>[] {
  let current = record('sandbox');
  const writes = [store.save(current)];
  for (let step = 0; step < 10; step++) {
    current = {
      ...current,
      steps: current.steps.map((s, i) =>
        i === step
          ? {
              ...s,
              status: 'done',
              actions: s.actions.map((a) => ({
                ...a,
                status: 'succeeded',
                code: `echo step ${i + 1}`,
                attempts: [{ n: 1, status: 'succeeded', operator: 'ana', startedAt: current.startedAt, endedAt: current.startedAt, durationMs: 12, exitCode: 0, excerpt: `step ${i + 1}`, log: `logs/${current.id}/x.log` }],
              })),
              checks: s.checks.map((c) => ({ ...c, status: 'confirmed', by: 'ana', at: current.startedAt, via: 'operator' })),
            }
          : s,
      ),
    };
    writes.push(store.save(current));
  }
  writes.push(store.save({ ...current, status: 'done', endedAt: current.startedAt }));
  return writes;
}

async function timeLifecycles(store: RunStore): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < LIFECYCLES; i++) await Promise.all(lifecycle(store));
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const empty = scratch('baton-bench-record-empty-');
const full = scratch('baton-bench-record-full-');
const fullStore = openStore(full);
const environments = ['sandbox', 'staging', 'prod'];
const runbooks = ['go-live-setup', 'load-recovery', 'warehouse-resize', 'month-end', 'grants-audit'];
for (let i = 0; i < EARLIER; i++) {
  const earlier = record(environments[i % 3]!, runbooks[i % 5]);
  await fullStore.save(earlier);
  await fullStore.save({ ...earlier, status: i % 10 === 0 ? 'failed' : 'done', endedAt: earlier.startedAt });
}

const emptyStore = openStore(empty);
await timeLifecycles(emptyStore);
await timeLifecycles(fullStore);
const withNone: number[] = [];
const withMany: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  withNone.push(await timeLifecycles(emptyStore));
  withMany.push(await timeLifecycles(fullStore));
}
const writes = LIFECYCLES * 12;
const ratio = median(withMany) / median(withNone);
const listStart = process.hrtime.bigint();
const { runs } = await openStore(full).list({ runbookId: 'go-live-setup', environment: 'sandbox', status: ['running', 'paused', 'failed', 'aborted'] });
const listMs = Number(process.hrtime.bigint() - listStart) / 1e6;
console.log(`${writes} record writes (${LIFECYCLES} runs of 12 steps), median of ${ROUNDS} interleaved rounds`);
console.log(`with ${EARLIER.toLocaleString('en')} earlier runs   ${(median(withMany) / writes).toFixed(3)} ms a write`);
console.log(`baseline: empty state/      ${(median(withNone) / writes).toFixed(3)} ms a write`);
console.log(`ratio                       ${ratio.toFixed(2)}×   budget ≤ ${BUDGET}×`);
console.log(`listing a runbook's unfinished runs among ${EARLIER + LIFECYCLES * (ROUNDS + 1)} (a fresh process's start): ${listMs.toFixed(1)} ms, ${runs.length} found`);
rmSync(empty, { recursive: true, force: true });
rmSync(full, { recursive: true, force: true });
if (ratio > BUDGET) {
  console.error(`over budget: ${ratio.toFixed(2)}× > ${BUDGET}×`);
  process.exitCode = 1;
}

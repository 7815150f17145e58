// Where each runbook stands in one environment, from the record: not started, in progress k/N,
// done, failed, or locked by someone. Read from the run index and the lock files, never the logs.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describeHolder, liveness, readHolder } from '../../store/lock.js';
import { statePaths } from '../../store/paths.js';
import type { RunStatus } from '../../store/record.js';
import { latestRuns } from '../../store/runs.js';

/** A runbook's standing in an environment. */
export type Standing =
  | { kind: 'not-started' }
  | { kind: 'in-progress'; done: number; total: number; status: RunStatus; at?: string }
  | { kind: 'done'; at?: string; by: string }
  | { kind: 'failed'; done: number; total: number; step?: string }
  | { kind: 'locked'; by: string; host: string; alive: boolean; line: string };

/** The standing of every runbook that has a record or a lock in `environment`, by runbook id. */
export async function readStandings(stateDir: string, environment: string): Promise<Map<string, Standing>> {
  const standings = new Map<string, Standing>();
  const latest = await latestRuns(stateDir, { environment }).catch(() => new Map());
  for (const run of latest.values()) {
    if (run.status === 'done') standings.set(run.runbookId, { kind: 'done', ...(run.endedAt ? { at: run.endedAt } : {}), by: run.operator });
    else if (run.status === 'failed') standings.set(run.runbookId, { kind: 'failed', done: run.stepsDone, total: run.stepsTotal, ...(run.currentStep ? { step: run.currentStep } : {}) });
    else if (run.status !== 'abandoned') standings.set(run.runbookId, { kind: 'in-progress', done: run.stepsDone, total: run.stepsTotal, status: run.status, at: run.updatedAt });
  }
  const locks = statePaths(stateDir).locks;
  const names = await readdir(locks).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.endsWith('.json')) continue;
    const holder = await readHolder(join(locks, name));
    if (holder.environment !== environment) continue;
    const alive = liveness(holder) !== 'dead';
    if (!alive) continue;
    standings.set(holder.runbookId, { kind: 'locked', by: holder.operator, host: holder.host, alive, line: describeHolder(holder) });
  }
  return standings;
}

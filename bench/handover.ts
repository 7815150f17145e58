// The handover document from a large record: 100 runs of 50 steps each (10 runbooks × 10 runs,
// with attempts, query ids, job states, checks, notes, retries and failures), written with the
// inventory off. Budget: the whole document — runbooks read, records read, Markdown and HTML
// rendered with every timeline, both files written — in ≤ 1 s. Baseline, measured in the same
// run: merely reading the records. `npx tsx bench/handover.ts` runs it alone.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newRecord } from '../src/engine/resume.js';
import { generateHandover, readRecords } from '../src/handover/generate.js';
import type { Attempt, RunRecord } from '../src/store/record.js';
import { newRunId } from '../src/store/run-id.js';
import { openStore } from '../src/store/runs.js';
import { parseRunbook } from '../src/runbook/parse.js';
import { scratch, spread } from './fixtures/exec-common.js';

const RUNBOOKS = 10;
const RUNS_EACH = 10;
const STEPS = 50;
const ROUNDS = 9;
const BUDGET_MS = 1000;

const dir = scratch('baton-bench-handover-');
const runbooksDir = join(dir, 'runbooks');
const stateDir = join(dir, 'state');
mkdirSync(runbooksDir, { recursive: true });
writeFileSync(join(runbooksDir, 'baton.yaml'), 'environments:\n  prod:\n    protected: true\n    accountUrl: https://app.snowflake.com/acme/prod\n');

function runbookText(n: number): string {
  const steps = Array.from({ length: STEPS }, (_, i) => [
    `## Step ${i + 1} of runbook ${n}`,
    '',
    'Does one part of the go-live and checks it.',
    '',
    i % 3 === 0 ? '```autosys\nsendevent -E FORCE_STARTJOB -J LOAD_BOX\n```' : '```sql\nSELECT COUNT(*) FROM SALES_DW.RAW.ORDERS;\n```',
    '',
    '- [ ] The figures look right.',
    '',
  ].join('\n'));
  return `---\ntitle: "Runbook ${n}"\nsummary: "Step ${n} of the go-live."\ntags: [go-live${n === RUNBOOKS ? ', monitoring' : ''}]\n---\n# Runbook ${n}\n\n${steps.join('\n')}`;
}

const store = openStore(stateDir);
let clock = Date.parse('2026-11-01T08:00:00Z');
const at = (ms = 0) => new Date((clock += ms)).toISOString();
for (let n = 1; n <= RUNBOOKS; n++) {
  const id = `${String(n).padStart(2, '0')}-runbook`;
  const path = join(runbooksDir, `${id}.md`);
  writeFileSync(path, runbookText(n));
  const runbook = parseRunbook(Buffer.from(runbookText(n)), path).runbook!;
  for (let r = 0; r < RUNS_EACH; r++) {
    const start = at(3_600_000);
    const record: RunRecord = newRecord({
      id: newRunId(id, 'prod', new Date(start), `${n}${r}`.padStart(4, '0')),
      runbook,
      environment: { name: 'prod', protected: true },
      operator: r % 2 === 0 ? 'ana' : 'bob',
      practice: false,
      at: start,
      session: { operator: 'ana', host: 'ops-01', pid: 4000 + r, startedAt: start },
    });
    record.variables.push({ name: 'WH', value: 'LOAD_WH', secret: false, source: 'environment' }, { name: 'TOKEN', secret: true, source: 'from-env' });
    for (const step of record.steps) {
      step.startedAt = at(2_000);
      for (const action of step.actions) {
        const attempts: Attempt[] = [];
        const tries = step.index % 7 === 3 ? 2 : 1;
        for (let t = 1; t <= tries; t++) {
          const began = at(1_000);
          const ok = t === tries;
          attempts.push({
            n: t,
            status: ok ? 'succeeded' : 'failed',
            operator: record.operator,
            startedAt: began,
            endedAt: at(4_000),
            durationMs: 4_000,
            ...(action.kind === 'sql' ? { queryIds: [`01b8a1c0-0000-4b21-${String(n).padStart(4, '0')}-${String(r * 1000 + step.index * 10 + t).padStart(12, '0')}`] } : { exitCode: ok ? 0 : 1 }),
            ...(ok ? { excerpt: '1 row' } : { error: { message: 'SQL execution error: the warehouse was suspended by its resource monitor' } }),
            ...(action.kind === 'autosys' ? { details: { jobs: [{ name: 'LOAD_BOX', before: { status: 'IN', state: 'inactive' }, after: { status: 'SU', state: 'ok' } }] } } : {}),
          });
        }
        action.attempts = attempts;
        action.status = 'succeeded';
        action.code = action.kind === 'sql' ? 'SELECT COUNT(*) FROM SALES_DW.RAW.ORDERS;' : 'sendevent -E FORCE_STARTJOB -J LOAD_BOX';
      }
      for (const check of step.checks) Object.assign(check, { status: 'confirmed', by: record.operator, at: at(500), via: step.index % 5 === 0 ? 'yes-flag' : 'operator' });
      step.status = 'done';
      step.endedAt = at(500);
      if (step.index % 10 === 0) record.notes.push({ at: at(), by: record.operator, stepId: step.id, text: `Looked at step ${step.index + 1}; all as expected.` });
    }
    const last = r === RUNS_EACH - 1 && n % 4 === 0;
    record.status = last ? 'failed' : 'done';
    if (last) {
      const step = record.steps.at(-1)!;
      step.status = 'failed';
      step.failure = 'the figures did not match';
    }
    record.endedAt = record.updatedAt = at(1_000);
    await store.save(record);
  }
}

/** Wall and CPU milliseconds of one call. */
async function timed(work: () => Promise<void>): Promise<{ wall: number; cpu: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await work();
  const used = process.cpuUsage(cpu);
  return { wall: performance.now() - start, cpu: (used.user + used.system) / 1000 };
}

const readOnly = () =>
  timed(async () => {
    const { runs } = await readRecords(stateDir);
    if (runs.length !== RUNBOOKS * RUNS_EACH) throw new Error(`read ${runs.length} runs`);
  });

let written: { md: string; html: string } | undefined;
const whole = () =>
  timed(async () => {
    const result = await generateHandover({ env: 'prod', runbooksDir, stateDir, outDir: join(dir, 'out'), inventory: false, operator: 'bench', timeZone: 'UTC', cwd: dir });
    if (!result.ok) throw new Error(result.message);
    written = { md: result.markdownPath, html: result.htmlPath };
  });

// Warm-up: the first of each pays for module loading and the file cache. Then alternately, so
// both see the same load on a shared machine.
await readOnly();
await whole();
const reads: { wall: number; cpu: number }[] = [];
const documents: { wall: number; cpu: number }[] = [];
for (let i = 0; i < ROUNDS; i++) {
  reads.push(await readOnly());
  documents.push(await whole());
}
const best = (list: { wall: number }[]) => Math.min(...list.map((t) => t.wall));
const mid = (list: { wall: number }[]) => spread(list.map((t) => t.wall)).median;
const cpu = (list: { cpu: number }[]) => Math.min(...list.map((t) => t.cpu));
const kb = (path: string) => `${Math.round(statSync(path).size / 1024)} KB`;
const figure = best(documents);
process.stdout.write(
  [
    `handover of ${RUNBOOKS * RUNS_EACH} runs × ${STEPS} steps (inventory off), ${ROUNDS} rounds (best / median, least CPU):`,
    `  document written   ${figure.toFixed(0)} / ${mid(documents).toFixed(0)} ms, CPU ${cpu(documents).toFixed(0)} ms  (Markdown ${kb(written!.md)}, HTML ${kb(written!.html)})`,
    `  records read only  ${best(reads).toFixed(0)} / ${mid(reads).toFixed(0)} ms, CPU ${cpu(reads).toFixed(0)} ms  (baseline)`,
    `  ratio              ${(figure / best(reads)).toFixed(1)}× the reading alone (best)`,
    `  budget             ≤ ${BUDGET_MS} ms: ${figure <= BUDGET_MS ? 'met' : 'NOT MET'}`,
    '',
  ].join('\n'),
);
process.exitCode = figure <= BUDGET_MS ? 0 : 1;

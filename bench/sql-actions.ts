// 200 small SQL actions run headless by `baton exec`, against a plain snowflake-sdk script running
// the same 200 statements on the same sandbox, in the same run. Both are child processes timed
// from spawn to exit, so both pay node start-up, the driver's import and the login; what is left
// is what baton adds: parsing, the guard, records and logs, events.
// Run alone: npx tsx bench/sql-actions.ts   (after npm run build)
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, startSandboxProcess } from './fixtures/sandbox.js';

const STEPS = 20;
const ACTIONS_PER_STEP = 10;
const ROUNDS = 7;
/** baton may add at most this much to the plain driver's time. */
const BUDGET_RATIO = 1.15;

/** Wall time of a child process from spawn to exit; rejects when it fails. */
function timed(args: string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`${args.join(' ')} exited ${code}:\n${stderr}`))));
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const work = await mkdtemp(join(tmpdir(), 'baton-bench-sql-'));
const sandbox = await startSandboxProcess(join(work, 'sandbox'));
try {
  const statements: string[] = [];
  const lines = ['---', 'title: Two hundred small SQL actions', '---', '# Two hundred small SQL actions', ''];
  for (let s = 1; s <= STEPS; s++) {
    lines.push(`## Step ${s}`, '');
    for (let a = 1; a <= ACTIONS_PER_STEP; a++) {
      const sql = `SELECT ${s * 100 + a} AS N`;
      statements.push(sql);
      lines.push('```sql', sql, '```', '');
    }
  }
  await writeFile(join(work, 'bench.md'), lines.join('\n'));
  await writeFile(join(work, 'statements.sql'), statements.join('\n'));
  const env = { SNOWFLAKE_HOME: join(work, 'snowflake-home'), BATON_SANDBOX_URL: sandbox.url, BATON_OPERATOR: 'bench' };

  const plain: number[] = [];
  const baton: number[] = [];
  for (let round = 0; round <= ROUNDS; round++) {
    // Alternate, so neither side always runs on a warmer machine; round 0 only warms up.
    const p = await timed([join(root, 'bench', 'fixtures', 'sql-actions-plain.mjs'), sandbox.url, join(work, 'statements.sql')], env);
    const b = await timed([join(root, 'bin', 'baton.js'), 'exec', join(work, 'bench.md'), '--new', '--state-dir', join(work, 'state')], env);
    if (round > 0) {
      plain.push(p);
      baton.push(b);
    }
  }
  const actions = STEPS * ACTIONS_PER_STEP;
  // Each round runs both back to back; the ratio is taken round by round, and judged on the best
  // round as the other benches are (what the code costs), with the median beside it (a busy moment).
  const ratios = baton.map((ms, i) => ms / plain[i]!);
  const best = Math.min(...ratios);
  const bestOf = (values: number[]) => Math.min(...values).toFixed(0);
  console.log(`${actions} SQL actions; best and median of ${ROUNDS} rounds, baton and the plain script alternately`);
  console.log(`baton exec                   best ${bestOf(baton)} ms   median ${median(baton).toFixed(0)} ms   (${(median(baton) / actions).toFixed(2)} ms an action at the median)`);
  console.log(`plain snowflake-sdk script   best ${bestOf(plain)} ms   median ${median(plain).toFixed(0)} ms   (same ${actions} statements)`);
  console.log(`ratio, round by round        best ${best.toFixed(2)}×   median ${median(ratios).toFixed(2)}×   budget ≤ ${BUDGET_RATIO}×`);
  if (best > BUDGET_RATIO) {
    console.error(`over budget: ${best.toFixed(2)}× > ${BUDGET_RATIO}×`);
    process.exitCode = 1;
  }
} finally {
  await sandbox.stop();
  await rm(work, { recursive: true, force: true });
}

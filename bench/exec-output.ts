// One step printing 2,000,000 log lines through `baton exec --yes` (output streamed to stdout,
// which goes to /dev/null here, and written in full to the run's log) vs the same command with
// `> file`, in the same run. Budgets: baton's peak RSS ≤ 150 MB; throughput ≥ 0.5× the baseline's.
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bin, ensureBuilt, median, rssProbe, scratch, wallMs } from './exec-common.js';

const LINES = 2_000_000;
const ROUNDS = 3;
const RSS_BUDGET_MB = 150;
const THROUGHPUT_BUDGET = 0.5;
const COMMAND = `awk 'BEGIN { for (i = 1; i <= ${LINES}; i++) printf "2026-11-25T21:40:12 INFO load: row %d of batch %d loaded into RAW.ORDERS\\n", i, i % 97 }'`;

ensureBuilt();
const dir = scratch('baton-bench-output-');
writeFileSync(join(dir, 'output.md'), `# Chatty load\n\n## Load\n\n\`\`\`bash\n${COMMAND}\n\`\`\`\n`);
const probe = rssProbe(dir);

const baton: number[] = [];
const bash: number[] = [];
const rss: number[] = [];
let logBytes = 0;
for (let round = 0; round < ROUNDS; round++) {
  rmSync(join(dir, 'state'), { recursive: true, force: true });
  const run = wallMs(process.execPath, ['--import', probe, bin, '--state-dir', join(dir, 'state'), 'exec', 'output.md', '--yes'], dir);
  if (run.status !== 0) {
    console.error(`baton exec failed (exit ${run.status}):\n${run.stderr}`);
    process.exit(1);
  }
  baton.push(run.ms);
  rss.push(Number(/peak-rss-mb ([\d.]+)/.exec(run.stderr)?.[1] ?? NaN));
  const record = JSON.parse(readFileSync(join(dir, 'state', 'runs', readdirJson(join(dir, 'state', 'runs'))), 'utf8'));
  const attempt = record.steps[0].actions[0].attempts[0];
  if (attempt.lines !== LINES) throw new Error(`baton saw ${attempt.lines} lines, not ${LINES}`);
  logBytes = statSync(join(dir, 'state', attempt.log)).size;
  bash.push(wallMs('bash', ['-c', `${COMMAND} > ${join(dir, 'baseline.txt')}`], dir).ms);
}
const baselineBytes = statSync(join(dir, 'baseline.txt')).size;
if (logBytes !== baselineBytes) throw new Error(`the log has ${logBytes} bytes, the baseline file ${baselineBytes}`);
const ratio = median(bash) / median(baton);
const peak = Math.max(...rss);
console.log(`${LINES.toLocaleString('en')} lines (${(baselineBytes / 1e6).toFixed(0)} MB), median of ${ROUNDS} interleaved rounds`);
console.log(`baton exec --yes             ${median(baton).toFixed(0)} ms   ${(LINES / median(baton) / 1000).toFixed(2)} M lines/s`);
console.log(`baseline: command > file     ${median(bash).toFixed(0)} ms   ${(LINES / median(bash) / 1000).toFixed(2)} M lines/s`);
console.log(`throughput ratio             ${ratio.toFixed(2)}×   budget ≥ ${THROUGHPUT_BUDGET}×`);
console.log(`baton peak RSS               ${peak.toFixed(0)} MB   budget ≤ ${RSS_BUDGET_MB} MB`);
rmSync(dir, { recursive: true, force: true });
if (ratio < THROUGHPUT_BUDGET || !(peak <= RSS_BUDGET_MB)) {
  console.error('over budget');
  process.exitCode = 1;
}

function readdirJson(folder: string): string {
  return readFileSync(join(folder, 'index.jsonl'), 'utf8').trim().split('\n').map((line) => `${JSON.parse(line).id}.json`)[0]!;
}

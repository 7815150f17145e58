// 200 steps of `true` through `baton exec --yes` vs a bash script running the same 200 commands
// the way baton runs them (each as its own `bash -eo pipefail -c true`), measured in the same run,
// interleaved. Budget: ratio ≤ 2.0.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bin, ensureBuilt, median, scratch, wallMs } from './exec-common.js';

const STEPS = 200;
const ROUNDS = 5;
const BUDGET = 2.0;

ensureBuilt();
const dir = scratch('baton-bench-steps-');
writeFileSync(join(dir, 'steps.md'), `# Two hundred steps\n\n${Array.from({ length: STEPS }, (_, i) => `## Step ${i + 1}\n\n\`\`\`bash\ntrue\n\`\`\`\n`).join('\n')}`);
writeFileSync(join(dir, 'steps.sh'), `${'bash -eo pipefail -c true\n'.repeat(STEPS)}`);

const baton: number[] = [];
const bash: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  rmSync(join(dir, 'state'), { recursive: true, force: true });
  const run = wallMs(process.execPath, [bin, '--state-dir', join(dir, 'state'), 'exec', 'steps.md', '--yes'], dir);
  if (run.status !== 0) {
    console.error(`baton exec failed (exit ${run.status}):\n${run.stderr}`);
    process.exit(1);
  }
  baton.push(run.ms);
  bash.push(wallMs('bash', ['steps.sh'], dir).ms);
}
const ratio = median(baton) / median(bash);
console.log(`${STEPS} steps of true, median of ${ROUNDS} interleaved rounds`);
console.log(`baton exec --yes            ${median(baton).toFixed(0)} ms   (${(median(baton) / STEPS).toFixed(2)} ms a step)`);
console.log(`baseline: bash script       ${median(bash).toFixed(0)} ms   (${STEPS} × bash -eo pipefail -c true)`);
console.log(`ratio                       ${ratio.toFixed(2)}×   budget ≤ ${BUDGET.toFixed(1)}×`);
rmSync(dir, { recursive: true, force: true });
if (ratio > BUDGET) {
  console.error(`over budget: ${ratio.toFixed(2)}× > ${BUDGET}×`);
  process.exitCode = 1;
}

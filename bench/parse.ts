// Parse + validate a generated 5,000-step runbook (two actions and one check per step): budget 200 ms.
// Baseline, measured in the same run: markdown-it's bare parse of the same text, which the parser
// runs once inside — the ratio is what reading it as a runbook costs on top.
import markdownit from 'markdown-it';
import { parseRunbook } from '../src/runbook/parse.js';
import { generateRunbook } from './fixtures/generate-runbook.js';

const STEPS = 5_000;
const BUDGET_MS = 200;
const RUNS = 15;

/** Best and median of RUNS timings of each function, run alternately so a busy moment on a shared machine hits both alike. */
function timeBoth(a: () => void, b: () => void): [{ best: number; median: number }, { best: number; median: number }] {
  const samples: [number[], number[]] = [[], []];
  for (let i = 0; i < RUNS; i++) {
    [a, b].forEach((run, which) => {
      const start = process.hrtime.bigint();
      run();
      samples[which]!.push(Number(process.hrtime.bigint() - start) / 1e6);
    });
  }
  return samples.map((list) => {
    const sorted = [...list].sort((x, y) => x - y);
    return { best: sorted[0]!, median: sorted[Math.floor(sorted.length / 2)]! };
  }) as [{ best: number; median: number }, { best: number; median: number }];
}

const text = generateRunbook(STEPS);
const md = markdownit({ html: true });
// Warm both up first so the figures compare steady states.
const check = parseRunbook(text, 'generated.md');
if (!check.runbook || check.problems.length > 0 || check.runbook.steps.length !== STEPS) {
  console.error('the generated runbook does not parse cleanly:', check.problems.slice(0, 3));
  process.exit(1);
}
for (let i = 0; i < 3; i++) {
  md.parse(text, {});
  parseRunbook(text, 'generated.md');
}

const [baseline, baton] = timeBoth(
  () => md.parse(text, {}),
  () => parseRunbook(text, 'generated.md'),
);
const actions = check.runbook.steps.reduce((n, s) => n + s.actions.length, 0);
const ms = (t: number): string => `${t.toFixed(1)} ms`.padStart(9);
console.log(`runbook: ${STEPS} steps, ${actions} actions, ${STEPS} checks, ${(text.length / 1e6).toFixed(1)} MB; best and median of ${RUNS} runs`);
console.log(`parse + validate (parseRunbook)   best ${ms(baton.best)}   median ${ms(baton.median)}   budget ${BUDGET_MS} ms`);
console.log(`baseline: markdown-it bare parse  best ${ms(baseline.best)}   median ${ms(baseline.median)}`);
console.log(`ratio                             best ${(baton.best / baseline.best).toFixed(2)}×      median ${(baton.median / baseline.median).toFixed(2)}×`);
if (baton.best > BUDGET_MS) {
  console.error(`over budget: ${baton.best.toFixed(1)} ms > ${BUDGET_MS} ms`);
  process.exitCode = 1;
}

// Parse + validate a generated 5,000-step runbook (two actions and one check per step): budget 200 ms.
// Baseline, measured in the same run: markdown-it's bare parse of the same text, which the parser
// runs once inside — the ratio is what reading it as a runbook costs on top.
import markdownit from 'markdown-it';
import { parseRunbook } from '../src/runbook/parse.js';
import { generateRunbook } from './fixtures/generate-runbook.js';

const STEPS = 5_000;
const BUDGET_MS = 200;
const RUNS = 9;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(run: () => void): number {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    run();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
}

const text = generateRunbook(STEPS);
const md = markdownit({ html: true });
// Warm both up first so the figures compare steady states.
const check = parseRunbook(text, 'generated.md');
if (!check.runbook || check.problems.length > 0 || check.runbook.steps.length !== STEPS) {
  console.error('the generated runbook does not parse cleanly:', check.problems.slice(0, 3));
  process.exit(1);
}
md.parse(text, {});

const baseline = time(() => md.parse(text, {}));
const baton = time(() => parseRunbook(text, 'generated.md'));
const actions = check.runbook.steps.reduce((n, s) => n + s.actions.length, 0);
console.log(`runbook: ${STEPS} steps, ${actions} actions, ${STEPS} checks, ${(text.length / 1e6).toFixed(1)} MB, median of ${RUNS} runs`);
console.log(`parse + validate (parseRunbook)    ${baton.toFixed(1)} ms   budget ${BUDGET_MS} ms`);
console.log(`baseline: markdown-it bare parse   ${baseline.toFixed(1)} ms`);
console.log(`ratio                              ${(baton / baseline).toFixed(2)}×`);
if (baton > BUDGET_MS) {
  console.error(`over budget: ${baton.toFixed(1)} ms > ${BUDGET_MS} ms`);
  process.exitCode = 1;
}

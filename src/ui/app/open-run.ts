// Opening a run for the runbook screen: parse the runbook, find the environment, start the runner
// in step mode. Loaded only when a runbook is opened, so the library's first frame never pays for
// the parser, the engine or the executors.
import { dirname } from 'node:path';
import { defaultOperator, resolveSibling } from '../../commands/exec.js';
import { loadEnvironments, pickEnvironment } from '../../config/environments.js';
import { startRun, type Run } from '../../engine/runner.js';
import { unknownVars, valueProblem } from '../../engine/variables.js';
import { loadRunbook } from '../../runbook/library.js';
import { formatProblem } from '../../runbook/problems.js';
import { openStore } from '../../store/runs.js';
import type { OpenRunRequest, ServiceOptions } from './services.js';

/** Start or resume the run; a problem is one line naming the file and what to do. */
export async function openRun(request: OpenRunRequest & ServiceOptions & { stateDir: string }): Promise<{ run: Run } | { problem: string }> {
  const parsed = await loadRunbook(request.path);
  const errors = parsed.problems.filter((p) => p.severity === 'error');
  if (!parsed.runbook || errors.length > 0) {
    const first = errors[0] ?? parsed.problems[0];
    return { problem: `${first ? formatProblem(first) : `${request.path}: not a runbook`} — fix it (baton validate ${request.path}); nothing ran` };
  }
  const runbook = parsed.runbook;
  const config = await loadEnvironments(dirname(request.path));
  if (config.problems.length > 0) return { problem: `${formatProblem(config.problems[0]!)}; nothing ran` };
  const environment = pickEnvironment(config, request.environment);
  if ('problem' in environment) return environment;
  const vars = request.vars ?? {};
  const unknown = unknownVars(runbook.variables, vars);
  if (unknown.length > 0) return { problem: `--var: ${unknown.join('; ')}` };
  for (const spec of runbook.variables) {
    const problem = vars[spec.name] === undefined ? undefined : valueProblem(spec, vars[spec.name]!);
    if (problem) return { problem: `--var ${spec.name}: ${problem}` };
  }
  const run = startRun({
    runbook,
    environment,
    operator: defaultOperator(request.operator),
    store: openStore(request.stateDir),
    mode: 'step',
    vars,
    terminal: request.terminal,
    resolveRunbook: (id) => resolveSibling(runbook, id),
    ...(request.executors ? { executors: request.executors } : {}),
  });
  return { run };
}

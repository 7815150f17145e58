// Builds what the engine hands an executor, from a real parsed runbook, so executor tests need no
// engine: a run scope that closes like the engine's, and a context per action.
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Environment } from '../../src/config/environment.js';
import type { ExecutionContext, RunScope } from '../../src/executors/types.js';
import type { Runbook } from '../../src/runbook/model.js';
import { parseRunbook } from '../../src/runbook/parse.js';
import { fillTemplate } from '../../src/runbook/template.js';

export { collect, testScope } from './context.js';

/** Parse a runbook written inline, or fail the test with its problems. */
export function runbookOf(markdown: string, file = 'test-runbook.md'): Runbook {
  const parsed = parseRunbook(markdown, file);
  if (!parsed.runbook) throw new Error(parsed.problems.map((p) => `${p.line}: ${p.message}`).join('\n'));
  return parsed.runbook;
}

/** The sandbox environment as baton.yaml's default declares it. */
export const SANDBOX_ENV: Environment = { name: 'sandbox', protected: false, sandbox: true, connection: 'sandbox', variables: {} };

/** A context for one action, with variables, secrets and folders filled in. */
export async function contextFor(
  runbook: Runbook,
  actionIndex: number,
  options: { scope: RunScope; environment?: Environment; variables?: Record<string, string>; secrets?: string[]; timeoutMs?: number; signal?: AbortSignal },
): Promise<ExecutionContext> {
  const actions = runbook.steps.flatMap((step) => step.actions.map((action) => ({ step, action })));
  const { step, action } = actions[actionIndex]!;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'baton-attempt-'));
  const logFile = path.join(dir, 'attempt.log');
  await writeFile(logFile, '');
  const variables = options.variables ?? {};
  const secrets = options.secrets ?? [];
  const filled = fillTemplate(action.code, (name) => (name in variables ? { value: variables[name]!, secret: secrets.includes(variables[name]!) } : undefined));
  const context: ExecutionContext = {
    runbook,
    step,
    action,
    environment: options.environment ?? SANDBOX_ENV,
    code: filled.text,
    shownCode: filled.shown,
    variable: (name) => variables[name],
    secrets,
    cwd: path.dirname(runbook.path),
    logFile,
    artefactDir: path.join(dir, 'artefacts'),
    operator: 'tester',
    attempt: 1,
    scope: options.scope,
    signal: options.signal ?? new AbortController().signal,
  };
  if (options.timeoutMs !== undefined) context.timeoutMs = options.timeoutMs;
  return context;
}

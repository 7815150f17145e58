// Shared by the scheduler tests: the fakes on a random port with short timings, and an execution
// context for scheduler actions built the way the engine builds one.
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Environment } from '../../src/config/environment.js';
import type { ExecutionContext, RunScope } from '../../src/executors/types.js';
import type { ActionKind, Runbook } from '../../src/runbook/model.js';
import { startSchedulerFakes, type SchedulerFakes, type SchedulerFakesOptions } from '../../src/sandbox/scheduler/index.js';
import { collect, tempDir, testScope } from './context.js';

export { collect, tempDir, testScope };

/** The repository root. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The folder of the AutoSys CLI fakes. */
export const sandboxBin = join(repoRoot, 'sandbox', 'bin');

/** Fail early with a useful message when the CLI fakes' bundle is missing. */
export function requireBuild(): void {
  if (!existsSync(join(repoRoot, 'dist', 'autosys-cli.js'))) {
    throw new Error('dist/autosys-cli.js is missing: run `npm run build` first (npm test does)');
  }
}

/** Both fakes on a random port, fast, with their data in a temp folder. */
export async function startFakes(options: Partial<SchedulerFakesOptions> = {}): Promise<SchedulerFakes & { dataDir: string }> {
  const dataDir = options.dataDir ?? tempDir('baton-fakes-');
  const fakes = await startSchedulerFakes({
    port: 0,
    dataDir,
    ...options,
    autosys: { timings: { startingMs: 20, restartMs: 50, watchPollMs: 50 }, ...options.autosys },
    controlm: { timings: { submitMs: 20, rerunUnitMs: 50 }, ...options.controlm },
  });
  return Object.assign(fakes, { dataDir });
}

/** An environment pointed at the fakes. */
export function sandboxEnvironment(fakes: { url: string }, overrides: Partial<Environment> = {}): Environment {
  return {
    name: 'practice',
    protected: false,
    sandbox: true,
    variables: {},
    autosys: { bin: sandboxBin, env: { BATON_AUTOSYS_URL: `${fakes.url}/autosys` } },
    controlm: { endpoint: `${fakes.url}/automation-api`, user: 'sandbox', passwordVariable: 'CTM_PASSWORD' },
    ...overrides,
  };
}

/** What a test can set on the context. */
export interface ContextOptions {
  kind: ActionKind;
  code: string;
  environment: Environment;
  /** Folder holding the runbook (default: a new temp folder). */
  folder?: string;
  /** Values of the run's variables; each is declared by the runbook. */
  variables?: Record<string, string>;
  /** Which of `variables` the runbook declares secret. */
  secretVariables?: string[];
  secrets?: string[];
  timeoutMs?: number;
  signal?: AbortSignal;
  scope?: RunScope;
}

/** An execution context as the engine would build it for one action. */
export function executionContext(options: ContextOptions): ExecutionContext {
  const folder = options.folder ?? tempDir('baton-runbook-');
  const runbookPath = join(folder, 'practice.md');
  if (!existsSync(runbookPath)) writeFileSync(runbookPath, '# Practice\n');
  const action = { index: 0, id: 'step/1', kind: options.kind, lang: options.kind, code: options.code, attrs: { extra: {} }, pos: { line: 10, column: 1 } };
  const step = { id: 'step', index: 0, title: 'Step', prose: '', actions: [action], checks: [], pos: { line: 8, column: 1 }, hash: 'x' };
  const variables = Object.keys(options.variables ?? {}).map((name) => ({ name, secret: options.secretVariables?.includes(name) ?? false, pos: { line: 2, column: 1 } }));
  const runbook: Runbook = {
    id: 'practice', path: runbookPath, title: 'Practice', tags: [], requires: [], variables, intro: '', steps: [step], hash: 'x',
  };
  const logs = tempDir('baton-logs-');
  return {
    runbook, step, action, environment: options.environment, code: options.code, shownCode: options.code,
    variable: (name) => options.variables?.[name] ?? options.environment.variables[name],
    secrets: options.secrets ?? [],
    cwd: folder,
    logFile: join(logs, 'attempt.log'),
    artefactDir: join(logs, 'artefacts'),
    operator: 'tester',
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    attempt: 1,
    scope: options.scope ?? testScope(),
    signal: options.signal ?? new AbortController().signal,
  };
}

/** Something that says when its state changed: the AutoSys event server, the Control-M workbench. */
export interface Changing {
  onChange(listener: () => void): () => void;
}

/**
 * Resolves with `check()`'s value once it is truthy, looking again at every change of `source`
 * rather than on a timer. The budget is generous because a loaded machine is slow, not wrong; when
 * it runs out the error says what was awaited and what `describe` shows then.
 */
export function until<T>(source: Changing, check: () => T | undefined | false | null, what: string, describe: () => string = () => '', ms = 60_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const look = (): boolean => {
      const value = check();
      if (!value) return false;
      stop();
      clearTimeout(timer);
      resolve(value);
      return true;
    };
    const stop = source.onChange(() => void look());
    const timer = setTimeout(() => {
      stop();
      const seen = describe();
      reject(new Error(`timed out after ${ms / 1000}s waiting for ${what}${seen ? ` (${seen})` : ''}`));
    }, ms);
    look();
  });
}

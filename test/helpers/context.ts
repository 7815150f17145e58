// Execution contexts for driving an executor directly, as the runner would.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActionResult, ExecutionContext, ExecutorEvent, RunScope } from '../../src/executors/types.js';
import { makeRunbook, type ActionSpec } from './runbook.js';

const scopeValues = new Map<string, unknown>();
const scopeKept = new Map<string, unknown>();
const cleanups: (() => Promise<void> | void)[] = [];

/** One run scope shared by the contexts of a test file, as the actions of one run share theirs. */
const sharedScope: RunScope = {
  runId: 'test-run',
  get: <T>(key: string, create: () => T): T => {
    if (!scopeValues.has(key)) scopeValues.set(key, create());
    return scopeValues.get(key) as T;
  },
  onClose: (cleanup) => {
    cleanups.push(cleanup);
  },
  kept: (key) => scopeKept.get(key),
  keep: (key, value) => {
    scopeKept.set(key, value);
  },
};

/** Close what the shared scope opened (the shell launcher), as the end of a run would. */
export async function closeTestScope(): Promise<void> {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  scopeValues.clear();
  scopeKept.clear();
}

/** A fresh temp folder for one test. */
export function tempDir(prefix = 'baton-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A context for one shell action in a temp folder. */
export function shellContext(
  dir: string,
  action: ActionSpec,
  extra: { secrets?: string[]; variables?: Record<string, string>; secretNames?: string[]; signal?: AbortSignal } = {},
): ExecutionContext {
  const runbook = makeRunbook({
    path: join(dir, 'demo.md'),
    steps: [{ title: 'Only', actions: [action] }],
    variables: Object.keys(extra.variables ?? {}).map((name) => ({ name, secret: extra.secretNames?.includes(name) ?? false })),
  });
  const step = runbook.steps[0]!;
  const values = extra.variables ?? {};
  return {
    runbook,
    step,
    action: step.actions[0]!,
    environment: { name: 'sandbox', protected: false, variables: {} },
    code: action.code,
    shownCode: action.code,
    variable: (name) => values[name],
    secrets: extra.secrets ?? [],
    cwd: dir,
    logFile: join(dir, 'attempt.log'),
    artefactDir: join(dir, 'artefacts'),
    operator: 'ana',
    attempt: 1,
    scope: sharedScope,
    signal: extra.signal ?? new AbortController().signal,
  };
}

/** Every event of one run of an executor, and its result. */
export async function collect(events: AsyncIterable<ExecutorEvent>): Promise<{ events: ExecutorEvent[]; result: ActionResult; lines: string[] }> {
  const all: ExecutorEvent[] = [];
  const lines: string[] = [];
  let result: ActionResult | undefined;
  for await (const event of events) {
    all.push(event);
    if (event.type === 'lines') lines.push(...event.lines);
    if (event.type === 'output') lines.push(event.line);
    if (event.type === 'result') result = event.result;
  }
  if (!result) throw new Error('no result event');
  return { events: all, result, lines };
}

/** Wait until a condition holds, polling; fails the test after `ms`. */
export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, ms = 10_000, what = 'condition'): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * A run scope like the engine's: shared values, and clean-ups that really run (last registered
 * first) on `close()`. `kept` stands for the run's record: give a later scope the same map to
 * resume the run in a "new process".
 */
export function testScope(runId = 'test-run', kept = new Map<string, unknown>()): RunScope & { close(): Promise<void>; record: Map<string, unknown> } {
  const values = new Map<string, unknown>();
  const cleanups: (() => Promise<void> | void)[] = [];
  return {
    runId,
    record: kept,
    kept: (key) => kept.get(key),
    keep(key, value) {
      kept.set(key, value);
    },
    get<T>(key: string, create: () => T): T {
      if (!values.has(key)) values.set(key, create());
      return values.get(key) as T;
    },
    onClose(cleanup) {
      cleanups.push(cleanup);
    },
    async close() {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    },
  };
}

// Execution contexts for driving an executor directly, as the runner would.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext, ExecutorEvent, ActionResult, RunScope } from '../../src/executors/types.js';
import { makeRunbook, type ActionSpec } from './runbook.js';

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
    scope: { runId: 'test-run', get: (_key, create) => create(), onClose: () => undefined },
    signal: extra.signal ?? new AbortController().signal,
  };
}

/** A run scope like the engine's: shared values, and clean-ups that really run (last registered first) on `close()`. */
export function testScope(runId = 'test-run'): RunScope & { close(): Promise<void> } {
  const values = new Map<string, unknown>();
  const cleanups: (() => Promise<void> | void)[] = [];
  return {
    runId,
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

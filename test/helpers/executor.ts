// What executor tests share: a run scope like the engine's (shared values, clean-ups that really
// run, last registered first, when the test closes it) and the events of one attempt.
import type { ActionResult, ExecutorEvent, RunScope } from '../../src/executors/types.js';

/** A run scope whose `close()` runs the clean-ups, as the engine does at the end of a run. */
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

/** Every event of one run, and its result. */
export async function collect(events: AsyncIterable<ExecutorEvent>): Promise<{ events: ExecutorEvent[]; result: ActionResult }> {
  const seen: ExecutorEvent[] = [];
  for await (const event of events) seen.push(event);
  const last = seen.at(-1);
  if (last?.type !== 'result') throw new Error('the executor did not end with a result event');
  return { events: seen, result: last.result };
}

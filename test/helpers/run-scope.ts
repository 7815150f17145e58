// A run scope like the engine's, for executor tests: shared values, and clean-ups that really run
// (last registered first) when the test closes it.
import type { RunScope } from '../../src/executors/types.js';

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

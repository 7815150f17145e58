// Which executor runs which kind of action. Each is imported on first use, so a runbook without
// SQL never loads the Snowflake driver and a runbook without scheduler steps never loads those.
import type { ActionKind } from '../runbook/model.js';
import type { Executor } from './types.js';

type Loader = () => Promise<Executor>;

const loaders: Partial<Record<ActionKind, Loader>> = {
  // One line per executor module.
  shell: async () => (await import('./shell.js')).shellExecutor,
  sql: async () => (await import('./sql.js')).sqlExecutor,
  autosys: async () => (await import('./autosys.js')).autosysExecutor,
  jil: async () => (await import('./autosys.js')).jilExecutor,
  controlm: async () => (await import('./controlm.js')).controlmExecutor,
};

const loaded = new Map<ActionKind, Promise<Executor>>();

/** The executor for a kind of action, or undefined for kinds that are only shown (`display`). */
export function executorFor(kind: ActionKind): Promise<Executor> | undefined {
  const load = loaders[kind];
  if (!load) return undefined;
  let executor = loaded.get(kind);
  if (!executor) {
    executor = load();
    loaded.set(kind, executor);
  }
  return executor;
}

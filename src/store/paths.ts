// Where baton keeps its per-machine record: `--state-dir`, then `$BATON_STATE_DIR`, then `./state`
// relative to the working directory (so each checkout, trainee or test keeps its own).
import { join, resolve } from 'node:path';

/** The state folder for an explicit option, the environment and a working directory. */
export function resolveStateDir(option?: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  const chosen = option ?? (env.BATON_STATE_DIR && env.BATON_STATE_DIR.trim() !== '' ? env.BATON_STATE_DIR : 'state');
  return resolve(cwd, chosen);
}

/** The files and folders inside one state folder. */
export interface StatePaths {
  root: string;
  runs: string;
  logs: string;
  locks: string;
  /** The run index: one summary line per change of a run's status. */
  index: string;
}

/** Paths inside a state folder. */
export function statePaths(root: string): StatePaths {
  const runs = join(root, 'runs');
  return { root, runs, logs: join(root, 'logs'), locks: join(root, 'locks'), index: join(runs, 'index.jsonl') };
}

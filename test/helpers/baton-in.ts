// `baton` as a real child process working in one folder: its own state folder, Snowflake home and
// sandbox, and none of the caller's environment but what is named here.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import type { RunRecord } from '../../src/store/record.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Fail early, with what to do, when the bundle the child runs is missing. */
export function requireBuild(): void {
  if (!existsSync(join(root, 'dist', 'cli.js'))) throw new Error('build first: npm run build (npm test does it)');
}

/** A `baton` that runs in `folder` with `<folder>/state`, against the sandbox at `sandboxUrl`. */
export function batonIn(folder: () => string, sandboxUrl: () => string, env: Record<string, string> = {}) {
  const baton = (args: string[]) =>
    execa('node', [join(root, 'bin', 'baton.js'), ...args, '--state-dir', join(folder(), 'state')], {
      cwd: folder(),
      reject: false,
      stdin: 'ignore',
      env: { NO_COLOR: '1', SNOWFLAKE_HOME: join(folder(), 'snowflake'), BATON_SANDBOX_URL: sandboxUrl(), ...env },
      extendEnv: false,
    });
  /** The record of the latest run, as `baton show last --json` prints it. */
  const lastRecord = async (): Promise<RunRecord> => JSON.parse((await baton(['show', 'last', '--json'])).stdout) as RunRecord;
  return { baton, lastRecord };
}

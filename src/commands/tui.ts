// `baton` (the full-screen app over the runbook library) and `baton run <runbook>` (the app opened
// on one runbook). Without a terminal, `baton run` falls back to the headless `baton exec` and bare
// `baton` prints the library as a list. Everything the first frame does not need is imported later.
import { basename, dirname } from 'node:path';
import { resolveStateDir } from '../store/paths.js';
import type { ExecOptions } from './exec.js';

/** Options of `baton` and `baton run`. */
export interface TuiOptions {
  runbooks?: string;
  stateDir?: string;
  env?: string;
  var?: string[];
  operator?: string;
}

/** Whether this process can run the full-screen app: a terminal on both ends. */
export function hasTerminal(): boolean {
  return Boolean(process.stdout.isTTY && process.stdin.isTTY);
}

/** Bare `baton`: the app over the library; returns the exit code. */
export async function openApp(options: TuiOptions): Promise<number> {
  if (!hasTerminal()) {
    const { showHome } = await import('./list.js');
    return showHome({ ...(options.runbooks ? { runbooks: options.runbooks } : {}) });
  }
  return startApp({ ...options, runbooks: options.runbooks ?? 'runbooks' });
}

/** `baton run <runbook>`: the app opened on one runbook, or `baton exec` without a terminal. */
export async function runRunbook(target: string, options: TuiOptions): Promise<number> {
  if (!hasTerminal()) {
    const { exec } = await import('./exec.js');
    return exec(target, options as ExecOptions);
  }
  const { findRunbookFile } = await import('./exec.js');
  const path = findRunbookFile(target, options.runbooks);
  if (!path) {
    process.stderr.write(`baton run: no runbook ${target} (give a file, or an id in ${options.runbooks ?? 'runbooks'}/)\n`);
    return 64;
  }
  const vars: Record<string, string> = {};
  for (const pair of options.var ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      process.stderr.write(`baton run: --var ${pair}: write NAME=VALUE\n`);
      return 64;
    }
    vars[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return startApp({ ...options, runbooks: dirname(path) }, basename(path).replace(/\.md$/i, ''), vars);
}

async function startApp(options: TuiOptions & { runbooks: string }, runbook?: string, vars?: Record<string, string>): Promise<number> {
  // chalk reads the colour level once, when Ink loads: NO_COLOR must be settled before that.
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') process.env.FORCE_COLOR = '0';
  const { runApp } = await import('../ui/run-app.js');
  return runApp({
    runbooks: options.runbooks,
    stateDir: resolveStateDir(options.stateDir),
    ...(options.env ? { env: options.env } : {}),
    ...(options.operator ? { operator: options.operator } : {}),
    ...(runbook ? { runbook } : {}),
    ...(vars ? { vars } : {}),
  });
}

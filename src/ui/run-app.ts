// The full-screen app over the operator's terminal, from the library's first frame to the exit.
// Everything the first frame needs is imported here, statically, so the bundle serves it as one
// chunk (besides Ink's): each extra module file is another resolve, read and compile before the
// operator sees anything. What the first frame does not show is still loaded later by import().
import { AppModel } from './app/app-model.js';
import { realServices, type AppPaths } from './app/services.js';
import { readLibrary } from './library/summaries.js';
import { mountApp } from './mount.js';

/** How the app starts: where it reads, and what to open at once. */
export interface RunAppOptions extends AppPaths {
  env?: string;
  operator?: string;
  /** Open this runbook (id) at once: `baton run`. */
  runbook?: string;
  vars?: Record<string, string>;
}

/** Run the app on the process's terminal until the operator leaves; returns the exit code. */
export async function runApp(options: RunAppOptions): Promise<number> {
  const paths = { runbooks: options.runbooks, stateDir: options.stateDir };
  const library = await readLibrary(paths.runbooks, paths.stateDir);
  const stdout = process.stdout;
  // The app takes the whole screen and gives the operator's scrollback back when it ends.
  stdout.write('\x1b[?1049h\x1b[H');
  let exitCode = 0;
  let instance: ReturnType<typeof mountApp> | undefined;
  const model = new AppModel(realServices(paths, { ...(options.operator ? { operator: options.operator } : {}) }), {
    library,
    ...(options.env ? { environment: options.env } : {}),
    ...(options.runbook ? { runbook: options.runbook } : {}),
    ...(options.vars ? { vars: options.vars } : {}),
    onExit: (code) => {
      exitCode = code;
      instance?.unmount();
    },
  });
  instance = mountApp(model);
  // Once the first frame is up, load the runbook screen in the background so opening one is quick.
  const warm = setTimeout(() => void import('./runbook/runbook-screen.js').catch(() => undefined), 400);
  try {
    await instance.waitUntilExit();
  } finally {
    clearTimeout(warm);
    stdout.write('\x1b[?1049l');
  }
  return exitCode;
}

// The program's entry. Bare `baton` (the terminal app, with at most --runbooks, --state-dir and
// --env) starts straight away: setting up every command's parser costs the operator's first frame
// more than the app itself needs, and the app comes from dist/app.cjs with its compiled code kept
// between starts (app-lane.ts). Anything else goes to the full command line in cli.ts — through
// dist/cli.cjs, its compiled code kept the same way, else the ES module build — which treats the
// bare form the same way, so both lanes behave alike.
import { fileURLToPath } from 'node:url';
import { laneWanted, loadAppLane, loadCliLane } from './app-lane.js';

/** The bare app's options when `args` are nothing else, or undefined. */
export function bareAppOptions(args: readonly string[]): { runbooks?: string; stateDir?: string; env?: string } | undefined {
  const names: Record<string, 'runbooks' | 'stateDir' | 'env'> = { '--runbooks': 'runbooks', '--state-dir': 'stateDir', '--env': 'env' };
  const options: { runbooks?: string; stateDir?: string; env?: string } = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.indexOf('=');
    const name = names[eq > 0 ? arg.slice(0, eq) : arg];
    if (!name || options[name] !== undefined) return undefined;
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || value === '' || value.startsWith('-')) return undefined;
    options[name] = value;
  }
  return options;
}

// Output piped into `head` or a pager that quits early: stop quietly, as other command-line tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const bare = process.stdout.isTTY && process.stdin.isTTY ? bareAppOptions(process.argv.slice(2)) : undefined;
if (bare) {
  const lane = laneWanted() ? loadAppLane(fileURLToPath(new URL('.', import.meta.url))) : undefined;
  const { openApp } = lane ?? (await import('./commands/tui.js'));
  process.exitCode = await openApp(bare, { ...(lane ? { firstFrame: lane.keepCode } : {}) });
} else {
  const lane = laneWanted() ? loadCliLane(fileURLToPath(new URL('.', import.meta.url))) : undefined;
  const { runCli } = lane?.exports ?? (await import('./cli.js'));
  process.exitCode = await runCli(process.argv);
  // After the command: the code V8 compiled for it is what the next start of it needs.
  lane?.keepCode();
}

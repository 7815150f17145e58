// The program's entry. Bare `baton` (the terminal app, with at most --runbooks, --state-dir and
// --env) starts straight away: setting up every command's parser costs the operator's first frame
// more than the app itself needs. Anything else goes to the full command line in cli.ts, which
// treats the bare form the same way, so both lanes behave alike.

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

const bare = process.stdout.isTTY && process.stdin.isTTY ? bareAppOptions(process.argv.slice(2)) : undefined;
if (bare) {
  const { openApp } = await import('./commands/tui.js');
  process.exitCode = await openApp(bare);
} else {
  await import('./cli.js');
}

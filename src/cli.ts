// Argument parsing and command routing only. Every command's work lives in its own module under
// src/commands/, imported when that command runs, so `baton --help` and the TUI's first frame
// never pay for what they do not use.
import { Command, CommanderError } from 'commander';
import pkg from '../package.json' with { type: 'json' };
import { EXIT } from './exit-codes.js';

const program = new Command()
  .name('baton')
  .description('Walks operators through Markdown runbooks, runs each step for real, records it, writes the handover.')
  .version(pkg.version, '-V, --version')
  .option('--state-dir <dir>', 'where run records, logs and locks live (default ./state, or $BATON_STATE_DIR)')
  .showHelpAfterError('(run baton --help for usage)')
  .exitOverride();

const sandbox = program
  .command('sandbox')
  .description('The local Snowflake sandbox (with the scheduler fakes) that runbooks and tests run against');

/** Global options merged into a sandbox subcommand's own. */
function sandboxOptions<T extends object>(options: T, command: Command): T & { stateDir?: string } {
  return { ...options, stateDir: command.optsWithGlobals<{ stateDir?: string }>().stateDir };
}

sandbox
  .command('start')
  .description('serve the sandbox on 127.0.0.1 until Ctrl-C (or in the background with --detach)')
  .option('--port <n>', 'port on 127.0.0.1 (0 picks a free one)', '8085')
  .option('--data <dir>', 'data folder (default <state dir>/sandbox)')
  .option('--detach', 'run in the background and return once it answers')
  .action(async (options: { port: string; data?: string; detach?: boolean }, command: Command) => {
    const { sandboxStart } = await import('./commands/sandbox.js');
    process.exitCode = await sandboxStart(sandboxOptions(options, command));
  });

sandbox
  .command('status')
  .description('say whether the sandbox runs, where, and which services are up (exit 1 when not running)')
  .option('--port <n>', 'port to look at when no sandbox holds the data folder', '8085')
  .option('--data <dir>', 'data folder (default <state dir>/sandbox)')
  .option('--json', 'print the status as JSON')
  .action(async (options: { port: string; data?: string; json?: boolean }, command: Command) => {
    const { sandboxStatus } = await import('./commands/sandbox.js');
    process.exitCode = await sandboxStatus(sandboxOptions(options, command));
  });

sandbox
  .command('stop')
  .description('stop the sandbox running in the background on this data folder')
  .option('--data <dir>', 'data folder (default <state dir>/sandbox)')
  .action(async (options: { data?: string }, command: Command) => {
    const { sandboxStop } = await import('./commands/sandbox.js');
    process.exitCode = await sandboxStop(sandboxOptions(options, command));
  });

sandbox
  .command('reset')
  .description('delete the sandbox data folder, so the next start begins fresh')
  .option('--data <dir>', 'data folder (default <state dir>/sandbox)')
  .option('--yes', 'do not ask for confirmation')
  .action(async (options: { data?: string; yes?: boolean }, command: Command) => {
    const { sandboxReset } = await import('./commands/sandbox.js');
    process.exitCode = await sandboxReset(sandboxOptions(options, command));
  });

async function main(argv: string[]): Promise<number> {
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0; anything else is a usage mistake.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv);

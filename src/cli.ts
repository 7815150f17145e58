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
  .option('--runbooks <dir>', 'the runbooks folder (default ./runbooks)')
  .showHelpAfterError('(run baton --help for usage)')
  .exitOverride()
  // Until the terminal app exists, bare `baton` lists the bundled runbooks and says so.
  .allowExcessArguments()
  .action(async (options: { runbooks?: string }, command: Command) => {
    if (command.args.length > 0) command.error(`error: unknown command '${command.args[0]}'`, { exitCode: EXIT.usage });
    const { showHome } = await import('./commands/list.js');
    process.exitCode = await showHome(options);
  });

program
  .command('validate')
  .description('check runbooks and report every problem as file:line:col (exit 1 on errors)')
  .argument('[paths...]', 'runbook files or folders', [])
  .option('--json', 'print the result as JSON, for tools')
  .action(async (paths: string[], options: { json?: boolean }) => {
    const { validate } = await import('./commands/validate.js');
    process.exitCode = await validate(paths, options);
  });

program
  .command('list')
  .description('one line per runbook: id, title, steps, actions by kind, checks')
  .argument('[folder]', 'the runbooks folder (default ./runbooks)')
  .option('--runbooks <dir>', 'the runbooks folder, as an option')
  .option('--json', 'print the list as JSON, for tools')
  .action(async (folder: string | undefined, _options: unknown, command: Command) => {
    const { list } = await import('./commands/list.js');
    process.exitCode = await list(folder, command.optsWithGlobals());
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

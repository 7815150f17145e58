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

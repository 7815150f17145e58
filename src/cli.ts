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
  .option('--env <name>', 'environment the app starts in (default: baton.yaml\'s default, else sandbox)')
  // Bare `baton` opens the terminal app over the runbook library (a list when there is no terminal).
  .allowExcessArguments()
  .action(async (options: { runbooks?: string; stateDir?: string; env?: string }, command: Command) => {
    if (command.args.length > 0) command.error(`error: unknown command '${command.args[0]}'`, { exitCode: EXIT.usage });
    const { openApp } = await import('./commands/tui.js');
    process.exitCode = await openApp(options);
  });

program
  .command('run')
  .description('open the terminal app on one runbook (without a terminal: the same as baton exec)')
  .argument('<runbook>', 'runbook file, or its id in the runbooks folder')
  .option('--env <name>', 'environment to run in (default: baton.yaml\'s default, else sandbox)')
  .option('--var <name=value>', 'set a variable (repeatable)', (value: string, all: string[] = []) => [...all, value])
  .option('--operator <name>', 'who is running it (default $BATON_OPERATOR, else the OS user)')
  .action(async (runbook: string, _options: unknown, command: Command) => {
    const { runRunbook } = await import('./commands/tui.js');
    process.exitCode = await runRunbook(runbook, command.optsWithGlobals());
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

program
  .command('exec')
  .description('run a runbook without the terminal app: progress lines, a summary, documented exit codes')
  .argument('<runbook>', 'runbook file, or its id in the runbooks folder')
  .option('--env <name>', 'environment to run in (default: baton.yaml\'s default, else sandbox)')
  .option('--var <name=value>', 'set a variable (repeatable)', (value: string, all: string[] = []) => [...all, value])
  .option('-y, --yes', 'answer checks and confirmations yes (never a protected environment\'s guard)')
  .option('--dry-run', 'print every action with its variables filled in and run nothing (a recorded practice run)')
  .option('--json', 'print one JSON event per line instead of text')
  .option('--operator <name>', 'who is running it (default $BATON_OPERATOR, else the OS user)')
  .option('--from <step>', 'start at this step (id or number); unfinished steps before it are recorded as skipped')
  .option('--only <step>', 'run only this step (id or number), then pause the run')
  .option('--take-over', 'take over the lock of a run whose process is gone, without asking')
  .option('--on-unknown <decision>', 'for an action whose outcome is unknown after a crash: rerun, mark-done or skip')
  .option('--new', 'start a new run even if an unfinished one exists (the old one is recorded as abandoned)')
  .option('--i-know-what-i-am-doing', 'do not ask the protected environment\'s guard questions (recorded in the run)')
  .action(async (runbook: string, _options: unknown, command: Command) => {
    const { exec } = await import('./commands/exec.js');
    process.exitCode = await exec(runbook, command.optsWithGlobals());
  });

program
  .command('runs')
  .description('list recorded runs, newest first')
  .option('--env <name>', 'only runs in this environment')
  .option('--runbook <id>', 'only runs of this runbook')
  .option('--since <when>', 'only runs started since a date (2026-11-25) or a duration ago (7d, 12h)')
  .option('--status <list>', 'only these statuses, comma-separated (running,paused,failed,aborted,done,abandoned)')
  .option('--limit <n>', 'at most this many', (value: string) => Number.parseInt(value, 10))
  .option('--json', 'print the list as JSON')
  .action(async (_options: unknown, command: Command) => {
    const { runs } = await import('./commands/runs.js');
    process.exitCode = await runs(command.optsWithGlobals());
  });

program
  .command('show')
  .description('print one run\'s record: steps, attempts, checks, notes, decisions, timeline')
  .argument('<run-id>', 'a run id, a unique start of one, or "last"')
  .option('--json', 'print the record as JSON')
  .action(async (runId: string, _options: unknown, command: Command) => {
    const { show } = await import('./commands/show.js');
    process.exitCode = await show(runId, command.optsWithGlobals());
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

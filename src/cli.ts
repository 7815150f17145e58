// Argument parsing and command routing only. Every command's work lives in its own module under
// src/commands/, imported when that command runs, so `baton --help` and the TUI's first frame
// never pay for what they do not use.
import { Command, CommanderError, Option } from 'commander';
import pkg from '../package.json' with { type: 'json' };
import { EXIT } from './exit-codes.js';

const program = new Command()
  .name('baton')
  .description('Walks operators through Markdown runbooks, runs each step for real, records it, writes the handover.')
  .version(pkg.version, '-V, --version')
  .option('--state-dir <dir>', 'where run records, logs and locks live (default ./state, or $BATON_STATE_DIR)')
  // A run's shell actions get BATON_RUNBOOKS, so a `baton sql --env staging` in a step finds its baton.yaml.
  .addOption(new Option('--runbooks <dir>', 'the runbooks folder (default ./runbooks)').env('BATON_RUNBOOKS'))
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
  .argument('[paths...]', 'runbook files or folders (default ./runbooks)', [])
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

const connections = program.command('connections').description('Snowflake connections baton finds (connections.toml, config.toml, SNOWFLAKE_* variables)');

connections
  .command('list')
  .description('every connection: account, user, login method, role, which environments use it; never a credential')
  .option('--json', 'print the list as JSON, for tools')
  .action(async (_options: unknown, command: Command) => {
    const { listConnections } = await import('./commands/connections.js');
    process.exitCode = await listConnections(command.optsWithGlobals());
  });

connections
  .command('test')
  .description('log in and print CURRENT_ACCOUNT(), CURRENT_USER(), CURRENT_ROLE(), CURRENT_WAREHOUSE()')
  .argument('[name]', 'connection name (default: the default connection)')
  .option('--env <name>', "test the connection of this baton.yaml environment")
  .option('--json', 'print the answer as JSON')
  .action(async (name: string | undefined, _options: unknown, command: Command) => {
    const { testConnection } = await import('./commands/connections.js');
    process.exitCode = await testConnection(name, command.optsWithGlobals());
  });

program
  .command('sql')
  .description('run SQL on an environment or connection, like snowsql (exit 1 on a SQL error)')
  .option('--env <name>', "baton.yaml environment (default: baton.yaml's default)")
  .option('-c, --connection <name>', 'a connection from connections.toml instead of an environment')
  .option('-q, --query <sql>', 'the SQL to run')
  .option('-f, --file <file>', 'a file of SQL to run (or give it on standard input)')
  .option('-o, --format <format>', 'table, csv or json', 'table')
  .option('--var <name=value>', 'value for {{NAME}} in the SQL (repeatable)', (value: string, all: string[] = []) => [...all, value])
  .option('--timeout <duration>', 'cancel on the server after this long, e.g. 90s or 5m')
  .option('--i-know-what-i-am-doing', 'in a protected environment, run writes and destructive statements without asking')
  .action(async (_options: unknown, command: Command) => {
    const { sql } = await import('./commands/sql.js');
    process.exitCode = await sql(command.optsWithGlobals());
  });

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

program
  .command('handover')
  .description('write the handover document (Markdown and HTML) from the run records and the live environment')
  .option('--env <name>', 'environment to document (default: baton.yaml\'s default, else sandbox)')
  .option('--since <when>', 'leave out runs started before a date (2026-11-25) or a duration ago (30d)')
  .option('--runbooks <dir>', 'the runbooks folder (default ./runbooks)')
  .option('--out <dir>', 'folder for <env>-<date>.md and .html (default ./docs/handover)')
  .option('--no-inventory', 'do not read the live inventory (Snowflake objects, scheduler jobs)')
  .option('--operator <name>', 'who generates it (default $BATON_OPERATOR, else the OS user)')
  .action(async (_options: unknown, command: Command) => {
    const { handover } = await import('./commands/handover.js');
    process.exitCode = await handover(command.optsWithGlobals());
  });

/** Run one command line (`argv` as in process.argv) to its exit code. */
export async function runCli(argv: string[]): Promise<number> {
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

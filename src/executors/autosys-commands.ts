// The AutoSys command-line programs of an environment: found in its `autosys.bin` folder or on
// PATH, run with execa with the instance (`-S`, `$AUTOSERV`) and extra variables it configures.
import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import type { Environment } from '../config/environment.js';
import { parseAutorep, type AutorepRow } from '../scheduler/autorep.js';
import { jilValue, parseJil } from '../scheduler/jil.js';
import { autosysSettingsOf, sandboxBin } from '../scheduler/sandbox-endpoints.js';

/** What one program printed and how it exited. */
export interface CommandOutput {
  /** The command line as shown to the operator. */
  commandLine: string;
  stdout: string;
  stderr: string;
  exit: number;
  canceled: boolean;
}

/** Programs baton runs. */
export type AutosysProgramName = 'sendevent' | 'autorep' | 'autostatus' | 'jil' | 'autosyslog';

// autosyslog takes no instance flag.
const TAKES_INSTANCE = new Set<AutosysProgramName>(['sendevent', 'autorep', 'autostatus', 'jil']);

/** The AutoSys programs of one environment. */
export class AutosysCommands {
  private constructor(
    private readonly environment: Environment,
    private readonly bin: string | undefined,
    private readonly instance: string | undefined,
    private readonly env: Record<string, string>,
  ) {}

  /** The programs of an environment (its sandbox at `sandbox`), or a message saying how to configure them. */
  static of(environment: Environment, sandbox?: string): AutosysCommands | { error: string } {
    const settings = autosysSettingsOf(environment, sandbox);
    if (!settings) {
      return { error: `environment "${environment.name}" has no AutoSys settings: add "autosys:" (instance, and bin when the CLIs are not on PATH) to it in baton.yaml` };
    }
    const env: Record<string, string> = { ...settings.env };
    if (settings.instance) env.AUTOSERV = settings.instance;
    return new AutosysCommands(environment, settings.bin, settings.instance, env);
  }

  /** The full path of a program, or a message saying what to install or configure. */
  locate(program: AutosysProgramName): { path: string } | { error: string } {
    const name = this.environment.name;
    if (this.bin) {
      const path = join(this.bin, program);
      if (isExecutable(path)) return { path };
      return {
        error: `AutoSys command "${program}" is not in ${this.bin} (autosys.bin of environment "${name}"). ` +
          `Point autosys.bin in baton.yaml at the folder holding sendevent, autorep and jil` +
          (this.environment.sandbox ? ` (the sandbox's are in ${sandboxBin()})` : ''),
      };
    }
    for (const dir of (process.env.PATH ?? '').split(delimiter)) {
      if (dir && isAbsolute(dir) && isExecutable(join(dir, program))) return { path: join(dir, program) };
    }
    return {
      error: `AutoSys command "${program}" was not found on PATH. Install the AutoSys command-line client ` +
        `(Workload Automation AE client utilities) on this machine, or set autosys.bin for environment "${name}" ` +
        `in baton.yaml to the folder holding sendevent, autorep and jil (the sandbox's are in ${sandboxBin()})`,
    };
  }

  /** Run one program; never rejects for a non-zero exit (a missing program is an exit 127). */
  async run(program: AutosysProgramName, args: string[], signal: AbortSignal, stdin?: string): Promise<CommandOutput> {
    const fullArgs = this.instance && TAKES_INSTANCE.has(program) ? [...args, '-S', this.instance] : args;
    const commandLine = [program, ...fullArgs.map(quoteForShow)].join(' ') + (stdin !== undefined ? ' < (input)' : '');
    const found = this.locate(program);
    if ('error' in found) return { commandLine, stdout: '', stderr: found.error, exit: 127, canceled: false };
    const { execa } = await import('execa');
    const result = await execa(found.path, fullArgs, {
      env: this.env,
      extendEnv: true,
      reject: false,
      cancelSignal: signal,
      stripFinalNewline: false,
      ...(stdin === undefined ? { stdin: 'ignore' as const } : { input: stdin }),
    });
    const exit = typeof result.exitCode === 'number' ? result.exitCode : result.isCanceled ? 130 : 1;
    const stderr = String(result.stderr ?? '') || (result.failed && exit !== 0 && !result.stdout ? result.shortMessage ?? '' : '');
    return { commandLine, stdout: String(result.stdout ?? ''), stderr, exit, canceled: result.isCanceled };
  }

  /** `autorep -J NAME -w`, read into rows. */
  async summary(name: string, signal: AbortSignal): Promise<{ rows: AutorepRow[]; output: CommandOutput }> {
    const output = await this.run('autorep', ['-J', name, '-w'], signal);
    return { rows: output.exit === 0 ? parseAutorep(output.stdout).rows : [], output };
  }

  /**
   * The job's output of its last run: from its std_out_file/std_err_file when they are readable
   * here, else from `autosyslog -J JOB -t O|E`; undefined when neither gives anything.
   */
  async jobOutput(name: string, signal: AbortSignal): Promise<string | undefined> {
    const query = await this.run('autorep', ['-J', name, '-q'], signal);
    const statement = parseJil(query.stdout).statements.find((s) => s.name === name);
    const parts: string[] = [];
    for (const [attribute, type] of [['std_out_file', 'O'], ['std_err_file', 'E']] as const) {
      const file = statement ? jilValue(statement, attribute)?.replace(/^>>?/, '').trim() : undefined;
      let text: string | undefined;
      if (file && !file.includes('$') && isAbsolute(file)) {
        try {
          text = readFileSync(file, 'utf8');
        } catch {
          text = undefined;
        }
      }
      if (text === undefined && !('error' in this.locate('autosyslog'))) {
        const log = await this.run('autosyslog', ['-J', name, '-t', type], signal);
        if (log.exit === 0) text = log.stdout;
      }
      if (text && text.trim() !== '') parts.push(type === 'E' && parts.length > 0 ? `--- ${attribute} ---\n${text}` : text);
    }
    return parts.length > 0 ? parts.join('\n') : undefined;
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function quoteForShow(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `"${arg.replace(/(["\\$`])/g, '\\$1')}"`;
}

// `autosys` and `jil` actions: the verb language run through the real AutoSys programs (sendevent,
// autorep, jil), with each job's state read from autorep before and after, waits that poll until
// the job ends, and the job's own output attached when it ends badly.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDuration } from '../runbook/duration.js';
import { parseAutorep, type AutorepRow } from '../scheduler/autorep.js';
import { parseJil } from '../scheduler/jil.js';
import { autosysSettingsOf, usesSandboxAutosys } from '../scheduler/sandbox-endpoints.js';
import { AutosysCommands, type AutosysProgramName, type CommandOutput } from './autosys-commands.js';
import { classifyAutosys, classifyJil, flagValue, parseAutosysScript, VERB_EVENTS, type AutosysCommand } from '../scheduler/autosys-script.js';
import {
  actionStream, interruptedResult, JobChanges, keptDefinitions, lastLines, pause, readDefinitionsFile, runSandbox, type ActionLog, type JobSnapshot,
} from './scheduler-action.js';
import type { ActionResult, ExecutionContext, Executor, ExecutorEvent } from './types.js';

/** How long to watch for an event to take effect before saying it did not (the sandbox is quicker). */
const EVENT_EFFECT_MS = 10_000;
const SANDBOX_EFFECT_MS = 2_000;
const EVENT_POLL_MS = 250;
const SANDBOX_POLL_MS = 100;
const EFFECT_LOOKS = 3;
const DEFAULT_WAIT_MS = 30 * 60_000;
const DEFAULT_EVERY_MS = 30_000;
const SANDBOX_EVERY_MS = 1_000;
const ENDED = new Set(['SUCCESS', 'FAILURE', 'TERMINATED']);
const BUSY = new Set(['STARTING', 'RUNNING']);

/** Runs `autosys` blocks. */
export const autosysExecutor: Executor = {
  kinds: ['autosys'],
  run: (context) => runAutosys(context, 'autosys'),
  classify: classifyAutosys,
  describeTarget: describe,
};

/** Runs `jil` blocks: the block is loaded with `jil` as written. */
export const jilExecutor: Executor = {
  kinds: ['jil'],
  run: (context) => runAutosys(context, 'jil'),
  classify: classifyJil,
  describeTarget: describe,
};

async function describe(context: ExecutionContext): Promise<string> {
  const sandbox = usesSandboxAutosys(context.environment) ? await runSandbox(context) : undefined;
  const settings = autosysSettingsOf(context.environment, sandbox);
  if (!settings) return `no AutoSys settings in environment "${context.environment.name}"`;
  if (sandbox) return `the sandbox's AutoSys fake (${settings.env?.BATON_AUTOSYS_URL ?? ''})`;
  return `AutoSys instance ${settings.instance ?? process.env.AUTOSERV ?? '(default $AUTOSERV)'}` + (settings.bin ? ` via ${settings.bin}` : '');
}

function runAutosys(context: ExecutionContext, kind: 'autosys' | 'jil'): AsyncIterable<ExecutorEvent> {
  return actionStream(context, [], (log) => new AutosysRun(context, log).execute(kind));
}

/**
 * The fields an AutoSys job gives `expect` and `capture`: `status` as autorep prints it (`SU`),
 * `statusName` (`SUCCESS`), and `state`, baton's word shared with Control-M (`ok`).
 */
function jobFields(row: AutorepRow): Record<string, unknown> {
  return {
    name: row.name, status: row.code, statusName: row.status, state: row.state, exit: row.exit,
    run: row.run, ntry: row.ntry, lastStart: row.lastStart, lastEnd: row.lastEnd, box: row.box ?? null,
  };
}

function snapshotFields(name: string, snapshot: JobSnapshot | null): Record<string, unknown> {
  if (!snapshot) return { name, status: null, statusName: null, state: null };
  const { state, status, code, ...rest } = snapshot;
  return { name, status: code, statusName: status, state, ...rest };
}

function snapshotOf(row: AutorepRow | undefined): JobSnapshot | null {
  if (!row) return null;
  return { status: row.status, state: row.state, code: row.code, exit: row.exit, run: row.run, ntry: row.ntry, lastStart: row.lastStart, lastEnd: row.lastEnd };
}

// A failure the operator must act on, with the scheduler's own words; `code` is the job's status code.
class StepFailure extends Error {
  constructor(message: string, readonly extra: { code?: string } = {}) {
    super(message);
  }
}

/** One attempt of one block. */
class AutosysRun {
  private readonly started = Date.now();
  private readonly changes = new JobChanges();
  private readonly commandsRun: { line?: number; command: string; exit: number }[] = [];
  private readonly stdout: string[] = [];
  private readonly stderr: string[] = [];
  private readonly summaries: string[] = [];
  private last: AutorepRow | undefined;
  private lastRows: AutorepRow[] = [];
  private jobOutput: string | undefined;
  private wait: Record<string, unknown> | undefined;
  private readonly definitions: Record<string, unknown>[] = [];
  /** For a jil block, `exit` is jil's own exit code. */
  private jilExit: number | undefined;
  private kind: 'autosys' | 'jil' = 'autosys';

  constructor(
    private readonly context: ExecutionContext,
    private readonly log: ActionLog,
  ) {}

  async execute(kind: 'autosys' | 'jil'): Promise<ActionResult> {
    this.kind = kind;
    let sandbox: string | undefined;
    if (usesSandboxAutosys(this.context.environment)) {
      try {
        sandbox = await runSandbox(this.context);
      } catch (error) {
        return this.failed(`the sandbox's AutoSys fake cannot be reached: ${(error as Error).message}`);
      }
    }
    const found = AutosysCommands.of(this.context.environment, sandbox);
    if ('error' in found) return this.failed(found.error);
    const commands = found;
    try {
      if (kind === 'jil') {
        await this.loadJil(commands, this.context.code, 'jil block', undefined);
      } else {
        const parsed = parseAutosysScript(this.context.code);
        if (parsed.problems.length > 0) {
          const line = this.context.action.pos.line;
          return this.failed(parsed.problems.map((p) => `${this.context.runbook.path}:${line + p.line}:${p.column}: ${p.message}`).join('\n'));
        }
        for (const command of parsed.commands) {
          if (this.context.signal.aborted) break;
          await this.runCommand(commands, command);
        }
      }
    } catch (error) {
      if (this.context.signal.aborted) return interruptedResult(this.context.signal, this.fields(false), this.excerpt(), this.details());
      if (error instanceof StepFailure) return this.failed(error.message, error.extra.code);
      throw error;
    }
    if (this.context.signal.aborted) return interruptedResult(this.context.signal, this.fields(false), this.excerpt(), this.details());
    return { ok: true, fields: this.fields(true), excerpt: this.excerpt(), details: this.details() };
  }

  private async runCommand(commands: AutosysCommands, command: AutosysCommand): Promise<void> {
    this.lastRows = [];
    if (command.verb === 'deploy') {
      const read = readDefinitionsFile(this.context, this.log, command.file);
      if ('error' in read) throw new StepFailure(read.error);
      this.definitions.push(keptDefinitions(read));
      await this.loadJil(commands, read.text, command.file, read.path);
      return;
    }
    if (command.verb === 'status') {
      const rows = await this.read(commands, command.job, command.line, true);
      this.lastRows = rows;
      this.last = rows.find((r) => r.name === command.job) ?? rows[0];
      for (const row of rows) this.changes.before(row.name, snapshotOf(row));
      this.summaries.push(...rows.map((r) => `${' '.repeat(r.depth)}${r.name} ${r.status}${r.exit !== null && ENDED.has(r.status) ? ` (exit ${r.exit})` : ''}`));
      return;
    }
    if (command.verb === 'wait') {
      await this.waitFor(commands, command);
      return;
    }
    if (command.verb === 'command') {
      await this.programLine(commands, command);
      return;
    }
    await this.sendEvent(commands, command);
  }

  // ---- events ----------------------------------------------------------------------------------

  private async sendEvent(commands: AutosysCommands, command: Exclude<AutosysCommand, { verb: 'command' | 'deploy' | 'status' | 'wait' }>): Promise<void> {
    const name = command.job;
    const before = await this.one(commands, name, command.line);
    this.changes.before(name, snapshotOf(before));
    const status = before.status;
    const refuse = (why: string): never => {
      throw new StepFailure(`${command.verb} ${name}: ${why}`, { code: status });
    };
    switch (command.verb) {
      case 'start':
        if (status === 'ON_HOLD') refuse(`${name} is ON_HOLD, and AutoSys ignores STARTJOB for a job on hold. Release it first (release ${name}), or force-start it.`);
        if (status === 'ON_ICE') refuse(`${name} is ON_ICE, and AutoSys ignores STARTJOB for a job on ice. Take it off ice first (unice ${name}), or force-start it.`);
        if (BUSY.has(status)) refuse(`${name} is already ${status}.`);
        break;
      case 'force-start':
        if (BUSY.has(status)) refuse(`${name} is already ${status}.`);
        break;
      case 'kill':
        if (!BUSY.has(status)) refuse(`${name} is not running (it is ${status}); there is nothing to kill.`);
        break;
      case 'hold':
      case 'ice':
        if (BUSY.has(status)) refuse(`${name} is ${status}, and AutoSys does not ${command.verb === 'hold' ? 'put a running job on hold' : 'ice a running job'}. Wait for it to end, or kill it.`);
        if (status === (command.verb === 'hold' ? 'ON_HOLD' : 'ON_ICE')) return this.unchanged(before, `${name} is already ${status}`);
        break;
      case 'release':
        if (status !== 'ON_HOLD') return this.unchanged(before, `${name} is not on hold (it is ${status}); nothing to release`);
        break;
      case 'unice':
        if (status !== 'ON_ICE') return this.unchanged(before, `${name} is not on ice (it is ${status}); nothing to take off ice`);
        break;
      case 'set-status':
        break;
    }
    const event = VERB_EVENTS[command.verb]!;
    const args = ['-E', event, '-J', name, ...(command.verb === 'set-status' ? ['-s', command.status] : [])];
    const sent = await this.call(commands, 'sendevent', args, command.line);
    if (sent.exit !== 0) throw new StepFailure(`${event} ${name} was refused: ${schedulerSays(sent)}`);
    const after = await this.effect(commands, name, before, command.line, effectOf(command, before));
    this.summaries.push(before.status === after.status ? `${name} ${after.status}` : `${name}: ${before.status} → ${after.status}`);
    if (command.verb === 'start' && sameRun(before, after)) {
      throw new StepFailure(
        `STARTJOB ${name} was accepted but ${name} did not start: it is still ${after.status}. AutoSys starts it only when its starting conditions ` +
          `are met (condition, box running). Check them with status, or use force-start to ignore them.`,
      );
    }
  }

  // The event is asynchronous: poll until the job shows its effect, or give up after a while and a
  // few looks (on a loaded machine one look can take longer than the whole while).
  private async effect(commands: AutosysCommands, name: string, before: AutorepRow, line: number, done: (row: AutorepRow) => boolean): Promise<AutorepRow> {
    const until = Date.now() + (this.context.environment.sandbox ? SANDBOX_EFFECT_MS : EVENT_EFFECT_MS);
    let row = before;
    for (let looks = 1; ; looks++) {
      await pause(this.context.environment.sandbox ? SANDBOX_POLL_MS : EVENT_POLL_MS, this.context.signal);
      if (this.context.signal.aborted) return row;
      row = await this.one(commands, name, line, true);
      this.changes.after(name, snapshotOf(row));
      this.last = row;
      if (done(row) || (Date.now() > until && looks >= EFFECT_LOOKS)) return row;
    }
  }

  // ---- program lines, as an operator types them --------------------------------------------------

  private async programLine(commands: AutosysCommands, command: Extract<AutosysCommand, { verb: 'command' }>): Promise<void> {
    const named = flagValue(command.args, 'J');
    const job = named && !named.includes('%') && named !== 'ALL' ? named : undefined;
    if (command.program === 'sendevent') {
      const before = job ? await this.maybe(commands, job) : undefined;
      if (job) this.changes.before(job, snapshotOf(before));
      const sent = await this.call(commands, 'sendevent', command.args, command.line);
      if (sent.exit !== 0) throw new StepFailure(`sendevent ${command.args.join(' ')}: ${schedulerSays(sent)}`);
      const event = flagValue(command.args, 'E') ?? '';
      if (job && before && event !== 'COMMENT') {
        const after = await this.effect(commands, job, before, command.line, (row) => !sameRun(before, row));
        this.summaries.push(sameRun(before, after) ? `${event} ${job}: still ${after.status}` : `${event} ${job}: ${before.status} → ${after.status}`);
      }
      return;
    }
    const output = await this.call(commands, command.program, command.args, command.line);
    if (output.exit !== 0) throw new StepFailure(`${command.program} ${command.args.join(' ')}: ${schedulerSays(output)}`);
    if (command.program === 'autosyslog') {
      this.jobOutput = output.stdout;
      return;
    }
    // autorep prints rows to read; autostatus only a word, so the job's row is read for the fields.
    const rows = command.program === 'autorep' ? parseAutorep(output.stdout).rows : job ? [await this.one(commands, job, command.line, true)] : [];
    for (const row of rows) this.changes.before(row.name, snapshotOf(row));
    this.lastRows = rows;
    this.last = rows.find((r) => r.name === job) ?? rows[0] ?? this.last;
    if (rows.length > 0) this.summaries.push(...rows.map((r) => `${' '.repeat(r.depth)}${r.name} ${r.status}`));
  }

  private unchanged(row: AutorepRow, message: string): void {
    this.log.progress(message);
    this.summaries.push(message);
    this.last = row;
  }

  // ---- waiting ---------------------------------------------------------------------------------

  private async waitFor(commands: AutosysCommands, command: Extract<AutosysCommand, { verb: 'wait' }>): Promise<void> {
    const name = command.job;
    const timeoutMs = command.timeoutMs ?? this.context.timeoutMs ?? DEFAULT_WAIT_MS;
    const everyMs = command.everyMs ?? (this.context.environment.sandbox ? SANDBOX_EVERY_MS : DEFAULT_EVERY_MS);
    const wanted = command.statuses;
    const start = Date.now();
    let row = await this.one(commands, name, command.line);
    this.changes.before(name, snapshotOf(row));
    let polls = 1;
    let previous = '';
    let endedAt: string | undefined;
    for (;;) {
      this.last = row;
      this.changes.after(name, snapshotOf(row));
      const elapsed = Date.now() - start;
      this.wait = { job: name, for: wanted, timeoutMs, everyMs, polls, waitedMs: elapsed, lastStatus: row.status };
      if (row.status !== previous) this.log.progress(`${name} ${row.status} (${formatDuration(elapsed)})`);
      previous = row.status;
      if (wanted.includes(row.status)) {
        this.summaries.push(`${name} ${row.status} after ${formatDuration(elapsed)}`);
        return;
      }
      // An end in another status is confirmed by one more look: a retry (n_retrys) may follow at once.
      const key = `${row.status}/${row.run}/${row.ntry}`;
      if (ENDED.has(row.status) && endedAt === key) {
        const output = await commands.jobOutput(name, this.context.signal);
        this.attachOutput(name, output);
        throw new StepFailure(
          `${name} ended ${row.status}${row.exit !== null ? ` (exit ${row.exit})` : ''} while waiting for ${wanted.join(' or ')}` +
            (output ? `\n--- output of ${name} ---\n${lastLines(output, 20)}` : ''),
          { code: row.code },
        );
      }
      endedAt = ENDED.has(row.status) ? key : undefined;
      if (elapsed >= timeoutMs) {
        this.summaries.push(`${name} still ${row.status} after ${formatDuration(elapsed)}`);
        throw new StepFailure(`timed out after ${formatDuration(timeoutMs)} waiting for ${name} to be ${wanted.join(' or ')}: last seen ${row.status}`, { code: row.code });
      }
      await pause(Math.min(everyMs, Math.max(0, timeoutMs - elapsed)), this.context.signal);
      if (this.context.signal.aborted) return;
      row = await this.one(commands, name, command.line, true);
      polls++;
    }
  }

  private attachOutput(name: string, output: string | undefined): void {
    if (!output) return;
    this.jobOutput = output;
    try {
      mkdirSync(this.context.artefactDir, { recursive: true });
      const file = join(this.context.artefactDir, `${name}.output.txt`);
      writeFileSync(file, this.log.mask(output));
      this.wait = { ...this.wait, outputFile: file };
    } catch {
      // the output is in the result and the log anyway
    }
    this.log.note(`--- output of ${name} ---`);
    for (const line of output.replace(/\n$/, '').split('\n')) this.log.note(line);
  }

  // ---- JIL -------------------------------------------------------------------------------------

  private async loadJil(commands: AutosysCommands, text: string, source: string, path: string | undefined): Promise<void> {
    const parsed = parseJil(text);
    if (parsed.problems.length > 0) {
      const where = path ?? this.context.runbook.path;
      const offset = path ? 0 : this.context.action.pos.line;
      throw new StepFailure(parsed.problems.map((p) => `${where}:${p.line + offset}:${p.column}: ${p.message}`).join('\n'));
    }
    const names = parsed.statements.filter((s) => !s.subcommand.endsWith('_machine')).map((s) => s.name);
    for (const name of names) this.changes.before(name, snapshotOf(await this.maybe(commands, name)));
    const loaded = await this.call(commands, 'jil', [], undefined, text);
    this.jilExit = loaded.exit;
    if (loaded.exit !== 0) throw new StepFailure(`jil refused ${source}: ${schedulerSays(loaded)}`);
    for (const name of names) {
      const row = await this.maybe(commands, name);
      this.changes.after(name, snapshotOf(row));
      if (row) this.last = row;
    }
    this.summaries.push(`${source}: ${parsed.statements.length} JIL statement${parsed.statements.length === 1 ? '' : 's'} loaded`);
  }

  // ---- reading ---------------------------------------------------------------------------------

  private async read(commands: AutosysCommands, name: string, line: number | undefined, loud: boolean): Promise<AutorepRow[]> {
    const { rows, output } = await commands.summary(name, this.context.signal);
    this.record(output, line, loud);
    if (output.canceled) return [];
    if (output.exit !== 0) throw new StepFailure(`autorep -J ${name}: ${schedulerSays(output)}`);
    return rows;
  }

  private async one(commands: AutosysCommands, name: string, line: number | undefined, quiet = false): Promise<AutorepRow> {
    const rows = await this.read(commands, name, line, !quiet);
    const row = rows.find((r) => r.name === name);
    if (this.context.signal.aborted && !row && this.last) return this.last;
    if (!row) throw new StepFailure(`autorep -J ${name} printed no row for ${name}`);
    return row;
  }

  // A job that may not exist yet (before a deploy): null instead of a failure.
  private async maybe(commands: AutosysCommands, name: string): Promise<AutorepRow | undefined> {
    const { rows, output } = await commands.summary(name, this.context.signal);
    this.record(output, undefined, false);
    if (output.exit === 127) throw new StepFailure(output.stderr);
    return rows.find((r) => r.name === name);
  }

  private async call(commands: AutosysCommands, program: AutosysProgramName, args: string[], line: number | undefined, stdin?: string): Promise<CommandOutput> {
    const output = await commands.run(program, args, this.context.signal, stdin);
    this.record(output, line, true);
    if (output.exit === 127) throw new StepFailure(output.stderr);
    return output;
  }

  // Everything a command printed goes to the log; shown on screen unless it is a quiet poll.
  private record(output: CommandOutput, line: number | undefined, loud: boolean): void {
    if (!loud) {
      if (output.exit !== 0 && !output.canceled) this.log.note(`$ ${output.commandLine}  → exit ${output.exit}: ${output.stderr.trim()}`);
      return;
    }
    this.commandsRun.push({ ...(line !== undefined ? { line } : {}), command: output.commandLine, exit: output.exit });
    this.log.note(`$ ${output.commandLine}`);
    for (const text of output.stdout.replace(/\n$/, '').split('\n')) if (text !== '') this.log.output('stdout', text);
    for (const text of output.stderr.replace(/\n$/, '').split('\n')) if (text !== '') this.log.output('stderr', text);
    if (output.stdout) this.stdout.push(output.stdout);
    if (output.stderr) this.stderr.push(output.stderr);
  }

  // ---- the result ------------------------------------------------------------------------------

  private fields(ok: boolean): Record<string, unknown> {
    const last = this.last;
    const jobs = this.lastRows.length > 1
      ? this.lastRows.map(jobFields)
      : this.changes.list().map((change) => snapshotFields(change.name, change.after));
    return {
      ok,
      job: last?.name ?? null,
      status: last?.code ?? null,
      statusName: last?.status ?? null,
      state: last?.state ?? null,
      exit: this.kind === 'jil' ? this.jilExit ?? null : last?.exit ?? null,
      run: last?.run ?? null,
      jobs,
      stdout: this.log.mask(this.stdout.join('')),
      stderr: this.log.mask(this.stderr.join('')),
      output: this.jobOutput === undefined ? null : this.log.mask(this.jobOutput),
      duration: Date.now() - this.started,
    };
  }

  private details(): Record<string, unknown> {
    return {
      jobs: this.changes.list(),
      commands: this.commandsRun,
      ...(this.wait ? { wait: this.wait } : {}),
      ...(this.definitions.length > 0 ? { definitions: this.definitions } : {}),
    };
  }

  private excerpt(): string {
    const lines = [...this.summaries];
    if (lines.length === 0) lines.push(...this.changes.summary());
    return lines.slice(-20).join('\n');
  }

  private failed(message: string, code?: string): ActionResult {
    return {
      ok: false,
      fields: this.fields(false),
      excerpt: [this.excerpt(), message].filter(Boolean).join('\n'),
      error: { message, ...(code ? { code } : {}) },
      details: this.details(),
    };
  }
}

/** What a verb's event looks like once it has taken effect. */
function effectOf(command: AutosysCommand, before: AutorepRow): (row: AutorepRow) => boolean {
  switch (command.verb) {
    case 'start':
    case 'force-start':
      return (row) => !sameRun(before, row);
    case 'kill':
      return (row) => !BUSY.has(row.status);
    case 'hold':
      return (row) => row.status === 'ON_HOLD';
    case 'release':
      return (row) => row.status !== 'ON_HOLD';
    case 'ice':
      return (row) => row.status === 'ON_ICE';
    case 'unice':
      return (row) => row.status !== 'ON_ICE';
    case 'set-status':
      return (row) => row.status === command.status;
    default:
      return () => true;
  }
}

/** Whether two autorep rows describe the same run and try of a job (nothing started in between). */
function sameRun(a: AutorepRow, b: AutorepRow): boolean {
  return a.status === b.status && a.lastStart === b.lastStart && a.run === b.run && a.ntry === b.ntry;
}

/** The scheduler's own message for a failed command: its stderr, else stdout, else the exit code. */
function schedulerSays(output: CommandOutput): string {
  const text = (output.stderr.trim() || output.stdout.trim());
  return text === '' ? `${output.commandLine} exited ${output.exit}` : text;
}

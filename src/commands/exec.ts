// `baton exec <runbook>`: the run without the TUI. The same runner, in auto mode, with a plain-text
// (or JSON-lines) face; questions are answered by `--yes` where allowed, else on the terminal, else
// the run stops with the "input needed" exit code. SIGINT/SIGTERM stop the running command's whole
// process tree and record the attempt as aborted.
import { existsSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { loadEnvironments, pickEnvironment } from '../config/environments.js';
import { startRun, type Run, type TerminalHandover } from '../engine/runner.js';
import { findStep } from '../engine/resume.js';
import type { RunState } from '../engine/state.js';
import { unknownVars, valueProblem } from '../engine/variables.js';
import { EXIT } from '../exit-codes.js';
import { answerQuestions, type Answerer } from '../headless/answers.js';
import { jsonEvent } from '../headless/json-events.js';
import { Printer } from '../headless/printer.js';
import { OUTPUT_INDENT, progressLines } from '../headless/progress.js';
import { loadRunbook } from '../runbook/library.js';
import type { Runbook } from '../runbook/model.js';
import { formatProblem } from '../runbook/problems.js';
import { closestName } from '../runbook/template.js';
import { resolveStateDir } from '../store/paths.js';
import { openStore } from '../store/runs.js';

/** Options of `baton exec`. */
export interface ExecOptions {
  env?: string;
  var?: string[];
  yes?: boolean;
  dryRun?: boolean;
  json?: boolean;
  operator?: string;
  from?: string;
  only?: string;
  takeOver?: boolean;
  onUnknown?: string;
  new?: boolean;
  iKnowWhatIAmDoing?: boolean;
  stateDir?: string;
  runbooks?: string;
}

/** Run `baton exec`; returns the exit code. */
export async function exec(target: string, options: ExecOptions): Promise<number> {
  const fail = (code: number, message: string) => {
    process.stderr.write(`baton exec: ${message}\n`);
    return code;
  };
  const path = findRunbookFile(target, options.runbooks);
  if (!path) return fail(EXIT.usage, `no runbook ${target} (give a file, or an id in ${options.runbooks ?? 'runbooks'}/)`);
  const parsed = await loadRunbook(path);
  const errors = parsed.problems.filter((p) => p.severity === 'error');
  for (const problem of parsed.problems) process.stderr.write(`${formatProblem(problem)}\n`);
  if (!parsed.runbook || errors.length > 0) return fail(EXIT.invalid, `${path} is not valid; nothing ran`);
  const runbook = parsed.runbook;

  const config = await loadEnvironments(dirname(path));
  for (const problem of config.problems) process.stderr.write(`${formatProblem(problem)}\n`);
  if (config.problems.some((p) => p.severity === 'error')) return fail(EXIT.invalid, 'the environments are not valid; nothing ran');
  const environment = pickEnvironment(config, options.env);
  if ('problem' in environment) return fail(EXIT.usage, environment.problem);

  const vars: Record<string, string> = {};
  for (const pair of options.var ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) return fail(EXIT.usage, `--var ${pair}: write NAME=VALUE`);
    vars[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const unknown = unknownVars(runbook.variables, vars);
  if (unknown.length > 0) return fail(EXIT.usage, `--var: ${unknown.join('; ')}`);
  for (const spec of runbook.variables) {
    const value = vars[spec.name];
    const problem = value === undefined ? undefined : valueProblem(spec, value);
    if (problem) return fail(EXIT.usage, `--var ${spec.name}: ${problem}`);
  }
  for (const [flag, ref] of [['--from', options.from], ['--only', options.only]] as const) {
    if (ref !== undefined && !findStep(runbook, ref)) {
      const close = closestName(ref, runbook.steps.map((s) => s.id));
      return fail(EXIT.usage, `${flag} ${ref}: no such step in ${path}${close ? ` (did you mean ${close}?)` : ''}; give a step id or number 1-${runbook.steps.length}`);
    }
  }
  const onUnknown = options.onUnknown;
  if (onUnknown !== undefined && !['rerun', 'mark-done', 'skip'].includes(onUnknown)) {
    return fail(EXIT.usage, `--on-unknown ${onUnknown}: use rerun, mark-done or skip`);
  }

  const operator = defaultOperator(options.operator);
  const store = openStore(resolveStateDir(options.stateDir));
  // An interactive action takes the terminal: the prompt lets go of it until the action ends.
  const terminal: TerminalHandover & { answerer?: Answerer; printer?: Printer } = {
    release() {
      // The child writes to the terminal itself: what baton has to say comes first.
      this.printer?.flush();
      this.answerer?.release();
    },
    reclaim() {},
  };
  const run = startRun({
    terminal,
    runbook,
    environment,
    operator,
    store,
    mode: 'auto',
    dryRun: Boolean(options.dryRun),
    vars,
    ...(options.from !== undefined ? { from: options.from } : {}),
    ...(options.only !== undefined ? { only: options.only } : {}),
    takeOver: Boolean(options.takeOver),
    ...(onUnknown ? { onUnknown: onUnknown as 'rerun' } : {}),
    fresh: Boolean(options.new),
    override: Boolean(options.iKnowWhatIAmDoing),
    resolveRunbook: (id) => resolveSibling(runbook, id),
  });
  return drive(run, options, terminal);
}

async function drive(run: Run, options: ExecOptions, terminal: { answerer?: Answerer; printer?: Printer }): Promise<number> {
  const json = Boolean(options.json);
  let inputNeeded: string | undefined;
  const interactive = Boolean(process.stdin.isTTY);
  // Questions typed on a terminal write their prompts themselves: nothing may wait behind them.
  const printer = new Printer({ gather: !interactive });
  terminal.printer = printer;
  const unsubscribe = run.subscribe((state, event) => {
    // A run stopped for want of an answer has said so already, on stderr.
    if (event.type === 'refused' && inputNeeded) return;
    if (json) {
      const text = jsonEvent(event, state);
      if (text !== undefined) printer.line('stdout', text);
    } else if (event.type === 'output') {
      // The hot path of a chatty command: one write per batch.
      printer.write('stdout', `${OUTPUT_INDENT}${event.lines.join(`\n${OUTPUT_INDENT}`)}\n`);
    } else {
      for (const line of progressLines(event, state)) printer.line(line.stream, line.text);
    }
  });

  const answerer = answerQuestions(run, {
    yes: Boolean(options.yes),
    ...(interactive ? { terminal: { input: process.stdin, output: json ? process.stderr : process.stdout } } : {}),
    ...(json ? {} : { say: (line: string) => printer.line('stdout', line) }),
    onInputNeeded: (question, hint) => {
      inputNeeded ??= `input needed: ${question.text} (${hint})`;
      printer.line('stderr', `baton exec: ${inputNeeded}`);
      run.dispatch({ type: 'abort', reason: inputNeeded });
    },
  });
  terminal.answerer = answerer;

  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals === 1) {
      printer.write('stderr', `\nbaton exec: ${signal}: stopping the running command and recording the run as aborted…\n`);
      run.dispatch({ type: 'abort', reason: `stopped by ${signal}` });
    } else if (signals >= 3) {
      printer.write('stderr', 'baton exec: stopping now without waiting\n');
      process.exit(EXIT.aborted);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let final: RunState;
  try {
    final = await run.finished;
  } finally {
    printer.flush();
    answerer.stop();
    unsubscribe();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return exitCode(final, inputNeeded !== undefined, signals > 0);
}

/** The documented exit code for how a run ended. */
export function exitCode(state: RunState, inputNeeded: boolean, signalled: boolean): number {
  if (inputNeeded) return EXIT.inputNeeded;
  if (state.refusal) {
    switch (state.refusal.kind) {
      case 'locked':
        return EXIT.locked;
      case 'invalid':
      case 'state':
        return EXIT.invalid;
      case 'input-needed':
        return EXIT.inputNeeded;
      case 'declined':
        return signalled ? EXIT.aborted : EXIT.failed;
    }
  }
  switch (state.ended?.status) {
    case 'done':
    case 'paused':
      return EXIT.ok;
    case 'aborted':
      return EXIT.aborted;
    default:
      return EXIT.failed;
  }
}

/** A runbook argument as a file path, or as an id in the runbooks folder. */
export function findRunbookFile(target: string, runbooksFolder = 'runbooks'): string | undefined {
  const candidates = [target, join(runbooksFolder, target), join(runbooksFolder, `${target}.md`)];
  return candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
}

/** A fallback runbook (`on-fail=runbook:<id>`) from the folder of the runbook that names it. */
export async function resolveSibling(runbook: Runbook, id: string): Promise<Runbook | { problem: string }> {
  const path = join(dirname(resolve(runbook.path)), `${id}.md`);
  if (!existsSync(path)) return { problem: `no runbook ${id} beside ${runbook.path}` };
  const parsed = await loadRunbook(path);
  if (!parsed.runbook) return { problem: `${path} is not valid: ${parsed.problems.map(formatProblem).join('; ')}` };
  return parsed.runbook;
}

/** Who runs it: the name given, else $BATON_OPERATOR, else the OS user. */
export function defaultOperator(given?: string): string {
  return given ?? (process.env.BATON_OPERATOR || safeUser());
}

/** The operator's name from the OS, or $USER when the OS cannot say. */
export function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'operator';
  }
}

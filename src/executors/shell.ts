// Shell actions: `bash -eo pipefail -c <code>` through execa, in its own process group so a timeout
// or a cancel stops the whole tree (grandchildren too). Output goes to the log file in full and to
// the runner line by line, in batches; only a bounded tail stays in memory, so a step printing
// millions of lines costs the same memory as one printing ten.
import { closeSync, createWriteStream, openSync, statSync, writeSync, type WriteStream } from 'node:fs';
import { constants } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { maskSecrets } from '../runbook/template.js';
import { packageRoot } from '../scheduler/sandbox-endpoints.js';
import { resolveStateDir } from '../store/paths.js';
import { classifyShell } from './shell-classify.js';
import { ShellLauncher, type LaunchOutcome } from './shell-launcher.js';
import type { ActionResult, ExecutionContext, Executor, ExecutorEvent } from './types.js';

/** How long a process group gets between SIGTERM and SIGKILL. */
export const KILL_GRACE_MS = 3000;
/** How much of stdout `expect` and `capture` can see (the last part, when there is more). */
const STDOUT_KEPT = 1024 * 1024;
const STDERR_KEPT = 64 * 1024;
/** Events waiting for the runner before the child's output is paused. */
const QUEUE_HIGH = 64;

/** The shell executor. */
export const shellExecutor: Executor = {
  kinds: ['shell'],
  classify: classifyShell,
  run: runShell,
};

/** The folder of this build's `baton` command, found once. */
let batonBin: string | undefined;

/**
 * The environment a shell action sees besides baton's own: run facts, non-secret variables, and
 * this build of baton first on PATH with the run's state and runbooks folders, so a `baton sql`,
 * `baton runs` or `baton handover` inside the step sees what the run sees.
 */
export function shellEnvironment(context: Omit<ExecutionContext, 'signal'>): Record<string, string> {
  const bin = (batonBin ??= join(packageRoot(), 'bin'));
  // Without any PATH, bash would search its own default: keep that reachable behind baton's bin.
  const path = process.env.PATH || '/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin';
  const env: Record<string, string> = {
    BATON_RUN_ID: context.scope.runId,
    BATON_ENV: context.environment.name,
    BATON_OPERATOR: context.operator,
    BATON_RUNBOOK: context.runbook.id,
    BATON_STEP: context.step.id,
    BATON_ATTEMPT: String(context.attempt),
    BATON_LOG: context.logFile,
    BATON_STATE_DIR: resolve(context.stateDir ?? resolveStateDir()),
    BATON_RUNBOOKS: dirname(resolve(context.runbook.path)),
    BATON_NODE: process.execPath,
    PATH: path.split(delimiter)[0] === bin ? path : `${bin}${delimiter}${path}`,
  };
  for (const spec of context.runbook.variables) {
    const name = `BATON_VAR_${spec.name.replace(/[^A-Za-z0-9_]/g, '_')}`;
    // A secret reaches the child only when the action names it, and never through the command line.
    if (spec.secret && !context.code.includes(name)) continue;
    const value = context.variable(spec.name);
    if (value !== undefined) env[name] = value;
  }
  return env;
}

async function* runShell(context: ExecutionContext): AsyncGenerator<ExecutorEvent> {
  if (context.signal.aborted) {
    yield { type: 'result', result: { ok: false, interrupted: 'aborted', fields: { exit: -1, exitCode: -1, stdout: '', stderr: '', lines: 0 }, excerpt: '' } };
    return;
  }
  if (context.action.attrs.interactive) {
    yield* runInteractive(context);
    return;
  }
  yield* runPiped(context);
}

/** Bounded keeping of the end of a stream's text, plus its last lines for the excerpt. */
class Tail {
  // Pieces, not one growing string: appending to a string and cutting it down would copy the
  // whole tail for every piece, and those copies pile up faster than the collector frees them.
  readonly #pieces: string[] = [];
  #length = 0;
  truncated = false;
  readonly lastLines: string[] = [];
  lines = 0;
  constructor(readonly limit: number) {}
  /** Take complete lines: their text (ending in a line break) and the same split into lines. */
  add(text: string, lines: string[]): void {
    this.lines += lines.length;
    this.#pieces.push(text);
    this.#length += text.length;
    while (this.#pieces.length > 1 && this.#length - this.#pieces[0]!.length >= this.limit) {
      this.#length -= this.#pieces.shift()!.length;
      this.truncated = true;
    }
    const start = Math.max(0, lines.length - 20);
    for (let i = start; i < lines.length; i++) this.lastLines.push(lines[i]!);
    if (this.lastLines.length > 20) this.lastLines.splice(0, this.lastLines.length - 20);
  }
  text(): string {
    const all = this.#pieces.join('');
    const text = all.length > this.limit ? all.slice(-this.limit) : all;
    if (text.length < all.length) this.truncated = true;
    return text.endsWith('\n') ? text.slice(0, -1) : text;
  }
}

async function* runPiped(context: ExecutionContext): AsyncGenerator<ExecutorEvent> {
  if (!isFolder(context.cwd)) {
    yield { type: 'result', result: { ok: false, fields: { exit: -1, exitCode: -1, stdout: '', stderr: '', lines: 0 }, excerpt: '', error: { message: `cannot start in ${context.cwd}: no such folder` } } };
    return;
  }
  const secrets = context.secrets.filter((s) => s.length > 0);
  const mask = secrets.length > 0 ? (text: string) => maskSecrets(text, secrets) : undefined;
  // Written synchronously: a chunk at a time into the page cache is cheaper than queueing it.
  // Opened at the first output: a silent command costs no file operation here (the launcher
  // creates the log of every attempt while it runs).
  let logFd: number | undefined;
  let logFailure: Error | undefined;
  const writeLog = (text: string) => {
    if (logFailure) return;
    try {
      logFd ??= openSync(context.logFile, 'a');
      writeSync(logFd, text);
    } catch (error) {
      logFailure = error as Error;
    }
  };
  const tails = { stdout: new Tail(STDOUT_KEPT), stderr: new Tail(STDERR_KEPT) };
  const carry = { stdout: '', stderr: '' };
  const queue: ExecutorEvent[] = [];
  let wake: (() => void) | undefined;
  const push = (event: ExecutorEvent) => {
    queue.push(event);
    wake?.();
  };

  const launcher = launcherFor(context);
  let paused = false;
  const flow = () => {
    const shouldPause = queue.length > QUEUE_HIGH;
    if (shouldPause === paused) return;
    paused = shouldPause;
    if (paused) launcher.pause();
    else launcher.resume();
  };
  // `complete` is whole lines ending in a line break: the log gets it as it is (masked), the
  // runner gets it split into lines.
  const lines = (stream: 'stdout' | 'stderr', complete: string) => {
    const shown = mask ? mask(complete) : complete;
    writeLog(shown);
    const parts = shown.split('\n');
    parts.pop();
    if (shown.includes('\r')) for (let i = 0; i < parts.length; i++) if (parts[i]!.endsWith('\r')) parts[i] = parts[i]!.slice(0, -1);
    tails[stream].add(shown, parts);
    push({ type: 'lines', stream, lines: parts });
    flow();
  };

  let pid: number | undefined;
  let interruptedBy: 'aborted' | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  const stopGroup = () => {
    interruptedBy = 'aborted';
    if (pid === undefined) return;
    signalGroup(pid, 'SIGTERM');
    killTimer ??= setTimeout(() => signalGroup(pid!, 'SIGKILL'), KILL_GRACE_MS);
  };
  context.signal.addEventListener('abort', stopGroup, { once: true });

  let finished = false;
  const done = launcher
    .run(
      { cwd: context.cwd, env: shellEnvironment(context), code: context.code, log: context.logFile },
      {
        started: (started) => {
          pid = started;
          push({ type: 'process', pid: started });
          if (interruptedBy) stopGroup();
        },
        output: (stream, chunk) => {
          const text = carry[stream] + chunk;
          const end = text.lastIndexOf('\n');
          if (end < 0) {
            carry[stream] = text;
            return;
          }
          carry[stream] = text.slice(end + 1);
          lines(stream, text.slice(0, end + 1));
        },
      },
    )
    .then((outcome) => {
      for (const stream of ['stdout', 'stderr'] as const) {
        if (carry[stream] !== '') lines(stream, `${carry[stream]}\n`);
        carry[stream] = '';
      }
      if (killTimer) clearTimeout(killTimer);
      if (logFd !== undefined) closeSync(logFd);
      finished = true;
      const result = buildResult(outcome, tails, interruptedBy, context);
      if (logFailure) result.details = { ...result.details, logError: `the log file could not be written: ${logFailure.message}` };
      push({ type: 'result', result });
    });

  try {
    for (;;) {
      if (queue.length > 0) {
        const event = queue.shift()!;
        if (paused && queue.length < QUEUE_HIGH / 4) flow();
        yield event;
        if (event.type === 'result') break;
        continue;
      }
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
    await done;
  } finally {
    context.signal.removeEventListener('abort', stopGroup);
    if (paused) launcher.resume();
    // The runner stopped listening early: do not leave the process tree behind.
    if (!finished) stopGroup();
  }
}

/** The run's launcher, started on first use and closed with the run. */
function launcherFor(context: ExecutionContext): ShellLauncher {
  const holder = context.scope.get('shell-launcher', () => {
    const box: { launcher?: ShellLauncher } = {};
    context.scope.onClose(() => box.launcher?.close());
    return box;
  });
  if (!holder.launcher?.alive) holder.launcher = ShellLauncher.start();
  return holder.launcher;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function buildResult(
  outcome: LaunchOutcome | { code: number | null; signal: NodeJS.Signals | null; error?: Error },
  tails: { stdout: Tail; stderr: Tail },
  interruptedBy: 'aborted' | undefined,
  context: ExecutionContext,
): ActionResult {
  const startError = 'error' in outcome && outcome.error !== undefined ? (typeof outcome.error === 'string' ? outcome.error : `cannot start bash in ${context.cwd}: ${outcome.error.message}`) : undefined;
  const code = 'status' in outcome ? outcome.status : 'code' in outcome && outcome.code !== null ? outcome.code : 'signal' in outcome && outcome.signal ? 128 + (constants.signals[outcome.signal] ?? 0) : -1;
  const stdout = tails.stdout.text();
  const stderr = tails.stderr.text();
  const ok = !startError && code === 0 && !interruptedBy;
  const fields: Record<string, unknown> = {
    exit: code,
    exitCode: code,
    stdout,
    stderr,
    lines: tails.stdout.lines + tails.stderr.lines,
    ...(tails.stdout.truncated ? { stdoutTruncated: true } : {}),
  };
  const lastLines = !ok && tails.stderr.lastLines.length > 0 ? tails.stderr.lastLines : tails.stdout.lastLines;
  const excerpt = lastLines.slice(ok ? -5 : -10).join('\n').slice(-2000);
  let error: ActionResult['error'];
  if (startError) {
    error = { message: startError };
  } else if (!ok && !interruptedBy) {
    const last = tails.stderr.lastLines.at(-1) ?? tails.stdout.lastLines.at(-1);
    error = { message: `${describeStatus(code)}${last ? `: ${last.slice(0, 300)}` : ''}`, code: String(code) };
  }
  return {
    ok,
    ...(interruptedBy ? { interrupted: interruptedBy } : {}),
    fields,
    excerpt,
    ...(error ? { error } : {}),
  };
}

async function* runInteractive(context: ExecutionContext): AsyncGenerator<ExecutorEvent> {
  // Loaded here only: most runs have no interactive action, and every run would pay its import.
  const { execa } = await import('execa');
  // The child owns the terminal: it stays in baton's process group so it can read the keyboard.
  const child = execa('bash', ['-eo', 'pipefail', '-c', context.code], {
    cwd: context.cwd,
    env: shellEnvironment(context),
    extendEnv: true,
    stdio: 'inherit',
    reject: false,
    buffer: false,
    cleanup: true,
  });
  child.catch(() => undefined);
  if (child.pid !== undefined) yield { type: 'process', pid: child.pid };
  let interrupted: 'aborted' | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  const stop = () => {
    interrupted = 'aborted';
    child.kill('SIGTERM');
    killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
  };
  context.signal.addEventListener('abort', stop, { once: true });
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
  });
  context.signal.removeEventListener('abort', stop);
  if (killTimer) clearTimeout(killTimer);
  await writeLogNote(context.logFile, '(interactive: the output went to the terminal and is not kept)\n');
  const empty = { stdout: new Tail(0), stderr: new Tail(0) };
  yield { type: 'result', result: buildResult(exit, empty, interrupted, context) };
}

async function writeLogNote(path: string, text: string): Promise<void> {
  const stream: WriteStream = createWriteStream(path, { flags: 'a' });
  await new Promise<void>((resolve) => stream.end(text, () => resolve()));
}

/** `exit 3`, or `killed by SIGKILL` for a status above 128 that names a signal. */
function describeStatus(code: number): string {
  if (code > 128) {
    const name = Object.entries(constants.signals).find(([, n]) => n === code - 128)?.[0];
    if (name) return `killed by ${name}`;
  }
  return `exit ${code}`;
}

/** Send a signal to a whole process group; a group that is already gone is fine. */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // Gone already.
    }
  }
}

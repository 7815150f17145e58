// What the AutoSys and Control-M executors share: turning their work into the executor's event
// stream, writing the attempt's log, masking secrets, recording each job's state before and after,
// and waiting between polls in a way the operator can cancel.
import { createWriteStream, mkdirSync, readFileSync, writeFileSync, type WriteStream } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { maskSecrets } from '../runbook/template.js';
import { definitionsFormat, fillDefinitions } from '../scheduler/definitions-template.js';
import type { JobState } from '../scheduler/job-state.js';
import type { ActionResult, ExecutionContext, ExecutorEvent } from './types.js';

/** A job's state as recorded before and after an action. */
export interface JobSnapshot {
  /** The scheduler's own word: `SUCCESS`, `Ended OK`. */
  status: string;
  /** Baton's word. */
  state: JobState;
  [field: string]: unknown;
}

/** One job's line in `details.jobs`. */
export interface JobChange {
  name: string;
  /** Null when the job did not exist (or was not ordered) before the action. */
  before: JobSnapshot | null;
  after: JobSnapshot | null;
}

/** Job states seen during one action: the first sighting is "before", the last "after". */
export class JobChanges {
  private readonly jobs = new Map<string, JobChange>();

  /** Record the state before anything is done to the job (only the first call counts). */
  before(name: string, snapshot: JobSnapshot | null): void {
    if (!this.jobs.has(name)) this.jobs.set(name, { name, before: snapshot, after: snapshot });
  }

  /** Record the latest state seen. */
  after(name: string, snapshot: JobSnapshot | null): void {
    const change = this.jobs.get(name);
    if (change) change.after = snapshot;
    else this.jobs.set(name, { name, before: null, after: snapshot });
  }

  /** Every job, in the order first seen. */
  list(): JobChange[] {
    return [...this.jobs.values()];
  }

  /** One line per job: `JB_LOAD: INACTIVE → SUCCESS`. */
  summary(): string[] {
    return this.list().map(({ name, before, after }) => {
      const from = before?.status ?? '(not defined)';
      const to = after?.status ?? '(not defined)';
      return from === to ? `${name}: ${to}` : `${name}: ${from} → ${to}`;
    });
  }
}

/** Where an action reports: output lines (masked, logged, streamed), progress, notes for the log. */
export interface ActionLog {
  /** One line of output from a command or the API. */
  output(stream: 'stdout' | 'stderr', line: string): void;
  /** A status line for the screen (also logged). */
  progress(message: string): void;
  /** A line for the log file only. */
  note(line: string): void;
  /** Mask secrets in a text. */
  mask(text: string): string;
  /** Mask these values too, from now on (secrets filled into a definitions file). */
  addSecrets(values: readonly string[]): void;
}

/**
 * Run `work` and stream what it reports as executor events, ending with its result. A thrown
 * error becomes a failed result with the error's message; nothing escapes as an exception.
 */
export async function* actionStream(
  context: ExecutionContext,
  extraSecrets: readonly string[],
  work: (log: ActionLog) => Promise<ActionResult>,
): AsyncGenerator<ExecutorEvent> {
  const secrets = [...context.secrets, ...extraSecrets.filter((s) => s.length > 0)];
  const mask = (text: string): string => maskSecrets(text, secrets);
  const queue: ExecutorEvent[] = [];
  let wake: (() => void) | undefined;
  const push = (event: ExecutorEvent): void => {
    queue.push(event);
    wake?.();
  };
  const file = openLog(context.logFile);
  const write = (line: string): void => {
    file?.write(line + '\n');
  };
  const log: ActionLog = {
    output(stream, line) {
      const shown = mask(line);
      write(stream === 'stderr' ? `! ${shown}` : shown);
      push({ type: 'output', stream, line: shown });
    },
    progress(message) {
      const shown = mask(message);
      write(`# ${shown}`);
      push({ type: 'progress', message: shown });
    },
    note(line) {
      write(mask(line));
    },
    mask,
    addSecrets(values) {
      for (const value of values) if (value !== '' && !secrets.includes(value)) secrets.push(value);
    },
  };
  let result: ActionResult | undefined;
  let finished = false;
  void work(log)
    .then(
      (value) => {
        result = value;
      },
      (error: unknown) => {
        const message = mask(error instanceof Error ? error.message : String(error));
        result = { ok: false, fields: { ok: false }, excerpt: message, error: { message } };
      },
    )
    .finally(() => {
      finished = true;
      wake?.();
    });
  for (;;) {
    while (queue.length > 0) yield queue.shift()!;
    if (finished) break;
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
    wake = undefined;
  }
  while (queue.length > 0) yield queue.shift()!;
  await new Promise<void>((resolve) => (file ? file.end(resolve) : resolve()));
  const final = result!;
  yield { type: 'result', result: { ...final, excerpt: mask(final.excerpt), ...(final.error ? { error: { ...final.error, message: mask(final.error.message) } } : {}) } };
}

function openLog(path: string): WriteStream | undefined {
  try {
    mkdirSync(dirname(path), { recursive: true });
    const stream = createWriteStream(path, { flags: 'a' });
    stream.on('error', () => {}); // a log that cannot be written must not end the action
    return stream;
  } catch {
    return undefined;
  }
}

/** Wait `ms`, or less when the signal aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** How an aborted attempt ended: its own time limit, or the operator. */
export function interruption(signal: AbortSignal): 'timeout' | 'aborted' {
  const reason = signal.reason as { name?: string } | undefined;
  return reason?.name === 'TimeoutError' ? 'timeout' : 'aborted';
}

/** The last `count` lines of a text, for excerpts and error messages. */
export function lastLines(text: string, count: number): string {
  const lines = text.replace(/\s+$/, '').split('\n');
  return (lines.length > count ? ['…', ...lines.slice(-count)] : lines).join('\n');
}

/** A result for an aborted attempt, keeping what was seen. */
export function interruptedResult(signal: AbortSignal, fields: Record<string, unknown>, excerpt: string, details: Record<string, unknown>): ActionResult {
  const interrupted = interruption(signal);
  const message = interrupted === 'timeout' ? 'stopped: the action ran out of time' : 'stopped by the operator';
  return { ok: false, interrupted, fields: { ...fields, ok: false }, excerpt: [excerpt, message].filter(Boolean).join('\n'), error: { message }, details };
}

/**
 * The base URL of the sandbox this run reaches, for a scheduler action that uses its fakes: the
 * same sandbox the run's SQL reaches (`$BATON_SANDBOX_URL`, else the one serving the state folder,
 * else one started here for the run and stopped when the run ends). Shared by the run's actions.
 * `$BATON_SANDBOX_URL` is taken as it is, so it may also name the scheduler fakes started alone.
 */
export async function runSandbox(context: ExecutionContext): Promise<string> {
  const explicit = process.env.BATON_SANDBOX_URL?.trim().replace(/\/+$/, '');
  if (explicit) return explicit;
  const slot = context.scope.get('scheduler:sandbox', () => ({}) as { reaching?: Promise<{ url: string; release?: () => Promise<void> }> });
  if (!slot.reaching) {
    const reaching = (async () => {
      const [{ reachSandbox }, { resolveStateDir }] = await Promise.all([import('../snowflake/target.js'), import('../store/paths.js')]);
      return reachSandbox(context.stateDir ?? resolveStateDir(undefined, process.env), process.env);
    })();
    slot.reaching = reaching;
    // A sandbox that could not be reached is not kept: the next attempt looks again.
    reaching.catch(() => {
      if (slot.reaching === reaching) slot.reaching = undefined;
    });
    context.scope.onClose(async () => (await reaching.catch(() => undefined))?.release?.());
  }
  return (await slot.reaching).url;
}

/** A definitions file named by a `deploy` line: where it is, the text to load, and the text to keep. */
export interface DefinitionsFile {
  /** As written on the deploy line. */
  file: string;
  path: string;
  /** Filled with the real values: what the scheduler gets. */
  text: string;
  /** Filled with secrets masked: what the record, the log and the screen get. */
  shown: string;
}

/** The most of a filled file the record keeps; the attempt's artefacts keep all of it. */
const KEPT_DEFINITION_CHARS = 64 * 1024;

/**
 * Read a definitions file relative to the runbook's folder and fill its `{{NAME}}` from the run's
 * variables (then the environment's), as action code is filled; secrets it receives are masked in
 * everything the action reports from then on. A value-less name fails with the file's line.
 */
export function readDefinitionsFile(context: ExecutionContext, log: ActionLog, file: string): DefinitionsFile | { error: string } {
  const path = resolve(dirname(resolve(context.runbook.path)), file);
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (error) {
    return { error: `deploy ${file}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); paths are relative to the runbook's folder` };
  }
  const declared = new Map(context.runbook.variables.map((v) => [v.name, v.secret]));
  const lookup = (name: string) => {
    const value = context.variable(name) ?? context.environment.variables[name];
    if (value === undefined) return undefined;
    return { value, secret: declared.get(name) === true || context.secrets.includes(value) };
  };
  const known = [...declared.keys(), ...Object.keys(context.environment.variables), 'env', 'operator', 'run_id', 'date'];
  const filled = fillDefinitions(raw, definitionsFormat(file), lookup, known);
  if (!filled.ok) return { error: filled.problems.map((p) => `${path}:${p.line}:${p.column}: ${p.message}`).join('\n') };
  log.addSecrets(filled.secrets);
  try {
    mkdirSync(context.artefactDir, { recursive: true });
    writeFileSync(join(context.artefactDir, basename(path)), filled.shown);
  } catch {
    // the record keeps the text as well
  }
  log.note(`${file}: ${path}, filled from the run's variables`);
  return { file, path, text: filled.text, shown: filled.shown };
}

/** How the record keeps a deployed file: its path and its filled, masked text. */
export function keptDefinitions(deployed: DefinitionsFile): Record<string, unknown> {
  const cut = deployed.shown.length > KEPT_DEFINITION_CHARS;
  return { file: deployed.file, path: deployed.path, text: cut ? deployed.shown.slice(0, KEPT_DEFINITION_CHARS) + '\n…' : deployed.shown };
}

// One small bash per run that starts the run's shell actions. Forking a 70 MB Node process for
// every action costs several milliseconds of copied page tables; forking a small bash costs what
// running the commands from a script would. Each action still runs in a bash of its own, with
// `-e -o pipefail`, in its own process group (job control is on), so a timeout or a cancel can
// stop its whole tree. That bash is started before it is needed: while one action runs and baton
// records it and decides on the next, the next action's bash is already loading, and then waits
// for its request. Its output reaches us through the launcher's stdout and stderr, followed by end
// markers (the one on stdout carries its exit status); its pid comes first on stdout. The launcher
// is started with node:child_process directly: it lives as long as the run, and execa's stream
// plumbing (and its import) would only add to every run's start.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

// The waiting bash ("the next one") is a coprocess of the launcher, with a pipe of its own. The
// launcher reads an action's request from us — a length (8 digits) and that many bytes of a short
// program that prints the start marker, changes folder, creates the log file and exports the
// action's variables — hands the same bytes to the next one, closes that pipe and at once starts
// the one after it, then waits for the first to exit and ends each stream with a marker. Every
// value in the program is quoted by `shellQuote` into plain ASCII, so a length in bytes is one in
// characters whatever the locale, and each side reads a request in two calls (`read -N`). The next
// one sources BASH_ENV if there is one (a plain `bash -c` would have done so at start-up, before its
// request existed; baton starts the launcher with BASH_ENV moved aside), turns on `-e` and
// `pipefail`, and evaluates the code on line 1 of its own command string, so `$LINENO`, `$$` and
// `$-` are what `bash -c` would give; its own variables are gone before the code runs. A next one
// that is never asked (the run is over) reads the end of its pipe and exits without running
// anything; one that died before its request fails the hand-over, not the launcher (SIGPIPE is
// caught there, and children get it back as it was), and the action ends with that bash's status.
// The launcher's own stderr goes nowhere: bash's job notices must not read as an action's output.
// `bash` is looked up once, as a script running commands one after another would.
const NEXT = [
  'IFS= read -r -N 8 __baton_b <&3 && IFS= read -r -N "$((10#$__baton_b))" __baton_b <&3 || exit 0',
  'exec 3<&-',
  'eval "$__baton_b"',
  'unset -v __baton_b',
  'if [ -n "${__baton_bash_env+set}" ]; then BASH_ENV=$__baton_bash_env; export BASH_ENV; unset -v __baton_bash_env; fi',
  'set -eo pipefail',
  'if [ -n "${BASH_ENV-}" ] && [ -f "$BASH_ENV" ]; then . "$BASH_ENV"; fi',
  'BASH_EXECUTION_STRING=$__baton_code',
  'eval "unset -v __baton_code; $__baton_code"',
].join('; ');

const SCRIPT = String.raw`
set -m
trap : PIPE
bash_path=$(type -P bash) || bash_path=bash
next='${NEXT}'
exec 5>&1 6>&2 2>/dev/null
warm() {
  coproc NEXT { exec "$bash_path" -c "$next" 3<&0 0</dev/null 1>&5 2>&6 5>&- 6>&-; }
  pid=$NEXT_PID to=${"$"}{NEXT[1]} from=${"$"}{NEXT[0]}
}
warm
while IFS= read -r -N 8 size && [ "${"$"}{#size}" -eq 8 ]; do
  IFS= read -r -N "$((10#$size))" request
  printf '%s%s' "$size" "$request" >&"$to"
  exec {to}>&- {from}<&-
  running=$pid
  warm
  wait "$running"; rc=$?
  printf '\0BATON:E\0' >&6; printf '\0BATON:E:%s\0' "$rc"
done
`;

/** One action for the launcher. */
export interface LaunchRequest {
  cwd: string;
  /** The attempt's log file, created (never truncated) if the action writes nothing to it. */
  log?: string;
  env: Record<string, string>;
  code: string;
}

/** What the caller hears about its action. */
export interface LaunchHandlers {
  /** Output text as it arrives (any chunking; lines are the caller's business). */
  output(stream: 'stdout' | 'stderr', text: string): void;
  /** The action's process (and process group) id. */
  started(pid: number): void;
}

/** How the action ended: its exit status (128 + signal when killed), or why it could not run. */
export type LaunchOutcome = { status: number } | { error: string };

interface Job {
  handlers: LaunchHandlers;
  status?: number;
  ended: { stdout: boolean; stderr: boolean };
  resolve: (outcome: LaunchOutcome) => void;
}

const MARKER = '\0BATON:';

/** Printable ASCII other than a quote or a backslash: safe inside single quotes as it is. */
const PLAIN = /^[\x20-\x26\x28-\x5b\x5d-\x7e]*$/;

/**
 * A value as a bash word in plain ASCII: single quotes when it is printable ASCII, else `$'…'`
 * with every other byte of its UTF-8 as an octal escape. The next one reads its request by
 * length, so the request must have as many characters as bytes in any locale.
 */
export function shellQuote(value: string): string {
  if (PLAIN.test(value)) return `'${value}'`;
  let out = "$'";
  for (const byte of Buffer.from(value, 'utf8')) {
    if (byte >= 0x20 && byte < 0x7f && byte !== 0x27 && byte !== 0x5c) out += String.fromCharCode(byte);
    else out += `\\${byte.toString(8).padStart(3, '0')}`;
  }
  return `${out}'`;
}

/** A running launcher; one action at a time. */
export class ShellLauncher {
  readonly #process: ChildProcessWithoutNullStreams;
  /** The action asked for and not yet over: output and end markers are its. */
  #job?: Job;
  readonly #carry = { stdout: '', stderr: '' };
  #dead?: string;

  private constructor() {
    // BASH_ENV is for the actions, each after its request (see NEXT), not for the launcher.
    const env = { ...process.env };
    if (env.BASH_ENV !== undefined) {
      env.__baton_bash_env = env.BASH_ENV;
      delete env.BASH_ENV;
    }
    // Its own session: a Ctrl-C meant for baton must not reach the launcher or the actions.
    this.#process = spawn('bash', ['--noprofile', '--norc', '-c', SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'], detached: true, env });
    this.#process.stdin.on('error', () => undefined);
    for (const name of ['stdout', 'stderr'] as const) {
      const stream = this.#process[name];
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => this.#onData(name, chunk));
    }
    this.#process.once('exit', (code, signal) => this.#die(`the shell launcher stopped (${signal ?? `exit ${code}`})`));
    this.#process.once('error', (error) => this.#die(`cannot start bash: ${error.message}`));
  }

  /** Start a launcher. */
  static start(): ShellLauncher {
    return new ShellLauncher();
  }

  /** Whether it can still take actions. */
  get alive(): boolean {
    return this.#dead === undefined;
  }

  /** Run one action; resolves when it has exited and all of its output has been handed over. */
  run(request: LaunchRequest, handlers: LaunchHandlers): Promise<LaunchOutcome> {
    if (this.#dead) return Promise.resolve({ error: this.#dead });
    if (this.#job) return Promise.resolve({ error: 'the shell launcher is running another action' });
    const values = [request.cwd, request.code, request.log ?? '', ...Object.entries(request.env).flat()];
    if (values.some((v) => v.includes('\0'))) return Promise.resolve({ error: 'the command or a variable contains a NUL character' });
    const exports = Object.entries(request.env).map(([k, v]) => shellQuote(`${k}=${v}`));
    const program = [
      `printf '\\0BATON:S:%s\\0' "$$"`,
      `cd -- ${shellQuote(request.cwd)} || exit 126`,
      ...(request.log ? [`: 2>/dev/null >>${shellQuote(request.log)}`] : []),
      ...(exports.length > 0 ? [`export ${exports.join(' ')}`] : []),
      `__baton_code=${shellQuote(request.code)}`,
    ].join('\n');
    return new Promise((resolve) => {
      this.#job = { handlers, ended: { stdout: false, stderr: false }, resolve };
      this.#process.stdin.write(`${String(program.length).padStart(8, '0')}${program}`);
    });
  }

  /** Stop reading output for a while (the runner is behind); the action blocks on a full pipe. */
  pause(): void {
    this.#process.stdout.pause();
    this.#process.stderr.pause();
  }

  /** Read output again. */
  resume(): void {
    this.#process.stdout.resume();
    this.#process.stderr.resume();
  }

  /** Stop taking actions; the launcher exits when its input ends. */
  close(): void {
    this.#dead ??= 'closed';
    this.#process.stdin.end();
  }

  #onData(stream: 'stdout' | 'stderr', chunk: string): void {
    let text = this.#carry[stream] + chunk;
    this.#carry[stream] = '';
    for (;;) {
      const at = text.indexOf(MARKER);
      if (at < 0) {
        // Hold back a NUL near the end: it may be the start of a marker cut by the chunk.
        const nul = text.lastIndexOf('\0');
        if (nul >= 0 && text.length - nul < 24) {
          this.#emit(stream, text.slice(0, nul));
          this.#carry[stream] = text.slice(nul);
        } else {
          this.#emit(stream, text);
        }
        return;
      }
      this.#emit(stream, text.slice(0, at));
      const close = text.indexOf('\0', at + MARKER.length);
      if (close < 0) {
        this.#carry[stream] = text.slice(at);
        return;
      }
      const [kind, value] = text.slice(at + MARKER.length, close).split(':');
      const job = this.#job;
      if (job && !job.ended[stream]) {
        if (kind === 'S') {
          if (value !== undefined) job.handlers.started(Number(value));
        } else {
          job.ended[stream] = true;
          if (value !== undefined) job.status = Number(value);
          if (job.status !== undefined && job.ended.stdout && job.ended.stderr) this.#finish({ status: job.status });
        }
      }
      text = text.slice(close + 1);
    }
  }

  #emit(stream: 'stdout' | 'stderr', text: string): void {
    // Output outside any action comes from background processes an action left behind: dropped,
    // as it would be lost to a closed pipe anyway.
    const job = this.#job;
    if (text.length > 0 && job && !job.ended[stream]) job.handlers.output(stream, text);
  }

  #finish(outcome: LaunchOutcome): void {
    const job = this.#job;
    if (!job) return;
    this.#job = undefined;
    job.resolve(outcome);
  }

  #die(reason: string): void {
    this.#dead ??= reason;
    this.#finish({ error: this.#dead });
  }
}

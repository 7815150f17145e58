// One small bash per run that starts the run's shell actions. Forking a 70 MB Node process for
// every action costs several milliseconds of copied page tables; forking a small bash costs what
// running the commands from a script would. Each action still runs as its own
// `bash -eo pipefail -c <code>`, in its own process group (job control is on), so a timeout or a
// cancel can stop its whole tree. Its output reaches us through the launcher's stdout and stderr,
// framed by start markers (the one on stdout carries its pid) and end markers (the one on stdout
// carries its exit status).
import type { Readable, Writable } from 'node:stream';
import { execa } from 'execa';

const OPTIONS = {
  stdio: ['pipe', 'pipe', 'pipe'],
  buffer: false,
  reject: false,
  // Its own session: a Ctrl-C meant for baton must not reach the launcher or the actions.
  detached: true,
  cleanup: false,
  encoding: 'utf8',
  stripFinalNewline: false,
} as const;

// One action is a header line — its sequence number, then the byte length of each field — and
// the fields: folder, code, then NAME=value for each variable. Each field is read in one call
// (`read -N`, bytes under LC_ALL=C); a delimiter-based read would cost a system call per byte.
// The job announces itself (with its pid) on both streams before it becomes the command, so the
// marker is in order with its output; the launcher closes it with its exit status once it ends.
const SCRIPT = String.raw`
set -m
while IFS=' ' read -r -a head; do
  fields=()
  for ((i = 1; i < ${"$"}{#head[@]}; i++)); do
    f=''
    if [ "${"$"}{head[$i]}" -gt 0 ]; then LC_ALL=C IFS= read -r -N "${"$"}{head[$i]}" f; fi
    fields+=("$f")
  done
  seq=${"$"}{head[0]}
  ( printf '\0BATON:S:%s:%s\0' "$seq" "$BASHPID"; printf '\0BATON:S:%s\0' "$seq" >&2
    cd -- "${"$"}{fields[0]}" || exit 126
    for ((i = 2; i < ${"$"}{#fields[@]}; i++)); do export "${"$"}{fields[$i]}"; done
    exec bash -eo pipefail -c "${"$"}{fields[1]}" ) </dev/null &
  wait "$!" 2>/dev/null; rc=$?
  printf '\0BATON:E:%s\0' "$seq" >&2; printf '\0BATON:E:%s:%s\0' "$seq" "$rc"
done
`;

/** One action for the launcher. */
export interface LaunchRequest {
  cwd: string;
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
  seq: number;
  handlers: LaunchHandlers;
  pid?: number;
  status?: number;
  ended: { stdout: boolean; stderr: boolean };
  resolve: (outcome: LaunchOutcome) => void;
}

const MARKER = '\0BATON:';

/** A running launcher; one action at a time. */
export class ShellLauncher {
  readonly #process: ReturnType<typeof execa<typeof OPTIONS>>;
  readonly #stdin: Writable;
  readonly #jobs = new Map<number, Job>();
  readonly #current: { stdout?: Job; stderr?: Job } = {};
  readonly #carry = { stdout: '', stderr: '' };
  #seq = 0;
  #dead?: string;

  private constructor() {
    this.#process = execa('bash', ['--noprofile', '--norc', '-c', SCRIPT], OPTIONS);
    this.#process.catch(() => undefined);
    this.#stdin = this.#process.stdin!;
    this.#stdin.on('error', () => undefined);
    for (const name of ['stdout', 'stderr'] as const) {
      const stream = this.#process[name] as Readable;
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
    const seq = ++this.#seq;
    return new Promise((resolve) => {
      this.#jobs.set(seq, { seq, handlers, ended: { stdout: false, stderr: false }, resolve });
      const fields = [request.cwd, request.code, ...Object.entries(request.env).map(([k, v]) => `${k}=${v}`)];
      if (fields.some((f) => f.includes('\0'))) {
        this.#finish(seq, { error: 'the command or a variable contains a NUL character' });
        return;
      }
      const header = [seq, ...fields.map((f) => Buffer.byteLength(f))].join(' ');
      this.#stdin.write(`${header}\n${fields.join('')}`);
    });
  }

  /** Stop reading output for a while (the runner is behind); the action blocks on a full pipe. */
  pause(): void {
    (this.#process.stdout as Readable).pause();
    (this.#process.stderr as Readable).pause();
  }

  /** Read output again. */
  resume(): void {
    (this.#process.stdout as Readable).resume();
    (this.#process.stderr as Readable).resume();
  }

  /** Stop taking actions; the launcher exits when its input ends. */
  close(): void {
    this.#dead ??= 'closed';
    this.#stdin.end();
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
      const [kind, seqText, value] = text.slice(at + MARKER.length, close).split(':');
      const job = this.#jobs.get(Number(seqText));
      if (kind === 'S') {
        this.#current[stream] = job;
        if (job && value !== undefined) {
          job.pid = Number(value);
          job.handlers.started(job.pid);
        }
      } else {
        this.#current[stream] = undefined;
        if (job) {
          job.ended[stream] = true;
          if (value !== undefined) job.status = Number(value);
          this.#maybeFinish(job);
        }
      }
      text = text.slice(close + 1);
    }
  }

  #emit(stream: 'stdout' | 'stderr', text: string): void {
    // Output outside any action comes from background processes an action left behind: dropped,
    // as it would be lost to a closed pipe anyway.
    if (text.length > 0) this.#current[stream]?.handlers.output(stream, text);
  }

  #maybeFinish(job: Job): void {
    if (job.status !== undefined && job.ended.stdout && job.ended.stderr) this.#finish(job.seq, { status: job.status });
  }

  #finish(seq: number, outcome: LaunchOutcome): void {
    const job = this.#jobs.get(seq);
    if (!job) return;
    this.#jobs.delete(seq);
    job.resolve(outcome);
  }

  #die(reason: string): void {
    this.#dead ??= reason;
    for (const seq of [...this.#jobs.keys()]) this.#finish(seq, { error: this.#dead });
  }
}

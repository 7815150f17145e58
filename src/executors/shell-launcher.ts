// One small bash per run that starts the run's shell actions. Forking a 70 MB Node process for
// every action costs several milliseconds of copied page tables; forking a small bash costs what
// running the commands from a script would. Each action still runs as its own
// `bash -eo pipefail -c <code>`, in its own process group (job control is on), so a timeout or a
// cancel can stop its whole tree. Its output reaches us through the launcher's stdout and stderr,
// followed by end markers (the one on stdout carries its exit status); its pid comes first on stdout.
// The launcher is started with node:child_process directly: it lives as long as the run, and
// execa's stream plumbing (and its import) would only add to every run's start.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

// One action is a length (8 digits) and that many bytes: a header — its sequence number, then the
// byte length of each field — a colon, and the fields back to back: folder, code, log file, then
// NAME=value for each variable. The whole request is read in one call (`read -N`, bytes under LC_ALL=C) and
// cut into fields by offset; reading field by field, or up to a delimiter, would cost bash system
// calls (and, with a per-read LC_ALL, locale reloads) for every action.
// LC_ALL=C holds for the launcher only: the job puts the caller's LC_ALL back before anything runs.
// The job announces its pid on stdout before it becomes the command; the launcher ends each stream
// with a marker once the job has exited (on stdout with its exit status). Output between an
// action's request and its end markers is that action's. While the job runs, the launcher makes
// sure its log file exists (so every attempt has one, even a silent one) without holding anything
// up. `bash` is looked up once, as a script running commands one after another would find it.
const SCRIPT = String.raw`
set -m
if [ "${"$"}{LC_ALL+set}" = set ]; then lc_all_set=1 lc_all=$LC_ALL; else lc_all_set=; fi
LC_ALL=C
bash_path=$(type -P bash) || bash_path=bash
while IFS= read -r -N 8 size && [ "${"$"}{#size}" -eq 8 ]; do
  IFS= read -r -N "$((10#$size))" request
  head=(${"$"}{request%%:*})
  body=${"$"}{request#*:}
  fields=()
  at=0
  for ((i = 1; i < ${"$"}{#head[@]}; i++)); do
    fields+=("${"$"}{body:at:${"$"}{head[$i]}}")
    at=$((at + ${"$"}{head[$i]}))
  done
  seq=${"$"}{head[0]}
  ( printf '\0BATON:S:%s:%s\0' "$seq" "$BASHPID"
    if [ -n "$lc_all_set" ]; then LC_ALL=$lc_all; else unset LC_ALL; fi
    cd -- "${"$"}{fields[0]}" || exit 126
    for ((i = 3; i < ${"$"}{#fields[@]}; i++)); do export "${"$"}{fields[$i]}"; done
    exec "$bash_path" -eo pipefail -c "${"$"}{fields[1]}" ) </dev/null &
  job=$!
  if [ -n "${"$"}{fields[2]}" ]; then : 2>/dev/null >>"${"$"}{fields[2]}"; fi
  wait "$job" 2>/dev/null; rc=$?
  printf '\0BATON:E:%s\0' "$seq" >&2; printf '\0BATON:E:%s:%s\0' "$seq" "$rc"
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
  readonly #process: ChildProcessWithoutNullStreams;
  readonly #jobs = new Map<number, Job>();
  readonly #current: { stdout?: Job; stderr?: Job } = {};
  readonly #carry = { stdout: '', stderr: '' };
  #seq = 0;
  #dead?: string;

  private constructor() {
    // Its own session: a Ctrl-C meant for baton must not reach the launcher or the actions.
    this.#process = spawn('bash', ['--noprofile', '--norc', '-c', SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
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
    const seq = ++this.#seq;
    return new Promise((resolve) => {
      const job: Job = { seq, handlers, ended: { stdout: false, stderr: false }, resolve };
      this.#jobs.set(seq, job);
      this.#current.stdout = job;
      this.#current.stderr = job;
      const fields = [request.cwd, request.code, request.log ?? '', ...Object.entries(request.env).map(([k, v]) => `${k}=${v}`)];
      if (fields.some((f) => f.includes('\0'))) {
        this.#finish(seq, { error: 'the command or a variable contains a NUL character' });
        return;
      }
      const framed = `${[seq, ...fields.map((f) => Buffer.byteLength(f))].join(' ')}:${fields.join('')}`;
      this.#process.stdin.write(`${String(Buffer.byteLength(framed)).padStart(8, '0')}${framed}`);
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
      const [kind, seqText, value] = text.slice(at + MARKER.length, close).split(':');
      const job = this.#jobs.get(Number(seqText));
      if (kind === 'S') {
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

// The AutoSys fake's event server: takes events and JIL, runs jobs for real, and moves statuses
// through the sequence an instance would (OPS-REFERENCE §1.2, §1.4, §1.5): INACTIVE → STARTING →
// RUNNING → SUCCESS/FAILURE, boxes activating their children and completing when they are done
// (or when box_terminator, box_failure or box_success says so), conditions between jobs, hold and
// ice, retries, run-time limits. Events are processed after the sender has its answer, as sendevent
// is asynchronous on a real instance.
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { constants } from 'node:os';
import { parseCondition, evaluateCondition, conditionJobs, type Condition } from '../../../scheduler/condition.js';
import { jobTypeName, parseJil, type JilStatement } from '../../../scheduler/jil.js';
import { BackgroundWork, jobEnvironment, startJobProcess, type JobVariables } from '../job-process.js';
import { readState, writeState } from '../state-file.js';
import {
  attribute, CHANGE_STATUS_ALLOWED, emptyWorld, layout, message, messageReply,
  type AutosysJob, type AutosysWorld, type CliReply, type ScheduledEvent,
} from './model.js';

/** Timings of the fake, in milliseconds; tests shorten them. */
export interface AutosysTimings {
  /** How long a job stays STARTING before its command runs. */
  startingMs: number;
  /** Pause between a failed try and the next one (`n_retrys`). */
  restartMs: number;
  /** How often file watchers look for their file. */
  watchPollMs: number;
  /** Delay between accepting an event and processing it. */
  eventDelayMs: number;
  /** How long one minute of `term_run_time` and `max_run_alarm` lasts. */
  minuteMs: number;
}

/** Options of {@link AutosysEventServer}. */
export interface AutosysEventServerOptions {
  /** Folder for the state file and job output. */
  dataDir: string;
  /** Instance name (`$AUTOSERV`); `-S` must match it. */
  instance?: string;
  /** Working folder of job commands, where relative output files land (default: the process's). */
  jobCwd?: string;
  /** Extra environment variables for job commands, read as each job starts. */
  jobEnv?: () => JobVariables;
  timings?: Partial<AutosysTimings>;
  /** Where job ends are reported (the sandbox's log). */
  log?: (line: string) => void;
}

/** Events the sandbox models, as `sendevent -E` spells them. */
export const AUTOSYS_EVENTS = [
  'STARTJOB', 'FORCE_STARTJOB', 'KILLJOB', 'CHANGE_STATUS', 'JOB_ON_HOLD', 'JOB_OFF_HOLD', 'JOB_ON_ICE',
  'JOB_OFF_ICE', 'JOB_ON_NOEXEC', 'JOB_OFF_NOEXEC', 'DELETEJOB', 'SET_GLOBAL', 'COMMENT',
] as const;

/** Events known to AutoSys that the sandbox does not model. */
const UNMODELLED_EVENTS = new Set(['STOP_DEMON', 'ALARM', 'CHANGE_PRIORITY', 'SEND_SIGNAL', 'RESTART', 'MACH_OFFLINE', 'MACH_ONLINE', 'REFRESH_FILEWATCHER']);

const JOB_EVENTS = new Set<string>(AUTOSYS_EVENTS.filter((e) => e !== 'SET_GLOBAL'));

// Statuses in which a job (or a box's child) still has work ahead of it in the current run.
const ACTIVE = new Set(['ACTIVATED', 'STARTING', 'RUNNING', 'RESTART', 'QUE_WAIT', 'ON_HOLD', 'PEND_MACH', 'RESWAIT']);
const ENDED = new Set(['SUCCESS', 'FAILURE', 'TERMINATED']);
// Statuses from which a condition can start a top-level job.
const STARTABLE = new Set(['INACTIVE', 'SUCCESS', 'FAILURE', 'TERMINATED', 'ON_NOEXEC']);
const HISTORY_KEPT = 10;
// Attributes holding a condition, checked when loaded and evaluated by the server.
const CONDITION_ATTRIBUTES = ['condition', 'box_success', 'box_failure'] as const;
type ConditionAttribute = (typeof CONDITION_ATTRIBUTES)[number];

/** An event as sendevent hands it over. */
export interface EventRequest {
  event: string;
  job?: string;
  status?: string;
  comment?: string;
  global?: string;
  /** `-T "MM/DD/YYYY HH:MM"`: process at that time. */
  time?: string;
}

/** One AutoSys instance: its jobs, their processes and their state file. */
export class AutosysEventServer {
  readonly instance: string;
  private readonly world: AutosysWorld;
  private readonly statePath: string;
  private readonly spoolDir: string;
  private readonly timings: AutosysTimings;
  private readonly work = new BackgroundWork();
  private readonly conditions = new Map<string, Condition | null>();

  constructor(private readonly options: AutosysEventServerOptions) {
    this.instance = options.instance ?? 'SBX';
    this.statePath = join(options.dataDir, 'autosys-state.json');
    this.spoolDir = join(options.dataDir, 'spool');
    this.timings = { startingMs: 300, restartMs: 1000, watchPollMs: 1000, eventDelayMs: 0, minuteMs: 60_000, ...options.timings };
    this.world = readState(this.statePath, emptyWorld);
    this.recover();
  }

  /** Every job, in insertion order. */
  jobs(): AutosysJob[] {
    return Object.values(this.world.jobs);
  }

  /** One job by exact name. */
  job(name: string): AutosysJob | undefined {
    return Object.hasOwn(this.world.jobs, name) ? this.world.jobs[name] : undefined;
  }

  /** The direct children of a box, in insertion order. */
  children(box: string): AutosysJob[] {
    return this.jobs().filter((job) => attribute(job, 'box_name') === box);
  }

  /** A global variable's value. */
  global(name: string): string | undefined {
    return this.world.globals[name];
  }

  /** Call `listener` after every change of state (a status, a definition); returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    return this.work.onChange(listener);
  }

  /** Resolves once every event accepted so far has been processed and nothing waits on a timer. */
  idle(): Promise<void> {
    return this.work.idle();
  }

  /** Check an event and queue it; the answer comes before the event is processed, as on a real instance. */
  sendEvent(request: EventRequest): CliReply {
    const event = request.event.toUpperCase() === request.event ? request.event : '';
    if (!AUTOSYS_EVENTS.includes(event as (typeof AUTOSYS_EVENTS)[number])) {
      if (UNMODELLED_EVENTS.has(request.event)) return messageReply('unsupportedEvent', { event: request.event });
      return messageReply('invalidEvent', { event: request.event });
    }
    if (JOB_EVENTS.has(event)) {
      if (!request.job) return messageReply('missingJob', { event });
      if (!this.job(request.job)) return messageReply('invalidJob', { job: request.job });
    }
    if (event === 'CHANGE_STATUS') {
      if (!request.status) return messageReply('missingStatus');
      if (!CHANGE_STATUS_ALLOWED.includes(request.status)) return messageReply('invalidStatus', { status: request.status });
    }
    if (event === 'SET_GLOBAL' && !/^[^=]+=/.test(request.global ?? '')) return messageReply('invalidGlobal');
    const scheduled: ScheduledEvent = {
      at: Date.now(), event,
      ...(request.job ? { job: request.job } : {}),
      ...(request.status ? { status: request.status } : {}),
      ...(request.comment ? { comment: request.comment } : {}),
      ...(request.global ? { global: request.global } : {}),
    };
    if (request.time !== undefined) {
      const at = parseEventTime(request.time);
      if (at === undefined) return messageReply('invalidTime', { time: request.time });
      scheduled.at = at;
      this.world.scheduled.push(scheduled);
      this.save();
      this.arm(scheduled);
      return messageReply('eventAccepted');
    }
    this.later(this.timings.eventDelayMs, () => this.process(scheduled));
    return messageReply('eventAccepted');
  }

  /** Load JIL as `jil < file` does: syntax first, then each subcommand; prints what it did. */
  loadJil(text: string): CliReply {
    const { statements, problems } = parseJil(text);
    if (problems.length > 0) {
      const lines = problems.map((p) => message('jilSyntax', { line: p.line, message: p.message }).text);
      const failure = message('jilFailure');
      return { stdout: '', stderr: [...lines, failure.text].join('\n') + '\n', exit: failure.exit || 1 };
    }
    const out: string[] = [];
    const err: string[] = [];
    for (const statement of statements) {
      const problem = this.applyStatement(statement, out);
      if (problem) err.push(problem);
    }
    this.save();
    this.later(0, () => this.settle([]));
    if (err.length > 0) {
      const failure = message('jilFailure');
      return { stdout: out.map((l) => l + '\n').join(''), stderr: [...err, failure.text].join('\n') + '\n', exit: failure.exit || 1 };
    }
    const success = message('jilSuccess');
    return { stdout: [...out, success.text].filter(Boolean).join('\n') + '\n', stderr: '', exit: success.exit };
  }

  /** Stop every job process (they end TERMINATED), cancel timers and write the state. */
  async close(): Promise<void> {
    for (const name of await this.work.stop()) {
      const job = this.job(name);
      if (job && (job.status === 'RUNNING' || job.status === 'STARTING')) this.end(job, 'TERMINATED', 143, 'sandbox stopped');
    }
    this.save();
  }

  // ---- events ----------------------------------------------------------------------------------

  private process(request: ScheduledEvent): void {
    if (this.work.closed) return;
    const index = this.world.scheduled.indexOf(request);
    if (index >= 0) this.world.scheduled.splice(index, 1);
    if (request.event === 'SET_GLOBAL') {
      const [name, ...rest] = request.global!.split('=');
      const value = rest.join('=');
      if (value === 'DELETE') delete this.world.globals[name!.trim()];
      else this.world.globals[name!.trim()] = value;
      this.settle([]);
      return;
    }
    const job = this.job(request.job ?? '');
    if (!job) return this.save(); // deleted since the event was sent
    this.note(job, `[${request.event}]`, request.comment);
    const changed: string[] = [];
    switch (request.event) {
      case 'FORCE_STARTJOB':
        if (job.status !== 'RUNNING' && job.status !== 'STARTING' && job.status !== 'RESWAIT') {
          delete job.heldFrom;
          this.start(job, this.parentRun(job));
          changed.push(job.name);
        }
        break;
      case 'STARTJOB':
        if (this.canStartNow(job)) {
          this.start(job, this.parentRun(job));
          changed.push(job.name);
        }
        break;
      case 'KILLJOB':
        this.kill(job);
        changed.push(job.name);
        break;
      case 'CHANGE_STATUS':
        this.changeStatus(job, request.status!);
        changed.push(job.name);
        break;
      case 'JOB_ON_HOLD':
        if (job.status !== 'RUNNING' && job.status !== 'STARTING' && job.status !== 'ON_HOLD') {
          job.heldFrom = job.status === 'ON_ICE' ? 'INACTIVE' : job.status;
          this.setStatus(job, 'ON_HOLD');
        }
        break;
      case 'JOB_OFF_HOLD':
        if (job.status === 'ON_HOLD') this.release(job);
        break;
      case 'JOB_ON_ICE':
        if (job.status !== 'RUNNING' && job.status !== 'STARTING') {
          delete job.heldFrom;
          delete job.pendingStart;
          this.setStatus(job, 'ON_ICE');
        }
        break;
      case 'JOB_OFF_ICE':
        if (job.status === 'ON_ICE') this.setStatus(job, 'INACTIVE');
        break;
      case 'JOB_ON_NOEXEC':
        if (job.status !== 'RUNNING' && job.status !== 'STARTING') this.setStatus(job, 'ON_NOEXEC');
        break;
      case 'JOB_OFF_NOEXEC':
        if (job.status === 'ON_NOEXEC') this.setStatus(job, 'INACTIVE');
        break;
      case 'DELETEJOB':
        this.work.kill(job.name);
        delete this.world.jobs[job.name];
        break;
      case 'COMMENT':
        break;
    }
    this.settle(changed);
  }

  // Whether STARTJOB starts the job now: not held, iced or running, its box (if any) running,
  // and its condition met. Otherwise nothing visible happens, as on a real instance.
  private canStartNow(job: AutosysJob): boolean {
    if (!STARTABLE.has(job.status)) return false;
    const box = this.boxOf(job);
    if (box && box.status !== 'RUNNING') return false;
    return this.conditionMet(job);
  }

  private release(job: AutosysJob): void {
    const previous = job.heldFrom ?? 'INACTIVE';
    delete job.heldFrom;
    const box = this.boxOf(job);
    if (box && box.status === 'RUNNING') {
      job.run = box.run;
      this.setStatus(job, 'ACTIVATED');
      return;
    }
    this.setStatus(job, previous === 'ACTIVATED' ? 'INACTIVE' : previous);
    if (job.pendingStart) {
      delete job.pendingStart;
      if (this.conditionMet(job)) this.start(job, undefined);
    }
  }

  private changeStatus(job: AutosysJob, status: string): void {
    if (ENDED.has(status)) {
      job.lastEnd = Date.now();
      if (status === 'SUCCESS') job.exit = 0;
    }
    if (status === 'INACTIVE' && job.type === 'BOX') {
      for (const child of this.descendants(job.name)) {
        if (child.status !== 'ON_HOLD' && child.status !== 'ON_ICE' && child.status !== 'RUNNING' && child.status !== 'STARTING') {
          this.setStatus(child, 'INACTIVE');
        }
      }
    }
    this.setStatus(job, status);
  }

  private kill(job: AutosysJob): void {
    if (job.type === 'BOX') {
      if (job.status !== 'RUNNING') return;
      for (const child of this.descendants(job.name)) {
        if (child.status === 'ACTIVATED') this.setStatus(child, 'INACTIVE');
        else if (child.status === 'RUNNING' || child.status === 'STARTING') this.kill(child);
      }
      this.end(job, 'TERMINATED', job.exit, undefined);
      return;
    }
    if (!this.work.kill(job.name) && (job.status === 'STARTING' || job.status === 'RUNNING')) {
      // Killed before its command started (still STARTING, or a file watcher).
      this.end(job, 'TERMINATED', 143, undefined);
    }
  }

  // ---- starting and ending jobs ------------------------------------------------------------------

  // The run number a box's child takes: its box's, when the box is running.
  private parentRun(job: AutosysJob): number | undefined {
    const box = this.boxOf(job);
    return box && box.status === 'RUNNING' ? box.run : undefined;
  }

  private start(job: AutosysJob, run: number | undefined, ntry = 1): void {
    // A box's child was archived when the box activated it.
    if (ntry === 1 && job.status !== 'ACTIVATED') this.archiveRun(job);
    job.run = run ?? this.world.nextRun++;
    job.ntry = ntry;
    job.lastStart = Date.now();
    job.lastEnd = null;
    delete job.pendingStart;
    this.work.killed.delete(job.name);
    if (job.status === 'ON_NOEXEC') {
      this.end(job, 'SUCCESS', 0, 'ON_NOEXEC: command not run');
      return;
    }
    if (job.type === 'BOX') {
      this.setStatus(job, 'RUNNING');
      for (const child of this.children(job.name)) {
        if (child.status === 'ON_HOLD') child.pendingStart = true;
        else if (child.status !== 'ON_ICE' && child.status !== 'RUNNING' && child.status !== 'STARTING') {
          this.archiveRun(child);
          child.run = job.run;
          child.ntry = 0;
          this.setStatus(child, 'ACTIVATED');
        }
      }
      return;
    }
    this.setStatus(job, 'STARTING');
    const run0 = job.run;
    this.later(this.timings.startingMs, () => {
      if (job.status !== 'STARTING' || job.run !== run0 || job.ntry !== ntry) return;
      if (job.type === 'FW') this.watch(job);
      else this.execute(job);
    });
  }

  private execute(job: AutosysJob): void {
    const command = attribute(job, 'command') ?? '';
    const env = jobEnvironment({
      ...this.options.jobEnv?.(),
      AUTO_JOB_NAME: job.name,
      AUTORUN: String(job.run),
      AUTOSERV: this.instance,
      AUTO_JOB_NTRY: String(job.ntry),
    });
    const out = this.outputFile(job, 'std_out_file', 'out');
    const err = this.outputFile(job, 'std_err_file', 'err');
    job.stdoutFile = out.path;
    job.stderrFile = err.path;
    const process = startJobProcess({
      command, cwd: this.options.jobCwd ?? globalThis.process.cwd(), env,
      stdoutFile: out.path, stderrFile: err.path, append: out.append,
    });
    this.work.processes.set(job.name, process);
    this.setStatus(job, 'RUNNING');
    this.settle([job.name]);
    const run = job.run;
    const ntry = job.ntry;
    this.limitRunTime(job, run, ntry);
    void process.done.then((exit) => {
      if (this.work.processes.get(job.name) === process) this.work.processes.delete(job.name);
      if (this.work.closed || this.job(job.name) !== job || job.run !== run || job.ntry !== ntry) return;
      if (job.status !== 'RUNNING') return; // changed by an operator meanwhile (CHANGE_STATUS)
      const code = exit.code ?? (exit.signal ? 128 + (constants.signals[exit.signal] ?? 15) : 1);
      if (this.work.killed.delete(job.name)) this.end(job, 'TERMINATED', code, undefined);
      else if (exit.error) this.end(job, 'FAILURE', 1, exit.error);
      else this.finish(job, code);
      this.settle([job.name]);
    });
  }

  // term_run_time: a try still running after that many minutes is killed (TERMINATED);
  // max_run_alarm: one still running after that many minutes raises an alarm and goes on.
  private limitRunTime(job: AutosysJob, run: number, ntry: number): void {
    const stillThisTry = (): boolean => !this.work.closed && this.job(job.name) === job && job.status === 'RUNNING' && job.run === run && job.ntry === ntry;
    const minutes = (name: string): number => {
      const value = Number(attribute(job, name) ?? 0);
      return Number.isFinite(value) && value > 0 ? value : 0;
    };
    const alarmAfter = minutes('max_run_alarm');
    if (alarmAfter > 0) {
      this.later(alarmAfter * this.timings.minuteMs, () => {
        if (stillThisTry()) this.alarm(job, 'MAXRUNALARM', `running longer than max_run_alarm (${alarmAfter} min)`);
      });
    }
    const killAfter = minutes('term_run_time');
    if (killAfter > 0) {
      this.later(killAfter * this.timings.minuteMs, () => {
        if (!stillThisTry()) return;
        this.note(job, '[KILLJOB]', `term_run_time of ${killAfter} min reached`);
        this.work.kill(job.name);
      });
    }
  }

  // A file watcher succeeds once a file matching `watch_file` exists with at least the minimum size.
  private watch(job: AutosysJob): void {
    this.setStatus(job, 'RUNNING');
    this.settle([job.name]);
    const pattern = attribute(job, 'watch_file') ?? '';
    const minSize = Number(attribute(job, 'watch_file_min_size') ?? 0);
    const interval = Math.min(Number(attribute(job, 'watch_interval') ?? 60) * 1000, this.timings.watchPollMs);
    const run = job.run;
    const look = (): void => {
      if (this.work.closed || job.status !== 'RUNNING' || job.run !== run) return;
      if (matchingFileExists(pattern, this.options.jobCwd ?? process.cwd(), minSize)) {
        this.end(job, 'SUCCESS', 0, undefined);
        this.settle([job.name]);
        return;
      }
      this.later(interval, look);
    };
    look();
  }

  // The end of a try: success up to max_exit_success, else failure and, while tries remain, a restart.
  private finish(job: AutosysJob, code: number): void {
    const maxSuccess = Number(attribute(job, 'max_exit_success') ?? 0);
    if (code <= maxSuccess && code >= 0) {
      this.end(job, 'SUCCESS', code, undefined);
      return;
    }
    this.end(job, 'FAILURE', code, undefined);
    const retries = Number(attribute(job, 'n_retrys') ?? 0);
    if (job.ntry <= retries) {
      this.setStatus(job, 'RESTART');
      const run = job.run;
      const next = job.ntry + 1;
      this.later(this.timings.restartMs, () => {
        if (job.status !== 'RESTART' || job.run !== run) return;
        this.start(job, run, next);
        this.settle([job.name]);
      });
    }
  }

  private end(job: AutosysJob, status: 'SUCCESS' | 'FAILURE' | 'TERMINATED', code: number, note: string | undefined): void {
    job.exit = code;
    job.lastEnd = Date.now();
    this.setStatus(job, status, note);
    this.options.log?.(`autosys: ${job.name} ${status} (exit ${code}, run ${job.run}/${job.ntry})${note ? `: ${note}` : ''}`);
    const alarmOn = status === 'FAILURE' ? 'alarm_if_fail' : status === 'TERMINATED' ? 'alarm_if_terminated' : undefined;
    if (alarmOn && isSet(attribute(job, alarmOn))) this.alarm(job, status === 'FAILURE' ? 'JOBFAILURE' : 'JOBTERMINATED', undefined);
  }

  private alarm(job: AutosysJob, alarm: string, why: string | undefined): void {
    const time = Date.now();
    job.alarms.push({ time, alarm, run: job.run });
    if (job.alarms.length > 50) job.alarms.shift();
    job.events.push({ event: layout.alarmEvent, time, ntry: job.ntry, note: layout.alarmNote.replace('{alarm}', alarm) + (why ? ` ${why}` : '') });
    this.options.log?.(`autosys: alarm ${alarm} for ${job.name}${why ? `: ${why}` : ''}`);
  }

  // ---- settling: boxes, conditions ---------------------------------------------------------------

  // After any change: start activated children whose conditions hold, complete boxes whose
  // children are done, start top-level jobs whose conditions just came true; until nothing moves.
  private settle(changed: string[]): void {
    const queue = [...changed];
    for (let guard = 0; guard < 10_000; guard++) {
      let moved = false;
      for (const box of this.jobs().filter((j) => j.type === 'BOX' && j.status === 'RUNNING')) {
        const verdict = this.boxVerdict(box);
        if (verdict) {
          this.completeBox(box, verdict.status, verdict.why);
          queue.push(box.name);
          moved = true;
          continue;
        }
        for (const child of this.children(box.name)) {
          if (child.status === 'ACTIVATED' && this.conditionMet(child)) {
            this.start(child, box.run);
            queue.push(child.name);
            moved = true;
          }
        }
        if (this.boxDone(box)) {
          // With box_success, the box succeeds only when it holds; otherwise when no child failed.
          const failed = attribute(box, 'box_success')
            ? true
            : this.children(box.name).some((c) => c.run === box.run && (c.status === 'FAILURE' || c.status === 'TERMINATED'));
          this.end(box, failed ? 'FAILURE' : 'SUCCESS', failed ? 1 : 0, undefined);
          queue.push(box.name);
          moved = true;
        }
      }
      const next = queue.shift();
      if (next !== undefined) {
        this.triggerDependents(next);
        moved = true;
      }
      if (!moved) break;
    }
    this.save();
  }

  // What ends a running box before all its children are done: a child with box_terminator that
  // ended FAILURE (after its last try) or TERMINATED, then the box's own box_failure and
  // box_success conditions.
  private boxVerdict(box: AutosysJob): { status: 'SUCCESS' | 'FAILURE' | 'TERMINATED'; why: string } | undefined {
    const terminator = this.children(box.name).find(
      (c) => c.run === box.run && (c.status === 'FAILURE' || c.status === 'TERMINATED') && isSet(attribute(c, 'box_terminator')),
    );
    if (terminator) return { status: 'TERMINATED', why: `box_terminator: ${terminator.name} ended ${terminator.status}` };
    if (this.namedConditionMet(box, 'box_failure')) return { status: 'FAILURE', why: `box_failure: ${attribute(box, 'box_failure')}` };
    if (this.namedConditionMet(box, 'box_success')) return { status: 'SUCCESS', why: `box_success: ${attribute(box, 'box_success')}` };
    return undefined;
  }

  // A box ends before its children: those still waiting go back to INACTIVE (they will not run in
  // this run), a retry pending is dropped, and running ones are killed when they have job_terminator
  // (the box failed or was terminated); the others run on, their end no longer moving the box.
  private completeBox(box: AutosysJob, status: 'SUCCESS' | 'FAILURE' | 'TERMINATED', why: string): void {
    for (const child of this.children(box.name)) {
      delete child.pendingStart;
      if (child.status === 'ACTIVATED') this.setStatus(child, 'INACTIVE');
      else if (child.status === 'RESTART') this.setStatus(child, 'FAILURE', `no retry: box ${box.name} ended ${status}`);
      else if ((child.status === 'RUNNING' || child.status === 'STARTING') && status !== 'SUCCESS' && isSet(attribute(child, 'job_terminator'))) {
        this.note(child, '[KILLJOB]', `job_terminator: box ${box.name} ended ${status}`);
        this.kill(child);
      }
    }
    this.end(box, status, status === 'SUCCESS' ? 0 : 1, why);
  }

  private boxDone(box: AutosysJob): boolean {
    return this.children(box.name).every((child) => !ACTIVE.has(child.status));
  }

  // Top-level jobs (not in a box, no date conditions) start when their condition comes true
  // through a change of a job it names; a held one remembers to start when released.
  private triggerDependents(changedName: string): void {
    for (const job of this.jobs()) {
      if (attribute(job, 'box_name') || attribute(job, 'date_conditions') === '1') continue;
      const condition = this.condition(job);
      if (!condition || !conditionJobs(condition).includes(changedName) || job.name === changedName) continue;
      if (!this.conditionMet(job)) continue;
      if (job.status === 'ON_HOLD') job.pendingStart = true;
      else if (STARTABLE.has(job.status)) this.start(job, undefined);
    }
  }

  private conditionMet(job: AutosysJob): boolean {
    if (!attribute(job, 'condition')) return true;
    return this.namedConditionMet(job, 'condition');
  }

  // A condition attribute (`condition`, `box_success`, `box_failure`) that is set and holds now.
  private namedConditionMet(job: AutosysJob, name: ConditionAttribute): boolean {
    const condition = this.condition(job, name);
    if (!condition) return false;
    return evaluateCondition(condition, {
      status: (other) => this.job(other)?.status,
      exit: (other) => this.job(other)?.exit,
      global: (other) => this.world.globals[other],
    });
  }

  private condition(job: AutosysJob, name: ConditionAttribute = 'condition'): Condition | undefined {
    const text = attribute(job, name);
    if (!text) return undefined;
    if (!this.conditions.has(text)) {
      const parsed = parseCondition(text);
      this.conditions.set(text, 'condition' in parsed ? parsed.condition : null);
    }
    return this.conditions.get(text) ?? undefined;
  }

  // ---- JIL -----------------------------------------------------------------------------------------

  private applyStatement(statement: JilStatement, out: string[]): string | undefined {
    const existing = this.job(statement.name);
    switch (statement.subcommand) {
      case 'insert_job': {
        if (existing) return message('jilJobExists', { job: statement.name }).text;
        const type = jobTypeName(statement.attributes.find((a) => a.name === 'job_type')?.value);
        const definition = statement.attributes.filter((a) => a.name !== 'job_type').map(({ name, value }) => ({ name, value }));
        const job: AutosysJob = {
          name: statement.name, type, definition, status: 'INACTIVE', lastStart: null, lastEnd: null,
          run: 0, ntry: 0, exit: 0, events: [], history: [], alarms: [],
        };
        const problem = this.checkJob(job);
        if (problem) return problem;
        const initial = attribute(job, 'status');
        if (initial && CHANGE_STATUS_ALLOWED.concat(['ON_HOLD', 'ON_ICE']).includes(initial.toUpperCase())) job.status = initial.toUpperCase();
        this.world.jobs[job.name] = job;
        out.push(message('jilInserting', { job: job.name }).text);
        return undefined;
      }
      case 'update_job':
      case 'override_job': {
        if (!existing) return message('jilNoSuchJob', { job: statement.name }).text;
        const updated: AutosysJob = { ...existing, definition: [...existing.definition] };
        for (const { name, value } of statement.attributes) {
          updated.definition = updated.definition.filter((a) => a.name !== name);
          if (value.trim() !== '' || name === 'permission') updated.definition.push({ name, value });
        }
        const problem = this.checkJob(updated);
        if (problem) return problem;
        existing.definition = updated.definition;
        out.push(message('jilInserting', { job: existing.name }).text);
        return undefined;
      }
      case 'delete_job':
      case 'delete_box': {
        if (!existing) return message('jilNoSuchJob', { job: statement.name }).text;
        const doomed = statement.subcommand === 'delete_box' ? [existing, ...this.descendants(existing.name)] : [existing];
        for (const job of doomed) {
          this.work.kill(job.name);
          delete this.world.jobs[job.name];
          out.push(message('jilDeleting', { job: job.name }).text);
        }
        return undefined;
      }
      default: {
        if (statement.subcommand === 'delete_machine') delete this.world.machines[statement.name];
        else this.world.machines[statement.name] = statement.attributes.map(({ name, value }) => ({ name, value }));
        out.push(message('jilMachine', { machine: statement.name }).text);
        return undefined;
      }
    }
  }

  private checkJob(job: AutosysJob): string | undefined {
    const box = attribute(job, 'box_name');
    if (box) {
      const parent = this.job(box);
      if (!parent || parent.type !== 'BOX' || box === job.name) return message('jilNoSuchBox', { box, job: job.name }).text;
    }
    for (const name of CONDITION_ATTRIBUTES) {
      const condition = attribute(job, name);
      if (!condition) continue;
      const parsed = parseCondition(condition);
      if ('error' in parsed) return message('jilBadCondition', { job: job.name, condition, message: parsed.error }).text;
    }
    return undefined;
  }

  // ---- helpers ---------------------------------------------------------------------------------------

  private boxOf(job: AutosysJob): AutosysJob | undefined {
    const box = attribute(job, 'box_name');
    return box ? this.job(box) : undefined;
  }

  /** Every job inside a box, at any depth. */
  descendants(box: string): AutosysJob[] {
    const found: AutosysJob[] = [];
    for (const child of this.children(box)) {
      found.push(child);
      if (child.type === 'BOX') found.push(...this.descendants(child.name));
    }
    return found;
  }

  private setStatus(job: AutosysJob, status: string, note?: string): void {
    job.status = status;
    job.events.push({ event: status, time: Date.now(), ntry: job.ntry, machine: job.type === 'BOX' ? undefined : attribute(job, 'machine') ?? layout.machine, ...(note ? { note } : {}) });
    if (job.events.length > 200) job.events.splice(0, job.events.length - 200);
  }

  private note(job: AutosysJob, event: string, note: string | undefined): void {
    job.events.push({ event, time: Date.now(), ntry: job.ntry, ...(note ? { note } : {}) });
  }

  // A new run starts: the last run's events go to history, except operator events sent since it ended.
  private archiveRun(job: AutosysJob): void {
    if (job.run === 0 && job.lastStart === null) return;
    let keepFrom = job.events.length;
    while (keepFrom > 0 && job.events[keepFrom - 1]!.event.startsWith('[') && job.events[keepFrom - 1]!.event !== layout.alarmEvent) keepFrom--;
    const past = job.events.slice(0, keepFrom);
    if (job.lastStart !== null) {
      job.history.push({ run: job.run, ntry: job.ntry, status: job.status, exit: job.exit, lastStart: job.lastStart, lastEnd: job.lastEnd, events: past });
      if (job.history.length > HISTORY_KEPT) job.history.shift();
    }
    job.events = job.events.slice(keepFrom);
  }

  private outputFile(job: AutosysJob, attributeName: string, stream: string): { path: string; append: boolean } {
    const written = attribute(job, attributeName);
    const fallback = join(this.spoolDir, `${job.name}.${job.run}.${job.ntry}.${stream}`);
    if (!written) return { path: fallback, append: false };
    const append = written.startsWith('>>');
    const expanded = written.replace(/^>>?/, '').trim()
      .replace(/\$\{?AUTO_JOB_NAME\}?/g, job.name)
      .replace(/\$\{?AUTORUN\}?/g, String(job.run))
      .replace(/\$\{?AUTOSERV\}?/g, this.instance);
    const path = isAbsolute(expanded) ? expanded : resolve(this.options.jobCwd ?? process.cwd(), expanded);
    return { path, append };
  }

  private later(ms: number, work: () => void): void {
    this.work.later(ms, work);
  }

  private arm(event: ScheduledEvent): void {
    this.later(Math.max(0, event.at - Date.now()), () => this.process(event));
  }

  private save(): void {
    writeState(this.statePath, this.world);
    this.work.changed();
  }

  // After a restart: processes of the previous server are gone, so what was running is terminated;
  // events sent for later are armed again.
  private recover(): void {
    for (const job of this.jobs()) {
      if (job.type !== 'BOX' && (job.status === 'RUNNING' || job.status === 'STARTING' || job.status === 'RESTART')) {
        this.end(job, 'TERMINATED', 143, 'the sandbox event server restarted while the job ran');
      }
    }
    for (const event of this.world.scheduled) this.arm(event);
    this.later(0, () => this.settle([]));
  }
}

// JIL flags are written 1/0 or y/n.
function isSet(value: string | undefined): boolean {
  return value !== undefined && /^(1|y|yes|true)$/i.test(value.trim());
}

function parseEventTime(text: string): number | undefined {
  const match = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2})$/.exec(text.trim());
  if (!match) return undefined;
  const [, mm, dd, yyyy, hh, mi] = match.map(Number) as [number, number, number, number, number, number];
  const date = new Date(yyyy, mm - 1, dd, hh, mi);
  return Number.isNaN(date.getTime()) || date.getMonth() !== mm - 1 ? undefined : date.getTime();
}

function matchingFileExists(pattern: string, cwd: string, minSize: number): boolean {
  if (pattern === '') return false;
  const full = isAbsolute(pattern) ? pattern : resolve(cwd, pattern);
  const dir = dirname(full);
  const name = basename(full);
  const regex = new RegExp('^' + name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
  try {
    return readdirSync(dir).some((entry) => regex.test(entry) && statSync(join(dir, entry)).size >= minSize);
  } catch {
    return false;
  }
}

// `controlm` actions: the verb language run through the Control-M Automation API. Job names are
// resolved to job ids through `/run/jobs/status?jobname=`, each job's state is read before and
// after, waits poll until the job ends, and a job that ends not OK fails the step with its output.
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { formatDuration } from '../runbook/duration.js';
import { controlmState } from '../scheduler/job-state.js';
import { ControlmClient, ControlmError, controlmConnection, type ControlmConnection } from './controlm-client.js';
import { classifyControlm, parseControlmScript, VERB_ACTIONS, type ControlmCommand } from '../scheduler/controlm-script.js';
import {
  actionStream, interruptedResult, JobChanges, keptDefinitions, lastLines, pause, readDefinitionsFile, runSandbox, type ActionLog, type JobSnapshot,
} from './scheduler-action.js';
import { usesSandboxControlm } from '../scheduler/sandbox-endpoints.js';
import type { ActionResult, ExecutionContext, Executor, ExecutorEvent } from './types.js';

const DEFAULT_WAIT_MS = 30 * 60_000;
const DEFAULT_EVERY_MS = 30_000;
const SANDBOX_EVERY_MS = 1_000;
const ENDED = new Set(['Ended OK', 'Ended Not OK']);
const RUN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A job as the Automation API reports it (`JobRunStatus`), the keys baton reads. */
export interface JobRunStatus {
  jobId: string;
  folderId?: string;
  name: string;
  folder?: string;
  type?: string;
  status: string;
  held?: boolean;
  deleted?: boolean;
  numberOfRuns?: number;
  startTime?: string;
  endTime?: string;
  orderDate?: string;
  host?: string;
  application?: string;
}

/** Runs `controlm` blocks. */
export const controlmExecutor: Executor = {
  kinds: ['controlm'],
  run: (context) => runControlm(context),
  classify: classifyControlm,
  describeTarget: async (context) => {
    const connection = await connectionOf(context);
    if ('error' in connection) return connection.error;
    return `Control-M at ${connection.endpoint}${connection.server ? `, server ${connection.server}` : ''}, ${connection.user ? `user ${connection.user}` : 'API key'}`;
  },
};

// The environment's Control-M, or the fake of the sandbox the run reaches.
async function connectionOf(context: ExecutionContext): Promise<ControlmConnection | { error: string }> {
  let sandbox: string | undefined;
  if (usesSandboxControlm(context.environment)) {
    try {
      sandbox = await runSandbox(context);
    } catch (error) {
      return { error: `the sandbox's Control-M fake cannot be reached: ${(error as Error).message}` };
    }
  }
  return controlmConnection(context.environment, context.variable, sandbox);
}

async function* runControlm(context: ExecutionContext): AsyncGenerator<ExecutorEvent> {
  const connection = await connectionOf(context);
  // The sandbox's documented password is no secret; a real one, or an API key, is.
  const secrets = 'error' in connection ? [] : [connection.sandboxLogin ? undefined : connection.password, connection.apiKey].filter((s): s is string => !!s);
  yield* actionStream(context, secrets, async (log) => {
    if ('error' in connection) return new ControlmRun(context, log).failed(connection.error);
    const client = clientFor(context, connection);
    client.note = (line) => log.note(line);
    return new ControlmRun(context, log, client).execute();
  });
}

// One logged-in client per endpoint and user for the whole run; logged out when the run ends.
function clientFor(context: ExecutionContext, connection: ControlmConnection): ControlmClient {
  return context.scope.get(`controlm:${connection.endpoint}:${connection.user ?? 'api-key'}`, () => {
    const client = new ControlmClient(connection);
    context.scope.onClose(() => client.logout());
    return client;
  });
}

/** The snapshot recorded in `details.jobs`. */
export function controlmSnapshot(job: JobRunStatus): JobSnapshot {
  return {
    status: job.status, state: controlmState(job.status, job.held === true), held: job.held === true,
    numberOfRuns: job.numberOfRuns ?? 0, jobId: job.jobId, startTime: job.startTime ?? '', endTime: job.endTime ?? '',
  };
}

/**
 * The fields a Control-M job gives `expect` and `capture`: `status` as the API reports it
 * (`Ended OK`), and `state`, baton's word shared with AutoSys (`ok`, `held`).
 */
function jobFields(job: JobRunStatus): Record<string, unknown> {
  return {
    name: job.name, jobId: job.jobId, folder: job.folder ?? null, type: job.type ?? null,
    status: job.status, state: controlmState(job.status, job.held === true), held: job.held === true,
    numberOfRuns: job.numberOfRuns ?? 0, startTime: job.startTime ?? '', endTime: job.endTime ?? '',
  };
}

class StepFailure extends Error {}

/** One attempt of one block. */
class ControlmRun {
  private readonly started = Date.now();
  private readonly changes = new JobChanges();
  private readonly calls: { line: number; call: string }[] = [];
  private readonly summaries: string[] = [];
  private last: JobRunStatus | undefined;
  private listed: JobRunStatus[] = [];
  private runId: string | undefined;
  private runJobIds = new Set<string>();
  private output: string | undefined;
  private wait: Record<string, unknown> | undefined;
  private deployed: unknown;
  private readonly definitions: Record<string, unknown>[] = [];

  constructor(
    private readonly context: ExecutionContext,
    private readonly log: ActionLog,
    private readonly client?: ControlmClient,
  ) {}

  async execute(): Promise<ActionResult> {
    const parsed = parseControlmScript(this.context.code);
    if (parsed.problems.length > 0) {
      const line = this.context.action.pos.line;
      return this.failed(parsed.problems.map((p) => `${this.context.runbook.path}:${line + p.line}:${p.column}: ${p.message}`).join('\n'));
    }
    try {
      for (const command of parsed.commands) {
        if (this.context.signal.aborted) break;
        this.listed = [];
        await this.runCommand(command);
      }
    } catch (error) {
      if (this.context.signal.aborted) return interruptedResult(this.context.signal, this.fields(false), this.excerpt(), this.details());
      if (error instanceof StepFailure || error instanceof ControlmError) {
        const result = this.failed(error.message);
        if (error instanceof ControlmError && error.unreachable) result.retrySafe = true;
        return result;
      }
      throw error;
    }
    if (this.context.signal.aborted) return interruptedResult(this.context.signal, this.fields(false), this.excerpt(), this.details());
    return { ok: true, fields: this.fields(true), excerpt: this.excerpt(), details: this.details() };
  }

  private async runCommand(command: ControlmCommand): Promise<void> {
    switch (command.verb) {
      case 'deploy':
        return this.deploy(command);
      case 'order':
        return this.order(command);
      case 'status':
        return this.status(command);
      case 'wait':
        return RUN_ID.test(command.target) ? this.waitForRun(command) : this.waitForJob(command);
      case 'output':
      case 'log':
        return this.text(command);
      default:
        return this.act(command);
    }
  }

  private async deploy(command: Extract<ControlmCommand, { verb: 'deploy' }>): Promise<void> {
    const read = readDefinitionsFile(this.context, this.log, command.file);
    if ('error' in read) throw new StepFailure(read.error);
    this.definitions.push(keptDefinitions(read));
    const { path, text: content } = read;
    const answer = await this.call(command.line, 'POST', '/deploy', { form: { field: 'definitionsFile', filename: basename(path), content } });
    const results = Array.isArray(answer) ? (answer as Record<string, unknown>[]) : [];
    this.deployed = results;
    for (const result of results) {
      const folders = (result.deployedFolders as string[] | undefined) ?? [];
      const jobs = (result.deployedJobs as string[] | undefined) ?? [];
      const line = `deployed ${command.file}: ${folders.length} folder${folders.length === 1 ? '' : 's'} (${folders.join(', ')}), ${Number(result.successfulJobsCount ?? jobs.length)} jobs`;
      this.summaries.push(line);
      this.log.output('stdout', line);
    }
  }

  private async order(command: Extract<ControlmCommand, { verb: 'order' }>): Promise<void> {
    const ctm = command.ctm ?? this.client!.connection.server;
    const body = {
      ...(ctm ? { ctm } : {}),
      folder: command.folder,
      ...(command.jobs ? { jobs: command.jobs } : {}),
      hold: command.hold,
      ...(command.orderDate ? { orderDate: command.orderDate } : {}),
    };
    const answer = (await this.call(command.line, 'POST', '/run/order', { json: body })) as { runId?: string };
    if (!answer.runId) throw new StepFailure(`order ${command.folder}: Control-M answered without a runId`);
    this.runId = answer.runId;
    const jobs = await this.runJobs(answer.runId, command.line);
    for (const job of jobs) {
      this.runJobIds.add(job.jobId);
      this.changes.before(job.name, null);
      this.changes.after(job.name, controlmSnapshot(job));
    }
    this.listed = jobs;
    this.last = jobs[0];
    const line = `ordered ${command.folder}${command.jobs ? ` ${command.jobs}` : ''}${command.hold ? ' (held)' : ''}: run ${answer.runId}, ${jobs.map((j) => `${j.name} ${j.jobId}`).join(', ')}`;
    this.summaries.push(line);
    this.log.output('stdout', line);
  }

  private async status(command: Extract<ControlmCommand, { verb: 'status' }>): Promise<void> {
    if (RUN_ID.test(command.target)) {
      const jobs = await this.runJobs(command.target, command.line);
      this.runId = command.target;
      this.show(jobs);
      return;
    }
    if (command.target.includes('*')) {
      const answer = (await this.call(command.line, 'GET', `/run/jobs/status?jobname=${encodeURIComponent(command.target)}`)) as { statuses?: JobRunStatus[] };
      this.show(answer.statuses ?? []);
      return;
    }
    const job = await this.resolve(command.target, command.line);
    this.changes.before(job.name, controlmSnapshot(job));
    this.show([job]);
  }

  private show(jobs: JobRunStatus[]): void {
    this.listed = jobs;
    this.last = jobs.find((j) => j.type !== 'Folder') ?? jobs[0];
    for (const job of jobs) {
      const line = `${job.name} ${job.jobId} ${job.status}${job.held ? ' (held)' : ''} runs=${job.numberOfRuns ?? 0}`;
      this.summaries.push(line);
      this.log.output('stdout', line);
    }
  }

  private async act(command: Extract<ControlmCommand, { verb: 'rerun' | 'hold' | 'free' | 'kill' | 'confirm' | 'set-ok' | 'run-now' }>): Promise<void> {
    const job = await this.resolve(command.target, command.line);
    this.changes.before(job.name, controlmSnapshot(job));
    const action = VERB_ACTIONS[command.verb]!;
    await this.call(command.line, 'POST', `/run/job/${job.jobId}/${action}`, {});
    let after = await this.jobStatus(job.jobId, command.line);
    // A kill takes effect when the process has ended: look again briefly.
    for (let i = 0; command.verb === 'kill' && after.status === 'Executing' && i < 40 && !this.context.signal.aborted; i++) {
      await pause(250, this.context.signal);
      after = await this.jobStatus(job.jobId, command.line);
    }
    this.changes.after(job.name, controlmSnapshot(after));
    this.last = after;
    const line = `${action} ${job.name} (${job.jobId}): ${job.status}${job.held ? ' held' : ''} → ${after.status}${after.held ? ' held' : ''}`;
    this.summaries.push(line);
    this.log.output('stdout', line);
  }

  private async text(command: Extract<ControlmCommand, { verb: 'output' | 'log' }>): Promise<void> {
    const job = await this.resolve(command.target, command.line);
    this.changes.before(job.name, controlmSnapshot(job));
    this.last = job;
    const path = command.verb === 'output' ? `/run/job/${job.jobId}/output?runNo=${command.runNo ?? 0}` : `/run/job/${job.jobId}/log`;
    const body = await this.call(command.line, 'GET', path);
    const text = typeof body === 'string' ? body : JSON.stringify(body, null, 2);
    this.keepText(`${job.name}.${command.verb}.txt`, text);
    for (const line of text.replace(/\n$/, '').split('\n')) this.log.output('stdout', line);
    this.summaries.push(`${command.verb} of ${job.name}: ${text.split('\n').filter(Boolean).length} lines`);
  }

  // ---- waiting ---------------------------------------------------------------------------------

  private async waitForJob(command: Extract<ControlmCommand, { verb: 'wait' }>): Promise<void> {
    const job = await this.resolve(command.target, command.line);
    this.changes.before(job.name, controlmSnapshot(job));
    await this.poll(command, async () => {
      const now = await this.jobStatus(job.jobId, command.line, true);
      this.changes.after(job.name, controlmSnapshot(now));
      this.last = now;
      return { label: job.name, status: now.status + (now.held ? ' (held)' : ''), done: command.statuses.includes(now.status), ended: ENDED.has(now.status), runs: now.numberOfRuns ?? 0, failed: ENDED.has(now.status) ? [now] : [] };
    });
  }

  private async waitForRun(command: Extract<ControlmCommand, { verb: 'wait' }>): Promise<void> {
    this.runId = command.target;
    await this.poll(command, async () => {
      const jobs = (await this.runJobs(command.target, command.line, true)).filter((j) => j.type !== 'Folder');
      for (const job of jobs) {
        this.changes.before(job.name, controlmSnapshot(job));
        this.changes.after(job.name, controlmSnapshot(job));
      }
      this.listed = jobs;
      const ended = jobs.length > 0 && jobs.every((j) => ENDED.has(j.status));
      const counts = new Map<string, number>();
      for (const job of jobs) counts.set(job.status, (counts.get(job.status) ?? 0) + 1);
      return {
        label: `run ${command.target}`,
        status: [...counts].map(([status, count]) => `${count} ${status}`).join(', ') || 'no jobs',
        done: ended && jobs.every((j) => command.statuses.includes(j.status)),
        ended,
        runs: jobs.reduce((sum, j) => sum + (j.numberOfRuns ?? 0), 0),
        failed: jobs.filter((j) => !command.statuses.includes(j.status)),
      };
    });
  }

  // Poll until done; an end in another status is confirmed by one more look (an automatic rerun
  // may follow at once) and then fails the step with the output of the job that ended badly.
  private async poll(
    command: Extract<ControlmCommand, { verb: 'wait' }>,
    look: () => Promise<{ label: string; status: string; done: boolean; ended: boolean; runs: number; failed: JobRunStatus[] }>,
  ): Promise<void> {
    const timeoutMs = command.timeoutMs ?? this.context.timeoutMs ?? DEFAULT_WAIT_MS;
    const everyMs = command.everyMs ?? (this.context.environment.sandbox ? SANDBOX_EVERY_MS : DEFAULT_EVERY_MS);
    const start = Date.now();
    let previous = '';
    let endedAt: string | undefined;
    for (let polls = 1; ; polls++) {
      const seen = await look();
      const elapsed = Date.now() - start;
      this.wait = { target: command.target, for: command.statuses, timeoutMs, everyMs, polls, waitedMs: elapsed, lastStatus: seen.status };
      if (seen.status !== previous) this.log.progress(`${seen.label} ${seen.status} (${formatDuration(elapsed)})`);
      previous = seen.status;
      if (seen.done) {
        this.summaries.push(`${seen.label} ${seen.status} after ${formatDuration(elapsed)}`);
        return;
      }
      const key = `${seen.status}/${seen.runs}`;
      if (seen.ended && endedAt === key) {
        const bad = seen.failed[0];
        let output = '';
        if (bad) {
          output = await this.jobOutput(bad, command.line);
          this.keepText(`${bad.name}.output.txt`, output);
        }
        throw new StepFailure(
          `${seen.label} ended ${seen.status} while waiting for ${command.statuses.join(' or ')}` +
            (bad && output ? `\n--- output of ${bad.name} (${bad.jobId}) ---\n${lastLines(output, 20)}` : ''),
        );
      }
      endedAt = seen.ended ? key : undefined;
      if (elapsed >= timeoutMs) {
        this.summaries.push(`${seen.label} still ${seen.status} after ${formatDuration(elapsed)}`);
        throw new StepFailure(`timed out after ${formatDuration(timeoutMs)} waiting for ${seen.label} to be ${command.statuses.join(' or ')}: last seen ${seen.status}`);
      }
      await pause(Math.min(everyMs, Math.max(0, timeoutMs - elapsed)), this.context.signal);
      if (this.context.signal.aborted) return;
    }
  }

  private async jobOutput(job: JobRunStatus, line: number): Promise<string> {
    try {
      const body = await this.call(line, 'GET', `/run/job/${job.jobId}/output?runNo=0`, {}, true);
      return typeof body === 'string' ? body : JSON.stringify(body);
    } catch (error) {
      return `(no output: ${(error as Error).message})`;
    }
  }

  // ---- reading ---------------------------------------------------------------------------------

  // A job name (the latest order, or the one this block ordered), a job id (`server:orderId`).
  private async resolve(target: string, line: number): Promise<JobRunStatus> {
    if (RUN_ID.test(target)) throw new StepFailure(`line ${line}: ${target} is a run id; this command takes a job name or job id`);
    if (target.includes('*')) throw new StepFailure(`line ${line}: ${target} is a pattern; this command takes one job name or job id`);
    if (target.includes(':')) return this.jobStatus(target, line);
    const answer = (await this.call(line, 'GET', `/run/jobs/status?jobname=${encodeURIComponent(target)}`, {}, true)) as { statuses?: JobRunStatus[] };
    const all = (answer.statuses ?? []).filter((j) => j.name === target);
    const jobs = all.some((j) => j.type !== 'Folder') ? all.filter((j) => j.type !== 'Folder') : all;
    if (jobs.length === 0) {
      throw new StepFailure(`Control-M has no ordered job named ${target}. Jobs exist in the active jobs only once their folder is ordered: order the folder first (order FOLDER ${target}).`);
    }
    const ours = jobs.filter((j) => this.runJobIds.has(j.jobId));
    const pool = ours.length > 0 ? ours : jobs;
    const latest = pool.reduce((best, j) => (compareOrder(j.jobId, best.jobId) > 0 ? j : best));
    if (pool.length > 1) this.log.note(`${target}: ${pool.length} orders in the active jobs; using the latest, ${latest.jobId}`);
    return latest;
  }

  private async jobStatus(jobId: string, line: number, quiet = false): Promise<JobRunStatus> {
    return (await this.call(line, 'GET', `/run/job/${jobId}/status`, {}, quiet)) as JobRunStatus;
  }

  private async runJobs(runId: string, line: number, quiet = false): Promise<JobRunStatus[]> {
    const jobs: JobRunStatus[] = [];
    for (let start = 0; ; ) {
      const page = (await this.call(line, 'GET', `/run/status/${runId}?startIndex=${start}`, {}, quiet)) as { statuses?: JobRunStatus[]; total?: number; returned?: number };
      const statuses = page.statuses ?? [];
      jobs.push(...statuses);
      start += statuses.length;
      if (statuses.length === 0 || page.total === undefined || start >= page.total) return jobs;
    }
  }

  private async call(line: number, method: string, path: string, options: { json?: unknown; form?: { field: string; filename: string; content: string } } = {}, quiet = false): Promise<unknown> {
    if (!quiet) {
      this.calls.push({ line, call: `${method} ${path}` });
      this.log.note(`> ${method} ${path}`);
    }
    const answer = await this.client!.call(method, path, { ...options, signal: this.context.signal });
    return answer.body;
  }

  private keepText(name: string, text: string): void {
    this.output = text;
    try {
      mkdirSync(this.context.artefactDir, { recursive: true });
      const file = join(this.context.artefactDir, name.replace(/[^\w.-]/g, '_'));
      writeFileSync(file, this.log.mask(text));
      this.wait = { ...this.wait, outputFile: file };
    } catch {
      // kept in the result anyway
    }
  }

  // ---- the result ------------------------------------------------------------------------------

  private fields(ok: boolean): Record<string, unknown> {
    const last = this.last;
    const jobs = this.listed.length > 0 ? this.listed.map(jobFields) : this.changes.list().map((c) => ({
      name: c.name,
      ...(c.after ? { status: c.after.status, state: c.after.state, held: c.after.held, numberOfRuns: c.after.numberOfRuns, jobId: c.after.jobId } : { status: null, state: null }),
    }));
    return {
      ok,
      job: last?.name ?? null,
      jobId: last?.jobId ?? null,
      status: last?.status ?? null,
      state: last ? controlmState(last.status, last.held === true) : null,
      held: last?.held ?? null,
      numberOfRuns: last?.numberOfRuns ?? null,
      runId: this.runId ?? null,
      jobs,
      output: this.output === undefined ? null : this.log.mask(this.output),
      duration: Date.now() - this.started,
    };
  }

  private details(): Record<string, unknown> {
    return {
      jobs: this.changes.list(),
      calls: this.calls,
      ...(this.runId ? { runId: this.runId } : {}),
      ...(this.wait ? { wait: this.wait } : {}),
      ...(this.deployed ? { deployed: this.deployed } : {}),
      ...(this.definitions.length > 0 ? { definitions: this.definitions } : {}),
      ...(this.client ? { logins: this.client.loginCount } : {}),
    };
  }

  private excerpt(): string {
    const lines = this.summaries.length > 0 ? this.summaries : this.changes.summary();
    return lines.slice(-20).join('\n');
  }

  /** A failed result keeping everything seen so far. */
  failed(message: string): ActionResult {
    return { ok: false, fields: this.fields(false), excerpt: [this.excerpt(), message].filter(Boolean).join('\n'), error: { message }, details: this.details() };
  }
}

// Order ids grow; longer ids are later (Control-M widens them as they grow).
function compareOrder(a: string, b: string): number {
  const x = a.slice(a.lastIndexOf(':') + 1);
  const y = b.slice(b.lastIndexOf(':') + 1);
  return x.length - y.length || x.localeCompare(y);
}

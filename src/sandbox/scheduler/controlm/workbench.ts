// The Control-M fake's scheduler: deployed folders, orders, and job instances that really run their
// command and move Wait Condition → Executing → Ended OK / Ended Not OK (OPS-REFERENCE §2). Flow
// sequences, WaitForEvents/AddEvents, Confirm, holds, reruns (manual and RerunLimit) behave as an
// operator would see them in the Monitoring domain.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BackgroundWork, jobEnvironment, startJobProcess, type JobVariables } from '../job-process.js';
import { readState, writeState } from '../state-file.js';
import {
  apiError, controlmData, emptyControlm, logText, todayOrderDate,
  type ControlmWorld, type DeployedFolder, type JobInstance, type RunRecord,
} from './model.js';

/** Timings of the fake, in milliseconds; tests shorten them. */
export interface ControlmTimings {
  /** Pause between a job's conditions being met and its command starting. */
  submitMs: number;
  /** One `Units` of `RerunLimit.Every` is this long when set (default: real minutes/hours/days). */
  rerunUnitMs?: number;
}

/** Options of {@link ControlmWorkbench}. */
export interface ControlmWorkbenchOptions {
  dataDir: string;
  /** The Control-M/Server name (`ctm`), default `workbench`. */
  server?: string;
  /** Working folder of job commands (default: the process's). */
  jobCwd?: string;
  /** Extra environment variables for job commands, read as each job starts. */
  jobEnv?: () => JobVariables;
  timings?: Partial<ControlmTimings>;
  /** Where job ends are reported (the sandbox's log). */
  log?: (line: string) => void;
}

/** What an order asks for (`POST /run/order`). */
export interface OrderRequest {
  ctm?: string;
  folder: string;
  jobs?: string;
  hold?: boolean;
  orderDate?: string;
  variables?: Record<string, string>[];
  independentFlow?: boolean;
  user: string;
}

/** The summary of one deployed definitions file (`DeploymentFileResults`). */
export interface DeploymentFileResult {
  deploymentFile: string;
  successfulFoldersCount: number;
  successfulSmartFoldersCount: number;
  successfulSubFoldersCount: number;
  successfulJobsCount: number;
  successfulConnectionProfilesCount: number;
  successfulDriversCount: number;
  successfulCalendarsCount: number;
  isDeployDescriptorValid: boolean;
  deployedFolders: string[];
  deployedJobs: string[];
  deployedDrivers: string[];
  deployedConnectionProfiles: string[];
  deployedCalendars: string[];
  errors: unknown[];
  warnings: unknown[];
}

/** Job actions of `POST /run/job/{jobId}/{action}`. */
export const JOB_ACTIONS = ['rerun', 'kill', 'hold', 'free', 'confirm', 'setToOk', 'runNow', 'delete', 'undelete'] as const;

/** One of {@link JOB_ACTIONS}. */
export type JobAction = (typeof JOB_ACTIONS)[number];

const ENDED = new Set(['Ended OK', 'Ended Not OK']);
const UNIT_MS: Record<string, number> = { Minutes: 60_000, Hours: 3_600_000, Days: 86_400_000 };

/** One Control-M/Server with its Enterprise Manager's Automation API behaviour. */
export class ControlmWorkbench {
  readonly server: string;
  private readonly world: ControlmWorld;
  private readonly statePath: string;
  private readonly outputDir: string;
  private readonly timings: ControlmTimings;
  private readonly work = new BackgroundWork();
  private readonly submitting = new Set<string>();

  constructor(private readonly options: ControlmWorkbenchOptions) {
    this.server = options.server ?? controlmData.server;
    this.statePath = join(options.dataDir, 'controlm-state.json');
    this.outputDir = join(options.dataDir, 'output');
    this.timings = { submitMs: 300, ...options.timings };
    this.world = readState(this.statePath, emptyControlm);
    this.recover();
  }

  /** Call `listener` after every change of state (a status, an order, a deploy); returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    return this.work.onChange(listener);
  }

  /** Resolves once no submission, rerun or other timer is pending (running jobs do not count). */
  idle(): Promise<void> {
    return this.work.idle();
  }

  /** Every job instance and folder row, in order of order id. */
  instances(): JobInstance[] {
    return Object.values(this.world.jobs).sort((a, b) => a.orderId.localeCompare(b.orderId));
  }

  /** A run by id. */
  run(runId: string): RunRecord {
    const run = this.world.runs[runId];
    if (!run) throw apiError('noSuchRun', { runId });
    return run;
  }

  /** A job instance by `server:orderId`. */
  instance(jobId: string): JobInstance {
    const [server, orderId] = splitJobId(jobId);
    const job = orderId !== undefined && server === this.server ? this.world.jobs[orderId] : undefined;
    if (!job) throw apiError('noSuchJob', { jobId });
    return job;
  }

  /** The API's job id of an instance. */
  jobId(job: JobInstance): string {
    return `${this.server}:${job.orderId}`;
  }

  /** Deploy a definitions file; `apply: false` only checks it (`/build`). */
  deploy(file: string, content: string, apply = true): DeploymentFileResult {
    const definitions = parseDefinitions(file, content);
    const result: DeploymentFileResult = {
      deploymentFile: file, successfulFoldersCount: 0, successfulSmartFoldersCount: 0, successfulSubFoldersCount: 0,
      successfulJobsCount: 0, successfulConnectionProfilesCount: 0, successfulDriversCount: 0, successfulCalendarsCount: 0,
      isDeployDescriptorValid: false, deployedFolders: [], deployedJobs: [], deployedDrivers: [], deployedConnectionProfiles: [],
      deployedCalendars: [], errors: [], warnings: [],
    };
    const folders: DeployedFolder[] = [];
    for (const [name, value] of Object.entries(definitions)) {
      const type = String((value as Record<string, unknown>).Type ?? '');
      if (type === 'Folder' || type === 'SimpleFolder') {
        const folder = value as Record<string, unknown>;
        const server = String(folder.ControlmServer ?? this.server);
        if (server !== this.server) throw apiError('wrongServer', { ctm: server, own: this.server }, { file, item: name });
        const jobs = folderJobs(file, name, folder);
        folders.push({ name, server, definition: folder, deployedAt: Date.now(), file });
        result.successfulFoldersCount++;
        result.successfulJobsCount += jobs.length;
        result.deployedFolders.push(name);
        result.deployedJobs.push(...jobs.map((job) => `${name}/${job}`));
      } else if (type.startsWith('ConnectionProfile')) {
        result.successfulConnectionProfilesCount++;
        result.deployedConnectionProfiles.push(name);
      } else if (type.startsWith('Calendar')) {
        result.successfulCalendarsCount++;
        result.deployedCalendars.push(name);
      } else {
        throw apiError('badDefinition', { file, reason: `${name}: objects of Type "${type}" are not supported by the sandbox (use Folder, ConnectionProfile or Calendar)` }, { file, item: name });
      }
    }
    if (apply) {
      for (const folder of folders) this.world.folders[folder.name] = folder;
      this.save();
    }
    return result;
  }

  /** Order a folder (or some of its jobs) into the active jobs; returns the new run. */
  order(request: OrderRequest): RunRecord {
    const ctm = request.ctm ?? this.server;
    if (ctm !== this.server) throw apiError('wrongServer', { ctm, own: this.server });
    const folder = this.world.folders[request.folder];
    if (!folder) throw apiError('noSuchFolder', { folder: request.folder, ctm });
    const all = folderJobs(folder.file, folder.name, folder.definition);
    let chosen = all;
    if (request.jobs !== undefined && request.jobs !== '') {
      const wanted = request.jobs.split(',').map((j) => j.trim()).filter(Boolean);
      chosen = all.filter((job) => wanted.some((pattern) => wildcard(pattern).test(job)));
      if (chosen.length === 0) throw apiError('noSuchJobInFolder', { job: request.jobs, folder: folder.name });
    }
    const orderDate = request.orderDate && /^\d{8}$/.test(request.orderDate) ? request.orderDate.slice(2) : todayOrderDate();
    const runId = randomUUID();
    const variables: Record<string, string> = {};
    for (const entry of [...asVariables(folder.definition.Variables), ...(request.variables ?? [])]) {
      for (const [key, value] of Object.entries(entry)) variables[key.replace(/^%%/, '')] = String(value);
    }
    const folderRow = this.newInstance(runId, '', folder.name, folder.name, 'Folder', folder.definition, orderDate, variables);
    folderRow.folderOrderId = folderRow.orderId;
    folderRow.status = 'Executing';
    const run: RunRecord = { runId, folderOrderId: folderRow.orderId, orderIds: [] };
    const predecessors = flowPredecessors(folder.definition);
    for (const name of chosen) {
      const definition = folder.definition[name] as Record<string, unknown>;
      // Jobs inherit what their folder sets and they do not (Application, SubApplication, Host, RunAs).
      const inherited = { ...pick(folder.definition, ['Application', 'SubApplication', 'Host', 'RunAs']), ...definition };
      const job = this.newInstance(runId, folderRow.orderId, name, folder.name, jobTypeWord(definition.Type), inherited, orderDate, variables);
      const flowScope = request.independentFlow ? runId : folderRow.orderId;
      job.waitFor = [
        ...(predecessors.get(name) ?? []).map((before) => flowEvent(flowScope, before, name)),
        ...eventNames(definition.WaitForEvents),
      ];
      job.addEvents = [...successorsOf(predecessors, name).map((after) => flowEvent(flowScope, name, after)), ...eventNames(definition.AddEvents)];
      job.deleteEvents = eventNames(definition.DeleteEvents);
      job.needsConfirm = definition.Confirm === true || definition.Confirm === 'true';
      job.held = request.hold === true;
      job.status = job.needsConfirm ? 'Wait User' : 'Wait Condition';
      this.log(job, logText('ordered', { job: name, folder: folder.name, orderDate, user: request.user }));
      if (job.held) this.log(job, logText('held', { user: request.user }));
      run.orderIds.push(job.orderId);
    }
    this.world.runs[runId] = run;
    this.settle();
    return run;
  }

  /** Carry out a job action as `user`; returns the API's message. */
  act(jobId: string, action: JobAction, user: string): string {
    const job = this.instance(jobId);
    const refuse = (): never => {
      throw apiError('actionNotAllowed', { action, jobId, status: job.held && action === 'rerun' ? 'held' : job.status });
    };
    switch (action) {
      case 'hold':
        if (job.deleted) refuse();
        job.held = true;
        this.log(job, logText('held', { user }));
        break;
      case 'free':
        if (!job.held) refuse();
        job.held = false;
        this.log(job, logText('freed', { user }));
        break;
      case 'kill':
        if (job.status !== 'Executing' || !this.work.kill(job.orderId)) refuse();
        this.log(job, logText('killed', { user }));
        break;
      case 'rerun':
        if (!ENDED.has(job.status) || job.held || job.type === 'Folder') refuse();
        job.status = 'Wait Condition';
        job.endTime = null;
        this.log(job, logText('rerun', { user }));
        break;
      case 'confirm':
        if (!job.needsConfirm || job.status !== 'Wait User') refuse();
        job.needsConfirm = false;
        job.status = 'Wait Condition';
        this.log(job, logText('confirmed', { user }));
        break;
      case 'setToOk':
        if (job.status === 'Executing' || job.type === 'Folder') refuse();
        this.log(job, logText('setToOk', { user }));
        this.finish(job, 'Ended OK', job.exitCode ?? 0);
        break;
      case 'runNow':
        if (ENDED.has(job.status) || job.status === 'Executing' || job.type === 'Folder') refuse();
        this.log(job, logText('runNow', { user }));
        job.needsConfirm = false;
        this.submit(job, true);
        break;
      case 'delete':
        if (job.status === 'Executing') refuse();
        job.deleted = true;
        break;
      case 'undelete':
        if (!job.deleted) refuse();
        job.deleted = false;
        break;
    }
    this.settle();
    return controlmData.texts.actionDone.replace('{action}', action).replace('{jobId}', jobId);
  }

  /** Add a condition (event) for an order date (`MMDD` or `YYMMDD`; `ODAT` = today). */
  addEvent(ctm: string, name: string, date: string): void {
    if (ctm !== this.server) throw apiError('wrongServer', { ctm, own: this.server });
    this.world.events[`${name}|${eventDate(date)}`] = Date.now();
    this.settle();
  }

  /** Delete a condition. */
  deleteEvent(ctm: string, name: string, date: string): void {
    if (ctm !== this.server) throw apiError('wrongServer', { ctm, own: this.server });
    delete this.world.events[`${name}|${eventDate(date)}`];
    this.save();
  }

  /** A job's output of run `runNo` (0 = the last). */
  output(jobId: string, runNo: number): string {
    const job = this.instance(jobId);
    const index = runNo <= 0 ? job.outputs.length - 1 : runNo - 1;
    const file = job.outputs[index];
    if (!file) throw apiError('noOutput', { jobId });
    try {
      return readFileSync(file, 'utf8');
    } catch {
      throw apiError('noOutput', { jobId });
    }
  }

  /** A job's log as text. */
  logOf(jobId: string): string {
    const job = this.instance(jobId);
    return job.log.map((line) => fillLine(job, line.time, line.run, line.text)).join('\n') + '\n';
  }

  /** Stop every running job (it ends not OK), cancel timers and write the state. */
  async close(): Promise<void> {
    for (const orderId of await this.work.stop()) {
      const job = this.world.jobs[orderId];
      if (job?.status === 'Executing') this.end(job, 'Ended Not OK', 143);
    }
    this.save();
  }

  // ---- running jobs ----------------------------------------------------------------------------

  // Start every job whose conditions hold and that nothing holds back; complete folder rows.
  private settle(): void {
    for (const job of this.instances()) {
      if (job.type === 'Folder' || job.deleted || job.held || job.status !== 'Wait Condition') continue;
      if (job.waitFor.every((event) => this.world.events[`${event}|${job.orderDate}`] !== undefined)) this.submit(job, false);
    }
    for (const folder of this.instances().filter((j) => j.type === 'Folder' && j.status === 'Executing')) {
      const members = this.instances().filter((j) => j.folderOrderId === folder.orderId && j.type !== 'Folder' && !j.deleted);
      if (members.every((j) => ENDED.has(j.status))) {
        folder.status = members.every((j) => j.status === 'Ended OK') ? 'Ended OK' : 'Ended Not OK';
        folder.endTime = Date.now();
      } 
    }
    this.save();
  }

  private submit(job: JobInstance, now: boolean): void {
    if (this.submitting.has(job.orderId)) return;
    this.submitting.add(job.orderId);
    this.later(this.timings.submitMs, () => {
      this.submitting.delete(job.orderId);
      if (job.deleted || (!now && (job.held || job.status !== 'Wait Condition'))) return;
      if (now && (job.status === 'Executing' || ENDED.has(job.status))) return;
      this.execute(job);
      this.settle();
    });
  }

  private execute(job: JobInstance): void {
    job.numberOfRuns++;
    job.startTime = Date.now();
    job.endTime = null;
    job.status = 'Executing';
    const run = job.numberOfRuns;
    const outputFile = join(this.outputDir, `${job.orderId}.${run}.txt`);
    job.outputs.push(outputFile);
    this.log(job, logText('submitted', { host: job.host || 'localhost' }));
    const command = this.commandOf(job);
    if (command === undefined) {
      // Job:Dummy ends OK at once; other plug-in types cannot run here.
      if (job.type === 'Dummy') this.finish(job, 'Ended OK', 0);
      else {
        startJobProcess({ command: `echo "The sandbox does not run jobs of type ${job.type}" >&2; exit 1`, cwd: this.cwd(), env: jobEnvironment({ ...this.options.jobEnv?.() }), stdoutFile: outputFile, stderrFile: outputFile })
          .done.then(() => { if (!this.work.closed && job.status === 'Executing') { this.finish(job, 'Ended Not OK', 1); this.settle(); } });
      }
      return;
    }
    const process = startJobProcess({
      command, cwd: this.cwd(), stdoutFile: outputFile, stderrFile: outputFile,
      env: jobEnvironment({ ...this.options.jobEnv?.(), ...job.variables, JOBNAME: job.name, ORDERID: job.orderId, RUNCOUNT: String(run), ODATE: job.orderDate }),
    });
    this.work.processes.set(job.orderId, process);
    this.log(job, logText('started', { pid: process.pid ?? '?' }));
    void process.done.then((exit) => {
      this.work.processes.delete(job.orderId);
      if (this.work.closed || job.status !== 'Executing' || job.numberOfRuns !== run) return;
      const killed = this.work.killed.delete(job.orderId);
      const code = exit.code ?? (killed ? 143 : 1);
      this.finish(job, code === 0 && !killed && !exit.error ? 'Ended OK' : 'Ended Not OK', code);
      this.settle();
    });
  }

  private commandOf(job: JobInstance): string | undefined {
    const d = job.definition;
    let command: string | undefined;
    if (d.Type === 'Job:Command') command = String(d.Command ?? '');
    else if (d.Type === 'Job:Script') {
      const path = [d.FilePath, d.FileName].filter((p) => typeof p === 'string' && p !== '').join('/').replace(/\/+/g, '/');
      const args = Array.isArray(d.Arguments) ? d.Arguments.map((a) => ` '${String(a).replace(/'/g, "'\\''")}'`).join('') : '';
      command = `'${path.replace(/'/g, "'\\''")}'${args}`;
    }
    if (command === undefined) return undefined;
    const values: Record<string, string> = { ...job.variables, JOBNAME: job.name, ORDERID: job.orderId, RUNCOUNT: String(job.numberOfRuns), ODATE: job.orderDate };
    return command.replace(/%%([A-Za-z_][A-Za-z0-9_]*)/g, (whole, name: string) => values[name] ?? whole);
  }

  private finish(job: JobInstance, status: 'Ended OK' | 'Ended Not OK', code: number): void {
    this.end(job, status, code);
    const date = job.orderDate;
    if (status === 'Ended OK') {
      for (const event of job.addEvents) {
        this.world.events[`${event}|${date}`] = Date.now();
        this.log(job, logText('addEvent', { event }));
      }
      for (const event of job.deleteEvents) delete this.world.events[`${event}|${date}`];
    }
    this.applyIfBlocks(job, status);
    if (job.status === 'Ended Not OK') this.maybeRerun(job);
  }

  private end(job: JobInstance, status: 'Ended OK' | 'Ended Not OK', code: number): void {
    job.status = status;
    job.exitCode = code;
    job.endTime = Date.now();
    this.options.log?.(`controlm: ${job.folder}/${job.name} ${this.jobId(job)} ${status} (exit ${code}, run ${job.numberOfRuns})`);
    this.log(job, logText(status === 'Ended OK' ? 'endedOk' : 'endedNotOk', { exit: code }));
  }

  // `If:CompletionStatus` blocks: mail and notify actions are logged; SetToOK/SetToNotOK applied.
  private applyIfBlocks(job: JobInstance, status: string): void {
    for (const [name, block] of Object.entries(job.definition)) {
      if (!isObject(block) || (block.Type !== 'If:CompletionStatus' && block.Type !== 'If')) continue;
      const wanted = String(block.CompletionStatus ?? '').toUpperCase();
      const matches = wanted === 'ANY' || (wanted === 'OK' && status === 'Ended OK') || (wanted === 'NOTOK' && status === 'Ended Not OK');
      if (!matches) continue;
      for (const [actionName, action] of Object.entries(block)) {
        if (!isObject(action)) continue;
        if (action.Type === 'Action:Mail') this.log(job, `${name}/${actionName}: mail to ${String(action.To ?? '')}: ${String(action.Subject ?? '').replace(/%%JOBNAME/g, job.name)}`);
        else if (action.Type === 'Action:Notify') this.log(job, `${name}/${actionName}: notify ${String(action.Destination ?? 'Alerts')}: ${String(action.Message ?? '')}`);
        else if (action.Type === 'Action:SetToOK' && job.status !== 'Ended OK') this.finish(job, 'Ended OK', job.exitCode ?? 0);
        else if (action.Type === 'Action:SetToNotOK' && job.status !== 'Ended Not OK') this.end(job, 'Ended Not OK', job.exitCode ?? 1);
        else if (action.Type === 'Action:Rerun') this.log(job, `${name}/${actionName}: rerun (bounded by RerunLimit)`);
      }
    }
  }

  // RerunLimit {Times, Every, Units}: a job that ends not OK runs again, up to Times, Every units apart.
  private maybeRerun(job: JobInstance): void {
    const limit = job.definition.RerunLimit;
    if (!isObject(limit)) return;
    const times = Number(limit.Times ?? 0);
    if (!(job.autoReruns < times)) return;
    job.autoReruns++;
    this.log(job, logText('autoRerun', { number: job.autoReruns, limit: times }));
    const every = Number(limit.Every ?? 0);
    const unit = this.timings.rerunUnitMs ?? UNIT_MS[String(limit.Units ?? 'Minutes')] ?? 60_000;
    this.later(every * unit, () => {
      if (job.status !== 'Ended Not OK' || job.held) return;
      job.status = 'Wait Condition';
      this.settle();
    });
  }

  // ---- helpers -------------------------------------------------------------------------------------

  private newInstance(runId: string, folderOrderId: string, name: string, folder: string, type: string, definition: Record<string, unknown>, orderDate: string, variables: Record<string, string>): JobInstance {
    const orderId = String(this.world.nextOrder++).padStart(5, '0');
    const own: Record<string, string> = { ...variables };
    for (const entry of asVariables(definition.Variables)) {
      for (const [key, value] of Object.entries(entry)) own[key.replace(/^%%/, '')] = String(value);
    }
    const job: JobInstance = {
      orderId, runId, folderOrderId, name, folder, type, definition, status: 'Wait Condition', held: false, deleted: false,
      numberOfRuns: 0, startTime: null, endTime: null, orderDate, host: String(definition.Host ?? ''),
      application: String(definition.Application ?? ''), subApplication: String(definition.SubApplication ?? ''),
      description: String(definition.Description ?? ''), waitFor: [], addEvents: [], deleteEvents: [], needsConfirm: false,
      autoReruns: 0, exitCode: null, outputs: [], variables: own, log: [],
    };
    this.world.jobs[orderId] = job;
    return job;
  }

  private log(job: JobInstance, text: string): void {
    job.log.push({ time: Date.now(), run: job.numberOfRuns, text });
    if (job.log.length > 500) job.log.splice(0, job.log.length - 500);
  }

  private cwd(): string {
    return this.options.jobCwd ?? process.cwd();
  }

  private later(ms: number, work: () => void): void {
    this.work.later(ms, work);
  }

  private save(): void {
    writeState(this.statePath, this.world);
    this.work.changed();
  }

  // After a restart the processes of the previous server are gone: what was executing ended not OK.
  private recover(): void {
    for (const job of Object.values(this.world.jobs)) {
      if (job.type !== 'Folder' && job.status === 'Executing') {
        this.log(job, logText('restarted'));
        this.end(job, 'Ended Not OK', 143);
      }
    }
    this.later(0, () => this.settle());
  }
}

// Conditions are kept per order date `YYMMDD`; the API takes `MMDD` or `ODAT` (today).
function eventDate(date: string): string {
  const today = todayOrderDate();
  if (date === 'ODAT' || date === '') return today;
  return date.length === 4 ? today.slice(0, 2) + date : date.slice(-6);
}

/** `server:orderId`, also with the colon URL-encoded. */
function splitJobId(jobId: string): [string, string | undefined] {
  const decoded = decodeURIComponent(jobId);
  const at = decoded.lastIndexOf(':');
  return at < 0 ? [decoded, undefined] : [decoded.slice(0, at), decoded.slice(at + 1)];
}

function fillLine(job: JobInstance, time: number, run: number, text: string): string {
  const d = new Date(time);
  const two = (n: number) => String(n).padStart(2, '0');
  const stamp = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
  return controlmData.log.line.replace('{time}', stamp).replace('{orderId}', job.orderId).replace('{run}', String(run)).replace('{text}', text);
}

function parseDefinitions(file: string, content: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch (error) {
    const reason = (error as Error).message;
    const position = /position (\d+)/.exec(reason);
    const extra: Record<string, unknown> = { file };
    if (position) {
      const before = content.slice(0, Number(position[1]));
      extra.line = before.split('\n').length;
      extra.col = before.length - before.lastIndexOf('\n');
    }
    throw apiError('badJson', { file, reason }, extra);
  }
  if (!isObject(parsed)) throw apiError('badDefinition', { file, reason: 'the top level must be an object of named objects' }, { file });
  for (const [name, value] of Object.entries(parsed)) {
    if (!isObject(value) || typeof value.Type !== 'string') {
      throw apiError('badDefinition', { file, reason: `${name} has no "Type"` }, { file, item: name });
    }
  }
  return parsed;
}

// The jobs of a folder, checked: each needs what its type runs, and a Flow names only those jobs.
function folderJobs(file: string, folderName: string, folder: Record<string, unknown>): string[] {
  const jobs: string[] = [];
  for (const [name, value] of Object.entries(folder)) {
    if (!isObject(value) || typeof value.Type !== 'string' || !value.Type.startsWith('Job:')) continue;
    if (value.Type === 'Job:Command' && (typeof value.Command !== 'string' || value.Command.trim() === '')) {
      throw apiError('badDefinition', { file, reason: `${folderName}/${name}: Job:Command needs "Command"` }, { file, item: `${folderName}/${name}` });
    }
    if (value.Type === 'Job:Script' && typeof value.FileName !== 'string') {
      throw apiError('badDefinition', { file, reason: `${folderName}/${name}: Job:Script needs "FileName"` }, { file, item: `${folderName}/${name}` });
    }
    jobs.push(name);
  }
  for (const [name, value] of Object.entries(folder)) {
    if (!isObject(value) || value.Type !== 'Flow') continue;
    const sequence = value.Sequence;
    if (!Array.isArray(sequence) || sequence.length < 2) {
      throw apiError('badDefinition', { file, reason: `${folderName}/${name}: a Flow needs a "Sequence" of at least two jobs` }, { file, item: `${folderName}/${name}` });
    }
    for (const step of sequence) {
      if (!jobs.includes(String(step))) {
        throw apiError('badDefinition', { file, reason: `${folderName}/${name}: "${String(step)}" is not a job of folder ${folderName}` }, { file, item: `${folderName}/${name}` });
      }
    }
  }
  return jobs;
}

function flowPredecessors(folder: Record<string, unknown>): Map<string, string[]> {
  const before = new Map<string, string[]>();
  for (const value of Object.values(folder)) {
    if (!isObject(value) || value.Type !== 'Flow' || !Array.isArray(value.Sequence)) continue;
    const sequence = value.Sequence.map(String);
    for (let i = 1; i < sequence.length; i++) {
      const list = before.get(sequence[i]!) ?? [];
      if (!list.includes(sequence[i - 1]!)) list.push(sequence[i - 1]!);
      before.set(sequence[i]!, list);
    }
  }
  return before;
}

function successorsOf(predecessors: Map<string, string[]>, name: string): string[] {
  return [...predecessors.entries()].filter(([, before]) => before.includes(name)).map(([after]) => after);
}

// Flow conditions are scoped to one order of the folder, so a second order the same day does not
// see the first one's events.
function flowEvent(scope: string, from: string, to: string): string {
  return `${from}-TO-${to}@${scope}`;
}

function eventNames(block: unknown): string[] {
  if (!isObject(block) || !Array.isArray(block.Events)) return [];
  return block.Events.map((e) => (isObject(e) ? String(e.Event ?? '') : String(e))).filter(Boolean);
}

function asVariables(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

function jobTypeWord(type: unknown): string {
  const text = String(type ?? '');
  return text.startsWith('Job:') ? text.slice(4).split(':')[0]! : text;
}

function wildcard(pattern: string): RegExp {
  return new RegExp('^' + pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
}

function pick(source: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => source[key] !== undefined).map((key) => [key, source[key]]));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}


// The runner: the one thing that starts work. It opens the run (lock, resume, variables), then
// loops — read the state, do what `nextWork` says, fold the events in — and writes the record
// before every process it starts, so a crash at any point leaves a record that tells the truth.
// Faces (the TUI, `baton exec`) only read the state, subscribe to events and dispatch intents.
import { closeSync, existsSync, openSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Environment } from '../config/environment.js';
import { executorFor } from '../executors/index.js';
import type { ExecutionContext, Executor, RunScope } from '../executors/types.js';
import type { Action, ActionKind, Runbook, Step } from '../runbook/model.js';
import { fillTemplate } from '../runbook/template.js';
import { acquireLock, describeHolder, processAlive, releaseLock, takeOverLock, type LockHolder } from '../store/lock.js';
import type { AnswerVia, Decision, RunRecord, RunStatus, StepRecord } from '../store/record.js';
import { RESUMABLE_STATUSES } from '../store/record.js';
import { newRunId } from '../store/run-id.js';
import { StateError, type RunStore } from '../store/runs.js';
import { TIMEOUT, capturedFields, capturedValue, runAttempt, type AttemptOutcome } from './attempt.js';
import type { RunEvent } from './events.js';
import { resultTable } from './result-table.js';
import { OVERRIDE_FLAG, decideGuard } from './guard.js';
import { refusal, type Intent, type IntentResult } from './intents.js';
import { nextWork } from './next.js';
import { initialState, isFinishedAction, isFinishedStep, reduce } from './reducer.js';
import { attemptLogName, changedSteps, findStep, firstUnfinished, newRecord, realign, runnableActions, unknownOutcomes } from './resume.js';
import type { Question, Refusal, RunMode, RunState } from './state.js';
import { lookupIn, resolveVariables, shownVariables, unknownVars, valueProblem, type VariableValue } from './variables.js';

/** Hands the terminal to an `interactive` action's child and takes it back (the TUI pauses rendering). */
export interface TerminalHandover {
  release(): Promise<void> | void;
  reclaim(): Promise<void> | void;
}

/** Everything a run needs. */
export interface RunOptions {
  runbook: Runbook;
  environment: Environment;
  operator: string;
  store: RunStore;
  /** `auto` (headless) advances by itself; `step` (TUI) waits for a `run` intent per step. Default `auto`. */
  mode?: RunMode;
  /** Show every action with its variables filled in and run nothing: a practice run. */
  dryRun?: boolean;
  /** `--var K=V` values. */
  vars?: Record<string, string>;
  /** Start at this step (id, 1-based number or title); unfinished steps before it are skipped, recorded. */
  from?: string;
  /** Run only this step, then pause. */
  only?: string;
  /** Take over a lock whose holder is gone without asking (`--take-over`). */
  takeOver?: boolean;
  /** Settle unknown outcomes without asking (`--on-unknown`). */
  onUnknown?: 'rerun' | 'mark-done' | 'skip';
  /** Start a new run even if an unfinished one exists; the old one is recorded as abandoned (`--new`). */
  fresh?: boolean;
  /** `--i-know-what-i-am-doing`: no guard questions in a protected environment; recorded. */
  override?: boolean;
  /** The executor for a kind of action; default: the registry in src/executors. */
  executors?: (kind: ActionKind) => Promise<Executor> | undefined;
  /** Find a runbook by id for `on-fail=runbook:<id>` fallback runs. */
  resolveRunbook?: (id: string) => Promise<Runbook | { problem: string }>;
  terminal?: TerminalHandover;
  /** Process environment for `from-env` variables. Default `process.env`. */
  processEnv?: NodeJS.ProcessEnv;
  now?: () => Date;
  /** Delay before the first retry when the action sets none. Default 2 s. */
  defaultRetryDelayMs?: number;
  /** Set on fallback runs: the run and action that started it. */
  parent?: RunRecord['parent'];
}

/** Called after every event with the new state. */
export type RunListener = (state: RunState, event: RunEvent) => void;

/** An answer as the runner hands it to whoever asked. */
interface Answer {
  value: string;
  note?: string;
  by: string;
  via: AnswerVia;
}

type StepOutcome = 'next' | 'stop' | 'halt';

/** How long changes are gathered before the record is written (durable points write at once). */
const SAVE_DELAY_MS = 200;

/** Question ids are unique in the process, so an answer can never reach another run's question. */
let questionCount = 0;

/** Start a run; it opens itself (lock, resume, questions) and then proceeds per its mode. */
export function startRun(options: RunOptions): Run {
  return new Run(options);
}

/** One live run: read its state, subscribe to its events, dispatch intents. */
export class Run {
  /** Resolves with the final state once the run has ended and its record is written. */
  readonly finished: Promise<RunState>;
  readonly #options: RunOptions;
  readonly #now: () => Date;
  #state: RunState;
  readonly #listeners = new Set<RunListener>();
  readonly #asks = new Map<string, (answer: Answer | undefined) => void>();
  /** Timeline entries decided while opening, before the record is in the state. */
  readonly #pendingTimeline: RunRecord['timeline'] = [];
  #wake?: () => void;
  #stop?: { status: 'aborted' | 'paused'; reason: string };
  #attemptController?: AbortController;
  readonly #sleeps = new Set<() => void>();
  #stopWatch = false;
  /** Set by a `cancel` intent: the running attempt was stopped by the operator, not the run. */
  #cancelledBy?: string;
  readonly #values = new Map<string, VariableValue>();
  readonly #captured = new Map<string, Record<string, unknown>>();
  readonly #secrets = new Set<string>();
  #lock?: LockHolder;
  #child?: Run;
  readonly #targets = new Map<ActionKind, string>();
  readonly #scope: RunScopeImpl;
  #lastSaved?: RunRecord;
  #saveLoop?: Promise<void>;
  #saveTimer?: NodeJS.Timeout;
  #logDir?: string;
  #dirty = false;
  #saveError?: StateError;

  constructor(options: RunOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
    this.#state = initialState({
      runbook: options.runbook,
      environment: { name: options.environment.name, protected: options.environment.protected },
      operator: options.operator,
      mode: options.mode ?? 'auto',
      dryRun: Boolean(options.dryRun),
      ...(options.only ? { only: findStep(options.runbook, options.only)?.id ?? options.only } : {}),
    });
    this.#scope = new RunScopeImpl();
    this.finished = this.#main();
  }

  /** The current state. */
  getState(): RunState {
    return this.#state;
  }

  /** Listen to every event; returns the function that stops listening. */
  subscribe(listener: RunListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Ask the runner to do something; refused (with the reason) when the state has moved on. */
  dispatch(intent: Intent): IntentResult {
    const child = this.#child;
    if (child && intent.type !== 'abort' && !(intent.type === 'answer' && this.#asks.has(intent.questionId))) {
      return child.dispatch(intent);
    }
    const why = refusal(this.#state, intent);
    if (why) return { accepted: false, reason: why };
    const by = intent.by ?? this.#options.operator;
    const at = this.#iso();
    switch (intent.type) {
      case 'run':
        if (this.#state.dryRun && !this.#state.record!.practice) void this.#previewStep(this.#state.cursor);
        else this.#apply({ type: 'step-started', stepId: intent.stepId, at });
        break;
      case 'skip':
        for (const question of this.#state.questions.filter((q) => q.stepId === intent.stepId)) this.#cancelAsk(question.id);
        this.#apply({ type: 'step-skipped', stepId: intent.stepId, reason: intent.reason.trim(), by, via: 'operator', at });
        break;
      case 'retry': {
        const step = this.#state.record!.steps[this.#state.cursor]!;
        this.#apply({ type: 'step-reopened', stepId: step.id, actionIds: reopenable(step), at });
        break;
      }
      case 'confirm-check':
      case 'fail-check': {
        const status = intent.type === 'confirm-check' ? 'confirmed' : 'failed';
        const asked = this.#state.questions.find((q) => q.kind === 'check' && q.checkId === intent.checkId);
        if (asked) {
          this.#resolveAsk(asked.id, { value: status, ...(intent.note ? { note: intent.note } : {}), by, via: 'operator' });
        } else {
          this.#apply({ type: 'check-answered', stepId: intent.stepId, checkId: intent.checkId, status, by, via: 'operator', at, ...(intent.note ? { note: intent.note } : {}) });
        }
        break;
      }
      case 'note':
        this.#apply({ type: 'note-added', note: { at, by, text: intent.text.trim(), ...(intent.stepId ? { stepId: intent.stepId } : {}) } });
        break;
      case 'jump': {
        const index = this.#state.record!.steps.findIndex((s) => s.id === intent.stepId);
        this.#apply({ type: 'cursor-moved', index });
        this.#apply({ type: 'timeline', entry: { at, kind: 'jumped', by, stepId: intent.stepId, text: `${by} moved to step ${index + 1} (${intent.stepId})` } });
        break;
      }
      case 'set-dry-run':
      case 'toggle-dry-run': {
        const on = intent.type === 'set-dry-run' ? intent.on : !this.#state.dryRun;
        if (on !== this.#state.dryRun) {
          this.#apply({ type: 'dry-run-set', on });
          this.#apply({ type: 'timeline', entry: { at, kind: 'dry-run', by, text: `dry run ${on ? 'on' : 'off'}` } });
        }
        break;
      }
      case 'set-mode':
        this.#apply({ type: 'mode-set', mode: intent.mode });
        break;
      case 'stop-watch':
        this.#stopWatch = true;
        this.#cancelSleeps();
        break;
      case 'answer': {
        const question = this.#state.questions.find((q) => q.id === intent.questionId)!;
        const problem = answerProblem(question, intent.value);
        if (problem) return { accepted: false, reason: problem };
        const value = question.input?.default !== undefined && intent.value === '' ? question.input.default : intent.value;
        this.#resolveAsk(question.id, { value, ...(intent.note ? { note: intent.note } : {}), by, via: intent.via ?? 'operator' });
        break;
      }
      case 'cancel':
        this.#cancelledBy = by;
        this.#attemptController?.abort();
        this.#cancelSleeps();
        break;
      case 'pause':
        this.#stop = { status: 'paused', reason: `paused by ${by}` };
        this.#cancelAllAsks();
        break;
      case 'abort':
        this.#stop = { status: 'aborted', reason: intent.reason ?? `aborted by ${by}` };
        this.#attemptController?.abort();
        this.#cancelAllAsks();
        this.#cancelSleeps();
        child?.dispatch(intent);
        break;
    }
    this.#wake?.();
    return { accepted: true };
  }

  // ── lifecycle ────────────────────────────────────────────────────────────────────────────

  async #main(): Promise<RunState> {
    // Let the caller subscribe before the first event.
    await Promise.resolve();
    try {
      await this.#open();
      if (this.#state.phase === 'preparing') {
        // A question while opening was withdrawn (abort, or no one to answer it).
        this.#refuse({ kind: 'declined', message: this.#stop?.reason ?? 'not started' });
      }
      if (this.#state.phase === 'running') await this.#drive();
    } catch (error) {
      await this.#crash(error);
    } finally {
      await this.#close();
    }
    return this.#state;
  }

  async #drive(): Promise<void> {
    while (this.#state.phase === 'running') {
      if (this.#stop) {
        await this.#end(this.#stop.status, this.#stop.reason);
        break;
      }
      const work = nextWork(this.#state);
      if (!work) {
        await this.#idle();
        continue;
      }
      const before = this.#state;
      switch (work.kind) {
        case 'end':
          await this.#end(work.status, work.reason);
          break;
        case 'move':
          this.#apply({ type: 'cursor-moved', index: work.index });
          break;
        case 'start-step':
          this.#apply({ type: 'step-started', stepId: this.#state.record!.steps[work.index]!.id, at: this.#iso() });
          break;
        case 'continue-step':
          await this.#continueStep(work.index);
          break;
      }
      // Work that changed nothing (a question withdrawn) waits for the operator instead of spinning.
      if (this.#state === before && !this.#stop) await this.#idle();
    }
  }

  #idle(): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = () => {
        this.#wake = undefined;
        resolve();
      };
    });
  }

  async #end(status: RunStatus, reason?: string): Promise<void> {
    if (this.#state.phase !== 'running') return;
    const at = this.#iso();
    const record = this.#state.record!;
    const done = record.steps.filter(isFinishedStep).length;
    this.#apply({
      type: 'timeline',
      entry: { at, kind: 'ended', text: `${status}${reason ? `: ${reason}` : ''} (${done}/${record.steps.length} steps finished)` },
    });
    this.#apply({ type: 'run-ended', status, at, ...(reason ? { reason } : {}) });
  }

  async #crash(error: unknown): Promise<void> {
    const message = error instanceof StateError ? error.message : `internal error: ${(error as Error)?.stack ?? String(error)}`;
    if (this.#state.phase === 'running') {
      this.#message('error', message);
      this.#attemptController?.abort();
      await this.#end('failed', message);
    } else if (this.#state.phase === 'preparing') {
      this.#apply({ type: 'refused', refusal: { kind: error instanceof StateError ? 'state' : 'invalid', message } });
    }
  }

  async #close(): Promise<void> {
    try {
      await this.#flush();
    } catch (error) {
      await this.#emergencyCopy(error);
    }
    if (this.#lock) await releaseLock(this.#options.store.stateDir, this.#lock.runbookId, this.#lock.environment, this.#lock.runId);
    await this.#scope.close();
  }

  /** The record could not be written: keep a copy where it can be, and say where. */
  async #emergencyCopy(error: unknown): Promise<void> {
    const record = this.#state.record;
    if (!record) return;
    const path = join(tmpdir(), `baton-${record.id}.json`);
    try {
      await writeFile(path, JSON.stringify(record, null, 1) + '\n', 'utf8');
      this.#message('error', `${(error as Error).message}; the latest record was written to ${path} instead`);
    } catch {
      this.#message('error', `${(error as Error).message}; the latest record could not be written anywhere`);
    }
  }

  // ── opening: lock, resume, variables ────────────────────────────────────────────────────

  async #open(): Promise<void> {
    const o = this.#options;
    const runbook = o.runbook;
    const env = this.#state.environment;
    const at = this.#iso();
    const practice = Boolean(o.dryRun);
    if (runbook.environments && !runbook.environments.includes(env.name)) {
      return this.#refuse({ kind: 'invalid', message: `${runbook.path}: runs only in ${runbook.environments.join(', ')}, not in ${env.name}` });
    }
    const unknown = unknownVars(runbook.variables, o.vars ?? {});
    if (unknown.length > 0) return this.#refuse({ kind: 'invalid', message: unknown.join('; ') });
    for (const ref of [o.from, o.only]) {
      if (ref !== undefined && !findStep(runbook, ref)) return this.#refuse({ kind: 'invalid', message: `no step "${ref}" in ${runbook.path}` });
    }
    const decisions: Decision[] = [];
    if (!practice && !(await this.#requirementsMet(decisions))) return;

    // An unfinished run of this runbook here is continued, unless a fresh one was asked for.
    let previous: RunRecord | undefined;
    const setAside: string[] = [];
    if (!practice) previous = await this.#findResumable(setAside);
    if (previous && o.fresh) {
      await this.#abandon(previous, at);
      previous = undefined;
    }
    const runId = previous?.id ?? newRunId(runbook.id, env.name, this.#now());
    const session = { operator: o.operator, host: hostname(), pid: process.pid, startedAt: at };
    if (!practice && !(await this.#takeLock(runId, at, decisions))) return;

    let scratch: RunState;
    let resumed = false;
    if (previous) {
      const changes = changedSteps(previous, runbook);
      if (changes.length > 0) {
        const answer = await this.#askRunbookChanged(changes.map((c) => `${c.change}: ${c.title} (${c.stepId})`), decisions);
        if (!answer) return;
        if (answer === 'new') {
          await this.#abandon(previous, at);
          previous = undefined;
        } else {
          previous = realign(previous, runbook);
        }
      }
    }
    if (previous) {
      resumed = true;
      const { endedAt: _ended, ...rest } = previous;
      scratch = {
        ...this.#state,
        phase: 'running',
        record: {
          ...rest,
          status: 'running',
          sessions: [...previous.sessions, session],
          timeline: [...previous.timeline, { at, kind: 'resumed', by: o.operator, text: `resumed by ${o.operator} on ${session.host}` }],
        },
      };
      scratch = await this.#settle(scratch, decisions);
      if (this.#state.phase === 'ended' || this.#stop) return this.#refuse({ kind: 'declined', message: this.#stop?.reason ?? 'stopped' });
    } else {
      const record = newRecord({ id: runId, runbook, environment: env, operator: o.operator, practice, at, session, ...(o.parent ? { parent: o.parent } : {}) });
      scratch = { ...this.#state, phase: 'running', record };
    }
    for (const entry of this.#pendingTimeline.splice(0)) scratch = reduce(scratch, { type: 'timeline', entry });
    for (const path of setAside) {
      scratch = reduce(scratch, { type: 'timeline', entry: { at, kind: 'record-set-aside', text: `an unreadable record was moved to ${path}` } });
    }

    if (!(await this.#resolveAllVariables(scratch.record!, decisions))) return;
    scratch = reduce(scratch, { type: 'variables-set', variables: shownVariables(this.#values) });
    for (const decision of decisions) scratch = reduce(scratch, { type: 'decision', decision });
    if (o.override && env.protected) {
      scratch = {
        ...scratch,
        record: { ...scratch.record!, override: { flag: OVERRIDE_FLAG, by: o.operator, at } },
      };
    }

    let cursor = firstUnfinished(scratch.record!);
    if (o.from !== undefined) {
      const from = findStep(runbook, o.from)!;
      for (const step of scratch.record!.steps.slice(0, from.index)) {
        if (!isFinishedStep(step)) {
          scratch = reduce(scratch, { type: 'step-skipped', stepId: step.id, reason: `started from step ${from.index + 1} (--from)`, by: o.operator, via: 'option', at });
        }
      }
      cursor = from.index;
    }
    if (o.only !== undefined) cursor = findStep(runbook, o.only)!.index;
    if (cursor < 0) cursor = scratch.record!.steps.length;

    // Written before the run is announced: if the state folder cannot take it, nothing has run.
    const record = { ...scratch.record!, updatedAt: this.#iso() };
    await o.store.save(record);
    this.#lastSaved = record;
    this.#apply({ type: 'run-opened', record, cursor, resumed, variables: scratch.variables });
    if (resumed) {
      const done = record.steps.filter(isFinishedStep).length;
      this.#message('info', `resuming run ${record.id} at step ${Math.min(cursor + 1, record.steps.length)}/${record.steps.length} (${done} finished)`);
    }
  }

  #refuse(refusalValue: Refusal): void {
    this.#apply({ type: 'refused', refusal: refusalValue });
  }

  async #requirementsMet(decisions: Decision[]): Promise<boolean> {
    const o = this.#options;
    const missing: string[] = [];
    for (const id of o.runbook.requires) {
      const { runs } = await o.store.list({ runbookId: id, environment: o.environment.name, status: ['done'], practice: false, limit: 1 });
      if (runs.length === 0) missing.push(id);
    }
    if (missing.length === 0) return true;
    const question = this.#question({
      kind: 'requires',
      text: `${o.runbook.id} requires ${missing.join(', ')}, which ${missing.length === 1 ? 'has' : 'have'} no finished run in ${o.environment.name}. Run it anyway?`,
      detail: [],
      options: yesNo(),
      ...(o.environment.protected ? {} : { assumeYes: 'yes' }),
    });
    const answer = await this.#ask(question);
    if (!answer) return false;
    decisions.push(this.#decision(question, answer));
    if (answer.value !== 'yes') {
      this.#refuse({ kind: 'declined', message: `not started: ${missing.join(', ')} must be finished in ${o.environment.name} first` });
      return false;
    }
    return true;
  }

  async #findResumable(setAside: string[]): Promise<RunRecord | undefined> {
    const o = this.#options;
    const { runs } = await o.store.list({ runbookId: o.runbook.id, environment: o.environment.name, status: [...RESUMABLE_STATUSES], practice: false });
    for (const summary of runs) {
      if (summary.parentRunId && !o.parent) continue;
      const read = await o.store.read(summary.id);
      if (read.ok) {
        if (RESUMABLE_STATUSES.includes(read.record.status) && !read.record.practice) return read.record;
        continue;
      }
      if (read.reason === 'corrupt') {
        const path = await o.store.setAside(summary.id);
        setAside.push(path);
        this.#message('warning', `${read.message} — it was moved to ${path} and a new run starts`);
      } else {
        this.#message('warning', read.message);
      }
    }
    return undefined;
  }

  async #abandon(previous: RunRecord, at: string): Promise<void> {
    const record: RunRecord = {
      ...previous,
      status: 'abandoned',
      endedAt: at,
      updatedAt: at,
      timeline: [...previous.timeline, { at, kind: 'ended', by: this.#options.operator, text: `abandoned by ${this.#options.operator}: a new run was started` }],
    };
    await this.#options.store.save(record);
    this.#message('info', `run ${previous.id} was left unfinished; it is recorded as abandoned and a new run starts`);
  }

  async #takeLock(runId: string, at: string, decisions: Decision[]): Promise<boolean> {
    const o = this.#options;
    const holder: LockHolder = { runId, runbookId: o.runbook.id, environment: o.environment.name, operator: o.operator, host: hostname(), pid: process.pid, since: at };
    const attempt = await acquireLock(o.store.stateDir, holder);
    if (attempt.acquired) {
      this.#lock = holder;
      return true;
    }
    const text = `${o.runbook.id} in ${o.environment.name} is ${describeHolder(attempt.holder)}`;
    if (attempt.liveness === 'alive' || (attempt.liveness === 'unknown' && !o.takeOver)) {
      const hint = attempt.liveness === 'unknown' ? ' (on another host: if that run is really gone, start again with --take-over)' : '';
      this.#refuse({ kind: 'locked', holder: attempt.holder, message: `${text}${hint}` });
      return false;
    }
    const question = this.#question({
      kind: 'take-over',
      text: `${text}, but that process is gone. Take the lock over?`,
      detail: [`lock file: ${attempt.path}`],
      options: yesNo(),
    });
    const answer = o.takeOver ? this.#auto(question, 'yes', 'option') : await this.#ask(question);
    if (!answer) return false;
    decisions.push(this.#decision(question, answer));
    if (answer.value !== 'yes') {
      this.#refuse({ kind: 'declined', message: `not started: the lock stays ${describeHolder(attempt.holder)}` });
      return false;
    }
    await takeOverLock(o.store.stateDir, holder);
    this.#lock = holder;
    this.#pendingTimeline.push({ at, kind: 'lock-taken-over', by: o.operator, text: `lock taken over from ${attempt.holder.operator} (pid ${attempt.holder.pid} on ${attempt.holder.host}, gone)` });
    return true;
  }

  async #askRunbookChanged(lines: string[], decisions: Decision[]): Promise<'continue' | 'new' | undefined> {
    const question = this.#question({
      kind: 'runbook-changed',
      text: `The runbook changed since this run started (${lines.length} step${lines.length === 1 ? '' : 's'}). Continue the run with the new text?`,
      detail: lines,
      options: [
        { value: 'continue', label: 'continue the run', key: 'c' },
        { value: 'new', label: 'start a new run', key: 'n' },
        { value: 'stop', label: 'stop here', key: 's' },
      ],
      assumeYes: 'continue',
    });
    const answer = await this.#ask(question);
    if (!answer) return undefined;
    decisions.push(this.#decision(question, answer));
    this.#pendingTimeline.push({ at: this.#iso(), kind: 'runbook-changed', by: answer.by, text: `runbook changed: ${lines.join('; ')}` });
    if (answer.value === 'stop') {
      this.#refuse({ kind: 'declined', message: 'not resumed: the runbook changed' });
      return undefined;
    }
    return answer.value as 'continue' | 'new';
  }

  /** Turn what the last session left open into decisions: unknown outcomes, aborted actions, failed steps. */
  async #settle(scratch: RunState, decisions: Decision[]): Promise<RunState> {
    const o = this.#options;
    let state = scratch;
    for (const entry of this.#pendingTimeline.splice(0)) state = reduce(state, { type: 'timeline', entry });
    state = await this.#attemptsFromLogs(state);
    for (const { step, action } of unknownOutcomes(state.record!)) {
      const last = action.attempts.at(-1);
      const still = last?.pid !== undefined && processAlive(last.pid) ? [`its process ${last.pid} still runs on this host`] : [];
      const question = this.#question({
        kind: 'unknown-outcome',
        text: `"${step.title}" was running ${last ? `(attempt ${last.n}, started ${last.startedAt} by ${last.operator})` : ''} when baton stopped; its outcome is unknown. What now?`,
        detail: [...(action.code ? action.code.split('\n').map((l) => `$ ${l}`) : []), ...still],
        options: unknownOptions(),
        stepId: step.id,
        actionId: action.id,
      });
      const answer = o.onUnknown ? this.#auto(question, o.onUnknown, 'option') : await this.#ask(question);
      if (!answer) return state;
      decisions.push(this.#decision(question, answer));
      state = reduce(state, settleEvent(step.id, action.id, answer, this.#iso()));
    }
    for (const step of state.record!.steps) {
      for (const action of step.actions) {
        if (action.status === 'aborted' && action.attempts.at(-1)?.status === 'aborted') {
          const question = this.#question({
            kind: 'unknown-outcome',
            text: `"${step.title}" was stopped part-way last time (attempt ${action.attempts.length}); it may have done some of its work. What now?`,
            detail: action.code ? action.code.split('\n').map((l) => `$ ${l}`) : [],
            options: unknownOptions(),
            stepId: step.id,
            actionId: action.id,
          });
          const answer = o.onUnknown ? this.#auto(question, o.onUnknown, 'option') : await this.#ask(question);
          if (!answer) return state;
          decisions.push(this.#decision(question, answer));
          state = reduce(state, settleEvent(step.id, action.id, answer, this.#iso()));
        } else if (action.status === 'aborted' || action.status === 'running') {
          state = reduce(state, { type: 'action-settled', stepId: step.id, actionId: action.id, status: 'pending', by: o.operator, via: 'rule', at: this.#iso() });
        }
      }
      const current = state.record!.steps.find((s) => s.id === step.id)!;
      if (current.status === 'failed') state = reduce(state, { type: 'step-reopened', stepId: step.id, actionIds: reopenable(current), at: this.#iso() });
    }
    return state;
  }

  /** Attempts that began (their log file exists) after the record was last written, as running ones. */
  async #attemptsFromLogs(scratch: RunState): Promise<RunState> {
    let state = scratch;
    const record = state.record!;
    const logDir = await this.#options.store.logDir(record.id);
    const operator = record.sessions.at(-2)?.operator ?? record.operator;
    for (const step of record.steps) {
      for (const action of step.actions) {
        const n = action.attempts.length + 1;
        const log = join(logDir, `${attemptLogName(step.index, action.id, n)}.log`);
        if (!existsSync(log)) continue;
        state = reduce(state, {
          type: 'attempt-started',
          stepId: step.id,
          actionId: action.id,
          interactive: false,
          attempt: { n, status: 'running', operator, startedAt: statSync(log).mtime.toISOString(), log: this.#options.store.relativePath(log) },
        });
      }
    }
    return { ...state, activity: undefined, output: undefined };
  }

  async #resolveAllVariables(record: RunRecord, decisions: Decision[]): Promise<boolean> {
    const o = this.#options;
    const started = new Date(record.startedAt);
    const resolved = resolveVariables({
      specs: o.runbook.variables,
      vars: o.vars ?? {},
      environment: o.environment,
      processEnv: o.processEnv ?? process.env,
      builtins: { env: o.environment.name, operator: o.operator, run_id: record.id, date: started.toISOString().slice(0, 10) },
      recorded: record.variables,
    });
    for (const [name, value] of resolved.values) this.#values.set(name, value);
    for (const variable of record.variables) {
      if (variable.source === 'capture' && variable.value !== undefined) this.#captured.set(variable.name, { value: variable.value });
    }
    for (const line of resolved.invalid) this.#message('warning', line);
    for (const spec of resolved.missing) {
      const question = this.#question({
        kind: 'variable',
        text: spec.prompt ?? `Value for ${spec.name}${spec.describe ? ` (${spec.describe})` : ''}?`,
        detail: spec.choices ? [`one of: ${spec.choices.join(', ')}`] : [],
        input: {
          ...(spec.secret ? { secret: true } : {}),
          ...(spec.choices ? { choices: spec.choices } : {}),
          ...(spec.pattern ? { pattern: spec.pattern } : {}),
        },
        variable: spec.name,
      });
      const answer = await this.#ask(question);
      if (!answer) return false;
      this.#values.set(spec.name, { value: answer.value, secret: spec.secret, source: 'prompt' });
      decisions.push({ ...this.#decision(question, answer), answer: spec.secret ? '(secret, not recorded)' : answer.value });
    }
    for (const value of this.#values.values()) if (value.secret && value.value !== '') this.#secrets.add(value.value);
    return true;
  }

  // ── steps and actions ───────────────────────────────────────────────────────────────────

  async #continueStep(index: number): Promise<void> {
    const spec = this.#options.runbook.steps[index]!;
    for (const action of runnableActions(spec)) {
      const recorded = this.#actionRecord(spec.id, action.id);
      if (!recorded || isFinishedAction(recorded, this.#state.record!.practice)) continue;
      const outcome = await this.#runAction(spec, action);
      if (outcome !== 'next') return;
    }
    const step = this.#stepRecord(spec.id)!;
    if (step.status !== 'running') return;
    if (!this.#state.record!.practice) {
      const pending = step.checks.filter((c) => c.status === 'pending');
      const asks = pending.map((check) => {
        const text = this.#shown(check.text);
        const question = this.#question({
          kind: 'check',
          text,
          detail: [`step ${spec.index + 1}: ${spec.title}`],
          options: [
            { value: 'confirmed', label: 'confirmed', key: 'y' },
            { value: 'failed', label: 'failed', key: 'n' },
          ],
          acceptsNote: true,
          assumeYes: 'confirmed',
          stepId: spec.id,
          checkId: check.id,
        });
        return this.#ask(question).then((answer) => {
          if (answer) {
            this.#apply({
              type: 'check-answered',
              stepId: spec.id,
              checkId: check.id,
              status: answer.value === 'confirmed' ? 'confirmed' : 'failed',
              text,
              by: answer.by,
              via: answer.via,
              at: this.#iso(),
              ...(answer.note ? { note: answer.note } : {}),
            });
          }
          return answer;
        });
      });
      const answers = await Promise.all(asks);
      if (answers.some((a) => a === undefined)) return;
    }
    const after = this.#stepRecord(spec.id)!;
    if (after.status !== 'running') return;
    const failed = after.checks.find((c) => c.status === 'failed');
    this.#apply({
      type: 'step-ended',
      stepId: spec.id,
      status: failed ? 'failed' : 'done',
      at: this.#iso(),
      ...(failed ? { failure: `check failed: ${failed.text}${failed.note ? ` — ${failed.note}` : ''}` } : {}),
    });
  }

  async #previewStep(index: number): Promise<void> {
    const spec = this.#options.runbook.steps[index]!;
    for (const action of runnableActions(spec)) {
      const prepared = await this.#prepareAction(spec, action);
      if (prepared.ok) this.#apply({ type: 'action-previewed', stepId: spec.id, actionId: action.id, code: prepared.shown, at: this.#iso() });
    }
  }

  async #prepareAction(
    step: Step,
    action: Action,
  ): Promise<{ ok: true; executor: Executor; code: string; shown: string } | { ok: false; message: string }> {
    const executor = await (this.#options.executors ?? executorFor)(action.kind);
    if (!executor) return { ok: false, message: `no executor for ${action.kind} actions in this build of baton` };
    const lookup = (name: string) => lookupIn(this.#values, name, this.#captured);
    let filled: ReturnType<typeof fillTemplate>;
    try {
      filled = executor.fill ? executor.fill(action.code, lookup) : fillTemplate(action.code, lookup);
    } catch (error) {
      // A value the executor will not place (e.g. `x; DROP TABLE y` where SQL wants a name): refuse, run nothing.
      return { ok: false, message: `${this.#options.runbook.path}:${action.pos.line}: refused, nothing ran: ${(error as Error).message}` };
    }
    for (const secret of filled.secrets) this.#secrets.add(secret);
    if (filled.missing.length > 0) {
      return { ok: false, message: `${this.#options.runbook.path}:${action.pos.line}: no value for ${filled.missing.map((m) => `{{${m}}}`).join(', ')} in step "${step.title}"` };
    }
    return { ok: true, executor, code: filled.text, shown: filled.shown };
  }

  async #runAction(step: Step, action: Action): Promise<StepOutcome> {
    const env = this.#state.environment;
    const at = this.#iso();
    if (action.attrs.env && !action.attrs.env.includes(env.name)) {
      this.#apply({ type: 'action-skipped', stepId: step.id, actionId: action.id, reason: `runs only in ${action.attrs.env.join(', ')}`, by: 'baton', via: 'rule', at });
      return 'next';
    }
    const prepared = await this.#prepareAction(step, action);
    if (!prepared.ok) return this.#failStep(step, action, prepared.message);
    const { executor } = prepared;
    const classification = executor.classify(prepared.code);
    const guard = decideGuard({ classification, attrs: action.attrs, environment: env, override: Boolean(this.#options.override) });
    this.#apply({ type: 'action-prepared', stepId: step.id, actionId: action.id, code: prepared.shown, classification: { level: guard.level, reasons: guard.reasons } });
    if (this.#state.dryRun) {
      this.#apply({ type: 'action-previewed', stepId: step.id, actionId: action.id, code: prepared.shown, at });
      return this.#state.record!.practice ? 'next' : 'halt';
    }
    const needsTarget = env.protected && guard.level !== 'read' && !this.#targets.has(action.kind);
    const target = needsTarget ? await this.#describeTarget(executor, step, action, prepared) : undefined;
    if (guard.overridden) {
      this.#apply({
        type: 'decision',
        decision: {
          at,
          by: this.#options.operator,
          via: 'override-flag',
          kind: guard.level === 'destructive' ? 'type-name' : 'confirm',
          question: `run ${guard.level} action ${action.id} in protected ${env.name}${target ? ` (${target})` : ''}`,
          answer: 'yes',
          stepId: step.id,
          actionId: action.id,
        },
      });
    } else if (guard.ask !== 'none') {
      const what = `${guard.level}${guard.reasons.length > 0 ? `: ${guard.reasons.join(', ')}` : ''}`;
      const detail = [...prepared.shown.split('\n').map((l) => `$ ${l}`), `risk: ${what}`, ...(target ? [`target: ${target}`] : [])];
      const question =
        guard.ask === 'type-name'
          ? this.#question({
              kind: 'type-name',
              text: `"${step.title}" is destructive in protected ${env.name}. Type ${env.name} to run it (empty to stop):`,
              detail,
              input: { expected: env.name },
              stepId: step.id,
              actionId: action.id,
            })
          : this.#question({
              kind: 'confirm',
              text: `Run "${action.attrs.name ?? step.title}" in ${env.protected ? 'protected ' : ''}${env.name}?`,
              detail,
              options: yesNo(),
              ...(guard.yesMayAnswer ? { assumeYes: 'yes' } : {}),
              stepId: step.id,
              actionId: action.id,
            });
      const answer = await this.#ask(question);
      if (!answer) return 'halt';
      this.#apply({ type: 'decision', decision: this.#decision(question, answer) });
      const approved = guard.ask === 'type-name' ? answer.value.trim() === env.name : answer.value === 'yes';
      if (!approved) return this.#failStep(step, action, `not run: ${answer.by} declined`);
    }
    return this.#attempts(step, action, prepared.executor, prepared.code, prepared.shown);
  }

  async #attempts(step: Step, action: Action, executor: Executor, code: string, shown: string): Promise<StepOutcome> {
    const attrs = action.attrs;
    let retriesLeft = attrs.retries ?? 0;
    let delay = attrs.retryDelay ?? this.#options.defaultRetryDelayMs ?? 2000;
    const watching = attrs.watch !== undefined && attrs.watch > 0;
    this.#stopWatch = false;
    this.#cancelledBy = undefined;
    let last = '';
    for (;;) {
      const outcome = await this.#attempt(step, action, executor, code, shown, watching);
      if (this.#cancelledBy !== undefined && !this.#stop) return this.#cancelled(step, action);
      if (outcome.status === 'aborted' || this.#stop) {
        this.#apply({ type: 'action-ended', stepId: step.id, actionId: action.id, status: 'aborted', message: 'stopped' });
        return 'halt';
      }
      if (outcome.status === 'succeeded') {
        let captured: string | undefined;
        if (attrs.capture) {
          captured = attrs.capture;
          const secrets = [...this.#secrets];
          const fields = capturedFields(outcome.fields, secrets);
          this.#captured.set(captured, fields);
          this.#values.set(captured, { value: capturedValue(outcome.fields), secret: false, source: 'capture' });
          this.#apply({ type: 'variable-captured', variable: { name: captured, shown: String(fields.value), secret: false, source: 'capture' } });
        }
        this.#apply({ type: 'action-ended', stepId: step.id, actionId: action.id, status: 'succeeded', ...(captured ? { captured } : {}) });
        return 'next';
      }
      last = outcome.error ?? outcome.status;
      let wait: number | undefined;
      if (watching) {
        if (this.#stopWatch) {
          last = `${this.#options.operator} stopped watching (last: ${last})`;
          break;
        }
        wait = attrs.watch!;
      } else if (retriesLeft > 0 && outcome.retryUnsafe) {
        // The executor cannot tell whether the failed attempt changed anything (a write cut off by
        // the network): running it again could do it twice, so the retries stop here.
        last = `${last} (not retried: it may have run on the server)`;
        break;
      } else if (retriesLeft > 0) {
        retriesLeft--;
        wait = delay;
        delay *= 2;
      } else {
        break;
      }
      this.#apply({ type: 'waiting', stepId: step.id, actionId: action.id, until: new Date(this.#now().getTime() + wait).toISOString(), delayMs: wait, why: watching ? 'watch' : 'retry' });
      await this.#sleep(wait);
      if (this.#cancelledBy !== undefined && !this.#stop) return this.#cancelled(step, action);
      if (this.#stop) {
        this.#apply({ type: 'action-ended', stepId: step.id, actionId: action.id, status: 'aborted', message: 'stopped while waiting' });
        return 'halt';
      }
      if (watching && this.#stopWatch) {
        last = `${this.#options.operator} stopped watching (last: ${last})`;
        break;
      }
    }
    return this.#onFail(step, action, last);
  }

  async #attempt(
    step: Step,
    action: Action,
    executor: Executor,
    code: string,
    shown: string,
    watch: boolean,
  ): Promise<{ status: 'succeeded' | 'failed' | 'timeout' | 'aborted'; fields: Record<string, unknown>; error?: string; retryUnsafe?: boolean }> {
    const record = this.#state.record!;
    const n = (this.#actionRecord(step.id, action.id)?.attempts.length ?? 0) + 1;
    this.#logDir ??= await this.#options.store.logDir(record.id);
    const logDir = this.#logDir;
    const base = attemptLogName(step.index, action.id, n);
    const logFile = join(logDir, `${base}.log`);
    // The log file is created before the process starts and is the durable sign that this attempt
    // began: if baton dies before the record says so, the next start finds the file and asks.
    try {
      closeSync(openSync(logFile, 'a'));
    } catch (error) {
      throw new StateError(`cannot write ${logFile}: ${(error as Error).message}`, 'unwritable');
    }
    const interactive = Boolean(action.attrs.interactive);
    this.#apply({
      type: 'attempt-started',
      stepId: step.id,
      actionId: action.id,
      interactive,
      attempt: {
        n,
        status: 'running',
        operator: this.#options.operator,
        startedAt: this.#iso(),
        ...(watch && n > 1 ? { watch: true } : {}),
        log: this.#options.store.relativePath(logFile),
      },
    });
    // Stop here if the record could not be written; otherwise it follows within a moment.
    if (this.#saveError) await this.#flush();
    const controller = new AbortController();
    this.#attemptController = controller;
    if (this.#stop) controller.abort();
    const context: Omit<ExecutionContext, 'signal'> = this.#context(step, action, code, shown, logFile, join(logDir, base), n);
    if (interactive) await this.#options.terminal?.release();
    let outcome: AttemptOutcome;
    try {
      outcome = await runAttempt({
        executor,
        context,
        controller,
        ...(action.attrs.expect ? { expect: action.attrs.expect } : {}),
        scope: this.#expectScope(),
        now: this.#now,
        onEvent: (event) => {
          if (event.type === 'output') this.#apply({ type: 'output', stepId: step.id, actionId: action.id, stream: event.stream, lines: event.lines });
          else if (event.type === 'progress') this.#apply({ type: 'progress', stepId: step.id, actionId: action.id, message: event.message });
          else this.#apply({ type: 'attempt-process', stepId: step.id, actionId: action.id, n, pid: event.pid });
        },
      });
    } finally {
      this.#attemptController = undefined;
      if (interactive) await this.#options.terminal?.reclaim();
    }
    const table = resultTable(outcome.result.fields, { stepId: step.id, actionId: action.id, attempt: n }, [...this.#secrets]);
    this.#apply({ type: 'attempt-ended', stepId: step.id, actionId: action.id, n, status: outcome.status, ended: outcome.ended, ...(table ? { table } : {}) });
    return {
      status: outcome.status,
      fields: outcome.result.fields,
      ...(outcome.ended.error ? { error: outcome.ended.error.message } : {}),
      ...(outcome.result.retrySafe === false ? { retryUnsafe: true } : {}),
    };
  }

  /** The operator cancelled the action: its step fails, and waits for retry or skip. */
  #cancelled(step: Step, action: Action): StepOutcome {
    const by = this.#cancelledBy ?? this.#options.operator;
    this.#cancelledBy = undefined;
    this.#apply({ type: 'action-ended', stepId: step.id, actionId: action.id, status: 'aborted', message: `cancelled by ${by}` });
    this.#apply({ type: 'step-ended', stepId: step.id, status: 'failed', at: this.#iso(), failure: `${action.attrs.name ?? action.id}: cancelled by ${by}` });
    return 'stop';
  }

  async #onFail(step: Step, action: Action, message: string): Promise<StepOutcome> {
    const onFail = action.attrs.onFail ?? { kind: 'stop' };
    if (onFail.kind === 'continue') {
      this.#apply({ type: 'action-ended', stepId: step.id, actionId: action.id, status: 'failed', tolerated: 'continue', message: `${message} (on-fail=continue)` });
      return 'next';
    }
    if (onFail.kind === 'runbook') {
      const outcome = await this.#fallback(step, action, onFail.runbook, message);
      if (outcome === 'recovered') {
        this.#apply({ type: 'action-ended', stepId: step.id, actionId: action.id, status: 'failed', tolerated: 'fallback', message: `${message}; fallback ${onFail.runbook} finished` });
        return 'next';
      }
      if (this.#stop) return 'halt';
      return this.#failStep(step, action, `${message}; fallback ${onFail.runbook}: ${outcome}`);
    }
    return this.#failStep(step, action, message);
  }

  #failStep(step: Step, action: Action, message: string): StepOutcome {
    const recorded = this.#actionRecord(step.id, action.id);
    if (recorded && recorded.status !== 'pending') {
      this.#apply({ type: 'action-ended', stepId: step.id, actionId: action.id, status: 'failed', message });
    }
    this.#apply({ type: 'step-ended', stepId: step.id, status: 'failed', at: this.#iso(), failure: `${action.attrs.name ?? action.id}: ${message}` });
    return 'stop';
  }

  /** Run the fallback runbook as a linked run; 'recovered' when it ended done, else why not. */
  async #fallback(step: Step, action: Action, runbookId: string, why: string): Promise<string> {
    const o = this.#options;
    if (!o.resolveRunbook) return `no runbook library to find ${runbookId} in`;
    const found = await o.resolveRunbook(runbookId);
    if ('problem' in found) return found.problem;
    this.#message('warning', `${action.attrs.name ?? action.id} failed (${why}); starting fallback runbook ${runbookId}`);
    const { from: _from, only: _only, ...inherited } = o;
    const child = new Run({
      ...inherited,
      runbook: found,
      vars: {},
      fresh: true,
      mode: this.#state.mode,
      parent: { runId: this.#state.record!.id, runbookId: o.runbook.id, stepId: step.id, actionId: action.id },
    });
    this.#child = child;
    const unsubscribe = child.subscribe((childState, event) => {
      if (event.type === 'run-opened') {
        this.#apply({
          type: 'fallback-started',
          link: { runId: event.record.id, runbookId, stepId: step.id, actionId: action.id, reason: 'on-fail', at: this.#iso() },
        });
        this.#apply({ type: 'timeline', entry: { at: this.#iso(), kind: 'fallback-started', stepId: step.id, text: `fallback ${runbookId} started as run ${event.record.id}` } });
      }
      this.#apply({ type: 'child-changed', child: childState, event });
    });
    const final = await child.finished;
    unsubscribe();
    this.#child = undefined;
    const runId = final.record?.id;
    const status = final.ended?.status ?? (final.refusal ? 'failed' : 'failed');
    if (runId) {
      this.#apply({ type: 'fallback-ended', runId, status });
      this.#apply({ type: 'timeline', entry: { at: this.#iso(), kind: 'fallback-ended', stepId: step.id, text: `fallback ${runbookId} (${runId}) ended ${status}` } });
    }
    if (final.refusal) return final.refusal.message;
    return status === 'done' ? 'recovered' : `ended ${status}`;
  }

  async #describeTarget(executor: Executor, step: Step, action: Action, prepared: { code: string; shown: string }): Promise<string | undefined> {
    if (!executor.describeTarget) return undefined;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(TIMEOUT), 15_000);
    try {
      const logDir = await this.#options.store.logDir(this.#state.record!.id);
      const context = { ...this.#context(step, action, prepared.code, prepared.shown, join(logDir, 'target.log'), join(logDir, 'target'), 0), signal: controller.signal };
      const text = await executor.describeTarget(context);
      this.#targets.set(action.kind, text);
      return text;
    } catch (error) {
      return `could not tell (${(error as Error).message})`;
    } finally {
      clearTimeout(timer);
    }
  }

  #context(step: Step, action: Action, code: string, shown: string, logFile: string, artefactDir: string, attempt: number): Omit<ExecutionContext, 'signal'> {
    const o = this.#options;
    const folder = dirname(resolve(o.runbook.path));
    return {
      runbook: o.runbook,
      step,
      action,
      environment: o.environment,
      code,
      shownCode: shown,
      variable: (name) => lookupIn(this.#values, name, this.#captured)?.value,
      secrets: [...this.#secrets],
      cwd: action.attrs.cwd ? resolve(folder, action.attrs.cwd) : folder,
      logFile,
      artefactDir,
      operator: o.operator,
      stateDir: o.store.stateDir,
      ...(action.attrs.timeout !== undefined ? { timeoutMs: action.attrs.timeout } : {}),
      attempt,
      scope: this.#scope.forRun(this.#state.record!.id),
    };
  }

  /** A runbook text with variables filled in as shown (secrets masked). */
  #shown(text: string): string {
    return fillTemplate(text, (name) => lookupIn(this.#values, name, this.#captured)).shown;
  }

  #expectScope(): Record<string, unknown> {
    const scope: Record<string, unknown> = {};
    for (const [name, value] of this.#values) if (!value.secret) scope[name] = value.value;
    for (const [name, fields] of this.#captured) scope[name] = fields;
    return scope;
  }

  // ── questions ───────────────────────────────────────────────────────────────────────────

  #question(question: Omit<Question, 'id'>): Question {
    return { id: `q${++questionCount}`, ...question };
  }

  /** Put a question to the operator; resolves with the answer, or undefined when it was withdrawn. */
  #ask(question: Question): Promise<Answer | undefined> {
    return new Promise((resolve) => {
      this.#asks.set(question.id, resolve);
      this.#apply({ type: 'question-asked', question });
      // Save before waiting on a person: the record shows where the run stands while it waits.
      this.#saveNow();
    });
  }

  /** Answer a question on the operator's behalf from a command-line option, and say so. */
  #auto(question: Question, value: string, via: AnswerVia): Answer {
    this.#message('info', `${question.text} → ${value} (${via === 'option' ? 'from the command line' : via})`);
    return { value, by: this.#options.operator, via };
  }

  #resolveAsk(id: string, answer: Answer): void {
    const resolve = this.#asks.get(id);
    if (!resolve) return;
    this.#asks.delete(id);
    this.#apply({ type: 'question-closed', questionId: id });
    resolve(answer);
  }

  #cancelAsk(id: string): void {
    const resolve = this.#asks.get(id);
    if (!resolve) return;
    this.#asks.delete(id);
    this.#apply({ type: 'question-closed', questionId: id });
    resolve(undefined);
  }

  #cancelAllAsks(): void {
    for (const id of [...this.#asks.keys()]) this.#cancelAsk(id);
  }

  #decision(question: Question, answer: Answer): Decision {
    return {
      at: this.#iso(),
      by: answer.by,
      via: answer.via,
      kind: question.kind,
      question: question.text,
      answer: answer.note ? `${answer.value} — ${answer.note}` : answer.value,
      ...(question.stepId ? { stepId: question.stepId } : {}),
      ...(question.actionId ? { actionId: question.actionId } : {}),
    };
  }

  // ── state, saving, timers ───────────────────────────────────────────────────────────────

  #apply(event: RunEvent): void {
    const before = this.#state.record;
    this.#state = reduce(this.#state, event);
    if (this.#state.record !== before && this.#state.phase !== 'preparing') this.#requestSave();
    for (const listener of this.#listeners) {
      try {
        listener(this.#state, event);
      } catch {
        // A face's bug must not stop the run or lose the record.
      }
    }
  }

  #message(level: 'info' | 'warning' | 'error', text: string): void {
    this.#apply({ type: 'message', message: { at: this.#iso(), level, text } });
  }

  /**
   * Save soon. Changes are gathered for a moment and written together; the points where
   * durability matters (before a process starts, before waiting on the operator, at the end)
   * write at once. A crash inside that moment errs safe: an attempt still reads as running, so
   * the next start asks about it instead of assuming.
   */
  #requestSave(): void {
    this.#dirty = true;
    this.#saveTimer ??= setTimeout(() => {
      this.#saveTimer = undefined;
      this.#saveNow();
    }, SAVE_DELAY_MS);
  }

  /** Start writing the latest record now, without waiting for it. */
  #saveNow(): void {
    if (this.#saveTimer) {
      clearTimeout(this.#saveTimer);
      this.#saveTimer = undefined;
    }
    this.#dirty = true;
    this.#saveLoop ??= this.#runSaves();
  }

  async #runSaves(): Promise<void> {
    // Settle the `??=` above before the loop can end.
    await Promise.resolve();
    try {
      while (this.#dirty) {
        this.#dirty = false;
        const record = this.#state.record;
        if (!record || record === this.#lastSaved || this.#state.phase === 'preparing') continue;
        this.#lastSaved = record;
        try {
          await this.#options.store.save({ ...record, updatedAt: this.#iso() });
        } catch (error) {
          this.#saveError ??= error instanceof StateError ? error : new StateError(String(error), 'other');
        }
      }
    } finally {
      this.#saveLoop = undefined;
    }
  }

  /** Wait until the latest record is on disk; throws when it cannot be written. */
  async #flush(): Promise<void> {
    if (this.#saveTimer || (this.#state.record && this.#state.record !== this.#lastSaved)) this.#saveNow();
    while (this.#saveLoop) await this.#saveLoop;
    if (this.#saveError) {
      const error = this.#saveError;
      this.#saveError = undefined;
      this.#lastSaved = undefined;
      throw error;
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#sleeps.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#sleeps.add(done);
    });
  }

  #cancelSleeps(): void {
    for (const done of [...this.#sleeps]) done();
  }

  #stepRecord(stepId: string): StepRecord | undefined {
    return this.#state.record?.steps.find((s) => s.id === stepId);
  }

  #actionRecord(stepId: string, actionId: string) {
    return this.#stepRecord(stepId)?.actions.find((a) => a.id === actionId);
  }

  #iso(): string {
    return this.#now().toISOString();
  }
}

/** Resources shared by a run's actions, closed when the run ends. */
class RunScopeImpl {
  readonly #values = new Map<string, unknown>();
  readonly #cleanups: (() => Promise<void> | void)[] = [];

  forRun(runId: string): RunScope {
    return {
      runId,
      get: <T>(key: string, create: () => T): T => {
        if (!this.#values.has(key)) this.#values.set(key, create());
        return this.#values.get(key) as T;
      },
      onClose: (cleanup) => {
        this.#cleanups.push(cleanup);
      },
    };
  }

  async close(): Promise<void> {
    for (const cleanup of this.#cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch {
        // Closing a session that is already gone is not worth failing the run over.
      }
    }
  }
}

function yesNo() {
  return [
    { value: 'yes', label: 'yes', key: 'y' },
    { value: 'no', label: 'no', key: 'n' },
  ];
}

function unknownOptions() {
  return [
    { value: 'rerun', label: 're-run it', key: 'r' },
    { value: 'mark-done', label: 'mark it done (it did its work)', key: 'd' },
    { value: 'skip', label: 'skip it', key: 's' },
  ];
}

function settleEvent(stepId: string, actionId: string, answer: Answer, at: string): RunEvent {
  const status = answer.value === 'mark-done' ? 'marked-done' : answer.value === 'skip' ? 'skipped' : 'pending';
  return {
    type: 'action-settled',
    stepId,
    actionId,
    status,
    ...(status === 'skipped' ? { reason: `outcome unknown; skipped by ${answer.by}` } : {}),
    by: answer.by,
    via: answer.via,
    at,
  };
}

/** Actions of a failed step that run again when it is retried or resumed. */
function reopenable(step: StepRecord): string[] {
  return step.actions.filter((a) => (a.status === 'failed' && !a.tolerated) || a.status === 'aborted').map((a) => a.id);
}

/** Why an answer does not fit its question, or undefined when it does. */
export function answerProblem(question: Question, value: string): string | undefined {
  if (question.options) {
    return question.options.some((o) => o.value === value) ? undefined : `answer one of: ${question.options.map((o) => o.value).join(', ')}`;
  }
  const input = question.input ?? {};
  if (input.expected !== undefined) {
    return value === '' || value.trim() === input.expected ? undefined : `type ${input.expected} exactly (or nothing, to stop)`;
  }
  const effective = value === '' && input.default !== undefined ? input.default : value;
  if (input.choices && input.choices.length > 0 && !input.choices.includes(effective)) return `answer one of: ${input.choices.join(', ')}`;
  if (input.pattern && !valueProblemPattern(input.pattern, effective)) return `the value must match ${input.pattern}`;
  if (effective === '' && question.kind === 'variable') return 'a value is needed';
  return undefined;
}

function valueProblemPattern(pattern: string, value: string): boolean {
  return valueProblem({ name: 'x', secret: false, pattern, pos: { line: 0, column: 0 } }, value) === undefined;
}

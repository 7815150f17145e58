// What the runner's parts share about one live run: its state and how it changes, the operator's
// pending questions, the run's variable values (secrets only here, never in the state), saving
// the record, and timers that an abort can cut short. Internal to src/engine.
import { closeSync, openSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Executor, RunScope } from '../executors/types.js';
import type { ActionKind } from '../runbook/model.js';
import { fillTemplate } from '../runbook/template.js';
import type { LockHolder } from '../store/lock.js';
import type { AnswerVia, Decision, RunRecord, StepRecord } from '../store/record.js';
import { StateError, stateError } from '../store/runs.js';
import type { RunEvent } from './events.js';
import type { Intent, IntentResult } from './intents.js';
import { initialState, reduce } from './reducer.js';
import { ATTEMPT_JOURNAL, findStep } from './resume.js';
import { stepById, type Question, type RunState } from './state.js';
import { lookupIn, type VariableValue } from './variables.js';
import type { RunListener, RunOptions } from './runner.js';

/** An answer as the runner hands it to whoever asked. */
export interface Answer {
  value: string;
  note?: string;
  by: string;
  via: AnswerVia;
}

/** How long changes are gathered before the record is written (durable points write at once). */
const SAVE_DELAY_MS = 1000;

/** Question ids are unique in the process, so an answer can never reach another run's question. */
let questionCount = 0;

/** A fallback run as its parent sees it. */
export interface ChildRun {
  dispatch(intent: Intent): IntentResult;
}

/** The shared inside of one run. */
export class RunCore {
  readonly options: RunOptions;
  readonly now: () => Date;
  state: RunState;
  readonly listeners = new Set<RunListener>();
  readonly asks = new Map<string, (answer: Answer | undefined) => void>();
  /** Timeline entries decided while opening, before the record is in the state. */
  readonly pendingTimeline: RunRecord['timeline'] = [];
  /** Set by an intent that ends the session; the loop and the waits look at it. */
  stop?: { status: 'aborted' | 'paused'; reason: string };
  attemptController?: AbortController;
  stopWatch = false;
  /** Set by a `cancel` intent: the running attempt was stopped by this operator, not the run. */
  cancelledBy?: string;
  readonly values = new Map<string, VariableValue>();
  readonly captured = new Map<string, Record<string, unknown>>();
  readonly secrets = new Set<string>();
  lock?: LockHolder;
  child?: ChildRun;
  /** `describeTarget` answers, once per kind of action per run. */
  readonly targets = new Map<ActionKind, string>();
  readonly scope = new RunScopeImpl();
  logDir?: string;
  readonly host = hostname();
  /** The runbook's folder: where actions run unless they say otherwise. */
  readonly folder: string;
  readonly #sleeps = new Set<() => void>();
  #lastSaved?: RunRecord;
  #saveLoop?: Promise<void>;
  #saveTimer?: NodeJS.Timeout;
  #dirty = false;
  #saveError?: StateError;
  #journal?: { fd: number; path: string };

  constructor(options: RunOptions) {
    this.options = options;
    this.now = options.now ?? (() => new Date());
    this.folder = dirname(resolve(options.runbook.path));
    this.state = initialState({
      runbook: options.runbook,
      environment: { name: options.environment.name, protected: options.environment.protected },
      operator: options.operator,
      mode: options.mode ?? 'auto',
      dryRun: Boolean(options.dryRun),
      ...(options.only ? { only: findStep(options.runbook, options.only)?.id ?? options.only } : {}),
    });
  }

  /** The executor for a kind of action, from the options or the registry. */
  executor(kind: ActionKind, registry: (kind: ActionKind) => Promise<Executor> | undefined): Promise<Executor> | undefined {
    return (this.options.executors ?? registry)(kind);
  }

  /** Whether a record write failed and has not been reported yet. */
  get saveFailed(): boolean {
    return this.#saveError !== undefined;
  }

  /** The record just written outside the save loop (when the run opens). */
  markSaved(record: RunRecord): void {
    this.#lastSaved = record;
  }

  /** A runbook text with variables filled in as shown (secrets masked). */
  shown(text: string): string {
    return fillTemplate(text, (name) => lookupIn(this.values, name, this.captured)).shown;
  }

  /** What `expect` may read besides the result: non-secret variables and captured results. */
  expectScope(): Record<string, unknown> {
    const scope: Record<string, unknown> = {};
    for (const [name, value] of this.values) if (!value.secret) scope[name] = value.value;
    for (const [name, fields] of this.captured) scope[name] = fields;
    return scope;
  }

  // ── questions ───────────────────────────────────────────────────────────────────────────

  /** A question with a fresh id. */
  question(question: Omit<Question, 'id'>): Question {
    return { id: `q${++questionCount}`, ...question };
  }

  /** Put a question to the operator; resolves with the answer, or undefined when it was withdrawn. */
  ask(question: Question): Promise<Answer | undefined> {
    return new Promise((resolve) => {
      this.asks.set(question.id, resolve);
      this.apply({ type: 'question-asked', question });
      // Save before waiting on a person: the record shows where the run stands while it waits.
      this.saveNow();
    });
  }

  /** Answer a question on the operator's behalf from a command-line option, and say so. */
  auto(question: Question, value: string, via: AnswerVia): Answer {
    this.message('info', `${question.text} → ${value} (${via === 'option' ? 'from the command line' : via})`);
    return { value, by: this.options.operator, via };
  }

  /** Hand an answer to whoever asked. */
  resolveAsk(id: string, answer: Answer): void {
    const resolve = this.asks.get(id);
    if (!resolve) return;
    this.asks.delete(id);
    this.apply({ type: 'question-closed', questionId: id });
    resolve(answer);
  }

  /** Withdraw a question. */
  cancelAsk(id: string): void {
    const resolve = this.asks.get(id);
    if (!resolve) return;
    this.asks.delete(id);
    this.apply({ type: 'question-closed', questionId: id });
    resolve(undefined);
  }

  /** Withdraw every question. */
  cancelAllAsks(): void {
    for (const id of [...this.asks.keys()]) this.cancelAsk(id);
  }

  /** An answer as it is recorded. */
  decision(question: Question, answer: Answer): Decision {
    return {
      at: this.iso(),
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

  /** Fold an event into the state, schedule the record's write, tell the listeners. */
  apply(event: RunEvent): void {
    const before = this.state.record;
    this.state = reduce(this.state, event);
    if (this.state.record !== before && this.state.phase !== 'preparing') this.requestSave();
    for (const listener of this.listeners) {
      try {
        listener(this.state, event);
      } catch {
        // A face's bug must not stop the run or lose the record.
      }
    }
  }

  /** A line for the faces. */
  message(level: 'info' | 'warning' | 'error', text: string): void {
    this.apply({ type: 'message', message: { at: this.iso(), level, text } });
  }

  /**
   * Save soon. Changes are gathered for a moment and written together; the points where
   * durability matters (before a process starts, before waiting on the operator, at the end)
   * write at once. A crash inside that moment errs safe: an attempt still reads as running, so
   * the next start asks about it instead of assuming.
   */
  requestSave(): void {
    // Not `dirty`: a save in progress would then write again as soon as it ends, and a run that
    // moves fast would rewrite its record back to back instead of once a moment.
    this.#saveTimer ??= setTimeout(() => {
      this.#saveTimer = undefined;
      this.saveNow();
    }, SAVE_DELAY_MS);
  }

  /** Start writing the latest record now, without waiting for it. */
  saveNow(): void {
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
        const record = this.state.record;
        if (!record || record === this.#lastSaved || this.state.phase === 'preparing') continue;
        this.#lastSaved = record;
        try {
          await this.options.store.save({ ...record, updatedAt: this.iso() });
        } catch (error) {
          this.#saveError ??= error instanceof StateError ? error : new StateError(String(error), 'other');
        }
      }
    } finally {
      this.#saveLoop = undefined;
    }
  }

  /** Wait until the latest record is on disk; throws when it cannot be written. */
  async flush(): Promise<void> {
    if (this.#saveTimer || (this.state.record && this.state.record !== this.#lastSaved)) this.saveNow();
    while (this.#saveLoop) await this.#saveLoop;
    if (this.#saveError) {
      const error = this.#saveError;
      this.#saveError = undefined;
      this.#lastSaved = undefined;
      throw error;
    }
  }

  /**
   * Note on disk, before its process starts, that an attempt began: one line appended to the run's
   * attempt journal, which a later start reads to find attempts the record does not know of yet.
   * An append to a file kept open costs a fraction of creating a file per attempt, which on a busy
   * disk can wait milliseconds for the file system's journal; the attempt's log file is created by
   * its executor, off the way to the process.
   */
  attemptBegun(logDir: string, logName: string, at: string): void {
    const path = join(logDir, ATTEMPT_JOURNAL);
    try {
      this.#journal ??= { fd: openSync(path, 'a'), path };
      writeSync(this.#journal.fd, `${at}\t${logName}\n`);
    } catch (error) {
      throw stateError(error, this.#journal?.path ?? path);
    }
  }

  /** Close the attempt journal. */
  closeJournal(): void {
    if (this.#journal) closeSync(this.#journal.fd);
    this.#journal = undefined;
  }

  /** Wait, unless an abort or stop-watch cuts it short. */
  sleep(ms: number): Promise<void> {
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

  /** Cut every wait short. */
  cancelSleeps(): void {
    for (const done of [...this.#sleeps]) done();
  }

  /** A step of the record. */
  stepRecord(stepId: string): StepRecord | undefined {
    const steps = this.state.record?.steps;
    return steps ? stepById(steps, stepId, this.state.cursor) : undefined;
  }

  /** An action of the record. */
  actionRecord(stepId: string, actionId: string) {
    return this.stepRecord(stepId)?.actions.find((a) => a.id === actionId);
  }

  /** Now, as recorded. */
  iso(): string {
    return this.now().toISOString();
  }
}

/** Where a run scope keeps what must outlive the process: the run's record. */
export interface KeptContext {
  read(key: string): unknown;
  write(key: string, value: unknown): void;
}

/** Resources shared by a run's actions, closed when the run ends. */
export class RunScopeImpl {
  readonly #values = new Map<string, unknown>();
  readonly #cleanups: (() => Promise<void> | void)[] = [];
  #scope?: RunScope;

  /** The scope of a run, built once per run: `kept` reads the live record each time. */
  forRun(runId: string, kept: KeptContext): RunScope {
    if (this.#scope?.runId === runId) return this.#scope;
    return (this.#scope = {
      runId,
      kept: (key) => kept.read(key),
      keep: (key, value) => kept.write(key, value),
      get: <T>(key: string, create: () => T): T => {
        if (!this.#values.has(key)) this.#values.set(key, create());
        return this.#values.get(key) as T;
      },
      onClose: (cleanup) => {
        this.#cleanups.push(cleanup);
      },
    });
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

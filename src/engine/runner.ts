// The runner: the one thing that starts work. It opens the run (lock, resume, variables), then
// loops — read the state, do what `nextWork` says, fold the events in — and writes the record
// before every process it starts, so a crash at any point leaves a record that tells the truth.
// Faces (the TUI, `baton exec`) only read the state, subscribe to events and dispatch intents.
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Environment } from '../config/environment.js';
import type { Executor } from '../executors/types.js';
import type { ActionKind, Runbook } from '../runbook/model.js';
import { releaseLock } from '../store/lock.js';
import type { RunRecord, RunStatus } from '../store/record.js';
import { StateError, type RunStore } from '../store/runs.js';
import { continueStep, previewStep } from './actions.js';
import { RunCore } from './core.js';
import type { RunEvent } from './events.js';
import { refusal, type Intent, type IntentResult } from './intents.js';
import { nextWork } from './next.js';
import { openRun } from './opening.js';
import { answerProblem, reopenable } from './questions.js';
import { isFinishedStep } from './reducer.js';
import type { RunMode, RunState } from './state.js';

/** Hands the terminal to an `interactive` action's child and takes it back (the TUI pauses rendering). */
export interface TerminalHandover {
  /** Before the child starts: stop drawing and reading keys. */
  release(): Promise<void> | void;
  /** After it ends: take the terminal back. */
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
  /** Called around `interactive` actions, so a face can give up and retake the terminal. */
  terminal?: TerminalHandover;
  /** Process environment for `from-env` variables. Default `process.env`. */
  processEnv?: NodeJS.ProcessEnv;
  /** The clock (tests pin it). */
  now?: () => Date;
  /** Delay before the first retry when the action sets none. Default 2 s. */
  defaultRetryDelayMs?: number;
  /** Set on fallback runs: the run and action that started it. */
  parent?: RunRecord['parent'];
  /** How a fallback run is started; the runner sets it (tests may watch it). */
  startChild?: (options: RunOptions) => Run;
}

/** Called after every event with the new state. */
export type RunListener = (state: RunState, event: RunEvent) => void;

/** Start a run; it opens itself (lock, resume, questions) and then proceeds per its mode. */
export function startRun(options: RunOptions): Run {
  return new Run(options);
}

/** One live run: read its state, subscribe to its events, dispatch intents. */
export class Run {
  /** Resolves with the final state once the run has ended and its record is written. */
  readonly finished: Promise<RunState>;
  readonly #core: RunCore;
  #wake?: () => void;

  constructor(options: RunOptions) {
    this.#core = new RunCore({ ...options, startChild: options.startChild ?? ((child) => new Run(child)) });
    this.finished = this.#main();
  }

  /** The current state. */
  getState(): RunState {
    return this.#core.state;
  }

  /** Listen to every event; returns the function that stops listening. */
  subscribe(listener: RunListener): () => void {
    this.#core.listeners.add(listener);
    return () => this.#core.listeners.delete(listener);
  }

  /** Ask the runner to do something; refused (with the reason) when the state has moved on. */
  dispatch(intent: Intent): IntentResult {
    const child = this.#core.child;
    if (child && intent.type !== 'abort' && !(intent.type === 'answer' && this.#core.asks.has(intent.questionId))) {
      return child.dispatch(intent);
    }
    const why = refusal(this.#core.state, intent);
    if (why) return { accepted: false, reason: why };
    const by = intent.by ?? this.#core.options.operator;
    const at = this.#core.iso();
    switch (intent.type) {
      case 'run':
        if (this.#core.state.dryRun && !this.#core.state.record!.practice) void previewStep(this.#core, this.#core.state.cursor);
        else this.#core.apply({ type: 'step-started', stepId: intent.stepId, at });
        break;
      case 'skip':
        for (const question of this.#core.state.questions.filter((q) => q.stepId === intent.stepId)) this.#core.cancelAsk(question.id);
        this.#core.apply({ type: 'step-skipped', stepId: intent.stepId, reason: intent.reason.trim(), by, via: 'operator', at });
        break;
      case 'retry': {
        const step = this.#core.state.record!.steps[this.#core.state.cursor]!;
        this.#core.apply({ type: 'step-reopened', stepId: step.id, actionIds: reopenable(step), at });
        break;
      }
      case 'confirm-check':
      case 'fail-check': {
        const status = intent.type === 'confirm-check' ? 'confirmed' : 'failed';
        const asked = this.#core.state.questions.find((q) => q.kind === 'check' && q.checkId === intent.checkId);
        if (asked) {
          this.#core.resolveAsk(asked.id, { value: status, ...(intent.note ? { note: intent.note } : {}), by, via: 'operator' });
        } else {
          this.#core.apply({ type: 'check-answered', stepId: intent.stepId, checkId: intent.checkId, status, by, via: 'operator', at, ...(intent.note ? { note: intent.note } : {}) });
        }
        break;
      }
      case 'note':
        this.#core.apply({ type: 'note-added', note: { at, by, text: intent.text.trim(), ...(intent.stepId ? { stepId: intent.stepId } : {}) } });
        break;
      case 'jump': {
        const index = this.#core.state.record!.steps.findIndex((s) => s.id === intent.stepId);
        this.#core.apply({ type: 'cursor-moved', index });
        this.#core.apply({ type: 'timeline', entry: { at, kind: 'jumped', by, stepId: intent.stepId, text: `${by} moved to step ${index + 1} (${intent.stepId})` } });
        break;
      }
      case 'set-dry-run':
      case 'toggle-dry-run': {
        const on = intent.type === 'set-dry-run' ? intent.on : !this.#core.state.dryRun;
        if (on !== this.#core.state.dryRun) {
          this.#core.apply({ type: 'dry-run-set', on });
          this.#core.apply({ type: 'timeline', entry: { at, kind: 'dry-run', by, text: `dry run ${on ? 'on' : 'off'}` } });
        }
        break;
      }
      case 'set-mode':
        this.#core.apply({ type: 'mode-set', mode: intent.mode });
        break;
      case 'stop-watch':
        this.#core.stopWatch = true;
        this.#core.cancelSleeps();
        break;
      case 'answer': {
        const question = this.#core.state.questions.find((q) => q.id === intent.questionId)!;
        const problem = answerProblem(question, intent.value);
        if (problem) return { accepted: false, reason: problem };
        const value = question.input?.default !== undefined && intent.value === '' ? question.input.default : intent.value;
        this.#core.resolveAsk(question.id, { value, ...(intent.note ? { note: intent.note } : {}), by, via: intent.via ?? 'operator' });
        break;
      }
      case 'cancel':
        this.#core.cancelledBy = by;
        this.#core.attemptController?.abort();
        this.#core.cancelSleeps();
        break;
      case 'pause':
        this.#core.stop = { status: 'paused', reason: `paused by ${by}` };
        this.#core.cancelAllAsks();
        break;
      case 'abort':
        this.#core.stop = { status: 'aborted', reason: intent.reason ?? `aborted by ${by}` };
        this.#core.attemptController?.abort();
        this.#core.cancelAllAsks();
        this.#core.cancelSleeps();
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
      await openRun(this.#core);
      if (this.#core.state.phase === 'preparing') {
        // A question while opening was withdrawn (abort, or no one to answer it).
        this.#core.apply({ type: 'refused', refusal: { kind: 'declined', message: this.#core.stop?.reason ?? 'not started' } });
      }
      if (this.#core.state.phase === 'running') await this.#drive();
    } catch (error) {
      await this.#crash(error);
    } finally {
      await this.#close();
    }
    return this.#core.state;
  }

  async #drive(): Promise<void> {
    while (this.#core.state.phase === 'running') {
      if (this.#core.stop) {
        await this.#end(this.#core.stop.status, this.#core.stop.reason);
        break;
      }
      const work = nextWork(this.#core.state);
      if (!work) {
        await this.#idle();
        continue;
      }
      const before = this.#core.state;
      switch (work.kind) {
        case 'end':
          await this.#end(work.status, work.reason);
          break;
        case 'move':
          this.#core.apply({ type: 'cursor-moved', index: work.index });
          break;
        case 'start-step':
          this.#core.apply({ type: 'step-started', stepId: this.#core.state.record!.steps[work.index]!.id, at: this.#core.iso() });
          break;
        case 'continue-step':
          await continueStep(this.#core, work.index);
          break;
      }
      // Work that changed nothing (a question withdrawn) waits for the operator instead of spinning.
      if (this.#core.state === before && !this.#core.stop) await this.#idle();
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
    if (this.#core.state.phase !== 'running') return;
    const at = this.#core.iso();
    const record = this.#core.state.record!;
    const done = record.steps.filter(isFinishedStep).length;
    this.#core.apply({
      type: 'timeline',
      entry: { at, kind: 'ended', text: `${status}${reason ? `: ${reason}` : ''} (${done}/${record.steps.length} steps finished)` },
    });
    this.#core.apply({ type: 'run-ended', status, at, ...(reason ? { reason } : {}) });
  }

  async #crash(error: unknown): Promise<void> {
    const message = error instanceof StateError ? error.message : `internal error: ${(error as Error)?.stack ?? String(error)}`;
    if (this.#core.state.phase === 'running') {
      this.#core.message('error', message);
      this.#core.attemptController?.abort();
      await this.#end('failed', message);
    } else if (this.#core.state.phase === 'preparing') {
      this.#core.apply({ type: 'refused', refusal: { kind: error instanceof StateError ? 'state' : 'invalid', message } });
    }
  }

  async #close(): Promise<void> {
    try {
      await this.#core.flush();
    } catch (error) {
      await this.#emergencyCopy(error);
    }
    this.#core.closeJournal();
    if (this.#core.lock) await releaseLock(this.#core.options.store.stateDir, this.#core.lock.runbookId, this.#core.lock.environment, this.#core.lock.runId);
    await this.#core.scope.close();
  }

  /** The record could not be written: keep a copy where it can be, and say where. */
  async #emergencyCopy(error: unknown): Promise<void> {
    const record = this.#core.state.record;
    if (!record) return;
    const path = join(tmpdir(), `baton-${record.id}.json`);
    try {
      await writeFile(path, JSON.stringify(record, null, 1) + '\n', 'utf8');
      this.#core.message('error', `${(error as Error).message}; the latest record was written to ${path} instead`);
    } catch {
      this.#core.message('error', `${(error as Error).message}; the latest record could not be written anywhere`);
    }
  }

  // ── opening: lock, resume, variables ────────────────────────────────────────────────────
}

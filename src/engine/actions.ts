// Running a step: each action in turn (env filtering, filling the template, the guard, attempts
// with time limits, retries and watch, capture, on-fail and fallback runs), then its manual checks.
import { join, resolve } from 'node:path';
import { executorFor } from '../executors/index.js';
import type { ExecutionContext, Executor } from '../executors/types.js';
import type { Action, Step } from '../runbook/model.js';
import { formatDuration } from '../runbook/duration.js';
import { fillTemplate } from '../runbook/template.js';
import { StateError } from '../store/runs.js';
import { TIMEOUT, capturedFields, capturedValue, runAttempt, type AttemptOutcome } from './attempt.js';
import type { RunCore } from './core.js';
import { decideGuard } from './guard.js';
import { isFinishedAction } from './reducer.js';
import { resultTable } from './result-table.js';
import { attemptLogName, runnableActions } from './resume.js';
import { yesNo } from './questions.js';
import { lookupIn } from './variables.js';

/** How a step goes on after an action: the next action, stop the step (failed), or halt (stopped or withdrawn). */
type StepOutcome = 'next' | 'stop' | 'halt';

/** Carry on with a running step: its next actions, then its checks. */
export async function continueStep(core: RunCore, index: number): Promise<void> {
  const spec = core.options.runbook.steps[index]!;
  for (const action of runnableActions(spec)) {
    const recorded = core.actionRecord(spec.id, action.id);
    if (!recorded || isFinishedAction(recorded, core.state.record!.practice)) continue;
    const outcome = await runAction(core, spec, action);
    if (outcome !== 'next') return;
  }
  const step = core.stepRecord(spec.id)!;
  if (step.status !== 'running') return;
  if (!core.state.record!.practice) {
    const pending = step.checks.filter((c) => c.status === 'pending');
    const asks = pending.map((check) => {
      const text = core.shown(check.text);
      const question = core.question({
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
      return core.ask(question).then((answer) => {
        if (answer) {
          core.apply({
            type: 'check-answered',
            stepId: spec.id,
            checkId: check.id,
            status: answer.value === 'confirmed' ? 'confirmed' : 'failed',
            text,
            by: answer.by,
            via: answer.via,
            at: core.iso(),
            ...(answer.note ? { note: answer.note } : {}),
          });
        }
        return answer;
      });
    });
    const answers = await Promise.all(asks);
    if (answers.some((a) => a === undefined)) return;
  }
  const after = core.stepRecord(spec.id)!;
  if (after.status !== 'running') return;
  const failed = after.checks.find((c) => c.status === 'failed');
  core.apply({
    type: 'step-ended',
    stepId: spec.id,
    status: failed ? 'failed' : 'done',
    at: core.iso(),
    ...(failed ? { failure: `check failed: ${failed.text}${failed.note ? ` — ${failed.note}` : ''}` } : {}),
  });
}

/** Show a step's actions filled in, without running them (a dry run switched on mid-run). */
export async function previewStep(core: RunCore, index: number): Promise<void> {
  const spec = core.options.runbook.steps[index]!;
  for (const action of runnableActions(spec)) {
    const prepared = await prepareAction(core, spec, action);
    core.apply({ type: 'action-previewed', stepId: spec.id, actionId: action.id, code: prepared.shown, at: core.iso() });
  }
}

/** An action's code filled in, its executor, and what stops it from running (a dry run shows it anyway). */
interface Prepared {
  executor?: Executor;
  code: string;
  shown: string;
  problem?: string;
}

async function prepareAction(core: RunCore, step: Step, action: Action): Promise<Prepared> {
  const executor = await core.executor(action.kind, executorFor);
  const lookup = (name: string) => lookupIn(core.values, name, core.captured);
  let filled: ReturnType<typeof fillTemplate>;
  try {
    filled = executor?.fill ? executor.fill(action.code, lookup) : fillTemplate(action.code, lookup);
  } catch (error) {
    // A value the executor will not place (e.g. `x; DROP TABLE y` where SQL wants a name): refuse, run nothing.
    const shown = fillTemplate(action.code, lookup).shown;
    return { ...(executor ? { executor } : {}), code: shown, shown, problem: `${core.options.runbook.path}:${action.pos.line}: refused, nothing ran: ${(error as Error).message}` };
  }
  for (const secret of filled.secrets) core.secrets.add(secret);
  const problem = !executor
    ? `no executor for ${action.kind} actions in this build of baton`
    : filled.missing.length > 0
      ? `${core.options.runbook.path}:${action.pos.line}: no value for ${filled.missing.map((m) => `{{${m}}}`).join(', ')} in step "${step.title}"`
      : undefined;
  return { ...(executor ? { executor } : {}), code: filled.text, shown: filled.shown, ...(problem ? { problem } : {}) };
}

async function runAction(core: RunCore, step: Step, action: Action): Promise<StepOutcome> {
  const env = core.state.environment;
  const at = core.iso();
  if (action.attrs.env && !action.attrs.env.includes(env.name)) {
    core.apply({ type: 'action-skipped', stepId: step.id, actionId: action.id, reason: `runs only in ${action.attrs.env.join(', ')}`, by: 'baton', via: 'rule', at });
    return 'next';
  }
  const prepared = await prepareAction(core, step, action);
  const classification = prepared.executor?.classify(prepared.code) ?? { level: 'read' as const, reasons: [] };
  const guard = decideGuard({ classification, attrs: action.attrs, environment: env, override: Boolean(core.options.override) });
  core.apply({ type: 'action-prepared', stepId: step.id, actionId: action.id, code: prepared.shown, classification: { level: guard.level, reasons: guard.reasons } });
  if (core.state.dryRun) {
    // A practice run shows what it can: values captured by earlier actions stay as {{name}}.
    core.apply({ type: 'action-previewed', stepId: step.id, actionId: action.id, code: prepared.shown, at });
    return core.state.record!.practice ? 'next' : 'halt';
  }
  if (prepared.problem || !prepared.executor) return failStep(core, step, action, prepared.problem ?? 'no executor');
  const executor = prepared.executor;
  const needsTarget = env.protected && guard.level !== 'read' && !core.targets.has(action.kind);
  const target = needsTarget ? await describeTarget(core, executor, step, action, prepared) : undefined;
  if (guard.overridden) {
    core.apply({
      type: 'decision',
      decision: {
        at,
        by: core.options.operator,
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
        ? core.question({
            kind: 'type-name',
            text: `"${step.title}" is destructive in protected ${env.name}. Type ${env.name} to run it (empty to stop):`,
            detail,
            input: { expected: env.name },
            stepId: step.id,
            actionId: action.id,
          })
        : core.question({
            kind: 'confirm',
            text: `Run "${action.attrs.name ?? step.title}" in ${env.protected ? 'protected ' : ''}${env.name}?`,
            detail,
            options: yesNo(),
            ...(guard.yesMayAnswer ? { assumeYes: 'yes' } : {}),
            stepId: step.id,
            actionId: action.id,
          });
    const answer = await core.ask(question);
    if (!answer) return 'halt';
    core.apply({ type: 'decision', decision: core.decision(question, answer) });
    const approved = guard.ask === 'type-name' ? answer.value.trim() === env.name : answer.value === 'yes';
    if (!approved) return failStep(core, step, action, `not run: ${answer.by} declined`);
  }
  return attemptAction(core, step, action, executor, prepared.code, prepared.shown);
}

async function attemptAction(core: RunCore, step: Step, action: Action, executor: Executor, code: string, shown: string): Promise<StepOutcome> {
  const attrs = action.attrs;
  let retriesLeft = attrs.retries ?? 0;
  let delay = attrs.retryDelay ?? core.options.defaultRetryDelayMs ?? 2000;
  const watching = attrs.watch !== undefined && attrs.watch > 0;
  // A watched action's `timeout` is the deadline of the whole watch: each attempt gets what is left
  // of it, and once it has passed the watch gives up, so no run waits forever on a person.
  const deadline = watching && attrs.timeout !== undefined ? core.now().getTime() + attrs.timeout : undefined;
  const left = () => (deadline === undefined ? undefined : deadline - core.now().getTime());
  core.stopWatch = false;
  core.cancelledBy = undefined;
  let last = '';
  // Set when the wait before the next poll runs to the deadline: a poll then would have no time
  // left, and its "timed out" would hide the last real answer.
  let sleptToDeadline = false;
  for (let first = true; ; first = false) {
    if (!first && left() !== undefined && (sleptToDeadline || left()! <= 0)) {
      last = `gave up watching after ${formatDuration(attrs.timeout!)} (last: ${last})`;
      break;
    }
    const outcome = await attemptOnce(core, step, action, executor, code, shown, watching, left());
    if (core.cancelledBy !== undefined && !core.stop) return cancelled(core, step, action);
    if (outcome.status === 'aborted' || core.stop) {
      core.apply({ type: 'action-ended', stepId: step.id, actionId: action.id, status: 'aborted', message: 'stopped' });
      return 'halt';
    }
    if (outcome.status === 'succeeded') {
      let captured: string | undefined;
      if (attrs.capture) {
        captured = attrs.capture;
        const secrets = [...core.secrets];
        const fields = capturedFields(outcome.fields, secrets);
        core.captured.set(captured, fields);
        core.values.set(captured, { value: capturedValue(outcome.fields), secret: false, source: 'capture' });
        core.apply({ type: 'variable-captured', variable: { name: captured, shown: String(fields.value), secret: false, source: 'capture', fields } });
      }
      core.apply({ type: 'action-ended', stepId: step.id, actionId: action.id, status: 'succeeded', ...(captured ? { captured } : {}) });
      return 'next';
    }
    last = outcome.error ?? outcome.status;
    let wait: number | undefined;
    if (watching) {
      if (core.stopWatch) {
        last = `${core.options.operator} stopped watching (last: ${last})`;
        break;
      }
      const remaining = left();
      sleptToDeadline = remaining !== undefined && remaining <= attrs.watch!;
      wait = sleptToDeadline ? Math.max(0, remaining!) : attrs.watch!;
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
    core.apply({ type: 'waiting', stepId: step.id, actionId: action.id, until: new Date(core.now().getTime() + wait).toISOString(), delayMs: wait, why: watching ? 'watch' : 'retry' });
    await core.sleep(wait);
    if (core.cancelledBy !== undefined && !core.stop) return cancelled(core, step, action);
    if (core.stop) {
      core.apply({ type: 'action-ended', stepId: step.id, actionId: action.id, status: 'aborted', message: 'stopped while waiting' });
      return 'halt';
    }
    if (watching && core.stopWatch) {
      last = `${core.options.operator} stopped watching (last: ${last})`;
      break;
    }
  }
  return onFail(core, step, action, last);
}

async function attemptOnce(
  core: RunCore,
  step: Step,
  action: Action,
  executor: Executor,
  code: string,
  shown: string,
  watch: boolean,
  /** What is left of a watch's deadline; else the action's own `timeout` applies. */
  timeoutMs?: number,
): Promise<{ status: 'succeeded' | 'failed' | 'timeout' | 'aborted'; fields: Record<string, unknown>; error?: string; retryUnsafe?: boolean }> {
  const record = core.state.record!;
  const n = (core.actionRecord(step.id, action.id)?.attempts.length ?? 0) + 1;
  core.logDir ??= await core.options.store.logDir(record.id);
  const logDir = core.logDir;
  const base = attemptLogName(step.index, action.id, n);
  const logFile = join(logDir, `${base}.log`);
  // The journal line is written before the process starts and is the durable sign that this
  // attempt began: if baton dies before the record says so, the next start finds it and asks.
  const startedAt = core.iso();
  core.attemptBegun(logDir, base, startedAt);
  const interactive = Boolean(action.attrs.interactive);
  core.apply({
    type: 'attempt-started',
    stepId: step.id,
    actionId: action.id,
    interactive,
    attempt: {
      n,
      status: 'running',
      operator: core.options.operator,
      startedAt,
      ...(watch && n > 1 ? { watch: true } : {}),
      log: core.options.store.relativePath(logFile),
    },
  });
  // Stop here if the record could not be written; otherwise it follows within a moment.
  if (core.saveFailed) await core.flush();
  const controller = new AbortController();
  core.attemptController = controller;
  if (core.stop) controller.abort();
  const context: Omit<ExecutionContext, 'signal'> = executionContext(core, step, action, code, shown, logFile, join(logDir, base), n, timeoutMs);
  if (interactive) await core.options.terminal?.release();
  let outcome: AttemptOutcome;
  try {
    outcome = await runAttempt({
      executor,
      context,
      controller,
      ...(action.attrs.expect ? { expect: action.attrs.expect } : {}),
      // Only an `expect` reads it.
      ...(action.attrs.expect ? { scope: core.expectScope() } : {}),
      now: core.now,
      onEvent: (event) => {
        if (event.type === 'output') core.apply({ type: 'output', stepId: step.id, actionId: action.id, stream: event.stream, lines: event.lines });
        else if (event.type === 'progress') core.apply({ type: 'progress', stepId: step.id, actionId: action.id, message: event.message });
        else core.apply({ type: 'attempt-process', stepId: step.id, actionId: action.id, n, pid: event.pid });
      },
    });
  } finally {
    core.attemptController = undefined;
    if (interactive) await core.options.terminal?.reclaim();
  }
  const table = resultTable(outcome.result.fields, { stepId: step.id, actionId: action.id, attempt: n }, [...core.secrets]);
  core.apply({ type: 'attempt-ended', stepId: step.id, actionId: action.id, n, status: outcome.status, ended: outcome.ended, ...(table ? { table } : {}) });
  return {
    status: outcome.status,
    fields: outcome.result.fields,
    ...(outcome.ended.error ? { error: outcome.ended.error.message } : {}),
    ...(outcome.result.retrySafe === false ? { retryUnsafe: true } : {}),
  };
}

/** The operator cancelled the action: its step fails, and waits for retry or skip. */
function cancelled(core: RunCore, step: Step, action: Action): StepOutcome {
  const by = core.cancelledBy ?? core.options.operator;
  core.cancelledBy = undefined;
  core.apply({ type: 'action-ended', stepId: step.id, actionId: action.id, status: 'aborted', message: `cancelled by ${by}` });
  core.apply({ type: 'step-ended', stepId: step.id, status: 'failed', at: core.iso(), failure: `${action.attrs.name ?? action.id}: cancelled by ${by}` });
  return 'stop';
}

async function onFail(core: RunCore, step: Step, action: Action, message: string): Promise<StepOutcome> {
  const onFail = action.attrs.onFail ?? { kind: 'stop' };
  if (onFail.kind === 'continue') {
    core.apply({ type: 'action-ended', stepId: step.id, actionId: action.id, status: 'failed', tolerated: 'continue', message: `${message} (on-fail=continue)` });
    return 'next';
  }
  if (onFail.kind === 'runbook') {
    const outcome = await fallback(core, step, action, onFail.runbook, message);
    if (outcome === 'recovered') {
      core.apply({ type: 'action-ended', stepId: step.id, actionId: action.id, status: 'failed', tolerated: 'fallback', message: `${message}; fallback ${onFail.runbook} finished` });
      return 'next';
    }
    if (core.stop) return 'halt';
    return failStep(core, step, action, `${message}; fallback ${onFail.runbook}: ${outcome}`);
  }
  return failStep(core, step, action, message);
}

function failStep(core: RunCore, step: Step, action: Action, message: string): StepOutcome {
  const recorded = core.actionRecord(step.id, action.id);
  if (recorded && recorded.status !== 'pending') {
    core.apply({ type: 'action-ended', stepId: step.id, actionId: action.id, status: 'failed', message });
  }
  core.apply({ type: 'step-ended', stepId: step.id, status: 'failed', at: core.iso(), failure: `${action.attrs.name ?? action.id}: ${message}` });
  return 'stop';
}

/** Run the fallback runbook as a linked run; 'recovered' when it ended done, else why not. */
async function fallback(core: RunCore, step: Step, action: Action, runbookId: string, why: string): Promise<string> {
  const o = core.options;
  if (!o.resolveRunbook) return `no runbook library to find ${runbookId} in`;
  const found = await o.resolveRunbook(runbookId);
  if ('problem' in found) return found.problem;
  core.message('warning', `${action.attrs.name ?? action.id} failed (${why}); starting fallback runbook ${runbookId}`);
  const { from: _from, only: _only, ...inherited } = o;
  const child = core.options.startChild!({
    ...inherited,
    runbook: found,
    vars: {},
    fresh: true,
    mode: core.state.mode,
    parent: { runId: core.state.record!.id, runbookId: o.runbook.id, stepId: step.id, actionId: action.id },
  });
  core.child = child;
  const unsubscribe = child.subscribe((childState, event) => {
    if (event.type === 'run-opened') {
      core.apply({
        type: 'fallback-started',
        link: { runId: event.record.id, runbookId, stepId: step.id, actionId: action.id, reason: 'on-fail', at: core.iso() },
      });
      core.apply({ type: 'timeline', entry: { at: core.iso(), kind: 'fallback-started', stepId: step.id, text: `fallback ${runbookId} started as run ${event.record.id}` } });
    }
    core.apply({ type: 'child-changed', child: childState, event });
  });
  const final = await child.finished;
  unsubscribe();
  core.child = undefined;
  const runId = final.record?.id;
  const status = final.ended?.status ?? (final.refusal ? 'failed' : 'failed');
  if (runId) {
    core.apply({ type: 'fallback-ended', runId, status });
    core.apply({ type: 'timeline', entry: { at: core.iso(), kind: 'fallback-ended', stepId: step.id, text: `fallback ${runbookId} (${runId}) ended ${status}` } });
  }
  if (final.refusal) return final.refusal.message;
  return status === 'done' ? 'recovered' : `ended ${status}`;
}

async function describeTarget(core: RunCore, executor: Executor, step: Step, action: Action, prepared: { code: string; shown: string }): Promise<string | undefined> {
  if (!executor.describeTarget) return undefined;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(TIMEOUT), 15_000);
  try {
    const logDir = await core.options.store.logDir(core.state.record!.id);
    const context = { ...executionContext(core, step, action, prepared.code, prepared.shown, join(logDir, 'target.log'), join(logDir, 'target'), 0), signal: controller.signal };
    const text = await executor.describeTarget(context);
    core.targets.set(action.kind, text);
    return text;
  } catch (error) {
    return `could not tell (${(error as Error).message})`;
  } finally {
    clearTimeout(timer);
  }
}

function executionContext(
  core: RunCore,
  step: Step,
  action: Action,
  code: string,
  shown: string,
  logFile: string,
  artefactDir: string,
  attempt: number,
  timeoutMs = action.attrs.timeout,
): Omit<ExecutionContext, 'signal'> {
  const o = core.options;
  return {
    runbook: o.runbook,
    step,
    action,
    environment: o.environment,
    code,
    shownCode: shown,
    variable: (name) => lookupIn(core.values, name, core.captured)?.value,
    secrets: [...core.secrets],
    cwd: action.attrs.cwd ? resolve(core.folder, action.attrs.cwd) : core.folder,
    logFile,
    artefactDir,
    operator: o.operator,
    stateDir: o.store.stateDir,
    ...(timeoutMs !== undefined ? { timeoutMs: Math.max(1, timeoutMs) } : {}),
    attempt,
    scope: core.scope.forRun(core.state.record!.id, {
      read: (key) => core.state.record?.context?.[key],
      write: (key, value) => core.apply({ type: 'context-kept', key, value }),
    }),
  };
}


// Opening a run: may it start here (environments, required runbooks), take the lock (or ask to take
// over a dead holder's), continue an unfinished run (saying what changed, asking about unknown
// outcomes) or create a new record, and resolve the variables, asking for any still missing.
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { acquireLock, describeHolder, processAlive, takeOverLock, type LockHolder } from '../store/lock.js';
import { RESUMABLE_STATUSES, type ActionRecord, type Decision, type RunRecord, type StepRecord } from '../store/record.js';
import { newRunId } from '../store/run-id.js';
import type { RunCore } from './core.js';
import { OVERRIDE_FLAG } from './guard.js';
import { isFinishedStep, reduce } from './reducer.js';
import { ATTEMPT_JOURNAL, attemptLogName, changedSteps, findStep, firstUnfinished, newRecord, readAttemptJournal, realign, unknownOutcomes } from './resume.js';
import { reopenable, settleEvent, unknownOptions, yesNo } from './questions.js';
import type { Refusal, RunState } from './state.js';
import { resolveVariables, shownVariables, unknownVars } from './variables.js';

/** Open the run: check it may start, lock it, resume or create its record, resolve its variables. */
export async function openRun(core: RunCore): Promise<void> {
  const o = core.options;
  const runbook = o.runbook;
  const env = core.state.environment;
  const at = core.iso();
  const practice = Boolean(o.dryRun);
  if (runbook.environments && !runbook.environments.includes(env.name)) {
    return refuse(core, { kind: 'invalid', message: `${runbook.path}: runs only in ${runbook.environments.join(', ')}, not in ${env.name}` });
  }
  const unknown = unknownVars(runbook.variables, o.vars ?? {});
  if (unknown.length > 0) return refuse(core, { kind: 'invalid', message: unknown.join('; ') });
  for (const ref of [o.from, o.only]) {
    if (ref !== undefined && !findStep(runbook, ref)) return refuse(core, { kind: 'invalid', message: `no step "${ref}" in ${runbook.path}` });
  }
  const decisions: Decision[] = [];
  if (!practice && !(await requirementsMet(core, decisions))) return;

  // An unfinished run of this runbook here is continued, unless a fresh one was asked for.
  let previous: RunRecord | undefined;
  const setAside: string[] = [];
  if (!practice) previous = await findResumable(core, setAside);
  if (previous && o.fresh) {
    await abandon(core, previous, at);
    previous = undefined;
  }
  const runId = previous?.id ?? newRunId(runbook.id, env.name, core.now());
  const session = { operator: o.operator, host: core.host, pid: process.pid, startedAt: at };
  if (!practice && !(await takeLock(core, runId, at, decisions))) return;

  let scratch: RunState;
  let resumed = false;
  if (previous) {
    const changes = changedSteps(previous, runbook);
    if (changes.length > 0) {
      const answer = await askRunbookChanged(core, changes.map((c) => `${c.change}: ${c.title} (${c.stepId})`), decisions);
      if (!answer) return;
      if (answer === 'new') {
        await abandon(core, previous, at);
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
      ...core.state,
      phase: 'running',
      record: {
        ...rest,
        status: 'running',
        sessions: [...previous.sessions, session],
        timeline: [...previous.timeline, { at, kind: 'resumed', by: o.operator, text: `resumed by ${o.operator} on ${session.host}` }],
      },
    };
    scratch = await settle(core, scratch, decisions);
    if (core.state.phase === 'ended' || core.stop) return refuse(core, { kind: 'declined', message: core.stop?.reason ?? 'stopped' });
  } else {
    const record = newRecord({ id: runId, runbook, environment: env, operator: o.operator, practice, at, session, ...(o.parent ? { parent: o.parent } : {}) });
    scratch = { ...core.state, phase: 'running', record };
  }
  for (const entry of core.pendingTimeline.splice(0)) scratch = reduce(scratch, { type: 'timeline', entry });
  for (const path of setAside) {
    scratch = reduce(scratch, { type: 'timeline', entry: { at, kind: 'record-set-aside', text: `an unreadable record was moved to ${path}` } });
  }

  if (!(await resolveAllVariables(core, scratch.record!, decisions))) return;
  // A resumed run keeps its captures' fields, so `{{NAME.stdout}}` still fills after the restart.
  const shown = shownVariables(core.values).map((v) => (v.source === 'capture' && core.captured.has(v.name) ? { ...v, fields: core.captured.get(v.name)! } : v));
  scratch = reduce(scratch, { type: 'variables-set', variables: shown });
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
  const record = { ...scratch.record!, updatedAt: core.iso() };
  await o.store.save(record);
  core.markSaved(record);
  core.apply({ type: 'run-opened', record, cursor, resumed, variables: scratch.variables });
  if (resumed) {
    const done = record.steps.filter(isFinishedStep).length;
    core.message('info', `resuming run ${record.id} at step ${Math.min(cursor + 1, record.steps.length)}/${record.steps.length} (${done} finished)`);
  }
}

function refuse(core: RunCore, refusalValue: Refusal): void {
  core.apply({ type: 'refused', refusal: refusalValue });
}

async function requirementsMet(core: RunCore, decisions: Decision[]): Promise<boolean> {
  const o = core.options;
  const missing: string[] = [];
  for (const id of o.runbook.requires) {
    const { runs } = await o.store.list({ runbookId: id, environment: o.environment.name, status: ['done'], practice: false, limit: 1 });
    if (runs.length === 0) missing.push(id);
  }
  if (missing.length === 0) return true;
  const question = core.question({
    kind: 'requires',
    text: `${o.runbook.id} requires ${missing.join(', ')}, which ${missing.length === 1 ? 'has' : 'have'} no finished run in ${o.environment.name}. Run it anyway?`,
    detail: [],
    options: yesNo(),
    ...(o.environment.protected ? {} : { assumeYes: 'yes' }),
  });
  const answer = await core.ask(question);
  if (!answer) return false;
  decisions.push(core.decision(question, answer));
  if (answer.value !== 'yes') {
    refuse(core, { kind: 'declined', message: `not started: ${missing.join(', ')} must be finished in ${o.environment.name} first` });
    return false;
  }
  return true;
}

async function findResumable(core: RunCore, setAside: string[]): Promise<RunRecord | undefined> {
  const o = core.options;
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
      core.message('warning', `${read.message} — it was moved to ${path} and a new run starts`);
    } else {
      core.message('warning', read.message);
    }
  }
  return undefined;
}

async function abandon(core: RunCore, previous: RunRecord, at: string): Promise<void> {
  const record: RunRecord = {
    ...previous,
    status: 'abandoned',
    endedAt: at,
    updatedAt: at,
    timeline: [...previous.timeline, { at, kind: 'ended', by: core.options.operator, text: `abandoned by ${core.options.operator}: a new run was started` }],
  };
  await core.options.store.save(record);
  core.message('info', `run ${previous.id} was left unfinished; it is recorded as abandoned and a new run starts`);
}

async function takeLock(core: RunCore, runId: string, at: string, decisions: Decision[]): Promise<boolean> {
  const o = core.options;
  const holder: LockHolder = { runId, runbookId: o.runbook.id, environment: o.environment.name, operator: o.operator, host: core.host, pid: process.pid, since: at };
  const attempt = await acquireLock(o.store.stateDir, holder);
  if (attempt.acquired) {
    core.lock = holder;
    return true;
  }
  const text = `${o.runbook.id} in ${o.environment.name} is ${describeHolder(attempt.holder)}`;
  if (attempt.liveness === 'alive' || (attempt.liveness === 'unknown' && !o.takeOver)) {
    const hint = attempt.liveness === 'unknown' ? ' (on another host: if that run is really gone, start again with --take-over)' : '';
    refuse(core, { kind: 'locked', holder: attempt.holder, message: `${text}${hint}` });
    return false;
  }
  const question = core.question({
    kind: 'take-over',
    text: `${text}, but that process is gone. Take the lock over?`,
    detail: [`lock file: ${attempt.path}`],
    options: yesNo(),
  });
  const answer = o.takeOver ? core.auto(question, 'yes', 'option') : await core.ask(question);
  if (!answer) return false;
  decisions.push(core.decision(question, answer));
  if (answer.value !== 'yes') {
    refuse(core, { kind: 'declined', message: `not started: the lock stays ${describeHolder(attempt.holder)}` });
    return false;
  }
  await takeOverLock(o.store.stateDir, holder);
  core.lock = holder;
  core.pendingTimeline.push({ at, kind: 'lock-taken-over', by: o.operator, text: `lock taken over from ${attempt.holder.operator} (pid ${attempt.holder.pid} on ${attempt.holder.host}, gone)` });
  return true;
}

async function askRunbookChanged(core: RunCore, lines: string[], decisions: Decision[]): Promise<'continue' | 'new' | undefined> {
  const question = core.question({
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
  const answer = await core.ask(question);
  if (!answer) return undefined;
  decisions.push(core.decision(question, answer));
  core.pendingTimeline.push({ at: core.iso(), kind: 'runbook-changed', by: answer.by, text: `runbook changed: ${lines.join('; ')}` });
  if (answer.value === 'stop') {
    refuse(core, { kind: 'declined', message: 'not resumed: the runbook changed' });
    return undefined;
  }
  return answer.value as 'continue' | 'new';
}

/** Turn what the last session left open into decisions: unknown outcomes, aborted actions, failed steps. */
async function settle(core: RunCore, scratch: RunState, decisions: Decision[]): Promise<RunState> {
  const o = core.options;
  let state = scratch;
  for (const entry of core.pendingTimeline.splice(0)) state = reduce(state, { type: 'timeline', entry });
  state = await attemptsFromLogs(core, state);
  for (const { step, action } of unknownOutcomes(state.record!)) {
    const last = action.attempts.at(-1);
    const still = last?.pid !== undefined && processAlive(last.pid) ? [`its process ${last.pid} still runs on this host`] : [];
    const started = last ? `(attempt ${last.n}, started ${last.startedAt} by ${last.operator}) ` : '';
    const text = `"${step.title}" was running ${started}when baton stopped; its outcome is unknown. What now?`;
    const settled = await askWhatHappened(core, state, step, action, text, still, decisions);
    if (!settled) return state;
    state = settled;
  }
  for (const step of state.record!.steps) {
    for (const action of step.actions) {
      if (action.status === 'aborted' && action.attempts.at(-1)?.status === 'aborted') {
        const text = `"${step.title}" was stopped part-way last time (attempt ${action.attempts.length}); it may have done some of its work. What now?`;
        const settled = await askWhatHappened(core, state, step, action, text, [], decisions);
        if (!settled) return state;
        state = settled;
      } else if (action.status === 'aborted' || action.status === 'running') {
        state = reduce(state, { type: 'action-settled', stepId: step.id, actionId: action.id, status: 'pending', by: o.operator, via: 'rule', at: core.iso() });
      }
    }
    const current = state.record!.steps.find((s) => s.id === step.id)!;
    if (current.status === 'failed') state = reduce(state, { type: 'step-reopened', stepId: step.id, actionIds: reopenable(current), at: core.iso() });
  }
  return state;
}

/** Ask re-run / mark done / skip about an action (or take `--on-unknown`); the state with the answer applied. */
async function askWhatHappened(
  core: RunCore,
  state: RunState,
  step: StepRecord,
  action: ActionRecord,
  text: string,
  extra: string[],
  decisions: Decision[],
): Promise<RunState | undefined> {
  const question = core.question({
    kind: 'unknown-outcome',
    text,
    detail: [...(action.code ? action.code.split('\n').map((l) => `$ ${l}`) : []), ...extra],
    options: unknownOptions(),
    stepId: step.id,
    actionId: action.id,
  });
  const onUnknown = core.options.onUnknown;
  const answer = onUnknown ? core.auto(question, onUnknown, 'option') : await core.ask(question);
  if (!answer) return undefined;
  decisions.push(core.decision(question, answer));
  return reduce(state, settleEvent(step.id, action.id, answer, core.iso()));
}

/**
 * Attempts that began after the record was last written, as running ones: those the attempt
 * journal lists, and (records written before the journal existed) those whose log file exists.
 */
async function attemptsFromLogs(core: RunCore, scratch: RunState): Promise<RunState> {
  let state = scratch;
  const record = state.record!;
  const logDir = await core.options.store.logDir(record.id);
  const begun = readAttemptJournal(await readFile(join(logDir, ATTEMPT_JOURNAL), 'utf8').catch(() => ''));
  const operator = record.sessions.at(-2)?.operator ?? record.operator;
  for (const step of record.steps) {
    for (const action of step.actions) {
      const n = action.attempts.length + 1;
      const name = attemptLogName(step.index, action.id, n);
      const log = join(logDir, `${name}.log`);
      const startedAt = begun.get(name) ?? (existsSync(log) ? statSync(log).mtime.toISOString() : undefined);
      if (startedAt === undefined) continue;
      state = reduce(state, {
        type: 'attempt-started',
        stepId: step.id,
        actionId: action.id,
        interactive: false,
        attempt: { n, status: 'running', operator, startedAt, log: core.options.store.relativePath(log) },
      });
    }
  }
  return { ...state, activity: undefined, output: undefined };
}

async function resolveAllVariables(core: RunCore, record: RunRecord, decisions: Decision[]): Promise<boolean> {
  const o = core.options;
  const started = new Date(record.startedAt);
  const resolved = resolveVariables({
    specs: o.runbook.variables,
    vars: o.vars ?? {},
    environment: o.environment,
    processEnv: o.processEnv ?? process.env,
    builtins: { env: o.environment.name, operator: o.operator, run_id: record.id, date: started.toISOString().slice(0, 10) },
    recorded: record.variables,
  });
  for (const [name, value] of resolved.values) core.values.set(name, value);
  for (const variable of record.variables) {
    if (variable.source === 'capture' && variable.value !== undefined) core.captured.set(variable.name, variable.fields ?? { value: variable.value });
  }
  for (const line of resolved.invalid) core.message('warning', line);
  for (const spec of resolved.missing) {
    const question = core.question({
      kind: 'variable',
      text: spec.prompt ?? `Value for ${spec.name}`,
      detail: [
        ...(spec.prompt ? [spec.name] : []),
        ...(spec.describe ? [spec.describe] : []),
        ...(spec.choices ? [`one of: ${spec.choices.join(', ')}`] : []),
        ...(spec.fromEnv ? [`taken from $${spec.fromEnv} when that is set`] : []),
      ],
      input: {
        ...(spec.secret ? { secret: true } : {}),
        ...(spec.choices ? { choices: spec.choices } : {}),
        ...(spec.pattern ? { pattern: spec.pattern } : {}),
      },
      variable: spec.name,
      ...(spec.fromEnv ? { fromEnv: spec.fromEnv } : {}),
    });
    const answer = await core.ask(question);
    if (!answer) return false;
    core.values.set(spec.name, { value: answer.value, secret: spec.secret, source: 'prompt' });
    decisions.push({ ...core.decision(question, answer), answer: spec.secret ? '(secret, not recorded)' : answer.value });
  }
  for (const value of core.values.values()) if (value.secret && value.value !== '') core.secrets.add(value.value);
  return true;
}

// ── steps and actions ───────────────────────────────────────────────────────────────────

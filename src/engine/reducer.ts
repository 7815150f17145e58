// The run state as a pure fold over events: no clock, no I/O. The record inside the state changes
// only through here, so what the faces show and what is written to disk cannot drift apart.
import type { Runbook } from '../runbook/model.js';
import type { ActionRecord, RunRecord, StepRecord } from '../store/record.js';
import type { RunEvent } from './events.js';
import { TAIL_LINES, type RunMode, type RunState } from './state.js';

/** The state before anything happened. */
export function initialState(init: {
  runbook: Runbook;
  environment: { name: string; protected: boolean };
  operator: string;
  mode: RunMode;
  dryRun: boolean;
  only?: string;
}): RunState {
  return {
    phase: 'preparing',
    mode: init.mode,
    runbook: init.runbook,
    environment: init.environment,
    operator: init.operator,
    dryRun: init.dryRun,
    cursor: 0,
    questions: [],
    variables: [],
    messages: [],
    ...(init.only ? { only: init.only } : {}),
  };
}

/** The state after one event. */
export function reduce(state: RunState, event: RunEvent): RunState {
  switch (event.type) {
    case 'run-opened':
      return { ...state, phase: 'running', record: event.record, cursor: event.cursor, variables: event.variables };
    case 'refused':
      return { ...state, phase: 'ended', refusal: event.refusal, questions: [] };
    case 'message':
      return { ...state, messages: [...state.messages, event.message] };
    case 'timeline':
      return withRecord(state, (r) => ({ ...r, timeline: [...r.timeline, event.entry] }));
    case 'question-asked':
      return { ...state, questions: [...state.questions, event.question] };
    case 'question-closed': {
      const next = { ...state, questions: state.questions.filter((q) => q.id !== event.questionId) };
      const decision = event.decision;
      return decision ? withRecord(next, (r) => ({ ...r, decisions: [...r.decisions, decision] })) : next;
    }
    case 'variables-set': {
      const names = new Set(event.variables.map((v) => v.name));
      const variables = [...state.variables.filter((v) => !names.has(v.name)), ...event.variables];
      return withRecord({ ...state, variables }, (r) => ({
        ...r,
        variables: variables.map((v) => ({
          name: v.name,
          secret: v.secret,
          source: v.source,
          ...(v.secret ? {} : { value: v.shown }),
          ...(v.fields && !v.secret ? { fields: v.fields } : {}),
        })),
      }));
    }
    case 'variable-captured':
      return reduce(state, { type: 'variables-set', variables: [event.variable] });
    case 'context-kept':
      return withRecord(state, (r) => ({ ...r, context: { ...r.context, [event.key]: event.value } }));
    case 'step-started':
      return withStep(state, event.stepId, (s) => ({
        ...s,
        status: 'running',
        startedAt: s.startedAt ?? event.at,
      }));
    case 'action-prepared':
      return withAction(state, event.stepId, event.actionId, (a) => ({
        ...a,
        code: event.code,
        ...(event.classification
          ? { classification: { level: event.classification.level, reasons: event.classification.reasons } }
          : {}),
      }));
    case 'action-skipped':
      return withAction(state, event.stepId, event.actionId, (a) => ({
        ...a,
        status: 'skipped',
        skip: { reason: event.reason, by: event.by, at: event.at, via: event.via },
      }));
    case 'action-previewed':
      return withAction(state, event.stepId, event.actionId, (a) => ({
        ...a,
        code: event.code,
        status: state.record?.practice ? 'previewed' : a.status,
      }));
    case 'attempt-started': {
      const next = withAction(state, event.stepId, event.actionId, (a) => ({
        ...a,
        status: 'running',
        attempts: [...a.attempts, event.attempt],
      }));
      // A new attempt of the same action replaces its rows; another action's rows stay on screen.
      const { table: _table, ...rest } = next;
      return {
        ...(state.table && state.table.actionId !== event.actionId ? next : rest),
        activity: event.interactive
          ? { kind: 'interactive', stepId: event.stepId, actionId: event.actionId, attempt: event.attempt.n, startedAt: event.attempt.startedAt }
          : {
              kind: 'attempt',
              stepId: event.stepId,
              actionId: event.actionId,
              attempt: event.attempt.n,
              startedAt: event.attempt.startedAt,
              watch: Boolean(event.attempt.watch),
            },
        output: { stepId: event.stepId, actionId: event.actionId, attempt: event.attempt.n, lines: [], dropped: 0 },
      };
    }
    case 'attempt-process':
      return withAction(state, event.stepId, event.actionId, (a) => ({
        ...a,
        attempts: a.attempts.map((t) => (t.n === event.n ? { ...t, pid: event.pid } : t)),
      }));
    case 'output': {
      const tail = state.output;
      if (!tail || tail.stepId !== event.stepId || tail.actionId !== event.actionId) return state;
      // Only what can stay in the tail is turned into objects: a batch may hold thousands of lines.
      const kept = event.lines.length > TAIL_LINES ? event.lines.slice(-TAIL_LINES) : event.lines;
      const added = kept.map((text) => ({ stream: event.stream, text }));
      const all = tail.lines.length + added.length > TAIL_LINES ? [...tail.lines, ...added] : tail.lines.concat(added);
      const overflow = Math.max(0, all.length - TAIL_LINES);
      const skipped = event.lines.length - kept.length;
      return {
        ...state,
        output: { ...tail, lines: overflow > 0 ? all.slice(overflow) : all, dropped: tail.dropped + overflow + skipped },
      };
    }
    case 'progress':
      return state.activity?.kind === 'attempt' && state.activity.actionId === event.actionId
        ? { ...state, activity: { ...state.activity, progress: event.message } }
        : state;
    case 'attempt-ended': {
      const next = withAction(state, event.stepId, event.actionId, (a) => ({
        ...a,
        attempts: a.attempts.map((t) => (t.n === event.n ? { ...t, ...event.ended, status: event.status } : t)),
      }));
      return { ...next, activity: undefined, ...(event.table ? { table: event.table } : {}) };
    }
    case 'waiting':
      return { ...state, activity: { kind: 'waiting', stepId: event.stepId, actionId: event.actionId, until: event.until, why: event.why } };
    case 'action-ended': {
      const next = withAction(state, event.stepId, event.actionId, (a) => ({
        ...a,
        status: event.status,
        ...(event.tolerated ? { tolerated: event.tolerated } : {}),
        ...(event.captured ? { captured: event.captured } : {}),
      }));
      return { ...next, activity: undefined };
    }
    case 'check-answered':
      return withStep(state, event.stepId, (s) => ({
        ...s,
        checks: s.checks.map((c) =>
          c.id === event.checkId
            ? {
                ...c,
                status: event.status,
                by: event.by,
                at: event.at,
                via: event.via,
                ...(event.note ? { note: event.note } : {}),
                ...(event.text ? { text: event.text } : {}),
              }
            : c,
        ),
      }));
    case 'step-ended':
      return withStep({ ...state, activity: undefined }, event.stepId, (s) => ({
        ...s,
        status: event.status,
        endedAt: event.at,
        ...(event.failure ? { failure: event.failure } : {}),
      }));
    case 'step-skipped':
      return withStep(
        { ...state, questions: state.questions.filter((q) => q.stepId !== event.stepId) },
        event.stepId,
        (s) => ({
          ...s,
          status: 'skipped',
          endedAt: event.at,
          skip: { reason: event.reason, by: event.by, at: event.at, via: event.via },
          actions: s.actions.map((a) => (isFinishedAction(a, false) ? a : { ...a, status: 'skipped' as const })),
          checks: s.checks.map((c) => (c.status === 'pending' ? { ...c, status: 'skipped' as const } : c)),
        }),
      );
    case 'step-reopened':
      return withStep(state, event.stepId, (s) => {
        const { failure: _failure, endedAt: _endedAt, ...rest } = s;
        return {
          ...rest,
          status: 'running',
          actions: s.actions.map((a) => (event.actionIds.includes(a.id) ? { ...a, status: 'pending' as const } : a)),
          checks: s.checks.map((c) => (c.status === 'failed' ? { ...c, status: 'pending' as const } : c)),
        };
      });
    case 'action-settled':
      return withAction(state, event.stepId, event.actionId, (a) => ({
        ...a,
        status: event.status,
        attempts: a.attempts.map((t) => (t.status === 'running' ? { ...t, status: 'unknown' as const } : t)),
        ...(event.status === 'skipped'
          ? { skip: { reason: event.reason ?? 'skipped', by: event.by, at: event.at, via: event.via } }
          : {}),
      }));
    case 'decision': {
      const decision = event.decision;
      return withRecord(state, (r) => ({ ...r, decisions: [...r.decisions, decision] }));
    }
    case 'note-added':
      return withRecord(state, (r) => ({ ...r, notes: [...r.notes, event.note] }));
    case 'cursor-moved':
      return { ...state, cursor: event.index };
    case 'dry-run-set':
      return { ...state, dryRun: event.on };
    case 'mode-set':
      return { ...state, mode: event.mode };
    case 'fallback-started': {
      const next = withAction(state, event.link.stepId, event.link.actionId, (a) => ({ ...a, fallbackRunId: event.link.runId }));
      return withRecord(
        {
          ...next,
          activity: {
            kind: 'fallback',
            stepId: event.link.stepId,
            actionId: event.link.actionId,
            runId: event.link.runId,
            runbookId: event.link.runbookId,
          },
        },
        (r) => ({ ...r, linked: [...r.linked, event.link] }),
      );
    }
    case 'fallback-ended':
      return withRecord({ ...state, activity: undefined }, (r) => ({
        ...r,
        linked: r.linked.map((l) => (l.runId === event.runId ? { ...l, status: event.status } : l)),
      }));
    case 'child-changed':
      return { ...state, child: event.child };
    case 'run-ended': {
      const next: RunState = {
        ...state,
        phase: 'ended',
        activity: undefined,
        questions: [],
        ended: { status: event.status, ...(event.reason ? { reason: event.reason } : {}) },
      };
      return withRecord(next, (r) => ({
        ...r,
        status: event.status,
        endedAt: event.at,
        updatedAt: event.at,
        sessions: r.sessions.map((s, i) =>
          i === r.sessions.length - 1 && !s.endedAt
            ? {
                ...s,
                endedAt: event.at,
                ended: event.status === 'running' ? undefined : (event.status as 'done'),
                ...(event.reason ? { reason: event.reason } : {}),
              }
            : s,
        ),
      }));
    }
  }
}

/** Whether an action needs nothing more: in a practice run, a preview finishes it. */
export function isFinishedAction(action: ActionRecord, practice: boolean): boolean {
  switch (action.status) {
    case 'succeeded':
    case 'failed':
    case 'skipped':
    case 'marked-done':
      return true;
    case 'previewed':
      return practice;
    default:
      return false;
  }
}

/** Whether a step needs nothing more. */
export function isFinishedStep(step: StepRecord): boolean {
  return step.status === 'done' || step.status === 'skipped';
}

function withRecord(state: RunState, change: (record: RunRecord) => RunRecord): RunState {
  return state.record ? { ...state, record: change(state.record) } : state;
}

function withStep(state: RunState, stepId: string, change: (step: StepRecord) => StepRecord): RunState {
  // Nearly every event is about the step at the cursor: look there before searching.
  return withRecord(state, (r) => ({ ...r, steps: replaceWhere(r.steps, (s) => s.id === stepId, change, state.cursor) }));
}

function withAction(state: RunState, stepId: string, actionId: string, change: (action: ActionRecord) => ActionRecord): RunState {
  return withStep(state, stepId, (s) => ({ ...s, actions: replaceWhere(s.actions, (a) => a.id === actionId, change) }));
}

/** A copy of `items` with the first match (or the match at `hint`) changed; the same array when nothing matches. */
function replaceWhere<T>(items: T[], match: (item: T) => boolean, change: (item: T) => T, hint = -1): T[] {
  const index = hint >= 0 && hint < items.length && match(items[hint]!) ? hint : items.findIndex(match);
  if (index < 0) return items;
  const copy = items.slice();
  copy[index] = change(items[index]!);
  return copy;
}

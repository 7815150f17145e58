// Creating a record from a runbook, and lining an existing record up with the runbook as it is now
// (resume): which steps changed, were added or removed, and what is left unfinished. Pure.
import type { Action, Runbook, Step } from '../runbook/model.js';
import { RECORD_VERSION, type ActionRecord, type RunRecord, type Session, type StepRecord } from '../store/record.js';
import { isFinishedAction, isFinishedStep } from './reducer.js';

/** Actions that run (display blocks are only shown, so they have no record). */
export function runnableActions(step: Step): Action[] {
  return step.actions.filter((a) => a.kind !== 'display');
}

/** A fresh step record. */
export function newStepRecord(step: Step): StepRecord {
  return {
    id: step.id,
    index: step.index,
    title: step.title,
    hash: step.hash,
    status: 'pending',
    actions: runnableActions(step).map(newActionRecord),
    checks: step.checks.map((c) => ({ id: c.id, text: c.text, status: 'pending' })),
  };
}

function newActionRecord(action: Action): ActionRecord {
  return { id: action.id, kind: action.kind, ...(action.attrs.name ? { name: action.attrs.name } : {}), status: 'pending', attempts: [] };
}

/** A new run's record. */
export function newRecord(init: {
  id: string;
  runbook: Runbook;
  environment: { name: string; protected: boolean };
  operator: string;
  practice: boolean;
  at: string;
  session: Session;
  parent?: RunRecord['parent'];
}): RunRecord {
  return {
    version: RECORD_VERSION,
    id: init.id,
    runbook: { id: init.runbook.id, path: init.runbook.path, title: init.runbook.title, hash: init.runbook.hash },
    environment: init.environment,
    operator: init.operator,
    status: 'running',
    practice: init.practice,
    startedAt: init.at,
    updatedAt: init.at,
    variables: [],
    steps: init.runbook.steps.map(newStepRecord),
    notes: [],
    decisions: [],
    sessions: [init.session],
    timeline: [
      {
        at: init.at,
        kind: 'started',
        by: init.operator,
        text: `${init.practice ? 'practice run' : 'run'} of ${init.runbook.id} started in ${init.environment.name} by ${init.operator}`,
      },
    ],
    ...(init.parent ? { parent: init.parent } : {}),
    linked: [],
  };
}

/** How one step differs between the record and the runbook now. */
export interface StepChange {
  stepId: string;
  title: string;
  change: 'changed' | 'added' | 'removed';
}

/** Steps that changed, were added or were removed since the record was written. */
export function changedSteps(record: RunRecord, runbook: Runbook): StepChange[] {
  const changes: StepChange[] = [];
  const recorded = new Map(record.steps.map((s) => [s.id, s]));
  const current = new Set(runbook.steps.map((s) => s.id));
  for (const step of runbook.steps) {
    const old = recorded.get(step.id);
    if (!old) changes.push({ stepId: step.id, title: step.title, change: 'added' });
    else if (old.hash !== step.hash) changes.push({ stepId: step.id, title: step.title, change: 'changed' });
  }
  for (const old of record.steps) {
    if (!current.has(old.id)) changes.push({ stepId: old.id, title: old.title, change: 'removed' });
  }
  return changes;
}

/**
 * The record's steps lined up with the runbook as it is now. Finished work stays as recorded;
 * unfinished actions of a changed step are taken from the new text; removed steps move to
 * `retiredSteps`, so nothing recorded is lost.
 */
export function realign(record: RunRecord, runbook: Runbook): RunRecord {
  const recorded = new Map(record.steps.map((s) => [s.id, s]));
  const steps = runbook.steps.map((step): StepRecord => {
    const old = recorded.get(step.id);
    if (!old) return newStepRecord(step);
    if (old.hash === step.hash && old.index === step.index) return old;
    const oldActions = new Map(old.actions.map((a) => [a.id, a]));
    const actions = runnableActions(step).map((action) => {
      const previous = oldActions.get(action.id);
      if (!previous) return newActionRecord(action);
      return isFinishedAction(previous, record.practice) ? previous : { ...previous, kind: action.kind, status: 'pending' as const };
    });
    const oldChecks = new Map(old.checks.map((c) => [c.id, c]));
    const checks = step.checks.map((check) => {
      const previous = oldChecks.get(check.id);
      return previous && previous.text === check.text ? previous : { id: check.id, text: check.text, status: 'pending' as const };
    });
    return { ...old, index: step.index, title: step.title, hash: step.hash, actions, checks };
  });
  const current = new Set(runbook.steps.map((s) => s.id));
  const retired = record.steps.filter((s) => !current.has(s.id));
  return {
    ...record,
    runbook: { ...record.runbook, hash: runbook.hash, path: runbook.path, title: runbook.title },
    steps,
    ...(retired.length > 0 ? { retiredSteps: [...(record.retiredSteps ?? []), ...retired] } : {}),
  };
}

/** Actions whose last attempt was still `running` when the record was last written. */
export function unknownOutcomes(record: RunRecord): { step: StepRecord; action: ActionRecord }[] {
  const found: { step: StepRecord; action: ActionRecord }[] = [];
  for (const step of record.steps) {
    for (const action of step.actions) {
      const last = action.attempts.at(-1);
      if (action.status === 'unknown' || action.status === 'running' || last?.status === 'running') found.push({ step, action });
    }
  }
  return found;
}

/** Index of the first unfinished step, or -1 when every step is finished. */
export function firstUnfinished(record: RunRecord, from = 0): number {
  for (let i = from; i < record.steps.length; i++) if (!isFinishedStep(record.steps[i]!)) return i;
  return -1;
}

/** Find a step by id, 1-based number or title (case-insensitive); undefined when none matches. */
export function findStep(runbook: Runbook, ref: string): Step | undefined {
  const trimmed = ref.trim();
  if (/^\d+$/.test(trimmed)) return runbook.steps[Number(trimmed) - 1];
  const lowered = trimmed.toLowerCase();
  return (
    runbook.steps.find((s) => s.id === trimmed) ??
    runbook.steps.find((s) => s.id.toLowerCase() === lowered) ??
    runbook.steps.find((s) => s.title.toLowerCase() === lowered)
  );
}

/** The file in a run's log folder listing the attempts begun, one `<time>\t<log name>` line each. */
export const ATTEMPT_JOURNAL = 'attempts-begun.tsv';

/** The attempts an attempt journal lists: log name → when it began. Torn or foreign lines are ignored. */
export function readAttemptJournal(text: string): Map<string, string> {
  const begun = new Map<string, string>();
  const lines = text.split('\n');
  // Only whole lines: whatever follows the last line break was never finished.
  lines.pop();
  for (const line of lines) {
    const tab = line.indexOf('\t');
    if (tab > 0 && tab < line.length - 1) begun.set(line.slice(tab + 1), line.slice(0, tab));
  }
  return begun;
}

/** The log file name (without `.log`) of an attempt: `03-load.insert-2`. Sorts by step, then attempt. */
export function attemptLogName(stepIndex: number, actionId: string, n: number): string {
  return `${String(stepIndex + 1).padStart(2, '0')}-${actionId.replace(/[^A-Za-z0-9_-]+/g, '.')}-${n}`;
}

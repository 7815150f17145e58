// What the records say, worked out once for the whole document: where each runbook stands in the
// environment, what went wrong and how it was resolved, what is still open, and who practised what.
// Pure: records and runbooks in, plain data out; the Markdown sections only format it.
import type { Environment } from '../config/environment.js';
import type { ActionRecord, Attempt, CheckRecord, Decision, RunRecord, StepRecord, TimelineEntry } from '../store/record.js';
import type { HandoverInput, RunbookEntry } from './input.js';

/** What a runbook is for, from its tags. A runbook may have several. */
export type RunbookRole = 'procedure' | 'monitoring' | 'recovery' | 'maintenance' | 'training';

/** Where a runbook stands in the environment, judged by its latest run that was not abandoned. */
export type Standing = 'done' | 'in progress' | 'failed' | 'abandoned' | 'never run';

/** One runbook in the environment. */
export interface RunbookStanding {
  id: string;
  title: string;
  /** Absent when the runbook has runs but is no longer in the folder. */
  entry?: RunbookEntry;
  roles: Set<RunbookRole>;
  /** Its runs in the environment (dry runs apart), oldest first. */
  runs: RunRecord[];
  /** The run that decides the standing. */
  latest?: RunRecord;
  standing: Standing;
}

/** Something that went wrong, and what was done about it. */
export type Incident =
  | { kind: 'retried'; run: RunRecord; step: StepRecord; action: ActionRecord; failures: Attempt[]; success: Attempt }
  | { kind: 'tolerated'; run: RunRecord; step: StepRecord; action: ActionRecord; failure?: Attempt }
  | { kind: 'fallback'; run: RunRecord; step: StepRecord; action: ActionRecord; failure?: Attempt; fallbackRunId?: string; fallback?: RunRecord }
  | { kind: 'skipped'; run: RunRecord; step: StepRecord; action?: ActionRecord; skip: NonNullable<StepRecord['skip']> }
  | { kind: 'unknown-outcome'; run: RunRecord; step?: StepRecord; action?: ActionRecord; decision: Decision }
  | { kind: 'resolved-later'; run: RunRecord; step?: StepRecord; later: RunRecord }
  | { kind: 'event'; run: RunRecord; entry: TimelineEntry }
  | { kind: 'override'; run: RunRecord; override: NonNullable<RunRecord['override']> };

/** Something the team must still do or decide. */
export type OpenItem =
  | { kind: 'unfinished'; standing: RunbookStanding; run: RunRecord }
  | { kind: 'never-run'; standing: RunbookStanding }
  | { kind: 'check'; run: RunRecord; step: StepRecord; check: CheckRecord }
  | { kind: 'step'; run: RunRecord; step: StepRecord };

/** How a run counts as practice. */
export type PracticeKind = 'dry run' | 'walkthrough' | 'drill' | 'rehearsal';

/** One line of the training log. */
export interface PracticeRun {
  run: RunRecord;
  kind: PracticeKind;
  /** The environment, marked `(sandbox)` when it is one. */
  where: string;
}

/** Everything the sections need, worked out from the input. */
export interface HandoverFacts {
  /** Runbooks with runs in the environment, or expected to have them, in folder order. */
  standings: RunbookStanding[];
  /** Runs in the environment that are not practice, oldest first. */
  runs: RunRecord[];
  incidents: Incident[];
  openItems: OpenItem[];
  practice: PracticeRun[];
  /** Everyone who started, resumed, ran or confirmed something in the environment. */
  operators: string[];
  /** Secret variable → the runbooks that declare or recorded it. */
  masked: Map<string, Set<string>>;
  /** Every run by id, practice included, to follow fallback links. */
  byId: Map<string, RunRecord>;
}

const FAILED_ATTEMPT = new Set<Attempt['status']>(['failed', 'timeout', 'aborted', 'unknown']);

/** Failures a later attempt made good; an unknown outcome is reported with the decision taken on it instead. */
const RETRIED_FAILURE = new Set<Attempt['status']>(['failed', 'timeout', 'aborted']);

/** Work out the document's facts. */
export function handoverFacts(input: HandoverInput): HandoverFacts {
  const env = input.environment;
  const entries = new Map(input.runbooks.map((entry) => [entry.id, entry]));
  const procedureTagged = input.runbooks.some((entry) => entry.tags.includes('go-live'));
  const rolesFor = (id: string) => rolesOf(entries.get(id), procedureTagged);
  const byId = new Map(input.runs.map((run) => [run.id, run]));

  const runs: RunRecord[] = [];
  const practice: PracticeRun[] = [];
  for (const run of input.runs) {
    const kind = practiceKind(run, env, input.environments, rolesFor(run.runbook.id));
    if (kind) practice.push({ run, kind, where: placeOf(run, input.environments) });
    if (run.environment.name === env.name && !run.practice && !rolesFor(run.runbook.id).has('training')) runs.push(run);
  }

  const standings = standingsOf(runs, input.runbooks, env, rolesFor);
  const incidents = standings.flatMap((standing) => standing.runs.flatMap((run) => incidentsOf(run, standing, byId)));
  return {
    standings,
    runs,
    incidents,
    openItems: openItemsOf(standings),
    practice,
    operators: operatorsOf(runs),
    masked: maskedVariables(input.runbooks, input.runs),
    byId,
  };
}

/** The roles of a runbook from its tags; `procedureTagged` says whether the folder marks its go-live runbooks. */
export function rolesOf(entry: RunbookEntry | undefined, procedureTagged: boolean): Set<RunbookRole> {
  const roles = new Set<RunbookRole>();
  const tags = new Set(entry?.tags ?? []);
  if (tags.has('recovery') || tags.has('incident')) roles.add('recovery');
  if (tags.has('monitoring')) roles.add('monitoring');
  if (tags.has('optimisation') || tags.has('optimization') || tags.has('maintenance')) roles.add('maintenance');
  if (tags.has('training')) roles.add('training');
  const procedure = procedureTagged ? tags.has('go-live') : !roles.has('recovery') && !roles.has('maintenance') && !roles.has('training');
  if (procedure && entry) roles.add('procedure');
  return roles;
}

/** Whether a runbook may run in an environment. */
export function runsIn(entry: RunbookEntry, env: string): boolean {
  return !entry.environments || entry.environments.includes(env);
}

function practiceKind(run: RunRecord, env: Environment, all: Environment[], roles: Set<RunbookRole>): PracticeKind | undefined {
  if (run.practice) return 'dry run';
  if (roles.has('training')) return 'walkthrough';
  const sandbox = all.find((e) => e.name === run.environment.name)?.sandbox === true;
  if (run.environment.name !== env.name) return sandbox && roles.has('recovery') ? 'drill' : 'rehearsal';
  return sandbox && roles.has('recovery') ? 'drill' : undefined;
}

function placeOf(run: RunRecord, all: Environment[]): string {
  const name = run.environment.name;
  const sandbox = all.find((e) => e.name === name)?.sandbox === true;
  return sandbox && !/sandbox/i.test(name) ? `${name} (sandbox)` : name;
}

function standingsOf(runs: RunRecord[], runbooks: RunbookEntry[], env: Environment, rolesFor: (id: string) => Set<RunbookRole>): RunbookStanding[] {
  const byRunbook = new Map<string, RunRecord[]>();
  for (const run of runs) {
    const list = byRunbook.get(run.runbook.id) ?? [];
    list.push(run);
    byRunbook.set(run.runbook.id, list);
  }
  const ids = [
    ...runbooks.filter((entry) => byRunbook.has(entry.id) || (runsIn(entry, env.name) && rolesFor(entry.id).has('procedure'))).map((entry) => entry.id),
    ...[...byRunbook.keys()].filter((id) => !runbooks.some((entry) => entry.id === id)).sort(),
  ];
  return ids.map((id) => {
    const entry = runbooks.find((candidate) => candidate.id === id);
    const list = (byRunbook.get(id) ?? []).sort(byStart);
    const latest = [...list].reverse().find((run) => run.status !== 'abandoned') ?? list.at(-1);
    return {
      id,
      title: entry?.title ?? latest?.runbook.title ?? id,
      ...(entry ? { entry } : {}),
      roles: rolesFor(id),
      runs: list,
      ...(latest ? { latest } : {}),
      standing: standingOf(latest),
    };
  });
}

function standingOf(run: RunRecord | undefined): Standing {
  switch (run?.status) {
    case undefined:
      return 'never run';
    case 'done':
      return 'done';
    case 'failed':
      return 'failed';
    case 'abandoned':
      return 'abandoned';
    default:
      return 'in progress';
  }
}

/** Oldest first, by start time then id. */
export function byStart(a: RunRecord, b: RunRecord): number {
  return a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function incidentsOf(run: RunRecord, standing: RunbookStanding, byId: Map<string, RunRecord>): Incident[] {
  const found: Incident[] = [];
  if (run.override) found.push({ kind: 'override', run, override: run.override });
  for (const entry of run.timeline) {
    if (entry.kind === 'lock-taken-over' || entry.kind === 'runbook-changed' || entry.kind === 'record-set-aside') found.push({ kind: 'event', run, entry });
  }
  for (const step of run.steps) {
    if (step.skip && step.skip.via !== 'rule') found.push({ kind: 'skipped', run, step, skip: step.skip });
    for (const action of step.actions) {
      const tried = action.attempts.filter((attempt) => !attempt.watch);
      const lastSuccess = tried.findLastIndex((attempt) => attempt.status === 'succeeded');
      const failures = tried.slice(0, Math.max(0, lastSuccess)).filter((attempt) => RETRIED_FAILURE.has(attempt.status));
      if (lastSuccess > 0 && failures.length > 0) found.push({ kind: 'retried', run, step, action, failures, success: tried[lastSuccess]! });
      const failure = [...tried].reverse().find((attempt) => FAILED_ATTEMPT.has(attempt.status));
      if (action.tolerated === 'continue') found.push({ kind: 'tolerated', run, step, action, ...(failure ? { failure } : {}) });
      if (action.tolerated === 'fallback' || action.fallbackRunId) {
        const fallback = action.fallbackRunId ? byId.get(action.fallbackRunId) : undefined;
        found.push({ kind: 'fallback', run, step, action, ...(failure ? { failure } : {}), ...(action.fallbackRunId ? { fallbackRunId: action.fallbackRunId } : {}), ...(fallback ? { fallback } : {}) });
      }
      if (action.skip && action.skip.via !== 'rule' && !step.skip) found.push({ kind: 'skipped', run, step, action, skip: action.skip });
    }
  }
  for (const decision of run.decisions) {
    if (decision.kind !== 'unknown-outcome') continue;
    const step = run.steps.find((s) => s.id === decision.stepId);
    const action = step?.actions.find((a) => a.id === decision.actionId);
    found.push({ kind: 'unknown-outcome', run, decision, ...(step ? { step } : {}), ...(action ? { action } : {}) });
  }
  // A run that stopped short, followed by a later run of the same runbook that finished.
  if (run !== standing.latest && run.status !== 'done') {
    const later = standing.runs.find((other) => byStart(other, run) > 0 && other.status === 'done');
    if (later) {
      const step = run.steps.find((s) => s.status === 'failed') ?? run.steps.find((s) => s.status !== 'done' && s.status !== 'skipped');
      found.push({ kind: 'resolved-later', run, later, ...(step ? { step } : {}) });
    }
  }
  return found;
}

function openItemsOf(standings: RunbookStanding[]): OpenItem[] {
  const items: OpenItem[] = [];
  for (const standing of standings) {
    const run = standing.latest;
    if (!run) {
      if (standing.roles.has('procedure')) items.push({ kind: 'never-run', standing });
      continue;
    }
    if (run.status !== 'done') items.push({ kind: 'unfinished', standing, run });
    for (const step of run.steps) {
      if (step.status === 'failed' || (step.status === 'skipped' && step.skip?.via !== 'rule')) items.push({ kind: 'step', run, step });
      for (const check of step.checks) {
        const answeredByFlag = check.status === 'confirmed' && check.via === 'yes-flag';
        const unanswered = check.status === 'pending' && (step.status === 'done' || step.status === 'running' || step.status === 'failed');
        if (check.status === 'failed' || answeredByFlag || unanswered || (check.status === 'skipped' && step.status !== 'skipped')) {
          items.push({ kind: 'check', run, step, check });
        }
      }
    }
  }
  return items;
}

function operatorsOf(runs: RunRecord[]): string[] {
  const names = new Set<string>();
  for (const run of runs) {
    names.add(run.operator);
    for (const session of run.sessions) names.add(session.operator);
    for (const step of run.steps) {
      for (const action of step.actions) for (const attempt of action.attempts) names.add(attempt.operator);
      for (const check of step.checks) if (check.by && check.via !== 'yes-flag') names.add(check.by);
    }
  }
  names.delete('');
  return [...names].sort((a, b) => a.localeCompare(b));
}

function maskedVariables(runbooks: RunbookEntry[], runs: RunRecord[]): Map<string, Set<string>> {
  const masked = new Map<string, Set<string>>();
  const add = (name: string, runbook: string) => {
    const set = masked.get(name) ?? new Set<string>();
    set.add(runbook);
    masked.set(name, set);
  };
  for (const entry of runbooks) for (const name of entry.secretVariables) add(name, entry.id);
  for (const run of runs) for (const variable of run.variables) if (variable.secret) add(variable.name, run.runbook.id);
  return new Map([...masked].sort(([a], [b]) => a.localeCompare(b)));
}

// "Runbooks and runs": per runbook, every run in the environment with who ran it, when, how long it
// took and how it ended; per step its status, attempts, duration, Snowflake query ids, scheduler
// job states before and after, checks with who confirmed them, and notes.
import type { Attempt, CheckRecord, Note, RunRecord, StepRecord } from '../store/record.js';
import type { JobChange } from '../executors/scheduler-action.js';
import type { HandoverFacts, RunbookStanding } from './facts.js';
import { clip, table } from './markdown-text.js';
import { between, duration } from './times.js';
import type { Writer } from './writer.js';

/** The marker a run's timeline picture replaces in the HTML; invisible where Markdown is shown. */
function timelineMarker(runId: string): string {
  return `<!-- baton:timeline ${runId} -->`;
}

/** The pattern of {@link timelineMarker}, for the HTML renderer. */
export const TIMELINE_MARKER = /^<!-- baton:timeline ([A-Za-z0-9_-]+) -->$/;

/** The ids of the runs whose timeline the document places, in order. */
export function markedRuns(markdown: string): string[] {
  return [...markdown.matchAll(new RegExp(TIMELINE_MARKER.source, 'gm'))].map((match) => match[1]!);
}

/** The section, one sub-section per runbook with runs. */
export function runsSection(facts: HandoverFacts, w: Writer, logsDir: string): string[] {
  const lines = [w.heading(2, 'Runbooks and runs', 'runs'), ''];
  const withRuns = facts.standings.filter((standing) => standing.runs.length > 0);
  if (withRuns.length === 0) return [...lines, 'No runbook has run in this environment yet.', ''];
  lines.push(`Full output of every command is in ${w.code(`${logsDir}/<run id>/`)}; ${w.code('baton show <run id>')} prints a run's whole record.`, '');
  for (const standing of withRuns) lines.push(...runbookPart(standing, facts, w));
  return lines;
}

function runbookPart(standing: RunbookStanding, facts: HandoverFacts, w: Writer): string[] {
  const lines = [w.heading(3, standing.title, `runbook:${standing.id}`), ''];
  const where = standing.entry ? ` · ${w.code(standing.entry.path)}` : ' · no longer in the runbooks folder';
  lines.push(`${w.code(standing.id)}${where} · standing: **${standing.standing}**`, '');
  if (standing.entry?.summary) lines.push(w.say(standing.entry.summary), '');
  const rows = standing.runs.map((run) => [
    `[${w.say(w.clock.dateTime(run.startedAt))}](${w.ref(`run:${run.id}`)})`,
    w.say(operatorsText(run)),
    w.say(w.clock.dateTime(run.endedAt)),
    duration(between(run.startedAt, run.endedAt)),
    w.say(runResult(run)),
  ]);
  lines.push(...table(['Run', 'Operator', 'End', 'Duration', 'Result'], rows, 'lllrl'), '');
  standing.runs.forEach((run, i) => lines.push(...runPart(run, i + 1, standing.runs.length, facts, w)));
  return lines;
}

function runPart(run: RunRecord, n: number, of: number, facts: HandoverFacts, w: Writer): string[] {
  const title = `${of > 1 ? `Run ${n} of ${of}` : 'Run'} — ${w.clock.dateTime(run.startedAt)}, ${run.status}`;
  const lines = [w.heading(4, title, `run:${run.id}`), ''];
  const about: string[] = [];
  about.push(`Run ${w.code(run.id)}, runbook hash ${w.code(run.runbook.hash.slice(0, 12))}`);
  about.push(`Operator: ${w.say(operatorsText(run))}${hostsText(run, w)}`);
  const took = duration(between(run.startedAt, run.endedAt));
  about.push(`Started ${w.say(w.clock.dateTime(run.startedAt))}; ${run.endedAt ? `ended ${w.say(w.clock.time(run.endedAt, run.startedAt))} (${took})` : 'not ended'}`);
  about.push(`Result: **${w.say(runResult(run))}**`);
  if (run.override) about.push(`Guard questions not asked: ${w.code(run.override.flag)} by ${w.say(run.override.by)} at ${w.say(w.clock.time(run.override.at, run.startedAt))}`);
  if (run.parent) about.push(`Fallback of [run ${w.say(w.clock.dateTime(facts.byId.get(run.parent.runId)?.startedAt ?? ''))}](${w.ref(`run:${run.parent.runId}`)}) of ${w.code(run.parent.runbookId)}, started when ${w.code(run.parent.actionId)} failed`);
  for (const linked of run.linked) about.push(`Started fallback run ${w.code(linked.runId)} (${w.code(linked.runbookId)}) when ${w.code(linked.actionId)} failed: ${w.say(linked.status ?? 'running')}`);
  const variables = run.variables.filter((v) => v.source !== 'builtin' && !v.secret);
  if (variables.length > 0) about.push(`Variables: ${variables.map((v) => w.code(`${v.name}=${v.value ?? ''}`)).join(', ')}`);
  const secret = run.variables.filter((v) => v.secret);
  if (secret.length > 0) about.push(`Secret, not recorded: ${secret.map((v) => w.code(v.name)).join(', ')}`);
  lines.push(...about.map((line) => `- ${line}`), '');
  lines.push(timelineMarker(run.id), '');
  const steps = [...run.steps, ...(run.retiredSteps ?? [])];
  lines.push(
    ...table(
      ['#', 'Step', 'Status', 'Attempts', 'Started', 'Duration'],
      steps.map((step) => [
        String(step.index + 1),
        w.say(step.title) + (run.retiredSteps?.includes(step) ? ' (removed from the runbook since)' : ''),
        stepStatus(step),
        attemptsText(step),
        w.say(w.clock.time(step.startedAt, run.startedAt)),
        duration(between(step.startedAt, step.endedAt)),
      ]),
      'rlllrr',
    ),
    '',
  );
  const notesByStep = new Map<string, Note[]>();
  for (const note of run.notes) if (note.stepId) notesByStep.set(note.stepId, [...(notesByStep.get(note.stepId) ?? []), note]);
  const details = steps.flatMap((step) => stepDetails(run, step, notesByStep.get(step.id) ?? [], w));
  if (details.length > 0) lines.push('Step details:', '', ...details, '');
  const runNotes = run.notes.filter((note) => !note.stepId);
  const decisions = run.decisions.filter((d) => d.kind !== 'check' && d.kind !== 'variable' && d.kind !== 'unknown-outcome');
  const events = run.timeline.filter((entry) => entry.kind !== 'started' && entry.kind !== 'ended');
  const more = [
    ...runNotes.map((note) => `- Note by ${w.say(note.by)} at ${w.say(w.clock.time(note.at, run.startedAt))}: ${w.say(note.text)}`),
    ...decisions.map((d) => `- ${w.say(d.question)} → ${w.say(d.answer)} (${w.say(d.by)}${d.via === 'operator' ? '' : `, ${viaText(d.via)}`}, ${w.say(w.clock.time(d.at, run.startedAt))})`),
    ...events.map((entry) => `- ${w.say(w.clock.time(entry.at, run.startedAt))}: ${w.say(entry.text)}`),
  ];
  if (more.length > 0) lines.push('Notes, answers and events:', '', ...more, '');
  return lines;
}

function stepDetails(run: RunRecord, step: StepRecord, notes: Note[], w: Writer): string[] {
  const items: string[] = [];
  if (step.skip) items.push(`Skipped: ${w.say(step.skip.reason)} (${w.say(step.skip.by)}${step.skip.via === 'operator' ? '' : `, ${viaText(step.skip.via)}`})`);
  if (step.status === 'failed' && step.failure) items.push(`Failed: ${w.say(clip(step.failure))}`);
  const queries = new Set<string>();
  for (const action of step.actions) for (const attempt of action.attempts) for (const id of queryIdsOf(attempt)) queries.add(id);
  if (queries.size > 0) items.push(`Queries: ${[...queries].map((id) => w.query(id)).join(', ')}`);
  const jobs = jobChanges(step);
  if (jobs.length > 0) items.push(`Jobs: ${jobs.map((job) => `${w.code(job.name)} ${w.say(jobStateText(job))}`).join('; ')}`);
  for (const action of step.actions) {
    if (action.skip && !step.skip) items.push(`${w.code(action.name ?? action.id)} skipped: ${w.say(action.skip.reason)}`);
    const last = action.attempts.at(-1);
    const repeated = step.status === 'failed' && last?.error && step.failure?.includes(last.error.message);
    if (last?.error && !repeated && (action.status === 'failed' || action.status === 'aborted' || action.status === 'unknown')) {
      items.push(`${w.code(action.name ?? action.id)} ${action.tolerated ? `failed (${action.tolerated === 'continue' ? 'went on: on-fail=continue' : 'recovered by a fallback run'})` : action.status}: ${w.say(clip(last.error.message))}`);
    }
  }
  for (const check of step.checks) items.push(`Check: ${w.say(check.text)} — ${checkText(check, run, w)}`);
  for (const note of notes) items.push(`Note by ${w.say(note.by)} at ${w.say(w.clock.time(note.at, run.startedAt))}: ${w.say(note.text)}`);
  if (items.length === 0) return [];
  // One list item per step, its facts on lines of their own (hard breaks): as readable as a nested
  // list, at a fraction of the parsing a long document's nested lists cost.
  return [`- **${step.index + 1}. ${w.say(step.title)}**${items.map((item) => ` \\\n  ${item}`).join('')}`];
}

/** What a check's record says about who settled it. */
export function checkText(check: CheckRecord, run: RunRecord, w: Writer): string {
  const when = check.at ? ` at ${w.say(w.clock.time(check.at, run.startedAt))}` : '';
  const note = check.note ? `: ${w.say(check.note)}` : '';
  switch (check.status) {
    case 'confirmed':
      return check.via === 'yes-flag' ? `confirmed by ${w.code('--yes')} (run by ${w.say(check.by ?? '?')})${when}, nobody looked` : `confirmed by ${w.say(check.by ?? '?')}${when}${note}`;
    case 'failed':
      return `**failed** by ${w.say(check.by ?? '?')}${when}${note}`;
    case 'skipped':
      return `skipped${note}`;
    default:
      return '**not confirmed**';
  }
}

/** Snowflake query ids of an attempt, the failed statement's included. */
function queryIdsOf(attempt: Attempt): string[] {
  const ids = [...(attempt.queryIds ?? [])];
  if (attempt.error?.queryId && !ids.includes(attempt.error.queryId)) ids.push(attempt.error.queryId);
  return ids;
}

/** Each job the step touched: its state before the step's first action, and after its last. */
function jobChanges(step: StepRecord): JobChange[] {
  const jobs = new Map<string, JobChange>();
  for (const action of step.actions) {
    for (const attempt of action.attempts) {
      const list = attempt.details?.jobs;
      if (!Array.isArray(list)) continue;
      for (const change of list as JobChange[]) {
        if (typeof change?.name !== 'string') continue;
        const seen = jobs.get(change.name);
        if (seen) seen.after = change.after;
        else jobs.set(change.name, { name: change.name, before: change.before, after: change.after });
      }
    }
  }
  return [...jobs.values()];
}

function jobStateText(job: JobChange): string {
  const from = job.before?.status ?? 'not defined';
  const to = job.after?.status ?? 'not defined';
  return from === to ? `${to} (unchanged)` : `${from} → ${to}`;
}

/** The run's operator, and who resumed it. */
function operatorsText(run: RunRecord): string {
  const others = [...new Set(run.sessions.map((s) => s.operator))].filter((name) => name !== run.operator);
  return others.length > 0 ? `${run.operator} (resumed by ${others.join(', ')})` : run.operator;
}

function hostsText(run: RunRecord, w: Writer): string {
  const hosts = [...new Set(run.sessions.map((s) => s.host))];
  return hosts.length > 0 ? ` on ${hosts.map((h) => w.code(h)).join(', ')}` : '';
}

/** How a run ended, in a few words. */
export function runResult(run: RunRecord): string {
  const at = run.steps.find((s) => s.status !== 'done' && s.status !== 'skipped');
  const where = at ? ` at step ${at.index + 1} (${at.title})` : '';
  switch (run.status) {
    case 'done':
      return run.practice ? 'dry run complete' : 'done';
    case 'failed':
      return `failed${where}`;
    case 'paused':
      return `paused${where}`;
    case 'aborted':
      return `stopped${where}`;
    case 'running':
      return `running${where}`;
    case 'abandoned':
      return `abandoned${where}: a new run replaced it`;
  }
}

function stepStatus(step: StepRecord): string {
  switch (step.status) {
    case 'failed':
      return '**failed**';
    case 'pending':
      return 'not reached';
    default:
      return step.status;
  }
}

function attemptsText(step: StepRecord): string {
  let tries = 0;
  let polls = 0;
  let failed = 0;
  let unknown = 0;
  // A step of several actions says so, or one try of each reads like retries.
  let actionsTried = 0;
  for (const action of step.actions) {
    if (action.attempts.some((attempt) => !attempt.watch)) actionsTried++;
    for (const attempt of action.attempts) {
      if (attempt.watch) polls++;
      else {
        tries++;
        if (attempt.status === 'failed' || attempt.status === 'timeout' || attempt.status === 'aborted') failed++;
        else if (attempt.status === 'unknown') unknown++;
      }
    }
  }
  if (tries + polls === 0) return step.actions.length === 0 ? '—' : '0';
  const counts = [failed > 0 ? `${failed} failed` : '', unknown > 0 ? `${unknown} outcome unknown` : ''].filter(Boolean).join(', ');
  const over = actionsTried > 1 ? ` for ${actionsTried} actions` : '';
  return `${tries}${over}${counts ? ` (${counts})` : ''}${polls > 0 ? ` + ${polls} polls` : ''}`;
}

/** How an answer was given, when not typed by the operator. */
export function viaText(via: string): string {
  switch (via) {
    case 'yes-flag':
      return '--yes';
    case 'override-flag':
      return '--i-know-what-i-am-doing';
    case 'option':
      return 'a command-line option';
    case 'rule':
      return 'by rule';
    default:
      return via;
  }
}

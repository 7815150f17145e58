// "Problems and how they were resolved" and "Open items": what went wrong on the way and what the
// receiving team must still finish, confirm or decide.
import type { Attempt } from '../store/record.js';
import type { HandoverFacts, Incident, OpenItem } from './facts.js';
import { clip, plural, table } from './markdown-text.js';
import { checkText, runResult, viaText } from './runs-section.js';
import type { Writer } from './writer.js';

/** The problems section. */
export function problemsSection(facts: HandoverFacts, w: Writer): string[] {
  const lines = [w.heading(2, 'Problems and how they were resolved', 'problems'), ''];
  if (facts.incidents.length === 0) return [...lines, 'No attempt failed, nothing was skipped by hand and no outcome was in doubt.', ''];
  const incidents = [...facts.incidents].sort((a, b) => (whenOf(a) < whenOf(b) ? -1 : whenOf(a) > whenOf(b) ? 1 : 0));
  const rows = incidents.map((incident) => {
    const run = incident.run;
    const step = 'step' in incident && incident.step ? `${incident.step.index + 1}. ${w.say(incident.step.title)}` : '—';
    return [
      `[${w.say(w.clock.dateTime(whenOf(incident)))}](${w.ref(`run:${run.id}`)})`,
      `[${w.say(run.runbook.title)}](${w.ref(`runbook:${run.runbook.id}`)})`,
      step,
      whatHappened(incident, w),
      howResolved(incident, w),
    ];
  });
  lines.push(...table(['When', 'Runbook', 'Step', 'What happened', 'How it was resolved'], rows), '');
  return lines;
}

function whenOf(incident: Incident): string {
  switch (incident.kind) {
    case 'retried':
      return incident.failures[0]!.startedAt;
    case 'tolerated':
    case 'fallback':
      return incident.failure?.startedAt ?? incident.run.startedAt;
    case 'skipped':
      return incident.skip.at;
    case 'unknown-outcome':
      return incident.decision.at;
    case 'resolved-later':
      return incident.step?.endedAt ?? incident.run.endedAt ?? incident.run.updatedAt;
    case 'event':
      return incident.entry.at;
    case 'override':
      return incident.override.at;
  }
}

function whatHappened(incident: Incident, w: Writer): string {
  switch (incident.kind) {
    case 'retried': {
      const last = incident.failures.at(-1)!;
      const count = incident.failures.length > 1 ? `${incident.failures.length} attempts failed; the last` : `attempt ${last.n}`;
      return `${actionName(incident.action, w)}: ${count} ${attemptOutcome(last, w)}`;
    }
    case 'tolerated':
    case 'fallback':
      return `${actionName(incident.action, w)} failed${incident.failure ? `: ${errorText(incident.failure, w)}` : ''}`;
    case 'skipped':
      return incident.action ? `${actionName(incident.action, w)} was skipped` : 'the step was skipped';
    case 'unknown-outcome':
      return `${incident.action ? actionName(incident.action, w) : 'an action'} was running when baton stopped: its outcome was unknown`;
    case 'resolved-later': {
      const step = incident.step;
      if (step?.status === 'failed') return `the step failed${step.failure ? `: ${w.say(clip(step.failure))}` : ''}; the run was left ${w.say(incident.run.status)}`;
      return `the run was left ${w.say(incident.run.status)}${step ? ` at this step` : ''}`;
    }
    case 'event':
      return w.say(incident.entry.text);
    case 'override':
      return `guard questions of the protected environment were not asked (${w.code(incident.override.flag)})`;
  }
}

function howResolved(incident: Incident, w: Writer): string {
  const at = (iso: string) => w.say(w.clock.time(iso, incident.run.startedAt));
  switch (incident.kind) {
    case 'retried': {
      const s = incident.success;
      const who = incident.failures.some((f) => f.operator !== s.operator) ? ` by ${w.say(s.operator)}` : '';
      return `attempt ${s.n} succeeded at ${at(s.startedAt)}${who}`;
    }
    case 'tolerated':
      return 'the run went on (the action is marked `on-fail=continue`)';
    case 'fallback': {
      if (!incident.fallbackRunId) return 'recovered by a fallback run';
      const status = incident.fallback ? runResult(incident.fallback) : 'not in this period';
      return `fallback run [${w.code(incident.fallback?.runbook.id ?? incident.fallbackRunId)}](${w.ref(`run:${incident.fallbackRunId}`)}): ${w.say(status)}`;
    }
    case 'skipped':
      return `${w.say(incident.skip.reason)} — ${w.say(incident.skip.by)}${incident.skip.via === 'operator' ? '' : ` (${viaText(incident.skip.via)})`}`;
    case 'unknown-outcome': {
      const d = incident.decision;
      const then = incident.action ? `; the action then ended ${w.say(incident.action.status)}` : '';
      return `${w.say(d.by)} decided **${w.say(d.answer)}**${d.via === 'operator' ? '' : ` (${viaText(d.via)})`} at ${at(d.at)}${then}`;
    }
    case 'resolved-later':
      return `a later run finished: [${w.say(w.clock.dateTime(incident.later.startedAt))}](${w.ref(`run:${incident.later.id}`)}) by ${w.say(incident.later.operator)}`;
    case 'event':
      return incident.entry.by ? `by ${w.say(incident.entry.by)}` : '—';
    case 'override':
      return `by ${w.say(incident.override.by)}; recorded in the run`;
  }
}

function actionName(action: { name?: string; id: string }, w: Writer): string {
  return w.code(action.name ?? action.id);
}

function attemptOutcome(attempt: Attempt, w: Writer): string {
  const word = attempt.status === 'timeout' ? 'timed out' : attempt.status === 'unknown' ? 'had an unknown outcome' : attempt.status === 'aborted' ? 'was stopped' : 'failed';
  return `${word}${attempt.error || attempt.expect ? `: ${errorText(attempt, w)}` : ''}`;
}

function errorText(attempt: Attempt, w: Writer): string {
  if (attempt.error) return w.say(clip(attempt.error.message));
  if (attempt.expect && !attempt.expect.passed) return `${w.code(`expect ${attempt.expect.source}`)} did not hold`;
  return attempt.exitCode !== undefined ? `exit ${attempt.exitCode}` : w.say(attempt.status);
}

/** The open items section. */
export function openItemsSection(facts: HandoverFacts, w: Writer, environment: string, runbooksDir: string, since?: Date): string[] {
  const lines = [w.heading(2, 'Open items', 'open-items'), ''];
  if (facts.openItems.length === 0) return [...lines, `Nothing is open: every go-live runbook finished in ${w.say(environment)} and every check was confirmed by a person.`, ''];
  const of = <K extends OpenItem['kind']>(kind: K) => facts.openItems.filter((item): item is Extract<OpenItem, { kind: K }> => item.kind === kind);
  const unfinished = of('unfinished');
  if (unfinished.length > 0) {
    lines.push(w.heading(3, 'Runbooks not finished'), '');
    lines.push(
      ...table(
        ['Runbook', 'Where it stands', 'Last run', 'To continue'],
        unfinished.map(({ standing, run }) => [
          `[${w.say(standing.title)}](${w.ref(`runbook:${standing.id}`)})`,
          w.say(runResult(run)),
          `${w.say(w.clock.dateTime(run.updatedAt))} by ${w.say(run.operator)}`,
          `${w.code(`baton exec ${standing.id} --env ${environment}`)}${run.status === 'abandoned' ? ' (starts again)' : ' (resumes)'}`,
        ]),
      ),
      '',
    );
  }
  const never = of('never-run');
  if (never.length > 0) {
    lines.push(w.heading(3, since ? `Runbooks not run in ${environment} since ${w.clock.dateTime(since.toISOString())}` : `Runbooks never run in ${environment}`), '');
    for (const { standing } of never) lines.push(`- ${w.code(standing.id)} ${w.say(standing.title)}${standing.entry ? ` — ${w.code(standing.entry.path)}` : ''}`);
    lines.push('');
  }
  const steps = of('step');
  if (steps.length > 0) {
    lines.push(w.heading(3, 'Failed or skipped steps'), '');
    for (const { run, step } of steps) {
      const why = step.status === 'failed' ? `failed${step.failure ? `: ${w.say(clip(step.failure))}` : ''}` : `skipped: ${w.say(step.skip?.reason ?? 'no reason given')} (${w.say(step.skip?.by ?? '?')})`;
      lines.push(`- [${w.say(run.runbook.title)}](${w.ref(`run:${run.id}`)}), step ${step.index + 1} ${w.say(step.title)} — ${why}`);
    }
    lines.push('');
  }
  const checks = of('check');
  if (checks.length > 0) {
    const byFlag = checks.filter(({ check }) => check.via === 'yes-flag' && check.status === 'confirmed').length;
    lines.push(w.heading(3, 'Checks to confirm'), '');
    if (byFlag > 0) lines.push(`${plural(byFlag, 'check was', 'checks were')} answered by ${w.code('--yes')} on the command line: nobody looked. Have a person confirm each one.`, '');
    lines.push(
      ...table(
        ['Runbook', 'Step', 'Check', 'Status'],
        checks.map(({ run, step, check }) => [
          `[${w.say(run.runbook.title)}](${w.ref(`run:${run.id}`)})`,
          `${step.index + 1}. ${w.say(step.title)}`,
          w.say(check.text),
          checkText(check, run, w),
        ]),
      ),
      '',
    );
  }
  lines.push(`Runbooks are in ${w.code(runbooksDir)}; a run resumes where it stopped with ${w.code(`baton exec <runbook> --env ${environment}`)}.`, '');
  return lines;
}

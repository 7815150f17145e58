// "Operations guide", "Training log", "Masked values" and "Sign-off": how the receiving team keeps
// the pipeline running, who has practised what, and the table they sign.
import type { Environment } from '../config/environment.js';
import type { RunRecord } from '../store/record.js';
import { byStart, rolesOf, runsIn, type HandoverFacts, type RunbookStanding } from './facts.js';
import type { HandoverInput, RunbookEntry } from './input.js';
import { plural, table } from './markdown-text.js';
import { runResult } from './runs-section.js';
import type { Writer } from './writer.js';

/** The operations guide: monitoring, recovery and maintenance runbooks, where things live, the environment. */
export function guideSection(input: HandoverInput, facts: HandoverFacts, w: Writer): string[] {
  const env = input.environment.name;
  const lines = [w.heading(2, 'Operations guide', 'guide'), ''];
  const available = input.runbooks.filter((entry) => runsIn(entry, env));
  const withRole = (role: 'monitoring' | 'recovery' | 'maintenance') => available.filter((entry) => roleOf(entry, role));

  lines.push(w.heading(3, 'Monitoring'), '');
  const monitoring = withRole('monitoring');
  if (monitoring.length === 0) lines.push('No runbook in the folder is tagged `monitoring`.', '');
  for (const entry of monitoring) lines.push(...runbookBrief(entry, facts, w, env));

  lines.push(w.heading(3, 'Recovery: which runbook when'), '');
  const recovery = withRole('recovery');
  if (recovery.length === 0) lines.push('No runbook in the folder is tagged `recovery` or `incident`.', '');
  else {
    lines.push(`Start one with ${w.code(`baton exec <runbook> --env ${env}`)}, or find it in the terminal app by typing part of its name.`, '');
    lines.push(
      ...table(
        ['Runbook', 'When to use it', 'Last run or drill'],
        recovery.map((entry) => [`${w.code(entry.id)} ${w.say(entry.title)}`, w.say(entry.summary ?? 'no summary in its front matter'), lastTouch(entry.id, input.runs, w)]),
      ),
      '',
    );
  }

  const maintenance = withRole('maintenance');
  if (maintenance.length > 0) {
    lines.push(w.heading(3, 'Routine maintenance'), '');
    for (const entry of maintenance) lines.push(...runbookBrief(entry, facts, w, env));
  }

  lines.push(w.heading(3, 'Where the records and logs live'), '');
  const state = input.places.stateDir;
  lines.push(
    `- Run records: ${w.code(`${state}/runs/<run id>.json`)}, one file per run. ${w.code(`baton runs --env ${env}`)} lists them; ${w.code('baton show <run id>')} prints one.`,
    `- Full output of every command: ${w.code(`${state}/logs/<run id>/`)}.`,
    `- Runbooks: ${w.code(input.places.runbooksDir)}; environments and their settings: ${w.code(`${input.places.runbooksDir}/baton.yaml`)}.`,
    input.environment.accountUrl
      ? `- Snowflake query history: ${w.say(input.environment.accountUrl)} (Monitoring → Query History); every statement baton ran carries a ${w.code('QUERY_TAG')} naming runbook, step, run and operator.`
      : `- Snowflake query history: every statement baton ran carries a ${w.code('QUERY_TAG')} naming runbook, step, run and operator (set ${w.code('accountUrl')} in baton.yaml to link query ids here).`,
    `- This document is generated again at any time with ${w.code(`baton handover --env ${env}`)}.`,
    '',
  );
  lines.push(...environmentPart(input.environment, input.runbooks, w));
  return lines;
}

function roleOf(entry: RunbookEntry, role: 'monitoring' | 'recovery' | 'maintenance'): boolean {
  const roles = rolesOf(entry, false);
  // A training walkthrough practises a recovery; it is not one to reach for in an incident.
  return roles.has(role) && !(role === 'recovery' && roles.has('training'));
}

function runbookBrief(entry: RunbookEntry, facts: HandoverFacts, w: Writer, env: string): string[] {
  const standing: RunbookStanding | undefined = facts.standings.find((s) => s.id === entry.id);
  const last = standing?.latest;
  const lines = [`**${w.say(entry.title)}** — ${w.code(entry.id)}, ${w.code(`baton exec ${entry.id} --env ${env}`)}`, ''];
  if (entry.summary) lines.push(w.say(entry.summary), '');
  if (entry.steps.length > 0) lines.push(`What it goes through: ${entry.steps.map((title) => w.say(title)).join(' · ')}.`, '');
  lines.push(last ? `Last run here: ${w.say(w.clock.dateTime(last.startedAt))} by ${w.say(last.operator)}, ${w.say(runResult(last))}.` : 'Not run here yet.', '');
  return lines;
}

function lastTouch(id: string, runs: RunRecord[], w: Writer): string {
  const last = runs.filter((run) => run.runbook.id === id && !run.practice).sort(byStart).at(-1);
  if (!last) return 'never';
  return `${w.say(w.clock.dateTime(last.startedAt))} in ${w.say(last.environment.name)} by ${w.say(last.operator)}: ${w.say(runResult(last))}`;
}

function environmentPart(env: Environment, runbooks: RunbookEntry[], w: Writer): string[] {
  const lines = [w.heading(3, `The ${env.name} environment`), ''];
  const settings: [string, string][] = [['Name', w.code(env.name)]];
  if (env.description) settings.push(['What it is', w.say(env.description)]);
  settings.push(['Protected', env.protected ? 'yes: every write asks first; destructive steps ask for the name to be typed' : 'no']);
  if (env.sandbox) settings.push(['Sandbox', 'yes: the local Snowflake and scheduler fakes (`baton sandbox`)']);
  if (env.connection) settings.push(['Snowflake connection', w.code(env.connection)]);
  if (env.accountUrl) settings.push(['Snowflake account', w.say(env.accountUrl)]);
  if (env.autosys) settings.push(['AutoSys', [env.autosys.instance ? `instance ${w.code(env.autosys.instance)}` : '', env.autosys.bin ? `commands in ${w.code(env.autosys.bin)}` : ''].filter(Boolean).join(', ') || 'configured']);
  if (env.controlm) settings.push(['Control-M', [w.say(env.controlm.endpoint), env.controlm.server ? `server ${w.code(env.controlm.server)}` : '', env.controlm.user ? `user ${w.code(env.controlm.user)}` : ''].filter(Boolean).join(', ')]);
  lines.push(...table(['Setting', 'Value'], settings.map(([k, v]) => [k, v])), '');
  const secretNames = new Set(runbooks.flatMap((entry) => entry.secretVariables));
  const variables = Object.entries(env.variables);
  if (variables.length > 0) {
    lines.push(`Variables this environment gives the runbooks (${w.code('baton.yaml')}):`, '');
    lines.push(...table(['Variable', 'Value'], variables.map(([name, value]) => [w.code(name), secretNames.has(name) ? '(secret: not shown)' : w.code(value)])), '');
  }
  return lines;
}

/** The training log: who practised which runbook, where, when, and how it went. */
export function trainingSection(input: HandoverInput, facts: HandoverFacts, w: Writer): string[] {
  const lines = [w.heading(2, 'Training log', 'training'), ''];
  if (facts.practice.length === 0) {
    lines.push('Nobody has practised yet: no dry run, sandbox drill, walkthrough or rehearsal in another environment is recorded in this period.', '');
  } else {
    lines.push('Dry runs (nothing ran), recovery drills in a sandbox, walkthroughs and rehearsals in other environments.', '');
    const rows = [...facts.practice]
      .sort((a, b) => a.run.operator.localeCompare(b.run.operator) || byStart(a.run, b.run))
      .map(({ run, kind, where }) => [w.say(run.operator), `${w.code(run.runbook.id)} ${w.say(run.runbook.title)}`, w.say(where), kind, w.say(w.clock.dateTime(run.startedAt)), w.say(practiceResult(run))]);
    lines.push(...table(['Who', 'Runbook', 'Where', 'Kind', 'When', 'Result'], rows), '');
  }
  const recovery = input.runbooks.filter((entry) => {
    const roles = rolesOf(entry, false);
    return roles.has('recovery') || roles.has('training');
  });
  if (recovery.length > 0) {
    const rows = recovery.map((entry) => {
      const by = new Map<string, string>();
      for (const { run } of facts.practice.filter((p) => p.run.runbook.id === entry.id && p.run.status === 'done')) by.set(run.operator, w.clock.date(run.startedAt));
      const names = [...by].sort(([a], [b]) => a.localeCompare(b)).map(([name, date]) => `${w.say(name)} (${date})`);
      return [`${w.code(entry.id)} ${w.say(entry.title)}`, names.join(', ') || '**nobody yet**'];
    });
    lines.push('Recovery and training runbooks practised to the end:', '', ...table(['Runbook', 'Practised by'], rows), '');
  }
  return lines;
}

function practiceResult(run: RunRecord): string {
  if (!run.practice) return runResult(run);
  const shown = run.steps.filter((s) => s.status === 'done').length;
  return run.status === 'done' ? `every step previewed (${plural(run.steps.length, 'step')})` : `previewed ${shown} of ${plural(run.steps.length, 'step')}, ${run.status}`;
}

/** Which values the document holds back, and why. */
export function maskedSection(facts: HandoverFacts, w: Writer, maskedHere: number): string[] {
  const lines = [w.heading(2, 'Masked values', 'masked'), ''];
  lines.push('Secret values are never recorded and never written here: baton masks them on screen, in logs and in records as `••••••`.', '');
  if (facts.masked.size > 0) {
    lines.push(...table(['Secret variable', 'Declared or used by'], [...facts.masked].map(([name, runbooks]) => [w.code(name), [...runbooks].sort().map((id) => w.code(id)).join(', ')])), '');
  } else {
    lines.push('No runbook declares a secret variable.', '');
  }
  lines.push('Snowflake credentials (passwords, private keys, OAuth tokens) come from the connection configuration and are never recorded.', '');
  if (maskedHere > 0) lines.push(`While writing this document, ${plural(maskedHere, 'text')} held a secret value known on this machine; each was masked.`, '');
  return lines;
}

/** The sign-off table, to fill in by hand or on the printed copy. */
export function signOffSection(w: Writer): string[] {
  const blank = ' ';
  return [
    w.heading(2, 'Sign-off', 'sign-off'),
    '',
    'By signing, the receiving team confirms it has read this document, can find and run the monitoring and recovery runbooks, and accepts the open items listed above.',
    '',
    ...table(
      ['Role', 'Name', 'Signature', 'Date', 'Remarks'],
      [
        ['Delivery lead (hands over)', blank, blank, blank, blank],
        ['Operations lead (takes over)', blank, blank, blank, blank],
        ['Team lead', blank, blank, blank, blank],
        ['Security / data owner', blank, blank, blank, blank],
      ],
    ),
    '',
  ];
}

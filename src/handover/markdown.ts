// The handover document as Markdown: records, runbooks and inventory in, one string out. Pure — no
// clock, no files, no network — so the same input always gives the same document.
import { maskSecrets } from '../runbook/template.js';
import { handoverFacts, type HandoverFacts } from './facts.js';
import { guideSection, maskedSection, signOffSection, trainingSection } from './guide-section.js';
import type { HandoverInput } from './input.js';
import { inventorySection } from './inventory-section.js';
import { plural, table } from './markdown-text.js';
import { openItemsSection, problemsSection } from './problems-section.js';
import { runsSection } from './runs-section.js';
import { writerFor, type Writer } from './writer.js';

/** The document's title, shared by the Markdown heading and the HTML page title. */
export function handoverTitle(environment: string): string {
  return `Handover: the ${environment} environment`;
}

/** Render the whole handover document; `facts` may be passed when the caller worked them out already. */
export function renderHandoverMarkdown(input: HandoverInput, facts: HandoverFacts = handoverFacts(input)): string {
  const w = writerFor(input.clock, input.secrets, input.environment.accountUrl);
  const env = input.environment.name;
  const lines: string[] = [w.heading(1, handoverTitle(env)), ''];
  lines.push(
    `Generated ${w.say(input.clock.dateTime(input.generatedAt.toISOString()))} by ${w.say(input.generatedBy)} from baton's run records${input.inventory ? ' and the live environment' : ''}. Times are ${w.say(input.clock.describe(input.generatedAt))}.`,
    '',
  );
  const contents: [string, string][] = [
    ['summary', 'Summary'],
    ['runs', 'Runbooks and runs'],
    ['problems', 'Problems and how they were resolved'],
    ['open-items', 'Open items'],
    ['inventory', 'Live inventory'],
    ['guide', 'Operations guide'],
    ['training', 'Training log'],
    ['masked', 'Masked values'],
    ['sign-off', 'Sign-off'],
  ];
  lines.push(...contents.map(([key, title], i) => `${i + 1}. [${title}](${w.ref(key)})`), '');
  lines.push(...summarySection(input, facts, w));
  lines.push(...runsSection(facts, w, `${input.places.stateDir}/logs`));
  lines.push(...problemsSection(facts, w));
  lines.push(...openItemsSection(facts, w, env, input.places.runbooksDir, input.since));
  lines.push(...inventorySection(input.inventory, w, env));
  lines.push(...guideSection(input, facts, w));
  lines.push(...trainingSection(input, facts, w));
  lines.push(...maskedSection(facts, w, w.maskedCount));
  lines.push(...signOffSection(w));
  const markdown = w.finish(lines.join('\n'));
  // Every text went through the writer; this last pass is for anything a future section forgets.
  const secrets = input.secrets.filter((s) => s !== '');
  return maskSecrets(markdown, secrets);
}

function summarySection(input: HandoverInput, facts: HandoverFacts, w: Writer): string[] {
  const env = input.environment;
  const lines = [w.heading(2, 'Summary', 'summary'), ''];
  const count = (standing: string) => facts.standings.filter((s) => s.standing === standing).length;
  const runbooks = [
    `${count('done')} completed`,
    `${count('in progress')} in progress`,
    `${count('failed')} failed`,
    ...(count('abandoned') > 0 ? [`${count('abandoned')} abandoned`] : []),
    `${count('never run')} ${neverRun(input)}`,
  ].join(', ');
  const starts = facts.runs.map((run) => run.startedAt).sort();
  const ends = facts.runs.map((run) => run.endedAt ?? run.updatedAt).sort();
  const from = input.since ? input.since.toISOString() : starts[0];
  const period = from ? `${w.say(w.clock.dateTime(from))} to ${w.say(w.clock.dateTime(ends.at(-1) ?? input.generatedAt.toISOString()))}` : 'no runs recorded yet';
  const open = facts.openItems;
  const openText = open.length === 0 ? 'none' : `[${open.length}](${w.ref('open-items')}): ${openBreakdown(facts, input)}`;
  lines.push(
    `- **Environment:** ${w.code(env.name)}${env.description ? ` — ${w.say(env.description)}` : ''}${env.protected ? ' (protected)' : ''}`,
    `- **Period:** ${period}${input.since ? ' (runs started before are left out)' : ''}`,
    `- **Runbooks:** ${runbooks}`,
    `- **Runs:** ${plural(facts.runs.length, 'run')} in ${w.say(env.name)}; ${plural(facts.practice.length, 'practice run')} in the [training log](${w.ref('training')})`,
    `- **Operators:** ${facts.operators.length > 0 ? facts.operators.map((name) => w.say(name)).join(', ') : 'none yet'}`,
    `- **Problems met:** ${facts.incidents.length === 0 ? 'none' : `[${facts.incidents.length}](${w.ref('problems')})`}`,
    `- **Open items:** ${openText}`,
    `- **Live inventory:** ${inventoryText(input)}`,
    '',
  );
  for (const problem of input.problems) lines.push(`> **Not included:** ${w.say(problem)}`, '');
  const rows = facts.standings.map((s) => {
    const last = s.latest;
    return [
      s.runs.length > 0 ? `[${w.say(s.title)}](${w.ref(`runbook:${s.id}`)})` : w.say(s.title),
      w.code(s.id),
      s.standing === 'done' ? 'done' : `**${s.standing === 'never run' ? neverRun(input) : s.standing}**`,
      last ? `${w.say(w.clock.dateTime(last.startedAt))} by ${w.say(last.operator)}` : '—',
      last ? `${last.steps.filter((st) => st.status === 'done' || st.status === 'skipped').length}/${last.steps.length}` : '—',
    ];
  });
  lines.push(...table(['Runbook', 'Id', 'Standing', 'Last run', 'Steps finished'], rows, 'lllll'), '');
  return lines;
}

/** How a runbook without runs is described: with `--since`, it may well have run before the period. */
function neverRun(input: HandoverInput): string {
  return input.since ? 'not run in this period' : 'never run';
}

function openBreakdown(facts: HandoverFacts, input: HandoverInput): string {
  const words: Record<string, [string, string]> = {
    unfinished: ['unfinished runbook', 'unfinished runbooks'],
    'never-run': [`runbook ${neverRun(input)}`, `runbooks ${neverRun(input)}`],
    check: ['check to confirm', 'checks to confirm'],
    step: ['failed or skipped step', 'failed or skipped steps'],
  };
  const kinds = new Map<string, number>();
  for (const item of facts.openItems) kinds.set(item.kind, (kinds.get(item.kind) ?? 0) + 1);
  return [...kinds].map(([kind, n]) => plural(n, words[kind]![0], words[kind]![1])).join(', ');
}

function inventoryText(input: HandoverInput): string {
  const inventory = input.inventory;
  if (!inventory) return 'not read (turned off)';
  const parts: string[] = [];
  const snowflake = inventory.snowflake;
  if (snowflake && 'error' in snowflake) parts.push('Snowflake could not be read');
  else if (snowflake) {
    const failed = Object.keys(snowflake.errors).length;
    parts.push(`Snowflake read${failed > 0 ? ` (${plural(failed, 'section')} refused)` : ''}`);
  }
  for (const report of [inventory.scheduler?.autosys, inventory.scheduler?.controlm]) {
    if (report) parts.push(`${report.source}: ${report.error ? 'could not be read completely' : plural(report.jobs.length, 'job')}`);
  }
  return parts.length > 0 ? parts.join('; ') : 'nothing to read: no Snowflake connection or scheduler';
}

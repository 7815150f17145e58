// Writing the handover document: gather the records, the runbooks folder, the environment and the
// live inventory (the I/O), render Markdown and HTML (pure), and write both files atomically.
// Used by `baton handover` and the terminal app's handover screen.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Environment } from '../config/environment.js';
import { loadEnvironments } from '../config/environments.js';
import { schedulerInventory } from '../executors/scheduler-inventory.js';
import { usesSandboxAutosys, usesSandboxControlm } from '../scheduler/sandbox-endpoints.js';
import { loadLibrary } from '../runbook/library.js';
import { closestName } from '../runbook/template.js';
import { formatProblem } from '../runbook/problems.js';
import type { RunRecord } from '../store/record.js';
import { listRuns, readRun } from '../store/runs.js';
import { renderHandoverHtml } from './html.js';
import { byStart, handoverFacts } from './facts.js';
import type { HandoverInput, Inventory, RunbookEntry } from './input.js';
import { handoverTitle, renderHandoverMarkdown } from './markdown.js';
import { liveSnowflakeInventory } from './snowflake-inventory.js';
import { markedRuns } from './runs-section.js';
import { timelineSvg } from './timeline-svg.js';
import { clockIn, type Clock } from './times.js';

/** What to generate. */
export interface HandoverOptions {
  /** Environment name; default: baton.yaml's default. */
  env?: string;
  /** Leave out runs started before this. */
  since?: Date;
  runbooksDir: string;
  /** Folder for the two files (created when missing). */
  outDir: string;
  stateDir: string;
  /** Read the live inventory (Snowflake and schedulers). */
  inventory: boolean;
  /** Who generates it. */
  operator: string;
  /** The time written into the document and its file name (default: now). */
  now?: Date;
  /** IANA time zone for every time in the document (default: this machine's). */
  timeZone?: string;
  /** Paths in the document are written relative to this folder when inside it (default: the working directory). */
  cwd?: string;
  /** Progress, one line at a time, for a terminal. */
  progress?: (line: string) => void;
  signal?: AbortSignal;
}

/** What was written. */
export interface HandoverResult {
  ok: true;
  environment: string;
  markdownPath: string;
  htmlPath: string;
  /** Runs of the environment in the document, practice apart. */
  runs: number;
  openItems: number;
  /** Problems met on the way (failed attempts, skips, unknown outcomes …). */
  incidents: number;
  /** Records or runbooks left out, and inventory parts that could not be read: one line each. */
  warnings: string[];
  /** The document's summary section as Markdown for a terminal: no table, no links within the page. */
  summary: string;
}

/** Why nothing was written. */
export interface HandoverFailure {
  ok: false;
  /** `usage` for a wrong option (unknown environment, bad time zone), `invalid` for a broken configuration, `write` when the files could not be written. */
  kind: 'usage' | 'invalid' | 'write';
  message: string;
}

/** Gather, render and write the handover document. Never throws for bad input: it says what to fix. */
export async function generateHandover(options: HandoverOptions): Promise<HandoverResult | HandoverFailure> {
  const say = options.progress ?? (() => {});
  const cwd = options.cwd ?? process.cwd();
  const now = options.now ?? new Date();
  let clock: Clock;
  try {
    clock = clockIn(options.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC');
  } catch {
    return { ok: false, kind: 'usage', message: `unknown time zone ${options.timeZone} (use an IANA name such as Europe/Paris, or UTC)` };
  }

  const config = await loadEnvironments(options.runbooksDir);
  const broken = config.problems.filter((p) => p.severity === 'error');
  if (broken.length > 0) return { ok: false, kind: 'invalid', message: `the environments cannot be read:\n${broken.map(formatProblem).join('\n')}` };
  const envName = options.env ?? config.default;
  const environment = config.environments.find((e) => e.name === envName);
  if (!environment) {
    const names = config.environments.map((e) => e.name);
    const hint = closestName(envName, names);
    return { ok: false, kind: 'usage', message: `no environment ${envName}${hint ? ` (did you mean ${hint}?)` : ''}; declared: ${names.join(', ')}` };
  }

  say(`reading runbooks in ${display(options.runbooksDir, cwd)}`);
  const library = await loadLibrary(options.runbooksDir);
  const problems = library.problems.filter((p) => p.severity === 'error').map(formatProblem);
  const runbooks = library.runbooks.map((runbook): RunbookEntry => ({
    id: runbook.id,
    title: runbook.title,
    path: display(runbook.path, cwd),
    ...(runbook.summary ? { summary: runbook.summary } : {}),
    tags: runbook.tags,
    ...(runbook.environments ? { environments: runbook.environments } : {}),
    steps: runbook.steps.map((step) => step.title),
    secretVariables: runbook.variables.filter((v) => v.secret).map((v) => v.name),
  }));

  say(`reading run records in ${display(options.stateDir, cwd)}`);
  const { runs, problems: unreadable } = await readRecords(options.stateDir, options.since);
  // Problems name files by absolute path; the document names them as the operator would.
  const stateShown = display(options.stateDir, cwd);
  problems.push(...unreadable.map((line) => line.split(resolve(cwd, options.stateDir)).join(stateShown)));

  let inventory: Inventory | undefined;
  const secrets = knownSecrets(environment, library.runbooks.flatMap((r) => r.variables));
  if (options.inventory) {
    say(`reading the live inventory of ${environment.name}`);
    // The sandbox's scheduler fakes are on the port of the sandbox of this state folder, which may
    // have to be started for the inventory (and stopped after it), as a run does.
    const sandbox = await sandboxForSchedulers(environment, options.stateDir);
    const [snowflake, scheduler] = await Promise.all([
      liveSnowflakeInventory(environment, { stateDir: options.stateDir, ...(options.signal ? { signal: options.signal } : {}) }),
      schedulerInventory(environment, { ...(options.signal ? { signal: options.signal } : {}), ...(sandbox?.url ? { sandbox: sandbox.url } : {}) }),
    ]).finally(() => sandbox?.release?.());
    inventory = { scheduler };
    if ('error' in snowflake) inventory.snowflake = snowflake;
    else {
      inventory.snowflake = snowflake.inventory;
      secrets.push(...snowflake.secrets);
    }
  }

  const input: HandoverInput = {
    environment,
    environments: config.environments,
    generatedAt: now,
    generatedBy: options.operator,
    ...(options.since ? { since: options.since } : {}),
    runs,
    runbooks,
    problems,
    ...(inventory ? { inventory } : {}),
    places: { stateDir: stateShown, runbooksDir: display(options.runbooksDir, cwd) },
    secrets,
    clock,
  };
  say('writing the document');
  const facts = handoverFacts(input);
  const markdown = renderHandoverMarkdown(input, facts);
  const timelines = new Map<string, string>();
  for (const id of markedRuns(markdown)) {
    const run = facts.byId.get(id);
    if (run) timelines.set(run.id, timelineSvg(run, clock));
  }
  const title = handoverTitle(environment.name);
  const html = renderHandoverHtml(markdown, { title, timelines, footer: `${title} — generated by baton handover on ${clock.dateTime(now.toISOString())} (${clock.describe(now)}).` });

  const base = join(options.outDir, `${environment.name}-${clock.date(now)}`);
  try {
    await mkdir(options.outDir, { recursive: true });
    await writeAtomically(`${base}.md`, markdown);
    await writeAtomically(`${base}.html`, html);
  } catch (error) {
    return { ok: false, kind: 'write', message: `cannot write the handover into ${options.outDir}: ${(error as Error).message}` };
  }

  const warnings = [...problems, ...inventoryWarnings(inventory)];
  return {
    ok: true,
    environment: environment.name,
    markdownPath: `${base}.md`,
    htmlPath: `${base}.html`,
    runs: facts.runs.length,
    openItems: facts.openItems.length,
    incidents: facts.incidents.length,
    warnings,
    summary: summaryOf(markdown),
  };
}

/** Every readable record of the period, oldest first, and one line per record that could not be read. */
export async function readRecords(stateDir: string, since?: Date): Promise<{ runs: RunRecord[]; problems: string[] }> {
  const listed = await listRuns(stateDir, since ? { since } : {});
  const read = await Promise.all(listed.runs.map((summary) => readRun(stateDir, summary.id)));
  const runs: RunRecord[] = [];
  const problems = [...listed.problems];
  for (const result of read) {
    if (result.ok) runs.push(result.record);
    else problems.push(result.message);
  }
  runs.sort(byStart);
  return { runs, problems };
}

/** Secret values this process can know: secret variables' from-env values, the environment's values for them, scheduler passwords. */
function knownSecrets(environment: Environment, variables: { name: string; secret: boolean; fromEnv?: string }[]): string[] {
  const values: string[] = [];
  for (const variable of variables) {
    if (!variable.secret) continue;
    if (variable.fromEnv && process.env[variable.fromEnv]) values.push(process.env[variable.fromEnv]!);
    if (environment.variables[variable.name]) values.push(environment.variables[variable.name]!);
  }
  for (const name of [environment.controlm?.passwordVariable, environment.controlm?.tokenVariable]) {
    if (name && process.env[name]) values.push(process.env[name]!);
  }
  return values.filter((value) => value !== '');
}

/** The sandbox a sandbox environment's scheduler fakes live in; undefined when none is used or none can be reached (the inventory then says why). */
async function sandboxForSchedulers(environment: Environment, stateDir: string): Promise<{ url: string; release?: () => Promise<void> } | undefined> {
  if (!usesSandboxAutosys(environment) && !usesSandboxControlm(environment)) return undefined;
  const { reachSandbox } = await import('../snowflake/target.js');
  return reachSandbox(resolve(stateDir), process.env).catch(() => undefined);
}

function inventoryWarnings(inventory: Inventory | undefined): string[] {
  if (!inventory) return [];
  const lines: string[] = [];
  const snowflake = inventory.snowflake;
  if (snowflake && 'error' in snowflake) lines.push(`Snowflake inventory: ${snowflake.error}`);
  else if (snowflake) for (const [section, error] of Object.entries(snowflake.errors)) lines.push(`Snowflake inventory, ${section}: ${error}`);
  for (const report of [inventory.scheduler?.autosys, inventory.scheduler?.controlm]) if (report?.error) lines.push(`${report.source}: ${report.error}`);
  return lines;
}

/** The summary section for a terminal: its list without the standings table, links to the page's own headings as plain text. */
function summaryOf(markdown: string): string {
  const start = markdown.indexOf('\n## Summary');
  if (start < 0) return '';
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown
    .slice(start + 1, end < 0 ? undefined : end)
    .split('\n')
    .filter((line) => !line.startsWith('|'))
    .join('\n')
    .replace(/\[([^\]]*)\]\(#[^)]*\)/g, '$1')
    .trim();
}

/** A path as the operator would type it: relative when inside the working directory. */
function display(path: string, cwd: string): string {
  const absolute = resolve(cwd, path);
  const inside = relative(cwd, absolute);
  return inside === '' ? '.' : !inside.startsWith('..') && !isAbsolute(inside) ? inside.split('\\').join('/') : absolute;
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, text, 'utf8');
  await rename(temp, path);
}

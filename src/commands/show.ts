// `baton show <run-id>`: one run's record, readably — who ran what where, each step with its
// attempts, checks, notes and decisions, the timeline, and linked fallback runs.
import { formatDuration } from '../runbook/duration.js';
import { EXIT } from '../exit-codes.js';
import { resolveStateDir } from '../store/paths.js';
import type { Attempt, RunRecord, StepRecord } from '../store/record.js';
import { listRuns, readRun } from '../store/runs.js';

/** Options of `baton show`. */
export interface ShowOptions {
  json?: boolean;
  stateDir?: string;
}

/** Run `baton show`; returns the exit code. */
export async function show(ref: string, options: ShowOptions): Promise<number> {
  const stateDir = resolveStateDir(options.stateDir);
  const id = await findRunId(stateDir, ref);
  if ('problem' in id) {
    process.stderr.write(`baton show: ${id.problem}\n`);
    return EXIT.usage;
  }
  const read = await readRun(stateDir, id.id);
  if (!read.ok) {
    process.stderr.write(`baton show: ${read.message}\n`);
    return read.reason === 'missing' ? EXIT.usage : EXIT.invalid;
  }
  process.stdout.write(options.json ? `${JSON.stringify(read.record, null, 2)}\n` : `${formatRecord(read.record).join('\n')}\n`);
  return EXIT.ok;
}

/** A full id for `last`, a full id, or a unique start of one. */
async function findRunId(stateDir: string, ref: string): Promise<{ id: string } | { problem: string }> {
  const { runs } = await listRuns(stateDir);
  if (ref === 'last' || ref === 'latest') return runs[0] ? { id: runs[0].id } : { problem: `no runs recorded in ${stateDir}` };
  if (runs.some((r) => r.id === ref)) return { id: ref };
  const matching = runs.filter((r) => r.id.startsWith(ref));
  if (matching.length === 1) return { id: matching[0]!.id };
  if (matching.length > 1) return { problem: `${ref} matches ${matching.length} runs: ${matching.slice(0, 5).map((r) => r.id).join(', ')}${matching.length > 5 ? ', …' : ''}` };
  return { id: ref };
}

/** The lines `baton show` prints for a record. */
export function formatRecord(record: RunRecord): string[] {
  const lines: string[] = [];
  const took = record.endedAt ? ` (${formatDuration(Date.parse(record.endedAt) - Date.parse(record.startedAt))} from start)` : '';
  lines.push(`${record.runbook.title} — run ${record.id}`);
  lines.push(`  runbook      ${record.runbook.id} (${record.runbook.path}, hash ${record.runbook.hash})`);
  lines.push(`  environment  ${record.environment.name}${record.environment.protected ? ' (protected)' : ''}`);
  lines.push(`  status       ${record.status}${record.practice ? ' — practice run, nothing ran' : ''}${took}`);
  lines.push(`  started      ${record.startedAt} by ${record.operator}${record.endedAt ? `; ended ${record.endedAt}` : ''}`);
  if (record.override) lines.push(`  override     ${record.override.flag} by ${record.override.by} at ${record.override.at}`);
  if (record.parent) lines.push(`  fallback of  run ${record.parent.runId} (step ${record.parent.stepId}, ${record.parent.actionId})`);
  const variables = record.variables.filter((v) => v.source !== 'builtin');
  if (variables.length > 0) {
    lines.push('', 'Variables');
    for (const v of variables) lines.push(`  ${v.name} = ${v.secret ? '(secret, not recorded)' : v.value ?? ''}  [${v.source}]`);
  }
  lines.push('', 'Steps');
  for (const step of record.steps) lines.push(...formatStep(step));
  for (const step of record.retiredSteps ?? []) lines.push(...formatStep(step).map((l, i) => (i === 0 ? `${l}  (removed from the runbook)` : l)));
  if (record.notes.length > 0) {
    lines.push('', 'Notes');
    for (const note of record.notes) lines.push(`  ${note.at} ${note.by}${note.stepId ? ` [${note.stepId}]` : ''}: ${note.text}`);
  }
  if (record.decisions.length > 0) {
    lines.push('', 'Decisions');
    for (const d of record.decisions) lines.push(`  ${d.at} ${d.by} (${d.via}) ${d.kind}: ${d.question} → ${d.answer}`);
  }
  if (record.linked.length > 0) {
    lines.push('', 'Fallback runs');
    for (const l of record.linked) lines.push(`  ${l.runId} (${l.runbookId}) for ${l.actionId}: ${l.status ?? 'running'}`);
  }
  lines.push('', 'Timeline');
  for (const t of record.timeline) lines.push(`  ${t.at} ${t.text}`);
  lines.push('', 'Sessions');
  for (const s of record.sessions) {
    lines.push(`  ${s.startedAt} ${s.operator} on ${s.host} (pid ${s.pid}) → ${s.ended ?? (s.endedAt ? 'ended' : 'no end recorded (process stopped)')}${s.reason ? `: ${s.reason}` : ''}`);
  }
  return lines;
}

function formatStep(step: StepRecord): string[] {
  const lines: string[] = [];
  const took = step.startedAt && step.endedAt ? ` ${formatDuration(Date.parse(step.endedAt) - Date.parse(step.startedAt))}` : '';
  lines.push(`  ${String(step.index + 1).padStart(2)}. ${step.title} — ${step.status}${took}${step.skip ? `: ${step.skip.reason} (${step.skip.by})` : ''}`);
  if (step.failure && step.status === 'failed') lines.push(`      failure: ${step.failure}`);
  for (const action of step.actions) {
    const extra = [action.classification && action.classification.level !== 'read' ? action.classification.level : '', action.tolerated ? `failure tolerated (${action.tolerated})` : '', action.captured ? `captured ${action.captured}` : '']
      .filter(Boolean)
      .join(', ');
    lines.push(`      ${action.name ?? action.id} [${action.kind}] ${action.status}${extra ? ` (${extra})` : ''}${action.skip ? `: ${action.skip.reason}` : ''}`);
    if (action.code) for (const code of action.code.split('\n').slice(0, 6)) lines.push(`        $ ${code}`);
    for (const attempt of action.attempts) lines.push(...formatAttempt(attempt));
    if (action.fallbackRunId) lines.push(`        fallback run ${action.fallbackRunId}`);
  }
  for (const check of step.checks) {
    const mark = check.status === 'confirmed' ? '[x]' : check.status === 'failed' ? '[!]' : '[ ]';
    lines.push(`      ${mark} ${check.text}${check.by ? ` — ${check.status} by ${check.by} at ${check.at}${check.via && check.via !== 'operator' ? ` (${check.via})` : ''}` : ''}${check.note ? `: ${check.note}` : ''}`);
  }
  return lines;
}

function formatAttempt(attempt: Attempt): string[] {
  const parts = [
    `#${attempt.n}${attempt.watch ? ' (watch)' : ''} ${attempt.status}`,
    attempt.durationMs !== undefined ? formatDuration(attempt.durationMs) : '',
    attempt.exitCode !== undefined ? `exit ${attempt.exitCode}` : '',
    attempt.queryIds?.length ? `queries ${attempt.queryIds.join(', ')}` : '',
    `${attempt.operator} at ${attempt.startedAt}`,
  ].filter(Boolean);
  const lines = [`        ${parts.join(', ')}`];
  if (attempt.error) lines.push(`          error: ${attempt.error.message}`);
  if (attempt.expect) lines.push(`          expect ${attempt.expect.source}: ${attempt.expect.passed ? 'held' : 'did not hold'}${attempt.expect.error ? ` (${attempt.expect.error})` : ''}`);
  if (attempt.excerpt) for (const line of attempt.excerpt.split('\n').slice(-5)) lines.push(`          | ${line}`);
  if (attempt.log) lines.push(`          log: ${attempt.log}`);
  return lines;
}

// `baton runs`: the recorded runs, newest first, filtered by environment, runbook, time or status.
import { EXIT } from '../exit-codes.js';
import { parseDuration } from '../runbook/duration.js';
import { resolveStateDir } from '../store/paths.js';
import type { RunStatus, RunSummary } from '../store/record.js';
import { listRuns } from '../store/runs.js';

/** Options of `baton runs`. */
export interface RunsOptions {
  env?: string;
  runbook?: string;
  since?: string;
  status?: string;
  limit?: number;
  json?: boolean;
  stateDir?: string;
}

const STATUSES: RunStatus[] = ['running', 'paused', 'failed', 'aborted', 'done', 'abandoned'];

/** Run `baton runs`; returns the exit code. */
export async function runs(options: RunsOptions, now = new Date()): Promise<number> {
  const since = options.since === undefined ? undefined : parseSince(options.since, now);
  if (since === null) {
    process.stderr.write(`baton runs: --since ${options.since}: give a date (2026-11-25) or a duration ago (7d, 12h)\n`);
    return EXIT.usage;
  }
  const status = options.status?.split(',').map((s) => s.trim()).filter(Boolean) as RunStatus[] | undefined;
  const wrong = status?.find((s) => !STATUSES.includes(s));
  if (wrong) {
    process.stderr.write(`baton runs: --status ${wrong}: use ${STATUSES.join(', ')}\n`);
    return EXIT.usage;
  }
  if (options.limit !== undefined && !(options.limit > 0)) {
    process.stderr.write('baton runs: --limit needs a positive number\n');
    return EXIT.usage;
  }
  const stateDir = resolveStateDir(options.stateDir);
  const found = await listRuns(stateDir, {
    ...(options.env ? { environment: options.env } : {}),
    ...(options.runbook ? { runbookId: options.runbook } : {}),
    ...(since ? { since } : {}),
    ...(status ? { status } : {}),
    ...(options.limit ? { limit: options.limit } : {}),
  });
  for (const problem of found.problems) process.stderr.write(`baton runs: ${problem}\n`);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(found.runs, null, 2)}\n`);
  } else if (found.runs.length === 0) {
    process.stdout.write(`no runs recorded in ${stateDir}${options.env || options.runbook || since || status ? ' that match' : ''}\n`);
  } else {
    process.stdout.write(`${formatRuns(found.runs).join('\n')}\n`);
  }
  return EXIT.ok;
}

/** The table `baton runs` prints. */
export function formatRuns(list: RunSummary[]): string[] {
  const rows = list.map((r) => [
    r.id,
    r.runbookId,
    r.environment + (r.protected ? '*' : ''),
    r.status + (r.practice ? ' (practice)' : '') + (r.parentRunId ? ' (fallback)' : ''),
    `${r.stepsDone}/${r.stepsTotal}`,
    r.operator,
    r.startedAt.slice(0, 16).replace('T', ' '),
  ]);
  const header = ['RUN', 'RUNBOOK', 'ENV', 'STATUS', 'STEPS', 'OPERATOR', 'STARTED (UTC)'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  return [header, ...rows].map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '));
}

/** A date, or a duration back from `now`; null when it is neither. */
export function parseSince(text: string, now: Date): Date | null {
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const date = new Date(text);
    return Number.isNaN(date.getTime()) ? null : date;
  }
  const duration = parseDuration(text);
  return 'ms' in duration ? new Date(now.getTime() - duration.ms) : null;
}

// Run ids read like what they are and sort by time: `20261125T214012-go-live-setup-sandbox-3f2a`.
import { randomBytes } from 'node:crypto';

/** A new run id for a runbook in an environment, started at `at` (UTC, so ids sort across DST). */
export function newRunId(runbookId: string, environment: string, at: Date = new Date(), random = randomBytes(2).toString('hex')): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '');
  return `${stamp}-${slug(runbookId)}-${slug(environment)}-${random}`;
}

/** The start time encoded in a run id, or undefined for ids that are not baton's. */
export function runIdTime(id: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})-/.exec(id);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match;
  return new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
}

/** Whether a text can be a run id (no path separators or dots, so it cannot escape `state/runs`). */
export function isRunId(id: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(id);
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'x';
}

// `baton list [folder]`: one line per runbook — id, title, steps, actions by kind, checks — so an
// operator can see at a glance what a library holds and which runbooks do not read cleanly.
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import pkg from '../../package.json' with { type: 'json' };
import { EXIT } from '../exit-codes.js';
import { loadLibrary, type LibraryEntry } from '../runbook/library.js';
import type { ActionKind, Runbook } from '../runbook/model.js';
import { plural } from './validate.js';

/** Options of `baton list`. */
export interface ListOptions {
  json?: boolean;
  /** The runbooks folder, when not given as the argument. */
  runbooks?: string;
}

/** What `baton list --json` prints for each runbook. */
export interface ListedRunbook {
  id: string;
  path: string;
  valid: boolean;
  errors: number;
  warnings: number;
  title?: string;
  summary?: string;
  tags?: string[];
  steps?: number;
  actions?: Partial<Record<ActionKind, number>>;
  checks?: number;
}

const KIND_ORDER: ActionKind[] = ['sql', 'shell', 'autosys', 'jil', 'controlm', 'display'];

/** Run `baton list`; returns the exit code. */
export async function list(folder: string | undefined, options: ListOptions = {}): Promise<number> {
  const where = folder ?? options.runbooks ?? 'runbooks';
  const library = await loadLibrary(where);
  if (library.entries.length === 0 && library.problems.length > 0) {
    process.stderr.write(`baton: ${where}: ${library.problems[0]!.message} (give the folder: baton list DIR)\n`);
    return EXIT.usage;
  }
  const listed = library.entries.map((entry) => describe(entry, library.problems));
  if (options.json) {
    process.stdout.write(`${JSON.stringify(listed, null, 2)}\n`);
    return EXIT.ok;
  }
  process.stdout.write(listed.length === 0 ? `no runbooks in ${where}\n` : `${formatList(listed).join('\n')}\n`);
  return EXIT.ok;
}

/**
 * What bare `baton` does when there is no terminal to open the app in (output piped, a CI job):
 * list the runbooks (./runbooks when there is one, else those shipped with baton) and say how to go on.
 */
export async function showHome(options: ListOptions = {}): Promise<number> {
  const folder = options.runbooks ?? (existsSync('runbooks') ? 'runbooks' : bundledRunbooks());
  process.stdout.write(`baton ${pkg.version} — no terminal to open the app in, so here are the runbooks:\n\n`);
  const code = await list(folder, {});
  process.stdout.write(`\nOpen the app: baton (in a terminal)    Run one headless: baton exec <runbook> --env sandbox    All commands: baton --help\n`);
  return code;
}

/** The runbooks folder shipped beside baton's own package.json. */
function bundledRunbooks(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'runbooks'))) break;
    dir = dirname(dir);
  }
  const found = join(dir, 'runbooks');
  return existsSync(found) ? relative(process.cwd(), found) || '.' : 'runbooks';
}

function describe(entry: LibraryEntry, problems: LibraryEntry['problems']): ListedRunbook {
  const own = problems.filter((p) => p.file === entry.path);
  const errors = own.filter((p) => p.severity === 'error').length;
  const listed: ListedRunbook = { id: entry.id, path: entry.path, valid: errors === 0 && !!entry.runbook, errors, warnings: own.length - errors };
  if (entry.runbook) Object.assign(listed, counts(entry.runbook));
  return listed;
}

/** Steps, actions by kind and checks of a runbook. */
export function counts(runbook: Runbook): Pick<ListedRunbook, 'title' | 'summary' | 'tags' | 'steps' | 'actions' | 'checks'> {
  const actions: Partial<Record<ActionKind, number>> = {};
  for (const kind of KIND_ORDER) {
    const n = runbook.steps.reduce((sum, step) => sum + step.actions.filter((a) => a.kind === kind).length, 0);
    if (n > 0) actions[kind] = n;
  }
  return {
    title: runbook.title,
    summary: runbook.summary,
    tags: runbook.tags,
    steps: runbook.steps.length,
    actions,
    checks: runbook.steps.reduce((sum, step) => sum + step.checks.length, 0),
  };
}

/** The lines `baton list` prints, columns aligned. */
export function formatList(listed: ListedRunbook[]): string[] {
  const rows = listed.map((item) => {
    if (!item.valid || item.steps === undefined) {
      return [item.id, `(invalid: ${plural(item.errors, 'error')} — run baton validate ${item.path})`];
    }
    const kinds = Object.entries(item.actions ?? {}).map(([kind, n]) => `${kind} ${n}`);
    const total = Object.values(item.actions ?? {}).reduce((sum, n) => sum + n, 0);
    return [
      item.id,
      item.title ?? '',
      plural(item.steps, 'step'),
      total === 0 ? 'no actions' : `${plural(total, 'action')} (${kinds.join(', ')})`,
      plural(item.checks ?? 0, 'check'),
    ];
  });
  // A two-cell row (an invalid runbook's note) should not widen the title column of the rest.
  const widths = rows.reduce<number[]>((w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, row.length > 2 || i === 0 ? cell.length : 0)), []);
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd());
}

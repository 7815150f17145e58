// `baton validate [paths…]`: read runbooks as the engine would and report every problem as
// `file:line:col: severity: message`. Exit 1 when there is an error; warnings alone do not fail.
import { EXIT } from '../exit-codes.js';
import { loadPaths, type Library } from '../runbook/library.js';
import { formatProblem } from '../runbook/problems.js';

/** Options of `baton validate`. */
export interface ValidateOptions {
  /** Print one JSON document for tools instead of lines for people. */
  json?: boolean;
}

/** The folder checked when no path is given. */
export const DEFAULT_RUNBOOKS = 'runbooks';

/** Run `baton validate`; returns the exit code. */
export async function validate(paths: string[], options: ValidateOptions = {}): Promise<number> {
  const library = await loadPaths(paths.length > 0 ? paths : [DEFAULT_RUNBOOKS]);
  const output = options.json ? JSON.stringify(reportJson(library), null, 2) : formatReport(library).join('\n');
  process.stdout.write(`${output}\n`);
  return library.problems.some((p) => p.severity === 'error') ? EXIT.failed : EXIT.ok;
}

/** The lines `baton validate` prints: each problem, then a count. */
export function formatReport(library: Library): string[] {
  const errors = library.problems.filter((p) => p.severity === 'error').length;
  const warnings = library.problems.length - errors;
  const files = library.entries.length;
  const counts =
    library.problems.length === 0 ? 'no problems' : [plural(errors, 'error'), plural(warnings, 'warning')].filter((t) => !t.startsWith('0 ')).join(', ');
  return [...library.problems.map(formatProblem), `checked ${plural(files, 'runbook')}: ${counts}`];
}

function reportJson(library: Library): unknown {
  return {
    runbooks: library.entries.map((entry) => ({
      path: entry.path,
      id: entry.id,
      valid: entry.runbook !== undefined,
      title: entry.runbook?.title,
      problems: library.problems.filter((p) => p.file === entry.path),
    })),
    problems: library.problems,
    errors: library.problems.filter((p) => p.severity === 'error').length,
    warnings: library.problems.filter((p) => p.severity === 'warning').length,
  };
}

/** `1 error`, `2 errors`. */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

// `baton validate [paths…]`: read runbooks as the engine would and report every problem as
// `file:line:col: severity: message`. Exit 1 when there is an error; warnings alone do not fail.
import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { ENVIRONMENTS_FILE, loadEnvironments } from '../config/environments.js';
import { EXIT } from '../exit-codes.js';
import { loadPaths, type Library } from '../runbook/library.js';
import type { Problem } from '../runbook/model.js';
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
  // A folder's baton.yaml is checked with its runbooks; a baton.yaml named alone is checked as one.
  const runbooks: string[] = [];
  // baton.yaml files checked, each with its problems.
  const configs = new Map<string, Problem[]>();
  for (const path of paths.length > 0 ? paths : [DEFAULT_RUNBOOKS]) {
    if (basename(path) === ENVIRONMENTS_FILE) {
      configs.set(path, (await loadEnvironments(dirname(path))).problems);
      continue;
    }
    runbooks.push(path);
    if (!(await stat(path).then((info) => info.isDirectory(), () => false))) continue;
    // A folder without one reads as the built-in sandbox, with no file.
    const config = await loadEnvironments(path);
    if (config.file) configs.set(config.file, config.problems);
  }
  const library: Library = await loadPaths(runbooks);
  for (const problems of configs.values()) library.problems.push(...problems);
  const output = options.json ? JSON.stringify(reportJson(library, [...configs.keys()]), null, 2) : formatReport(library, configs.size).join('\n');
  process.stdout.write(`${output}\n`);
  return library.problems.some((p) => p.severity === 'error') ? EXIT.failed : EXIT.ok;
}

/** The lines `baton validate` prints: each problem, then a count. */
export function formatReport(library: Library, configs = 0): string[] {
  const errors = library.problems.filter((p) => p.severity === 'error').length;
  const warnings = library.problems.length - errors;
  const files = library.entries.length;
  const counts =
    library.problems.length === 0 ? 'no problems' : [plural(errors, 'error'), plural(warnings, 'warning')].filter((t) => !t.startsWith('0 ')).join(', ');
  const checked = [plural(files, 'runbook'), ...(configs === 1 ? [ENVIRONMENTS_FILE] : configs > 1 ? [`${configs} ${ENVIRONMENTS_FILE} files`] : [])].join(' and ');
  return [...library.problems.map(formatProblem), `checked ${checked}: ${counts}`];
}

function reportJson(library: Library, configs: string[]): unknown {
  return {
    environments: configs.map((file) => ({ path: file, problems: library.problems.filter((p) => p.file === file) })),
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

// Problems are values, collected while reading a runbook and shown as `file:line:col: message`,
// the form editors and terminals turn into links.
import type { Problem, SourcePos } from './model.js';
import { closestName } from './template.js';

/** Collects the problems of one file, with positions already made 1-based. */
export class ProblemList {
  readonly items: Problem[] = [];

  constructor(readonly file: string) {}

  /** Record an error: the runbook cannot run until it is fixed. */
  error(pos: SourcePos, message: string): void {
    this.items.push({ file: this.file, line: pos.line, column: pos.column, message: oneLine(message), severity: 'error' });
  }

  /** Record a warning: shown, but the runbook still runs. */
  warning(pos: SourcePos, message: string): void {
    this.items.push({ file: this.file, line: pos.line, column: pos.column, message: oneLine(message), severity: 'warning' });
  }

  /** True when at least one error was recorded. */
  get hasErrors(): boolean {
    return this.items.some((p) => p.severity === 'error');
  }
}

/** A problem is one line, whatever author text (a pattern, a value) its message quotes. */
function oneLine(message: string): string {
  return /[\r\n]/.test(message) ? message.replace(/[\r\n]+/g, ' ') : message;
}

/** Problems in reading order: by file, line, then column. */
export function sortProblems(problems: Problem[]): Problem[] {
  return problems.sort(
    (a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column,
  );
}

/** One problem as a line: `file:line:col: error: message`. */
export function formatProblem(problem: Problem): string {
  return `${problem.file}:${problem.line}:${problem.column}: ${problem.severity}: ${problem.message}`;
}

/** A name from the author's text, shortened for a message (names are never legitimately this long). */
export function short(text: string, limit = 60): string {
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}

/** Author text quoted inside a message, shortened so a 10 MB line does not flood the terminal. */
export function quote(text: string, limit = 60): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return JSON.stringify(oneLine.length > limit ? `${oneLine.slice(0, limit)}…` : oneLine);
}

/** ` (did you mean X?)` when a known name is close to `name`, otherwise nothing. */
export function didYouMean(name: string, known: Iterable<string>): string {
  // Only names short enough to be typos are compared: a 10 MB "name" is not worth the work.
  const suggestion = name.length > 64 ? undefined : closestName(name, known);
  return suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`;
}

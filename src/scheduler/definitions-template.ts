// `{{NAME}}` in a definitions file (a JIL file, a Control-M JSON file) is filled from the run's
// variables before the file goes to the scheduler, so one file serves sandbox, staging and prod.
// The same filling as action code, with what each format needs: in JSON a value lands inside a
// string and is escaped as one; in JIL a value may not break the line (it would start another
// attribute); a `{{NAME}}` in a JIL comment with no value is left as written. Pure.
import { closestName, fillTemplate, type Filled, type TemplateValue } from '../runbook/template.js';

/** The formats a definitions file comes in. */
export type DefinitionsFormat = 'jil' | 'json';

/** A reference that cannot be filled, at a 1-based line and column of the file. */
export interface DefinitionsProblem {
  line: number;
  column: number;
  message: string;
}

/** What {@link fillDefinitions} produced: the filled texts, or the problems that stop it. */
export type FilledDefinitions = ({ ok: true } & Filled) | { ok: false; problems: DefinitionsProblem[] };

/** Fill a definitions file; `known` are the names worth suggesting when one is misspelt. */
export function fillDefinitions(
  text: string,
  format: DefinitionsFormat,
  lookup: (name: string) => TemplateValue | undefined,
  known: Iterable<string>,
): FilledDefinitions {
  const comments = format === 'jil' ? jilComments(text) : [];
  const strings = format === 'json' ? jsonStrings(text) : [];
  const problems: DefinitionsProblem[] = [];
  const suggestions = [...known];
  const filled = fillTemplate(text, lookup, (value, ref) => {
    if (format === 'json' && within(strings, ref.offset)) return JSON.stringify(value).slice(1, -1);
    if (format === 'jil' && /[\r\n]/.test(value) && !within(comments, ref.offset)) {
      problems.push({ ...position(text, ref.offset), message: `the value of {{${ref.name}}} has a line break, which would end the JIL attribute: give it a one-line value` });
    }
    return value;
  });
  for (const ref of missingReferences(text, filled.missing)) {
    if (within(comments, ref.offset)) continue;
    const hint = closestName(ref.name, suggestions);
    problems.push({
      ...position(text, ref.offset),
      message: `no value for {{${ref.name}}}${hint ? ` (did you mean ${hint}?)` : ''}: declare it in the runbook's variables, or set it in the environment's variables in baton.yaml`,
    });
  }
  if (problems.length > 0) return { ok: false, problems: problems.sort((a, b) => a.line - b.line || a.column - b.column) };
  return { ok: true, ...filled };
}

/** The format of a definitions file, from its name: `.jil` is JIL, anything else JSON. */
export function definitionsFormat(file: string): DefinitionsFormat {
  return /\.jil$/i.test(file) ? 'jil' : 'json';
}

type Range = readonly [start: number, end: number];

function within(ranges: readonly Range[], offset: number): boolean {
  return ranges.some(([start, end]) => offset >= start && offset < end);
}

function missingReferences(text: string, missing: readonly string[]): { name: string; offset: number }[] {
  if (missing.length === 0) return [];
  const found: { name: string; offset: number }[] = [];
  for (const match of text.matchAll(/\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}/g)) {
    if (missing.includes(match[1]!)) found.push({ name: match[1]!, offset: match.index });
  }
  return found;
}

function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

// JIL comments: `/* … */` anywhere, and lines starting with `#`.
function jilComments(text: string): Range[] {
  const ranges: Range[] = [];
  // A comment left open runs to the end of the text.
  for (const match of text.matchAll(/\/\*[\s\S]*?(?:\*\/|(?![\s\S]))/g)) ranges.push([match.index, match.index + match[0].length]);
  for (const match of text.matchAll(/^[ \t]*#.*$/gm)) ranges.push([match.index, match.index + match[0].length]);
  return ranges;
}

// The insides of JSON strings, found by scanning (escapes honoured), so a value can be escaped for them.
function jsonStrings(text: string): Range[] {
  const ranges: Range[] = [];
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (start < 0) {
      if (char === '"') start = i + 1;
    } else if (char === '\\') {
      i++;
    } else if (char === '"' || char === '\n') {
      ranges.push([start, i]);
      start = -1;
    }
  }
  if (start >= 0) ranges.push([start, text.length]);
  return ranges;
}

// Words of the scheduler verb languages (`autosys` and `controlm` blocks): one command per line,
// words split on blanks, "double quotes" keep blanks, `{{NAME}}` stays one word even when written
// `{{ NAME }}`, `key=value` options come last, `#` starts a comment.
import { parseDuration } from '../runbook/duration.js';
import { closestName } from '../runbook/template.js';

/** A problem in a scheduler block, at a 1-based line and column of the block's code. */
export interface ScriptProblem {
  line: number;
  column: number;
  message: string;
}

/** One word with its 1-based column. */
export interface Word {
  text: string;
  column: number;
  /** Written in double quotes. */
  quoted: boolean;
}

/** One command line split into words, with its line number. */
export interface ScriptLine {
  line: number;
  words: Word[];
  /** `key=value` words at the end, by key. */
  options: Map<string, Word>;
  /** Every word as written, options included, for lines passed on to a program as they are. */
  all: Word[];
}

/** A block read line by line with `parseLine`; an empty block is a problem that names the verbs. */
export function parseScript<C>(
  code: string,
  language: { name: string; example: string; verbs: readonly string[] },
  parseLine: (line: ScriptLine, problems: ScriptProblem[]) => C | undefined,
): { commands: C[]; problems: ScriptProblem[] } {
  const { lines, problems } = scriptLines(code);
  const commands: C[] = [];
  for (const line of lines) {
    const command = parseLine(line, problems);
    if (command) commands.push(command);
  }
  if (lines.length === 0 && problems.length === 0) {
    problems.push({ line: 1, column: 1, message: `empty ${language.name} block: write one command per line, e.g. "${language.example}" (commands: ${language.verbs.join(', ')})` });
  }
  return { commands, problems };
}

/** Split a block into command lines; problems for unterminated quotes or options before words. */
export function scriptLines(code: string): { lines: ScriptLine[]; problems: ScriptProblem[] } {
  const lines: ScriptLine[] = [];
  const problems: ScriptProblem[] = [];
  code.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const words = splitWords(raw.replace(/\r$/, ''), line, problems);
    if (words.length === 0) return;
    const all = [...words];
    const options = new Map<string, Word>();
    while (words.length > 1) {
      const last = words.at(-1)!;
      const match = last.quoted ? null : /^([a-z][a-z-]*)=(.*)$/i.exec(last.text);
      if (!match) break;
      words.pop();
      options.set(match[1]!.toLowerCase(), { text: match[2]!, column: last.column + match[1]!.length + 1, quoted: false });
    }
    lines.push({ line, words, options, all });
  });
  return { lines, problems };
}

/** Problems for `key=value` words written before the last plain word (options come last). */
export function misplacedOptions(line: ScriptLine, problems: ScriptProblem[]): void {
  for (const word of line.words) {
    if (!word.quoted && /^[a-z][a-z-]*=/i.test(word.text)) {
      problems.push({ line: line.line, column: word.column, message: `option "${word.text}" must come after the job and the other words` });
    }
  }
}

function splitWords(text: string, line: number, problems: ScriptProblem[]): Word[] {
  const words: Word[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    if (char === ' ' || char === '\t') {
      i++;
      continue;
    }
    if (char === '#') break;
    const start = i;
    if (char === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) {
        problems.push({ line, column: start + 1, message: 'a quote is not closed: add the closing "' });
        return words;
      }
      words.push({ text: text.slice(i + 1, end), column: start + 1, quoted: true });
      i = end + 1;
      continue;
    }
    let word = '';
    while (i < text.length && text[i] !== ' ' && text[i] !== '\t') {
      if (text.startsWith('{{', i)) {
        const close = text.indexOf('}}', i);
        if (close >= 0) {
          word += text.slice(i, close + 2).replace(/\s+/g, '');
          i = close + 2;
          continue;
        }
      }
      word += text[i];
      i++;
    }
    words.push({ text: word, column: start + 1, quoted: false });
  }
  return words;
}

/** True when a word still holds a `{{NAME}}` reference (only known at run time). */
export function isTemplate(text: string): boolean {
  return text.includes('{{');
}

/** Read `timeout=` and `every=` of a wait; unknown options are problems. */
export function waitOptions(
  line: ScriptLine,
  problems: ScriptProblem[],
  allowed: readonly string[] = ['timeout', 'every'],
): { timeoutMs?: number; everyMs?: number } {
  const found: { timeoutMs?: number; everyMs?: number } = {};
  for (const [key, word] of line.options) {
    if (!allowed.includes(key)) {
      const hint = closestName(key, allowed);
      problems.push({ line: line.line, column: word.column - key.length - 1, message: `unknown option "${key}" (use ${allowed.join(', ')})` + (hint ? `; did you mean ${hint}?` : '') });
      continue;
    }
    if (key !== 'timeout' && key !== 'every') continue;
    if (isTemplate(word.text)) continue;
    const parsed = parseDuration(word.text);
    if ('error' in parsed) {
      problems.push({ line: line.line, column: word.column, message: `${key}: ${parsed.error}` });
      continue;
    }
    if (parsed.ms <= 0) {
      problems.push({ line: line.line, column: word.column, message: `${key} must be more than zero` });
      continue;
    }
    if (key === 'timeout') found.timeoutMs = parsed.ms;
    else found.everyMs = parsed.ms;
  }
  return found;
}

/** A problem for an unknown verb, with the closest known one. */
export function unknownVerb(line: ScriptLine, verbs: readonly string[], language: string): ScriptProblem {
  const word = line.words[0]!;
  const hint = closestName(word.text, verbs);
  return {
    line: line.line,
    column: word.column,
    message: `unknown ${language} command "${word.text}"` + (hint ? ` (did you mean ${hint}?)` : ` (use one of: ${verbs.join(', ')})`),
  };
}

/** The column just after the last word of a line, for "missing …" problems. */
export function endColumn(line: ScriptLine): number {
  const last = line.words.at(-1)!;
  return last.column + last.text.length + (last.quoted ? 2 : 0);
}

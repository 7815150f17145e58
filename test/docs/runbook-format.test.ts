// docs/runbook-format.md is a test fixture: every example in it must parse as the text next to it says.
import { readFileSync, readdirSync } from 'node:fs';
import markdownit from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { ATTRIBUTE_NAMES, RUNNABLE_LANGUAGES } from '../../src/runbook/attributes.js';
import { EXPECT_FUNCTIONS } from '../../src/runbook/expect.js';
import { FRONT_MATTER_KEYS, VARIABLE_KEYS } from '../../src/runbook/front-matter.js';
import { checkLibrary } from '../../src/runbook/library.js';
import { RESULT_FIELDS } from '../../src/runbook/model.js';
import { parseRunbook } from '../../src/runbook/parse.js';
import { sortProblems } from '../../src/runbook/problems.js';
import { formatReport } from '../../src/commands/validate.js';

const doc = readFileSync(new URL('../../docs/runbook-format.md', import.meta.url), 'utf8');
const tokens = markdownit().parse(doc, {});
const exampleIds = readdirSync(new URL('../fixtures/examples/', import.meta.url)).filter((f) => f.endsWith('.md')).map((f) => f.replace(/\.md$/, ''));

interface Example {
  line: number;
  source: string;
  output?: string[];
  model?: unknown;
}

/** Each `markdown` block, with the `$ baton validate` output and the `json` model that follow it. */
function examples(): Example[] {
  const found: Example[] = [];
  for (const token of tokens) {
    if (token.type !== 'fence') continue;
    const line = token.map![0] + 1;
    if (token.info.trim() === 'markdown') found.push({ line, source: token.content });
    const current = found.at(-1);
    if (!current) continue;
    if (token.info.trim() === 'text' && token.content.startsWith('$ baton validate example.md')) {
      current.output = token.content.trimEnd().split('\n').slice(1);
    }
    if (token.info.trim() === 'json') current.model = JSON.parse(token.content);
  }
  return found;
}

/** What `baton validate example.md` prints for an example placed beside the exampleIds runbooks. */
function validate(source: string): { lines: string[]; runbook: unknown } {
  const path = 'example.md';
  const parsed = parseRunbook(source, path);
  const entry = { path, id: 'example', ...parsed };
  const problems = sortProblems([...parsed.problems, ...checkLibrary([entry], exampleIds)]);
  return { lines: formatReport({ entries: [entry], runbooks: parsed.runbook ? [parsed.runbook] : [], problems }), runbook: parsed.runbook };
}

describe('docs/runbook-format.md', () => {
  const all = examples();

  it('has an example for each construct', () => {
    expect(all.length).toBeGreaterThanOrEqual(20);
  });

  it.each(all.map((example) => [example.line, example] as const))('example on line %i parses as the doc says', (_line, example) => {
    const { lines, runbook } = validate(example.source);
    expect(lines).toEqual(example.output ?? ['checked 1 runbook: no problems']);
    if (example.model !== undefined) expect(runbook).toMatchObject(example.model as object);
  });

  /** The first column of the table whose header starts with `| header |`, without backticks. */
  function tableColumn(header: string, column = 0): string[] {
    const start = doc.indexOf(`| ${header} |`);
    expect(start, `table "${header}"`).toBeGreaterThanOrEqual(0);
    const rows = doc.slice(start).split('\n').slice(2);
    return rows.slice(0, rows.findIndex((row) => !row.startsWith('|'))).map((row) => row.split('|')[1 + column]!.trim());
  }

  it('lists exactly the front matter keys, variable settings and attributes the parser knows', () => {
    expect(tableColumn('key').map((k) => k.replace(/`/g, ''))).toEqual([...FRONT_MATTER_KEYS]);
    expect(tableColumn('setting').map((k) => k.replace(/`/g, ''))).toEqual([...VARIABLE_KEYS]);
    expect(tableColumn('attribute').map((k) => k.replace(/`/g, ''))).toEqual(ATTRIBUTE_NAMES);
  });

  it('lists exactly the languages that run and the result fields of each kind', () => {
    const languages = tableColumn('language').flatMap((cell) => cell.split(',').map((l) => l.replace(/`/g, '').trim()));
    expect(languages.sort()).toEqual(Object.keys(RUNNABLE_LANGUAGES).sort());
    const kinds = tableColumn('action');
    const fields = tableColumn('action', 1);
    expect(Object.fromEntries(kinds.map((kind, i) => [kind, fields[i]!.split(', ')]))).toEqual(RESULT_FIELDS);
  });

  it('lists exactly the functions expect knows', () => {
    const sentence = /Functions: (.*?)\. Numbers/s.exec(doc)![1]!;
    expect(sentence.replace(/\s+/g, ' ').split(', ').map((f) => f.replace(/`/g, ''))).toEqual(EXPECT_FUNCTIONS);
  });
});

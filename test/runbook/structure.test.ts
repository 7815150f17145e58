// markdown-it runs its block rules only, from the first line after the front matter, and hands its
// tokens over block by block: what it finds must be what a full CommonMark reading finds.
import { describe, expect, it } from 'vitest';
import { parseRunbook } from '../../src/runbook/parse.js';
import { formatProblem } from '../../src/runbook/problems.js';

const FENCE = '```';

function parse(source: string | Uint8Array) {
  const result = parseRunbook(source, 'book.md');
  return { ...result, lines: result.problems.map((p) => formatProblem(p).replace(/^book\.md:/, '')) };
}

/** Steps reduced to what the structure decides: ids, positions, prose, action code and checks. */
function shape(source: string | Uint8Array) {
  const { runbook, lines } = parse(source);
  expect(lines).toEqual([]);
  return runbook!.steps.map((step) => ({
    id: step.id,
    line: step.pos.line,
    prose: step.prose,
    actions: step.actions.map((action) => ({ lang: action.lang, code: action.code, line: action.pos.line, column: action.pos.column })),
    checks: step.checks.map((check) => ({ text: check.text, line: check.pos.line, column: check.pos.column })),
  }));
}

const withFrontMatter = [
  '---',
  'title: T',
  'summary: |',
  '  ```',
  '  ## not a step: YAML text',
  'variables:',
  '  WH: { default: X }',
  '---',
  '## First',
  `${FENCE}sh {name=go}`,
  'echo {{WH}}',
  FENCE,
  '',
  '- [x] checked',
  '  more text',
  '',
  '      indented',
  '## Second',
  `> ${FENCE}sql`,
  '> select 1',
  `> ${FENCE}`,
].join('\n');

const withFrontMatterShape = [
  {
    id: 'first',
    line: 9,
    prose: '',
    actions: [{ lang: 'sh', code: 'echo {{WH}}', line: 10, column: 1 }],
    checks: [{ text: 'checked\nmore text\n\n    indented', line: 14, column: 3 }],
  },
  { id: 'second', line: 18, prose: '', actions: [{ lang: 'sql', code: 'select 1', line: 19, column: 3 }], checks: [] },
];

describe('parseRunbook: the Markdown structure', () => {
  it('takes no ## inside fenced, tilde-fenced, indented or quoted code for a step, and takes an underlined heading for one', () => {
    const source = [
      '# T',
      '',
      '## Real step',
      '',
      `${FENCE}sh`,
      '## not a step',
      'echo hi',
      FENCE,
      '',
      '~~~text',
      '## nor this',
      '~~~',
      '',
      '    ## indented code, not a step',
      '',
      '> ## quoted, not a step',
      '',
      'Step by underline',
      '-----------------',
      '',
      'Body.',
    ].join('\n');
    expect(shape(source)).toEqual([
      {
        id: 'real-step',
        line: 3,
        prose: '~~~text\n## nor this\n~~~\n\n    ## indented code, not a step\n\n> ## quoted, not a step',
        actions: [{ lang: 'sh', code: '## not a step\necho hi', line: 5, column: 1 }],
        checks: [],
      },
      { id: 'step-by-underline', line: 18, prose: 'Body.', actions: [], checks: [] },
    ]);
  });

  it('closes a tilde fence only with tildes, and a longer fence only with as many', () => {
    const source = ['# T', '## Load', '~~~sql {timeout=1m retries=1}', 'select 1;', FENCE, 'still code', '~~~', '', '~~~~bash', '~~~', 'echo nested', '~~~~', '- [ ] done'];
    const { runbook } = parse(source.join('\n'));
    expect(runbook!.steps[0]!.actions.map((a) => a.attrs)).toEqual([{ timeout: 60_000, retries: 1, extra: {} }, { extra: {} }]);
    expect(shape(source.join('\n'))).toEqual([
      {
        id: 'load',
        line: 2,
        prose: '',
        actions: [
          { lang: 'sql', code: 'select 1;\n```\nstill code', line: 3, column: 1 },
          { lang: 'bash', code: '~~~\necho nested', line: 9, column: 1 },
        ],
        checks: [{ text: 'done', line: 13, column: 3 }],
      },
    ]);
  });

  it('reads an unclosed fence to the end of the file: the heading after it is code', () => {
    const { runbook, lines } = parse(['# T', '## A', 'Text.', `${FENCE}sh`, 'echo a', '## B', '- [ ] inside the block', '{{NOPE}}'].join('\n'));
    expect(runbook).toBeUndefined();
    // The unknown name is reported as part of the block's code, so the block reached the last line.
    expect(lines).toEqual([
      '4:1: error: this code block is never closed: end it with a line of ``` (everything after it is inside the block)',
      '8:1: error: unknown variable {{NOPE}}: declare it under variables: in the front matter',
    ]);
  });

  it('numbers lines from the top of the file after front matter holding fences and headings', () => {
    expect(shape(withFrontMatter)).toEqual(withFrontMatterShape);
  });

  it('reads the same steps from CRLF bytes with a BOM', () => {
    const bytes = new TextEncoder().encode(`\uFEFF${withFrontMatter.replace(/\n/g, '\r\n')}`);
    expect(shape(bytes)).toEqual(withFrontMatterShape);
    expect(parse(bytes).runbook).toEqual(parse(withFrontMatter).runbook);
  });

  it('points at a NUL byte and still reads the rest', () => {
    const { runbook, lines } = parse(['# T', '## A', `${FENCE}sh`, 'echo \0 {{NOPE}}', FENCE, '## B', '{{ALSO}}'].join('\n'));
    expect(runbook).toBeUndefined();
    expect(lines).toEqual([
      '4:6: error: this file contains a NUL byte: it looks like a binary file, not a Markdown runbook',
      '4:8: error: unknown variable {{NOPE}}: declare it under variables: in the front matter',
      '7:1: error: unknown variable {{ALSO}}: declare it under variables: in the front matter',
    ]);
  });

  it('reads a body that starts right after the front matter, and one that is empty', () => {
    expect(shape(['---', 'title: T', '---', '## Only', `${FENCE}sh`, 'ls', FENCE].join('\n'))).toEqual([
      { id: 'only', line: 4, prose: '', actions: [{ lang: 'sh', code: 'ls', line: 5, column: 1 }], checks: [] },
    ]);
    const { runbook, lines } = parse(['---', 'title: T', '---'].join('\n'));
    expect(runbook!.steps).toEqual([]);
    expect(lines).toEqual(['4:1: warning: no ## steps: add a ## heading for each step the operator walks through']);
  });
});

describe('parseRunbook: {{NAME}} in every part of a runbook', () => {
  it('reads references across lines, beside extra braces and in info strings, and skips sample output', () => {
    const source = [
      '---',
      'variables:',
      '  WH: { default: X }',
      '---',
      '# T',
      'Intro {{ WH }} and {{NOPE}}.',
      '## A',
      'Prose {{{WH}}} {{WH}}}} {{ MISSING',
      '}} {{1X}} {{WH.rows}}',
      '',
      `${FENCE}sql {capture=load expect="rows == {{WH}}" cwd={{LATER}}}`,
      'select {{WH}}, {{load}}, {{ later }};',
      FENCE,
      '',
      `${FENCE}text`,
      '{{NOT_CHECKED}}',
      FENCE,
      '',
      '- [ ] {{load.rows}} {{load.nope}}',
      '## B',
      `${FENCE}sh`,
      'echo {{load.stdout}} {{later}}',
      FENCE,
      `${FENCE}sh {capture=later}`,
      'true',
      FENCE,
    ].join('\n');
    const sqlFields = 'rows, rowcount, columns, value, row, updated, queryId, queryIds, error, duration, ok';
    expect(parse(source).lines).toEqual([
      '6:20: error: unknown variable {{NOPE}}: declare it under variables: in the front matter',
      '8:25: error: unknown variable {{MISSING}}: declare it under variables: in the front matter',
      '9:11: error: {{WH.rows}}: WH is a variable, not a captured result: write {{WH}}',
      '11:38: error: expect reads variables by name: write WH, not {{WH}}',
      '11:46: warning: cwd applies to shell actions only; it has no effect on a sql action',
      '11:50: error: unknown variable {{LATER}}: declare it under variables: in the front matter',
      '12:16: error: {{load}} is captured later, by the action on line 11 (step "A"); it has no value here',
      '12:26: error: {{later}} is captured later, by the action on line 24 (step "B"); it has no value here',
      `19:21: error: {{load.nope}}: the result of a sql action has no field "nope" (fields: ${sqlFields})`,
      `22:6: error: {{load.stdout}}: the result of a sql action has no field "stdout" (fields: ${sqlFields})`,
      '22:22: error: {{later}} is captured later, by the action on line 24 (step "B"); it has no value here',
    ]);
  });
});

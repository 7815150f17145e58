import { describe, expect, it } from 'vitest';
import { parseRunbook } from '../../src/runbook/parse.js';
import { formatProblem } from '../../src/runbook/problems.js';

/** Parse a runbook written inline; lines are joined with \n. */
function parse(...lines: string[]) {
  return parseRunbook(lines.join('\n'), 'book.md');
}

/** The problems as `line:col: severity: message` lines. */
function problemLines(...lines: string[]): string[] {
  return parse(...lines).problems.map((p) => formatProblem(p).replace(/^book\.md:/, ''));
}

const FENCE = '```';

describe('parseRunbook: structure', () => {
  it('reads the title, intro, steps, actions and checks', () => {
    const { runbook, problems } = parse(
      '---',
      'title: Warehouse setup',
      'owner: data-platform',
      'tags: [setup, snowflake]',
      'variables:',
      '  WH: { default: ETL_WH }',
      '---',
      '# Warehouse setup',
      '',
      'Run this once per environment.',
      '',
      '## Create the warehouse',
      '',
      'Creates {{WH}}.',
      '',
      `${FENCE}sql {timeout=2m retries=2}`,
      'CREATE WAREHOUSE IF NOT EXISTS {{WH}};',
      FENCE,
      '',
      '- [ ] The warehouse shows in Snowsight.',
      '',
      '## Check it',
      '',
      `${FENCE}bash`,
      'echo done',
      FENCE,
    );
    expect(problems).toEqual([]);
    expect(runbook).toMatchObject({
      id: 'book',
      title: 'Warehouse setup',
      owner: 'data-platform',
      tags: ['setup', 'snowflake'],
      intro: 'Run this once per environment.',
      variables: [{ name: 'WH', default: 'ETL_WH', secret: false, pos: { line: 6, column: 3 } }],
    });
    const [create, check] = runbook!.steps;
    expect(create).toMatchObject({ id: 'create-the-warehouse', index: 0, title: 'Create the warehouse', prose: 'Creates {{WH}}.' });
    expect(create!.pos).toEqual({ line: 12, column: 1 });
    expect(create!.actions).toEqual([
      expect.objectContaining({
        id: 'create-the-warehouse/1',
        kind: 'sql',
        lang: 'sql',
        code: 'CREATE WAREHOUSE IF NOT EXISTS {{WH}};',
        attrs: { timeout: 120_000, retries: 2, extra: {} },
        pos: { line: 16, column: 1 },
      }),
    ]);
    expect(create!.checks).toEqual([
      { index: 0, id: 'create-the-warehouse/check-1', text: 'The warehouse shows in Snowsight.', pos: { line: 20, column: 3 } },
    ]);
    expect(check).toMatchObject({ id: 'check-it', actions: [{ kind: 'shell', code: 'echo done' }] });
  });

  it('gives duplicate headings -2, -3 and honours explicit ids', () => {
    const { runbook } = parse('# T', '## Load', '## Load', '## Load {#load-again}', '## Load');
    expect(runbook!.steps.map((s) => s.id)).toEqual(['load', 'load-2', 'load-again', 'load-3']);
    expect(runbook!.steps[2]!.title).toBe('Load');
  });

  it('reports duplicate explicit ids as errors', () => {
    expect(problemLines('# T', '## A {#x}', '## B {#x}')).toEqual([
      '3:1: error: step id {#x} is already used by the step on line 2; ids must be unique',
    ]);
  });

  it('keeps ### headings and display blocks in the prose; runnable blocks and checks apart', () => {
    const { runbook } = parse('# T', '## Step', 'Before.', '', '### Detail', '', `${FENCE}text`, 'output', FENCE, '', `${FENCE}sh`, 'ls', FENCE, '', '- [ ] ok', '- plain item');
    const step = runbook!.steps[0]!;
    expect(step.prose).toBe(['Before.', '', '### Detail', '', '```text', 'output', '```', '', '- plain item'].join('\n'));
    expect(step.actions.map((a) => a.code)).toEqual(['ls']);
    expect(step.checks.map((c) => c.text)).toEqual(['ok']);
  });

  it('lists a block in an unknown language as a display action, and keeps sample output in the prose', () => {
    const { runbook } = parse('# T', '## S', `${FENCE}python`, 'print(1)', FENCE, '', `${FENCE}console`, '$ ls', FENCE, '', `${FENCE}sh`, 'ls', FENCE);
    const step = runbook!.steps[0]!;
    expect(step.actions.map((a) => [a.id, a.kind, a.lang])).toEqual([
      ['s/1', 'display', 'python'],
      ['s/2', 'shell', 'sh'],
    ]);
    expect(step.prose).toBe('```console\n$ ls\n```');
  });

  it('hashes each step from its own source, so an edit changes only that step', () => {
    const before = parse('# T', '## One', 'a', '## Two', 'b').runbook!;
    const after = parse('# T', '## One', 'a', '## Two', 'b changed').runbook!;
    expect(after.steps[0]!.hash).toBe(before.steps[0]!.hash);
    expect(after.steps[1]!.hash).not.toBe(before.steps[1]!.hash);
    expect(after.hash).not.toBe(before.hash);
  });

  it('reads CRLF, a BOM and bytes the same as plain text', () => {
    const text = '# T\n## Step\n```sh\necho hi\n```\n';
    const plain = parseRunbook(text, 'book.md').runbook!;
    const crlf = parseRunbook(new TextEncoder().encode('\uFEFF' + text.replace(/\n/g, '\r\n')), 'book.md').runbook!;
    expect(crlf.steps).toEqual(plain.steps);
  });
});

describe('parseRunbook: attributes', () => {
  it('reads pandoc and Runme JSON attributes to the same typed values', () => {
    const pandoc = parse('# T', '## S', `${FENCE}sh {name=x interactive timeout=90s on-fail=continue env=prod,staging}`, 'x', FENCE).runbook!;
    const json = parse('# T', '## S', `${FENCE}sh {"name":"x","interactive":true,"timeout":"90s","onFail":"continue","env":"prod,staging"}`, 'x', FENCE).runbook!;
    expect(pandoc.steps[0]!.actions[0]!.attrs).toEqual({
      name: 'x',
      interactive: true,
      timeout: 90_000,
      onFail: { kind: 'continue' },
      env: ['prod', 'staging'],
      extra: {},
    });
    expect(json.steps[0]!.actions[0]!.attrs).toEqual(pandoc.steps[0]!.actions[0]!.attrs);
    expect(json.steps[0]!.actions[0]!.id).toBe('s/x');
  });

  it('reports a bad duration at the attribute value', () => {
    expect(problemLines('# T', '## S', `${FENCE}sql {timeout=2x}`, 'select 1', FENCE)).toEqual([
      '3:17: error: timeout: bad duration "2x" at "2x" (write e.g. 90s, 2m or 1h30m)',
    ]);
  });
});

describe('parseRunbook: variables', () => {
  it('suggests the closest declared variable for an unknown one', () => {
    expect(problemLines('---', 'variables:', '  WH_SIZE: { default: XSMALL }', '---', '# T', '## S', `${FENCE}sql`, 'select {{WH_SIZ}}', FENCE)).toEqual([
      '8:8: error: unknown variable {{WH_SIZ}} (did you mean WH_SIZE?): declare it under variables: in the front matter',
    ]);
  });

  it('lets later steps use a capture, and says when one is used before it is captured', () => {
    const ok = parse('# T', '## A', `${FENCE}sql {capture=load}`, 'select 1', FENCE, '## B', `${FENCE}sh`, 'echo {{load}} {{load.rows}}', FENCE);
    expect(ok.problems).toEqual([]);
    const early = problemLines('# T', '## A', `${FENCE}sh`, 'echo {{load}}', FENCE, '## B', `${FENCE}sql {capture=load}`, 'select 1', FENCE);
    expect(early).toEqual(['4:6: error: {{load}} is captured later, by the action on line 7 (step "B"); it has no value here']);
  });

  it('points invalid YAML at its line', () => {
    const lines = problemLines('---', 'title: T', 'owner: "unclosed', 'tags: [a]', '---', '# T', '## S');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines).toEqual(["3:8: error: invalid YAML in the front matter: the \" opened here is never closed: add the closing \""]);
  });
});

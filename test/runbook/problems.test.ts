// Every kind of mistake an author makes, and the exact line an author reads about it.
import { describe, expect, it } from 'vitest';
import { parseRunbook } from '../../src/runbook/parse.js';
import { formatProblem } from '../../src/runbook/problems.js';

const F = '```';

function problems(text: string): string[] {
  return parseRunbook(text, 'b.md').problems.map((p) => formatProblem(p).replace(/^b\.md:/, ''));
}

/** A runbook with front matter `front` and one step whose body is `body`. */
function book(front: string[], ...body: string[]): string {
  return [...(front.length ? ['---', ...front, '---'] : []), '# T', '## S', ...body].join('\n');
}

describe('front matter problems', () => {
  it.each([
    ['unknown key', ['colour: blue'], ['2:1: warning: unknown front matter key "colour"; it is ignored (known: title, summary, owner, tags, environments, requires, connection, variables)']],
    ['misspelt key', ['enviroments: [prod]'], ['2:1: warning: unknown front matter key "enviroments" (did you mean environments?); it is ignored (known: title, summary, owner, tags, environments, requires, connection, variables)']],
    ['wrong type', ['owner: [a, b]'], ['2:8: error: owner: write the owner as text']],
    ['duplicate key', ['owner: a', 'owner: b'], ['3:1: error: invalid YAML in the front matter: Map keys must be unique']],
    ['not a map', ['- a', '- b'], ['2:1: error: the front matter must be `key: value` lines, e.g. `title: Nightly load`']],
    ['secret with a default', ['variables:', '  PW: { secret: true, default: hunter2 }'], ['3:32: error: secret variable PW must not have a default: secrets are never written in files (use from-env or let baton ask)']],
    ['bad from-env', ['variables:', '  PW: { secret: true, from-env: "my var" }'], ['3:33: error: from-env "my var" is not an environment variable name (e.g. SNOWFLAKE_PASSWORD)']],
    ['bad pattern', ['variables:', '  D: { pattern: "(" }'], [expect.stringMatching(/^3:17: error: pattern of D is not a valid regular expression: /)]],
    // A problem is one line, whatever the author's text holds.
    ['bad pattern across lines', ['variables:', '  D: { pattern: "[0-9\\n]+(" }'], [expect.stringMatching(/^3:17: error: pattern of D is not a valid regular expression: [^\n]*\/\^\(\?:\[0-9 \]\+\(\)\$\/u: .+$/)]],
    ['default not a choice', ['variables:', '  S: { default: HUGE, choices: [XSMALL, SMALL] }'], ['3:17: error: default "HUGE" of S is not one of its choices: XSMALL, SMALL']],
    ['default against pattern', ['variables:', '  D: { default: "2026/01/01", pattern: "[0-9]{4}-[0-9]{2}-[0-9]{2}" }'], ['3:17: error: default "2026/01/01" of D does not match its pattern [0-9]{4}-[0-9]{2}-[0-9]{2}']],
    ['built-in name', ['variables:', '  env: prod'], ['3:3: error: variable env is built in (env, operator, run_id, date); pick another name']],
    ['bad name', ['variables:', '  1WH: x'], ['3:3: error: variable name "1WH" must be letters, digits and _ (not starting with a digit)']],
    ['unknown variable setting', ['variables:', '  WH: { defualt: X }'], ['3:9: warning: unknown variable setting "defualt" (did you mean default?); it is ignored (known: default, choices, pattern, prompt, secret, from-env, describe)']],
    ['default using an undeclared variable', ['variables:', '  WH: { default: "ETL_{{ENVV}}" }'], ['3:18: error: default of WH uses {{ENVV}}, which is not a declared variable (did you mean env?)']],
    ['defaults in a circle', ['variables:', '  A: { default: "{{B}}" }', '  B: { default: "{{A}}" }'], ['3:17: error: the defaults of A → B → A refer to each other in a circle']],
    ['unquoted template', ['variables:', '  WH: {{env}}_WH'], ['3:7: error: a value starting with {{ must be quoted, e.g. default: "{{env}}_WH"']],
    ['never closed', ['title: T'], null],
  ])('%s', (_name, front, expected) => {
    if (expected === null) {
      expect(problems(['---', ...front, '# T', '## S'].join('\n'))[0]).toBe('1:1: error: the front matter opened by --- on line 1 is never closed: end it with a line of ---');
      return;
    }
    expect(problems(book(front))).toEqual(expected);
  });

  it('accepts the forms authors write: a bare default, an empty declaration, numbers', () => {
    const { runbook, problems: found } = parseRunbook(
      book(['tags: setup', 'variables:', '  WH: ETL_WH', '  LOAD_DATE:', '  ROWS: 3', '  SIZE: { choices: [1, 2], default: 1 }'], `${F}sh`, 'echo {{WH}} {{LOAD_DATE}} {{ROWS}} {{SIZE}}', F),
      'b.md',
    );
    expect(found).toEqual([]);
    expect(runbook!.tags).toEqual(['setup']);
    expect(runbook!.variables.map((v) => [v.name, v.default, v.choices])).toEqual([
      ['WH', 'ETL_WH', undefined],
      ['LOAD_DATE', undefined, undefined],
      ['ROWS', '3', undefined],
      ['SIZE', '1', ['1', '2']],
    ]);
  });
});

describe('action problems', () => {
  it.each([
    ['bad duration', `${F}sh {watch=fast}`, ['3:14: error: watch: bad duration "fast" at "fast" (write e.g. 90s, 2m or 1h30m)']],
    ['zero timeout', `${F}sh {timeout=0s}`, ['3:16: error: timeout must be longer than zero, e.g. timeout=2m']],
    ['bad retries', `${F}sh {retries=many}`, ['3:16: error: retries must be a whole number of extra attempts, e.g. retries=3 (got "many")']],
    ['bad flag', `${F}sh {confirm=maybe}`, ['3:16: error: confirm is a yes/no attribute: write confirm, confirm=true or confirm=false (got "maybe")']],
    ['bad on-fail', `${F}sh {on-fail=retry}`, ['3:16: error: on-fail must be stop, continue or runbook:<id> (the file name of a runbook without .md); got "retry"']],
    ['value missing', `${F}sh {timeout}`, ['3:8: error: attribute timeout needs a value, e.g. timeout=2m']],
    ['unknown attribute', `${F}sh {timout=2m}`, ['3:8: warning: unknown attribute "timout" (did you mean timeout?); it is ignored (known: name, timeout, retries, retry-delay, expect, capture, confirm, danger, env, on-fail, watch, interactive, cwd, csv)']],
    ['attribute given twice', `${F}sh {timeout=1m timeout=2m}`, ['3:19: warning: attribute timeout is given twice; the last one counts']],
    ['attribute for another kind', `${F}sql {interactive}`, ['3:9: warning: interactive applies to shell actions only; it has no effect on a sql action']],
    ['broken JSON', `${F}sh {"name": x}`, [expect.stringMatching(/^3:7: error: attributes in JSON style do not parse: /)]],
    ['unclosed brace', `${F}sh {timeout=2m`, ['3:7: error: attributes start with { but have no closing }']],
    ['unclosed quote', `${F}sh {expect="exit == 0}`, ['3:15: error: the value of expect opens a quote " that is never closed']],
    ['expect syntax', `${F}sh {expect="exit =="}`, [expect.stringMatching(/^3:23: error: expect: .* in "exit =="$/)]],
    ['expect unknown name', `${F}sql {expect="rowz == 1"}`, ['3:17: error: expect: unknown name "rowz" (did you mean rows?); a sql result has rows, rowcount, columns, value, row, updated, queryId, queryIds, error, duration, ok']],
    ['expect with braces', `${F}sql {expect="rows == {{N}}"}`, ['3:25: error: expect reads variables by name: write N, not {{N}}']],
    ['expect unknown function', `${F}sh {expect="exec(1)"}`, [expect.stringMatching(/^3:16: error: expect: unknown function/)]],
    ['capture hiding a variable', `${F}sh {capture=env}`, ['3:8: error: capture=env would hide the variable env: pick another name']],
    ['bad capture name', `${F}sh {capture=my-load}`, ['3:16: error: capture name "my-load" must be letters, digits and _ (not starting with a digit), e.g. capture=load']],
    ['unknown language', `${F}pyton`, ['3:4: warning: "pyton" blocks are shown, not run (languages that run: sql, snowflake, sh, bash, shell, autosys, jil, controlm)']],
    ['near-miss language', `${F}sqll {timeout=1m}`, ['3:4: warning: "sqll" blocks are shown, not run (did you mean sql?) (languages that run: sql, snowflake, sh, bash, shell, autosys, jil, controlm)']],
    ['attributes on a display block', `${F}text {timeout=1m}`, ['3:10: warning: a text block is shown, not run: timeout has no effect']],
  ])('%s', (_name, open, expected) => {
    expect(problems(book([], open, 'true', F))).toEqual(expected);
  });

  it('reports a block that is never closed', () => {
    expect(problems(book([], `${F}sh`, 'echo hi', '## Not a step: still inside the block'))).toEqual([
      '3:1: error: this code block is never closed: end it with a line of ``` (everything after it is inside the block)',
    ]);
  });

  it('reads Runme attributes without braces and pandoc’s {.lang} form', () => {
    const { runbook } = parseRunbook(book([], `${F}sh name=tools interactive=false`, 'ls', F, `${F}{.bash #check timeout=1m}`, 'ls', F), 'b.md');
    const [first, second] = runbook!.steps[0]!.actions;
    expect(first).toMatchObject({ id: 's/tools', kind: 'shell', attrs: { name: 'tools', interactive: false } });
    expect(second).toMatchObject({ id: 's/check', kind: 'shell', lang: 'bash', attrs: { name: 'check', timeout: 60_000 } });
  });

  it('keeps Runme’s own attributes quietly and others with a warning', () => {
    const { runbook, problems: found } = parseRunbook(book([], `${F}sh {"id":"01HF7B","background":true,"colour":"red"}`, 'ls', F), 'b.md');
    expect(runbook!.steps[0]!.actions[0]!.attrs.extra).toEqual({ id: '01HF7B', background: true, colour: 'red' });
    expect(found.map((p) => p.message)).toEqual([expect.stringMatching(/^unknown attribute "colour"/)]);
  });

  it('checks env= against the runbook’s environments', () => {
    expect(problems(book(['environments: [sandbox, prod]'], `${F}sh {env=prd}`, 'true', F))).toEqual([
      '6:8: error: env=prd: "prd" is not one of this runbook\'s environments (sandbox, prod) (did you mean prod?)',
    ]);
  });

  it('checks the fields of a captured result', () => {
    expect(problems(book([], `${F}sql {capture=load}`, 'select 1', F, `${F}sh`, 'echo {{load.rowz}} {{load.value}}', F))).toEqual([
      '7:6: error: {{load.rowz}}: the result of a sql action has no field "rowz" (did you mean rows?) (fields: rows, rowcount, columns, value, row, updated, queryId, queryIds, error, duration, ok)',
    ]);
  });

  it('reports a reused capture name as a warning and a dotted variable as an error', () => {
    expect(problems(book(['variables:', '  WH: X'], `${F}sh {capture=a}`, 'true', F, `${F}sh {capture=a}`, 'echo {{WH.value}}', F))).toEqual([
      '10:8: warning: capture=a replaces the one set on line 7 from here on',
      '11:6: error: {{WH.value}}: WH is a variable, not a captured result: write {{WH}}',
    ]);
  });

  it('names each action by index or name, and reports two actions with one name', () => {
    const ok = parseRunbook(book([], `${F}sh`, 'a', F, `${F}sh {name="Load orders"}`, 'b', F), 'b.md').runbook!;
    expect(ok.steps[0]!.actions.map((a) => a.id)).toEqual(['s/1', 's/load-orders']);
    expect(problems(book([], `${F}sh {name=x}`, 'a', F, `${F}sh {name=x}`, 'b', F))).toEqual([
      '6:8: error: action id s/x is already used by the action on line 3: give this action another name',
    ]);
  });
});

describe('document problems', { timeout: 60_000 }, () => {
  it('warns about checks and runnable blocks before the first step', () => {
    expect(problems(['# T', '- [ ] early', '', `${F}sh`, 'ls', F, '## S'].join('\n'))).toEqual([
      '2:3: warning: a check before the first ## step is never asked: put it under a ## step heading',
      '4:1: warning: a sh block before the first ## step is shown, not run: put it under a ## step heading',
    ]);
  });

  it('reports a step without a title, a bad explicit id, a second title, no title and no steps', () => {
    expect(problems(['# T', '##', '## A {#not ok}', '# Again'].join('\n'))).toEqual([
      "2:1: error: a ## heading without a title: write the step's name after ##",
      '3:1: error: step id "{#not ok}" must be letters, digits, ., _ or - (e.g. {#create-warehouse})',
      '4:1: warning: only the first # heading is the runbook title; this one is kept as text (use ## for a step)',
    ]);
    expect(problems('Just text.')).toEqual([
      '1:1: warning: no title: start the runbook with a # heading (until then it is called "b")',
      '1:1: warning: no ## steps: add a ## heading for each step the operator walks through',
    ]);
  });

  it('does not take headings inside code blocks, or tilde fences, for structure', () => {
    const { runbook } = parseRunbook(['# T', '## S', '~~~bash', '## not a step', '- [ ] not a check', '~~~'].join('\n'), 'b.md');
    expect(runbook!.steps).toHaveLength(1);
    expect(runbook!.steps[0]!.checks).toEqual([]);
    expect(runbook!.steps[0]!.actions[0]!.code).toBe('## not a step\n- [ ] not a check');
  });

  it('reports binary input with a position instead of failing', () => {
    const bytes = new Uint8Array([0x23, 0x20, 0x54, 0x0a, 0xff, 0xfe, 0x00, 0x41]);
    expect(parseRunbook(bytes, 'b.md').problems.map(formatProblem)).toEqual([
      'b.md:2:1: error: this file is not UTF-8 text (a bad byte is here): save it as UTF-8',
      'b.md:2:3: error: this file contains a NUL byte: it looks like a binary file, not a Markdown runbook',
      'b.md:1:1: warning: no ## steps: add a ## heading for each step the operator walks through',
    ].sort());
  });

  it('reads a 10 MB line and reports problems in it with a short message', () => {
    const huge = 'x'.repeat(10 * 1024 * 1024);
    const result = parseRunbook(['# T', '## S', `${F}sh {${huge}=1}`, `echo {{${huge}}}`, F, huge].join('\n'), 'b.md');
    const messages = result.problems.map((p) => p.message);
    expect(messages).toHaveLength(2);
    expect(messages.map((m) => m.length < 300)).toEqual([true, true]);
    expect(result.problems[0]!.line).toBe(3);
  });
});

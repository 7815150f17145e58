// Any bytes at all give a model or positioned problems — never an exception, never a bug report.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Problem } from '../../src/runbook/model.js';
import { DISPLAY_LANGUAGES } from '../../src/runbook/attributes.js';
import { parseRunbook } from '../../src/runbook/parse.js';

const PATH = 'fuzz.md';

/** The promise parseRunbook makes, checked on one input. */
function holdsForAnyInput(source: string | Uint8Array): void {
  const text = typeof source === 'string' ? source : new TextDecoder().decode(source);
  const lineCount = text.split(/\r\n|\r|\n/).length;
  const result = parseRunbook(source, PATH);
  for (const problem of result.problems) expectWellFormed(problem, lineCount);
  // The catch-all message means parseRunbook hit a bug: no input may reach it.
  expect(result.problems.filter((p) => p.message.startsWith('baton could not read'))).toEqual([]);
  const errors = result.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    expect(result.runbook).toBeUndefined();
    return;
  }
  const runbook = result.runbook!;
  expect(runbook).toBeDefined();
  const stepIds = runbook.steps.map((s) => s.id);
  expect(new Set(stepIds).size).toBe(stepIds.length);
  for (const step of runbook.steps) {
    expect(step.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(step.pos.line).toBeGreaterThanOrEqual(1);
    const actionIds = step.actions.map((a) => a.id);
    expect(new Set(actionIds).size).toBe(actionIds.length);
    for (const action of step.actions) {
      expect(action.id.startsWith(`${step.id}/`)).toBe(true);
      if (action.kind === 'display') expect(DISPLAY_LANGUAGES).not.toContain(action.lang.toLowerCase());
    }
  }
  // The model is plain data: it survives a JSON round trip unchanged.
  expect(JSON.parse(JSON.stringify(runbook))).toEqual(runbook);
}

function expectWellFormed(problem: Problem, lineCount: number): void {
  expect(problem.file).toBe(PATH);
  expect(Number.isInteger(problem.line) && problem.line >= 1 && problem.line <= lineCount + 1).toBe(true);
  expect(Number.isInteger(problem.column) && problem.column >= 1).toBe(true);
  expect(problem.message.length).toBeGreaterThan(0);
  expect(problem.message).not.toContain('\n');
  expect(['error', 'warning']).toContain(problem.severity);
}

// Pieces runbooks are made of, including the broken forms authors really write.
const names = fc.constantFrom('WH', 'WH_SIZE', 'DB', 'env', 'operator', 'run_id', 'date', 'load', 'load.rows', 'load.nope', 'WHH', 'x.y.z', '__proto__', 'constructor');
const words = fc.constantFrom('Create', 'the', 'warehouse', 'Load', 'load', 'check', 'ÉTAPE', '日本', '`code`', '**bold**', '{#id}', '{#x}', '{#bad id}', '', ' ', '{{WH}}', '[ ]', '---', '```', '~~~', '#', '\t', '\u0000', '\uFEFF', '\r');
const line = fc.array(fc.oneof(words, fc.string({ maxLength: 8 }), names.map((n) => `{{${n}}}`)), { maxLength: 6 }).map((parts) => parts.join(' '));
const attrValue = fc.oneof(
  fc.constantFrom('2m', '90s', '1h30m', 'soon', '0', '-1', '3', 'true', 'no', 'prod,staging', 'stop', 'continue', 'runbook:other', 'runbook:', 'rows == 1', 'load.rows >= 1 and', 'WHH == 1', '"quoted"', "'single'", '{{WH}}'),
  fc.string({ maxLength: 10 }),
);
const attrKey = fc.constantFrom('timeout', 'retries', 'retry-delay', 'expect', 'capture', 'confirm', 'danger', 'env', 'on-fail', 'watch', 'name', 'interactive', 'cwd', 'csv', 'onFail', 'retryDelay', 'colour', '#id', '.bash', '__proto__', 'constructor', '');
const pandoc = fc.array(fc.tuple(attrKey, fc.option(attrValue)), { maxLength: 4 }).map((pairs) =>
  `{${pairs.map(([k, v]) => (v === null ? k : `${k}=${/\s/.test(v) ? JSON.stringify(v) : v}`)).join(' ')}`,
).chain((open) => fc.constantFrom(`${open}}`, open, `${open}} trailing`));
const json = fc.dictionary(attrKey, fc.oneof(attrValue, fc.boolean(), fc.integer(), fc.constant(null)), { maxKeys: 3 }).map((o) => JSON.stringify(o));
const info = fc.tuple(
  fc.constantFrom('sql', 'snowflake', 'sh', 'bash', 'shell', 'autosys', 'jil', 'controlm', 'text', 'yaml', 'python', 'SQL', '', 'sqll'),
  fc.oneof(fc.constant(''), pandoc, json, fc.string({ maxLength: 12 })),
).map(([lang, attrs]) => `${lang} ${attrs}`.trimEnd());
const fence = fc.tuple(fc.constantFrom('```', '~~~', '````', '  ```'), info, fc.array(line, { maxLength: 3 }), fc.boolean()).map(
  ([mark, infoString, body, closed]) => [`${mark}${infoString}`, ...body, ...(closed ? [mark.trim()] : [])].join('\n'),
);
const block = fc.oneof(
  line,
  line.map((t) => `# ${t}`),
  line.map((t) => `## ${t}`),
  line.map((t) => `### ${t}`),
  fc.constant('##'),
  line.map((t) => `- [ ] ${t}`),
  line.map((t) => `  - [x] ${t}`),
  line.map((t) => `1. ${t}`),
  line.map((t) => `> ${t}`),
  fence,
);
const yamlLine = fc.oneof(
  fc.constantFrom('title: Setup', 'owner: [unclosed', 'tags: [a, b]', 'environments: [sandbox, prod]', 'requires: [other]', 'colour: blue', 'title: "open', 'variables:', '  WH: { default: ETL_WH }', '  WH_SIZE: { default: XSMALL, choices: [XSMALL, SMALL] }', '  DB: { pattern: "[A-Z]+", default: lower }', '  SECRET: { secret: true, default: x }', '  A: { default: "{{B}}" }', '  B: { default: "{{A}}" }', '  env: x', '  1BAD: y', '  P: { pattern: "(" }', 'variables: 3', '- list', ': :', '&a [*a]', 'title: &x t', 'x: *nope'),
  line,
);
const frontMatter = fc.oneof(
  fc.constant(''),
  fc.array(yamlLine, { maxLength: 6 }).map((lines) => ['---', ...lines, '---', ''].join('\n')),
  fc.array(yamlLine, { maxLength: 4 }).map((lines) => ['---', ...lines, ''].join('\n')),
);
const document = fc.tuple(frontMatter, fc.array(block, { maxLength: 14 })).map(([front, blocks]) => front + blocks.join('\n\n'));

const examples = ['test/fixtures/examples/01-warehouse-setup.md', 'test/fixtures/examples/02-load-recovery.md'].map((path) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8'));

/** Small edits anywhere in a document: what a half-finished save or a bad merge leaves behind. */
const mutation = fc.oneof(
  fc.tuple(fc.nat(), fc.string({ maxLength: 12, unit: 'binary' })).map(([at, text]) => (doc: string) => doc.slice(0, at % (doc.length + 1)) + text + doc.slice(at % (doc.length + 1))),
  fc.tuple(fc.nat(), fc.nat({ max: 40 })).map(([at, length]) => (doc: string) => doc.slice(0, at % (doc.length + 1)) + doc.slice((at % (doc.length + 1)) + length)),
  fc.tuple(fc.nat(), fc.nat({ max: 200 })).map(([at, length]) => (doc: string) => {
    const start = at % (doc.length + 1);
    return doc.slice(0, start) + doc.slice(start, start + length) + doc.slice(start);
  }),
  fc.nat().map((at) => (doc: string) => doc.slice(0, at % (doc.length + 1))),
  fc.constant((doc: string) => doc.replace(/\n/g, '\r\n')),
  fc.constant((doc: string) => `\uFEFF${doc}`),
  fc.constant((doc: string) => doc.replace(/```/g, '~~~')),
  fc.constant((doc: string) => doc.split('\n').reverse().join('\n')),
);
const mutated = fc.tuple(fc.oneof(fc.constantFrom(...examples), document), fc.array(mutation, { minLength: 1, maxLength: 4 })).map(
  ([doc, edits]) => edits.reduce((text, edit) => edit(text), doc),
);

// Generous limits: these run a thousand parses and share the machine with the other test files.
describe('parseRunbook on any input', { timeout: 120_000 }, () => {
  it('gives a model or file:line:col problems for 600 generated documents', () => {
    fc.assert(fc.property(document, holdsForAnyInput), { numRuns: 600 });
  });

  it('gives a model or file:line:col problems for 400 mutated documents', () => {
    fc.assert(fc.property(mutated, holdsForAnyInput), { numRuns: 400 });
  });

  it('gives a model or file:line:col problems for 200 runs of random bytes', () => {
    const bytes = fc.oneof(fc.uint8Array({ maxLength: 400 }), mutated.map((text) => new TextEncoder().encode(text)));
    fc.assert(fc.property(bytes, holdsForAnyInput), { numRuns: 200 });
  });
});

import { describe, expect, it } from 'vitest';
import { definitionsFormat, fillDefinitions } from '../../src/scheduler/definitions-template.js';
import type { TemplateValue } from '../../src/runbook/template.js';

const values: Record<string, TemplateValue> = {
  DB: { value: 'SALES_DW' },
  SQL_CLIENT: { value: 'baton sql --env sandbox' },
  QUOTED: { value: 'say "hi" \\ bye' },
  TOKEN: { value: 's3cr3t', secret: true },
  MULTI: { value: 'one\ntwo' },
};
const lookup = (name: string) => values[name];
const known = Object.keys(values);

describe('fillDefinitions', () => {
  it('fills JIL as written, masking secrets in the shown text', () => {
    const jil = 'insert_job: LOAD   job_type: CMD\ncommand: {{SQL_CLIENT}} -q "SELECT 1 FROM {{DB}}.RAW.T" --token {{TOKEN}}\n';
    const filled = fillDefinitions(jil, 'jil', lookup, known);
    expect(filled).toMatchObject({
      ok: true,
      text: 'insert_job: LOAD   job_type: CMD\ncommand: baton sql --env sandbox -q "SELECT 1 FROM SALES_DW.RAW.T" --token s3cr3t\n',
      shown: 'insert_job: LOAD   job_type: CMD\ncommand: baton sql --env sandbox -q "SELECT 1 FROM SALES_DW.RAW.T" --token ••••••\n',
      secrets: ['s3cr3t'],
    });
  });

  it('names the file line and column of a name with no value, with a did-you-mean', () => {
    const jil = 'insert_job: LOAD   job_type: CMD\ncommand: run {{DB}}\nmachine: {{SQL_CLEINT}}\nowner: {{NOBODY_KNOWS}}\n';
    const filled = fillDefinitions(jil, 'jil', lookup, known);
    expect(filled.ok).toBe(false);
    if (filled.ok) return;
    expect(filled.problems).toEqual([
      { line: 3, column: 10, message: expect.stringMatching(/^no value for \{\{SQL_CLEINT\}\} \(did you mean SQL_CLIENT\?\): declare it/) },
      { line: 4, column: 8, message: expect.stringMatching(/^no value for \{\{NOBODY_KNOWS\}\}: declare it in the runbook's variables/) },
    ]);
  });

  it('leaves a value-less name in a JIL comment as written, and fills known names there', () => {
    const jil = '/* Every {{NAME}} is filled when deployed; this one holds {{DB}}. */\n# {{ALSO_NOT}} here\ninsert_job: X   job_type: CMD\ncommand: true\n';
    const filled = fillDefinitions(jil, 'jil', lookup, known);
    expect(filled.ok).toBe(true);
    if (!filled.ok) return;
    expect(filled.text.split('\n').slice(0, 2)).toEqual(['/* Every {{NAME}} is filled when deployed; this one holds SALES_DW. */', '# {{ALSO_NOT}} here']);
  });

  it('refuses a JIL value with a line break, which would start another attribute', () => {
    const filled = fillDefinitions('insert_job: X   job_type: CMD\ncommand: {{MULTI}}\n', 'jil', lookup, known);
    expect(filled).toEqual({ ok: false, problems: [{ line: 2, column: 10, message: expect.stringContaining('has a line break') }] });
  });

  it('escapes values inside JSON strings so the file stays JSON, and inserts them raw outside strings', () => {
    const json = '{\n  "F": {\n    "Type": "Folder",\n    "J": { "Type": "Job:Command", "Command": "{{QUOTED}} {{MULTI}}", "RerunLimit": { "Times": {{N}} } }\n  }\n}\n';
    const filled = fillDefinitions(json, 'json', (name) => (name === 'N' ? { value: '2' } : lookup(name)), [...known, 'N']);
    expect(filled.ok).toBe(true);
    if (!filled.ok) return;
    const parsed = JSON.parse(filled.text) as { F: { J: { Command: string; RerunLimit: { Times: number } } } };
    expect(parsed.F.J.Command).toBe('say "hi" \\ bye one\ntwo');
    expect(parsed.F.J.RerunLimit.Times).toBe(2);
  });

  it('tells the format from the file name', () => {
    expect(definitionsFormat('jobs/orders.JIL')).toBe('jil');
    expect(definitionsFormat('jobs/customers.json')).toBe('json');
  });
});

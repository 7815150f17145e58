import { describe, expect, it } from 'vitest';
import type { TemplateValue } from '../../src/runbook/template.js';
import { fillSql, isNameOrNumber, UnsafeValueError } from '../../src/sql/variables.js';

const values: Record<string, TemplateValue> = {
  WH: { value: 'ETL_WH' },
  DB: { value: 'RAW.ORDERS' },
  QUOTED: { value: '"My Table"' },
  SIZE: { value: '60' },
  env: { value: 'prod' },
  NAME: { value: "O'Brien \\ co" },
  EVIL: { value: 'x; DROP TABLE y' },
  DOLLAR: { value: 'a $$ b' },
  PASSWORD: { value: "s3cr'et", secret: true },
  LINE: { value: 'a\nDROP TABLE t' },
};
const fill = (sql: string) => fillSql(sql, (name) => values[name]);

describe('variables in SQL', () => {
  it('puts names and numbers where SQL expects them', () => {
    expect(fill('ALTER WAREHOUSE {{WH}} SET AUTO_SUSPEND = {{SIZE}}').text).toBe('ALTER WAREHOUSE ETL_WH SET AUTO_SUSPEND = 60');
    expect(fill('SELECT * FROM {{DB}}').text).toBe('SELECT * FROM RAW.ORDERS');
    expect(fill('SELECT * FROM {{QUOTED}}').text).toBe('SELECT * FROM "My Table"');
    expect(fill('USE WAREHOUSE ETL_WH_{{env}}').text).toBe('USE WAREHOUSE ETL_WH_prod');
  });

  it('escapes values inside string literals and quoted identifiers', () => {
    expect(fill("SELECT '{{NAME}}'").text).toBe("SELECT 'O''Brien \\\\ co'");
    expect(fill("SELECT '{{EVIL}}'").text).toBe("SELECT 'x; DROP TABLE y'");
    expect(fill('SELECT "{{NAME}}"').text).toBe('SELECT "O\'Brien \\ co"');
    expect(fill('CREATE FUNCTION f() RETURNS STRING AS $$ {{WH}} $$').text).toBe('CREATE FUNCTION f() RETURNS STRING AS $$ ETL_WH $$');
  });

  it.each([
    ['DROP TABLE {{EVIL}}', 'EVIL', /sits where SQL expects a name or a number/],
    ['USE WAREHOUSE WH_{{EVIL}}', 'EVIL', /part of a name/],
    ['SELECT $$ {{DOLLAR}} $$', 'DOLLAR', /contains \$\$/],
    ['SELECT 1 -- {{LINE}}', 'LINE', /line break/],
  ])('refuses %s', (sql, variable, message) => {
    let caught: unknown;
    try {
      fill(sql);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UnsafeValueError);
    expect((caught as UnsafeValueError).variable).toBe(variable);
    expect((caught as Error).message).toMatch(message);
  });

  it('never shows a secret value in a refusal, and masks it in the shown text', () => {
    expect(() => fill('ALTER USER u SET PASSWORD = {{PASSWORD}}')).toThrow(/\{\{PASSWORD\}\} = •+ sits where/);
    const filled = fill("ALTER USER u SET PASSWORD = '{{PASSWORD}}'");
    expect(filled.text).toBe("ALTER USER u SET PASSWORD = 's3cr''et'");
    expect(filled.shown).toBe("ALTER USER u SET PASSWORD = '••••••'");
    expect(filled.secrets).toContain("s3cr''et");
  });

  it('leaves unknown references as written and reports them', () => {
    expect(fill('SELECT {{NOPE}}')).toMatchObject({ text: 'SELECT {{NOPE}}', missing: ['NOPE'] });
  });

  it.each([
    ['ORDERS', true],
    ['raw.orders', true],
    ['DB."My Schema".T', true],
    ['"a""b"', true],
    ['-1.5', true],
    ['1e3', true],
    ['a b', false],
    ['a;b', false],
    ['"open', false],
    ['a.b.c.d', false],
    ["x'--", false],
    ['', false],
  ])('isNameOrNumber(%j) = %s', (value, expected) => {
    expect(isNameOrNumber(value)).toBe(expected);
  });
});

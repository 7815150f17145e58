import { describe, expect, it } from 'vitest';
import { splitStatements, tokenize } from '../../src/sql/tokens.js';

const texts = (sql: string) => splitStatements(sql).map((s) => s.text);

describe('tokenizer', () => {
  it('gives back the text exactly when the tokens are joined', () => {
    const sql = `SELECT 'it''s; fine', "a;b", $$ x; y $$, 1.5e3 -- c;\n/* d; */ FROM t // e;\n;`;
    expect(tokenize(sql).map((t) => t.text).join('')).toBe(sql);
  });

  it('reads strings with doubled quotes and backslash escapes as one token', () => {
    const types = tokenize(`'a''b' 'c\\'d' "q""x"`).filter((t) => t.type !== 'space');
    expect(types.map((t) => [t.type, t.text])).toEqual([
      ['string', "'a''b'"],
      ['string', "'c\\'d'"],
      ['quoted', '"q""x"'],
    ]);
  });

  it('marks an unterminated string instead of failing', () => {
    const [token] = tokenize("'no end; DROP TABLE x");
    expect(token).toMatchObject({ type: 'string', unterminated: true });
  });

  it('reads variables, binds and casts', () => {
    const tokens = tokenize('SELECT $1, $name, :bind, ?, x::int').filter((t) => t.type === 'variable' || t.text === '::');
    expect(tokens.map((t) => t.text)).toEqual(['$1', '$name', ':bind', '?', '::']);
  });
});

describe('statement splitter', () => {
  it.each([
    ['SELECT 1; SELECT 2', ['SELECT 1', 'SELECT 2']],
    ["SELECT ';'; SELECT 2;", ["SELECT ';'", 'SELECT 2']],
    ['SELECT "a;b" FROM t; -- trailing; comment', ['SELECT "a;b" FROM t']],
    ['/* lead; */ SELECT 1 /* in; */ ; ;', ['SELECT 1 /* in; */']],
    ['CREATE FUNCTION f() RETURNS INT AS $$ 1; 2 $$; SELECT f()', ['CREATE FUNCTION f() RETURNS INT AS $$ 1; 2 $$', 'SELECT f()']],
    ['BEGIN; INSERT INTO t VALUES (1); COMMIT;', ['BEGIN', 'INSERT INTO t VALUES (1)', 'COMMIT']],
    ['BEGIN TRANSACTION; DELETE FROM t WHERE a = 1; ROLLBACK', ['BEGIN TRANSACTION', 'DELETE FROM t WHERE a = 1', 'ROLLBACK']],
    [
      'BEGIN\n  CREATE TABLE t (a INT);\n  IF (1 = 1) THEN\n    DROP TABLE t;\n  END IF;\n  RETURN 1;\nEND;\nSELECT 2;',
      ['BEGIN\n  CREATE TABLE t (a INT);\n  IF (1 = 1) THEN\n    DROP TABLE t;\n  END IF;\n  RETURN 1;\nEND', 'SELECT 2'],
    ],
    [
      'DECLARE\n  n INT DEFAULT 0;\nBEGIN\n  n := (SELECT CASE WHEN 1 = 1 THEN 1 ELSE 0 END);\n  RETURN n;\nEND; SELECT 3',
      ['DECLARE\n  n INT DEFAULT 0;\nBEGIN\n  n := (SELECT CASE WHEN 1 = 1 THEN 1 ELSE 0 END);\n  RETURN n;\nEND', 'SELECT 3'],
    ],
    [
      'CREATE PROCEDURE p() RETURNS INT LANGUAGE SQL AS BEGIN FOR i IN 1 TO 3 DO INSERT INTO t VALUES (1); END FOR; RETURN 1; END; CALL p()',
      ['CREATE PROCEDURE p() RETURNS INT LANGUAGE SQL AS BEGIN FOR i IN 1 TO 3 DO INSERT INTO t VALUES (1); END FOR; RETURN 1; END', 'CALL p()'],
    ],
    ['SELECT CASE WHEN a THEN 1 END FROM t; SELECT 2', ['SELECT CASE WHEN a THEN 1 END FROM t', 'SELECT 2']],
    ['-- only a comment\n', []],
  ])('%j', (sql, expected) => {
    expect(texts(sql)).toEqual(expected);
  });

  it('keeps each statement’s place in the text', () => {
    const sql = '  SELECT 1;\n  SELECT 2';
    const [, second] = splitStatements(sql);
    expect(sql.slice(second!.start, second!.end)).toBe('SELECT 2');
  });
});

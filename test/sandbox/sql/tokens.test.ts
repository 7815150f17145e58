import { describe, expect, it } from 'vitest';
import { classifyStatement, splitStatements, STATEMENT_TYPE } from '../../../src/sandbox/sql/statements.js';
import { significantTokens, tokenize, TokenizeError } from '../../../src/sandbox/sql/tokens.js';

const kinds = (sql: string): string[] => significantTokens(sql).map((t) => `${t.kind}:${t.value}`);

describe('tokenizer', () => {
  it('upper-cases unquoted identifiers and keeps quoted ones exact', () => {
    expect(kinds('select Amount, "Mixed Case", "a""b" from t')).toEqual([
      'word:SELECT', 'word:AMOUNT', 'op:,', 'quoted:Mixed Case', 'op:,', 'quoted:a"b', 'word:FROM', 'word:T', 'end:',
    ]);
  });

  it('reads strings with doubled quotes and backslash escapes', () => {
    const [token] = significantTokens("'it''s\\n\\tok\\x41\\\\'");
    expect(token).toMatchObject({ kind: 'string', value: "it's\n\tokA\\" });
  });

  it('reads $$ bodies as one string, whatever they contain', () => {
    const tokens = significantTokens("CALL p($$ select 'x'; -- not a comment $$)");
    expect(tokens.map((t) => t.kind)).toEqual(['word', 'word', 'op', 'string', 'op', 'end']);
    expect(tokens[3]!.value).toBe(" select 'x'; -- not a comment ");
  });

  it('skips --, // and /* */ comments', () => {
    expect(kinds('select 1 -- one\n// two\n/* three; */ + 2')).toEqual(['word:SELECT', 'number:1', 'op:+', 'number:2', 'end:']);
  });

  it('tells variables, positional columns, binds and stages apart', () => {
    expect(kinds('$tbl $1 ? :2 @SOURCE_DB.PUBLIC.LANDING/orders/ @~ @%t v:a::int')).toEqual([
      'variable:TBL', 'variable:1', 'bind:?', 'bind:2', 'stage:@SOURCE_DB.PUBLIC.LANDING/orders/', 'stage:@~', 'stage:@%t',
      'word:V', 'op::', 'word:A', 'op:::', 'word:INT', 'end:',
    ]);
  });

  it('reads numbers: integers, decimals, exponents and a leading dot', () => {
    expect(kinds('1 2.50 .5 1e10 3E-2')).toEqual(['number:1', 'number:2.50', 'number:.5', 'number:1e10', 'number:3E-2', 'end:']);
  });

  it('gives 1-based lines and 0-based positions as Snowflake reports them', () => {
    const tokens = significantTokens('select 1\n  form t');
    expect(tokens[2]).toMatchObject({ text: 'form', line: 2, column: 2 });
  });

  it('refuses an unterminated string', () => {
    expect(() => tokenize("select 'oops")).toThrow(TokenizeError);
  });
});

describe('splitStatements', () => {
  it('splits on top-level semicolons only', () => {
    expect(splitStatements("select 'a;b'; -- c;\nselect $$x;y$$ ;; /* only a comment; */")).toEqual(["select 'a;b'", "-- c;\nselect $$x;y$$"]);
  });

  it('returns nothing for blank text', () => {
    expect(splitStatements('  ;  \n')).toEqual([]);
  });
});

describe('classifyStatement', () => {
  it.each([
    ['select 1', 'query', STATEMENT_TYPE.select, 'SELECT'],
    ['(select 1) union (select 2)', 'query', STATEMENT_TYPE.select, 'SELECT'],
    ['with x as (select 1) select * from x', 'query', STATEMENT_TYPE.select, 'SELECT'],
    ['insert into t values (1)', 'insert', STATEMENT_TYPE.insert, 'INSERT'],
    ['delete from t', 'delete', STATEMENT_TYPE.delete, 'DELETE'],
    ['update t set a = 1', 'update', STATEMENT_TYPE.update, 'UPDATE'],
    ['merge into t using s on t.a = s.a when matched then delete', 'merge', STATEMENT_TYPE.merge, 'MERGE'],
    ['create or replace transient table t (a int)', 'create', STATEMENT_TYPE.ddl, 'CREATE_TABLE'],
    ['create table t as select 1 a', 'create', STATEMENT_TYPE.ddl, 'CREATE_TABLE_AS_SELECT'],
    ['alter session set query_tag = \'x\'', 'alter', STATEMENT_TYPE.alterSession, 'ALTER_SESSION'],
    ['use warehouse wh', 'use', STATEMENT_TYPE.useWarehouse, 'USE'],
    ['show tables', 'show', STATEMENT_TYPE.show, 'SHOW'],
    ['desc table t', 'describe', STATEMENT_TYPE.describe, 'DESCRIBE'],
    ['copy into t from @s', 'copy', STATEMENT_TYPE.copy, 'COPY'],
    ['begin', 'begin', STATEMENT_TYPE.tcl, 'BEGIN_TRANSACTION'],
    ['create resource monitor rm with credit_quota = 1', 'create', STATEMENT_TYPE.ddl, 'CREATE_RESOURCE_MONITOR'],
    ['undrop table t', 'undrop', STATEMENT_TYPE.ddl, 'UNDROP'],
  ])('%s', (sql, verb, typeId, queryType) => {
    expect(classifyStatement(sql)).toMatchObject({ verb, typeId, queryType });
  });
});

describe('redactSecrets', () => {
  it('masks password and key values, keeping the rest of the statement', async () => {
    const { redactSecrets } = await import('../../../src/sandbox/sql/statements.js');
    expect(redactSecrets("CREATE USER u PASSWORD = 'hunter2' COMMENT = 'ok'")).toBe("CREATE USER u PASSWORD = '****' COMMENT = 'ok'");
    expect(redactSecrets("ALTER USER u SET password='a''b'")).toBe("ALTER USER u SET password='****'");
    expect(redactSecrets("CREATE STAGE s URL='s3://x' CREDENTIALS=(AWS_KEY_ID='id' AWS_SECRET_KEY='k')")).toBe("CREATE STAGE s URL='s3://x' CREDENTIALS=(AWS_KEY_ID='****' AWS_SECRET_KEY='****')");
    expect(redactSecrets('SELECT 1')).toBe('SELECT 1');
  });
});

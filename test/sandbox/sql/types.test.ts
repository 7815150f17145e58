// Every Snowflake type travels with the rowtype and encoding SNOWFLAKE-PROTOCOL.md §3 describes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFixture, type EngineFixture } from './engine-fixture.js';

let db: EngineFixture;

beforeAll(async () => {
  db = await openFixture();
  await db.run('CREATE DATABASE TYPES_DB');
  await db.run(`CREATE TABLE ALL_TYPES (
    N NUMBER(10,2), I INT, BIG NUMBER(38,0), F FLOAT, S VARCHAR(20), B BOOLEAN, D DATE, TM TIME, NTZ TIMESTAMP_NTZ,
    LTZ TIMESTAMP_LTZ, TZ TIMESTAMP_TZ, V VARIANT, O OBJECT, A ARRAY, BIN BINARY)`);
  await db.run(`INSERT INTO ALL_TYPES SELECT 123.45, 42, 12345678901234567890, 1.5, 'héllo', TRUE, '2024-01-01', '12:34:56.789',
    '2024-01-01 12:34:56.789', '2024-01-01 12:34:56.789'::TIMESTAMP_LTZ, '2024-01-01 12:34:56.789'::TIMESTAMP_TZ,
    PARSE_JSON('{"k":[1,"x",null]}'), OBJECT_CONSTRUCT('a', 1), ARRAY_CONSTRUCT(1, 2), TO_BINARY('DEADBEEF', 'HEX')`);
  await db.run('INSERT INTO ALL_TYPES (N) VALUES (NULL)');
});

afterAll(() => db.close());

describe('wire encoding of every type', () => {
  it('encodes values as §3 says, with matching rowtypes', async () => {
    const outcome = await db.run('SELECT * FROM ALL_TYPES ORDER BY N NULLS LAST');
    const byName = Object.fromEntries(outcome.columns.map((c, k) => [c.name, { column: c, value: outcome.rows[0]![k] }]));
    const expected: [string, string, string][] = [
      ['N', 'fixed', '123.45'],
      ['I', 'fixed', '42'],
      ['BIG', 'fixed', '12345678901234567890'],
      ['F', 'real', '1.5'],
      ['S', 'text', 'héllo'],
      ['B', 'boolean', '1'],
      ['D', 'date', '19723'],
      ['TM', 'time', '45296.789000000'],
      ['NTZ', 'timestamp_ntz', '1704112496.789000000'],
      ['LTZ', 'timestamp_ltz', '1704112496.789000000'],
      ['TZ', 'timestamp_tz', '1704112496.789000000 1440'],
      ['V', 'variant', '{"k":[1,"x",null]}'],
      ['O', 'object', '{"a":1}'],
      ['A', 'array', '[1,2]'],
      ['BIN', 'binary', 'DEADBEEF'],
    ];
    for (const [name, type, value] of expected) {
      expect({ name, type: byName[name]!.column.type, value: byName[name]!.value }).toEqual({ name, type, value });
    }
    expect(byName.N!.column).toMatchObject({ precision: 10, scale: 2 });
    expect(byName.S!.column).toMatchObject({ length: 16777216, byteLength: 16777216 });
    expect(byName.NTZ!.column).toMatchObject({ precision: 0, scale: 9 });
  });

  it('sends SQL NULL as null for every column', async () => {
    const outcome = await db.run('SELECT * FROM ALL_TYPES WHERE N IS NULL');
    expect(outcome.rows).toHaveLength(1);
    expect(outcome.rows[0]!.every((value) => value === null)).toBe(true);
  });

  it('encodes timestamps before 1970 as one signed decimal', async () => {
    expect(await db.value("SELECT '1969-12-31 23:59:59.5'::TIMESTAMP_NTZ")).toBe('-0.500000000');
    expect(await db.value("SELECT '1969-12-31'::DATE")).toBe('-1');
  });

  it('gives expressions Snowflake types: integer literals are fixed, divisions stay exact enough, false is 0', async () => {
    const outcome = await db.run("SELECT 1, 7 / 2, 2 > 3, 'NaN'::FLOAT");
    expect(outcome.columns.map((c) => c.type)).toEqual(['fixed', 'real', 'boolean', 'real']);
    expect(outcome.rows[0]).toEqual(['1', '3.5', '0', 'NaN']);
  });

  it('keeps VARIANT strings, numbers and objects apart when cast and compared', async () => {
    const rows = await db.rows(`SELECT V:k[1]::STRING AS S, V:k[0]::INT + 1 AS N, V:k[2] AS J, V:missing AS M, TYPEOF(V:k) AS T, V:k[1] = 'x' AS EQ FROM ALL_TYPES WHERE N IS NOT NULL`);
    // A JSON null inside a VARIANT is a value (the text null), a missing key is SQL NULL.
    expect(rows).toEqual([{ S: 'x', N: '2', J: 'null', M: null, T: 'ARRAY', EQ: '1' }]);
    const [nulls] = await db.rows(`SELECT V:k[2] IS NULL AS JSON_NULL_IS_NULL, V:missing IS NULL AS MISSING_IS_NULL, TYPEOF(V:k[2]) AS T_NULL,
      TYPEOF(V:missing) AS T_MISSING, IS_NULL_VALUE(V:k[2]) AS NULL_VALUE, V:k[2]::STRING AS AS_TEXT FROM ALL_TYPES WHERE N IS NOT NULL`);
    expect(nulls).toEqual({ JSON_NULL_IS_NULL: '0', MISSING_IS_NULL: '1', T_NULL: 'NULL_VALUE', T_MISSING: null, NULL_VALUE: '1', AS_TEXT: null });
  });

  it('describes columns without running the query (describeOnly)', async () => {
    const outcome = await db.engine.execute(db.session, { sql: 'SELECT N, S, NTZ FROM ALL_TYPES', queryId: crypto.randomUUID(), describeOnly: true }, new AbortController().signal);
    expect(outcome.rows).toEqual([]);
    expect(outcome.columns.map((c) => [c.name, c.type])).toEqual([['N', 'fixed'], ['S', 'text'], ['NTZ', 'timestamp_ntz']]);
  });
});

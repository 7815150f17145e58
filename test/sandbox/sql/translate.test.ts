import { describe, expect, it } from 'vitest';
import { strftimeFormat, Translator, type QueryEnvironment, type TimeTravel } from '../../../src/sandbox/sql/translate.js';

/** A translator environment that names tables `phys_<NAME>` and records what it was asked. */
function fakeEnvironment() {
  const asked: { relations: string[]; travels: TimeTravel[]; targets: string[] } = { relations: [], travels: [], targets: [] };
  const env: QueryEnvironment = {
    relation: (name, travel) => {
      const full = name.parts.map((p) => p.name).join('.');
      asked.relations.push(full);
      if (travel) asked.travels.push(travel);
      return `phys_${name.parts.map((p) => p.name).join('_')}`;
    },
    target: (name) => {
      asked.targets.push(name.parts.map((p) => p.name).join('.'));
      return { sql: 'data.t1', columns: ['"ID"', '"NAME"'], alias: name.parts[name.parts.length - 1]!.name };
    },
    tableFunction: (name, args) => `tf_${name.join('_')}(${args.map((a) => `${a.name ?? ''}=${a.sql}`).join(';')})`,
    variable: (name) => ({ sql: `'v_${name}'`, text: name === 'TBL' ? 'db.s."Mixed"' : `v_${name}` }),
    bind: (index) => ({ sql: `'b${index}'`, text: `b${index}` }),
    engineFunction: (name) => (name === 'CURRENT_ROLE' ? "'ROLE_X'" : name === 'LAST_QUERY_ID' ? "'qid'" : undefined),
    sequence: (name) => `nextval('${name.parts.map((p) => p.name).join('.')}')`,
  };
  return { env, asked };
}

function translate(sql: string) {
  const { env, asked } = fakeEnvironment();
  const translator = new Translator(sql, env);
  return { sql: translator.query(translator.tree(), true), asked };
}

describe('query translation', () => {
  it('upper-cases names, keeps quoted ones and gives unaliased expressions Snowflake column names', () => {
    const { sql } = translate('select id, "Name", count(*), amount * 2 total from orders');
    expect(sql).toBe('SELECT ID, "Name", count(*) AS "COUNT(*)", AMOUNT * 2 AS "TOTAL" FROM phys_ORDERS AS "ORDERS"');
  });

  it('hands every table in FROM and JOIN to the environment with its qualification', () => {
    const { asked } = translate('select * from a join db.s.b on a.id = b.id, s2.c where exists (select 1 from d)');
    expect(asked.relations).toEqual(['A', 'DB.S.B', 'S2.C', 'D']);
  });

  it('keeps CTE names away from the catalog', () => {
    const { sql, asked } = translate('with recent as (select * from orders) select * from recent r');
    expect(asked.relations).toEqual(['ORDERS']);
    expect(sql).toContain('FROM "RECENT" AS "R"');
  });

  it('passes AT and BEFORE clauses with their translated point', () => {
    const { asked } = translate("select * from t before(statement => '01ab'), u at(offset => -60*5)");
    expect(asked.travels.map((t) => [t.mode, t.kind, t.sql])).toEqual([
      ['BEFORE', 'STATEMENT', "'01ab'"],
      ['AT', 'OFFSET', '- 60 * 5'],
    ]);
  });

  it('rewrites TOP into LIMIT and MINUS into EXCEPT', () => {
    expect(translate('select top 3 a from t order by a').sql).toMatch(/ORDER BY A LIMIT 3$/);
    expect(translate('select a from t minus select a from u').sql).toContain(' EXCEPT SELECT ');
  });

  it('turns `:` paths into VARIANT steps: case-sensitive keys, 0-based indexes', () => {
    const { sql } = translate('select v:Customer.items[0]::string as sku from t');
    expect(sql).toContain("sf_to_varchar(variant_extract(CAST(variant_extract(CAST(variant_extract(CAST(V AS VARIANT), 'Customer') AS VARIANT), 'items') AS VARIANT), CAST(1 AS UINTEGER)))");
  });

  it('rewrites Snowflake functions whose arguments need reshaping', () => {
    const { sql } = translate("select dateadd(day, -7, d), datediff('hour', a, b), listagg(n, ', ') within group (order by n), iff(x > 0, 'p', 'n'), decode(s, 1, 'one', 'other') from t");
    expect(sql).toContain('sf_dateadd_day(- 7, D)');
    expect(sql).toContain("sf_datediff('hour', A, B)");
    expect(sql).toContain("string_agg(CAST(N AS VARCHAR), ', ' ORDER BY N)");
    expect(sql).toContain("CASE WHEN X > 0 THEN 'p' ELSE 'n' END");
    expect(sql).toContain("CASE WHEN S IS NOT DISTINCT FROM 1 THEN 'one' ELSE 'other' END");
  });

  it('guards division so that dividing by zero fails as in Snowflake', () => {
    expect(translate('select a / (b - 1) from t').sql).toContain('A / sf_nz((B - 1))');
  });

  it('expands GENERATOR and SEQ4, and table functions go to the environment', () => {
    const { sql } = translate('select seq4() from table(generator(rowcount => 10)) g, table(result_scan(last_query_id()))');
    expect(sql).toContain('(row_number() OVER () - 1)');
    expect(sql).toContain('range(CAST(10 AS BIGINT))');
    expect(sql).toContain("tf_RESULT_SCAN(='qid')");
  });

  it('substitutes variables, binds and engine functions; IDENTIFIER($x) names a table', () => {
    const { sql, asked } = translate('select $x, ?, :3, current_role() from identifier($tbl)');
    expect(sql).toContain("'v_X' AS \"$X\"");
    expect(sql).toContain("'b1' AS \"?\"");
    expect(sql).toContain("'b3' AS \":3\"");
    expect(sql).toContain("'ROLE_X'");
    expect(asked.relations).toEqual(['DB.S.Mixed']);
  });

  it('translates casts to Snowflake types through DuckDB types', () => {
    const { sql } = translate("select '1.5'::number(10,2), x::timestamp_ltz, y::variant, try_cast(z as int) from t");
    expect(sql).toContain("CAST(sf_numeric_text('1.5') AS DECIMAL(10,2))");
    expect(sql).toContain('CAST(sf_tz_text(X) AS TIMESTAMPTZ)');
    expect(sql).toContain('CAST(Y AS VARIANT)');
    expect(sql).toContain('TRY_CAST(sf_numeric_text(Z) AS DECIMAL(38,0))');
  });

  it('reads sequences written seq.NEXTVAL', () => {
    expect(translate('select s.ids.nextval').sql).toContain("nextval('S.IDS')");
  });
});

describe('DML translation', () => {
  it('INSERT without a column list names every column of the target', () => {
    const { env, asked } = fakeEnvironment();
    const insert = new Translator('insert into db.s.t values (1, ?)', env).insert();
    expect(insert.sql).toBe('INSERT INTO data.t1 ("ID", "NAME") VALUES (1 , \'b1\')');
    expect(asked.targets).toEqual(['DB.S.T']);
  });

  it('UPDATE and MERGE drop qualifiers from SET targets', () => {
    const { env } = fakeEnvironment();
    expect(new Translator('update t x set x.name = upper(name) where id = 1', env).update().sql).toBe(
      'UPDATE data.t1 AS "X" SET "NAME" = upper("NAME") WHERE ID = 1',
    );
    const merge = new Translator(
      "merge into t using s on t.id = s.id when matched and s.a = 'DELETE' then delete when matched then update set t.name = s.name when not matched then insert values (s.id, s.name)",
      env,
    ).merge().sql;
    expect(merge).toContain('WHEN MATCHED AND S.A = \'DELETE\' THEN DELETE');
    expect(merge).toContain('UPDATE SET "NAME" = S."NAME"');
    expect(merge).toContain('INSERT ("ID", "NAME") VALUES (S.ID , S."NAME")');
  });
});

describe('format strings', () => {
  it('converts Snowflake date formats to strftime', () => {
    expect(strftimeFormat('YYYY-MM-DD HH24:MI:SS.FF3')).toBe('%Y-%m-%d %H:%M:%S.%g');
    expect(strftimeFormat('DD/MM/YY "at" HH12 AM')).toBe('%d/%m/%y at %I %p');
  });
});

// The examples in docs/environments.md are read by the code they document, so the page cannot
// drift from what baton accepts.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEnvironments } from '../../src/config/environments.js';
import { readConnections, resolveConnection } from '../../src/config/connections.js';
import { authenticatorOf } from '../../src/config/credentials.js';
import { classifySql } from '../../src/sql/classify.js';

const page = await readFile(path.resolve('docs/environments.md'), 'utf8');
const blocks = (lang: string) => [...page.matchAll(new RegExp('```' + lang + '[^\\n]*\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);

describe('docs/environments.md', () => {
  it('shows a baton.yaml that baton accepts as written', () => {
    const [yaml] = blocks('yaml');
    const config = parseEnvironments(yaml!, 'docs/environments.md');
    expect(config.problems).toEqual([]);
    expect(config.environments.map((e) => [e.name, e.protected, e.connection])).toEqual([
      ['sandbox', false, 'sandbox'],
      ['staging', false, 'staging_etl'],
      ['prod', true, 'prod_etl'],
    ]);
  });

  it('shows connections.toml examples with the login method each says', async () => {
    const [toml] = blocks('toml');
    const catalog = await readConnections({ env: { SNOWFLAKE_CONNECTIONS: toml! } });
    expect(catalog.problems).toEqual([]);
    const methods = [...catalog.defined.keys()].map((name) => [name, authenticatorOf(resolveConnection(catalog, name))]);
    expect(methods).toEqual([
      ['prod_etl', 'SNOWFLAKE_JWT'],
      ['dev', 'SNOWFLAKE'],
      ['oauth_ops', 'OAUTH'],
      ['pat_ops', 'PROGRAMMATIC_ACCESS_TOKEN'],
      ['sso', 'EXTERNALBROWSER'],
    ]);
  });

  it('shows a SQL action example the guard reads as a read', () => {
    for (const sql of blocks('sql')) expect(classifySql(sql).level).toBe('read');
  });
});

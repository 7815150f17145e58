import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  configDirectory,
  connectionNames,
  ConnectionError,
  readConnections,
  resolveConnection,
  type ConnectionSearch,
} from '../../src/config/connections.js';

async function home(files: Record<string, string> = {}, mode = 0o600): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'baton-conn-'));
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
    await chmod(file, mode);
  }
  return dir;
}

const CONNECTIONS = `
[prod_etl]
account = "acme-prod"
user = "SVC_ETL"
authenticator = "SNOWFLAKE_JWT"
private_key_file = "~/keys/etl.p8"
role = "FR_ETL"

[default]
account = "acme-dev"
user = "ME"
password = "dev-password"
`;

describe('where connections are read from', () => {
  it('follows SNOWFLAKE_HOME, then ~/.snowflake, then the XDG folder', async () => {
    const dir = await home();
    expect(configDirectory({ home: dir, env: { SNOWFLAKE_HOME: '~/sf' } })).toBe(path.join(dir, 'sf'));
    expect(configDirectory({ home: dir, env: {}, platform: 'linux' })).toBe(path.join(dir, '.config', 'snowflake'));
    expect(configDirectory({ home: dir, env: { XDG_CONFIG_HOME: '/xdg' }, platform: 'linux' })).toBe('/xdg/snowflake');
    expect(configDirectory({ home: dir, env: {}, platform: 'darwin' })).toBe(path.join(dir, 'Library', 'Application Support', 'snowflake'));
    await mkdir(path.join(dir, '.snowflake'));
    expect(configDirectory({ home: dir, env: {}, platform: 'linux' })).toBe(path.join(dir, '.snowflake'));
    expect(configDirectory({ home: dir, env: {}, configFile: '/etc/sf/config.toml' })).toBe('/etc/sf');
  });

  it('uses connections.toml instead of the connections in config.toml, and says so', async () => {
    const dir = await home({
      '.snowflake/connections.toml': CONNECTIONS,
      '.snowflake/config.toml': 'default_connection_name = "prod_etl"\n[connections.old]\naccount = "x"\n',
    });
    const catalog = await readConnections({ home: dir, env: {} });
    expect([...catalog.defined.keys()]).toEqual(['prod_etl', 'default']);
    expect(catalog.defaultName).toBe('prod_etl');
    expect(catalog.warnings.join('\n')).toMatch(/\[connections\.\*\] tables \(old\) are ignored/);
  });

  it('reads [connections.NAME] from config.toml when there is no connections.toml', async () => {
    const dir = await home({ '.snowflake/config.toml': '[connections.dev]\naccount = "acme-dev"\nuser = "ME"\n' });
    const catalog = await readConnections({ home: dir, env: {} });
    expect(resolveConnection(catalog, 'dev').settings).toEqual({ account: 'acme-dev', user: 'ME' });
  });

  it('warns when a credentials file is readable by others, unless told not to', async () => {
    const dir = await home({ '.snowflake/connections.toml': CONNECTIONS }, 0o644);
    const loose = await readConnections({ home: dir, env: {} });
    expect(loose.warnings.join('\n')).toMatch(/connections\.toml can be read or changed by other users \(mode 0644\).*chmod 0600/);
    const quiet = await readConnections({ home: dir, env: { SF_SKIP_WARNING_FOR_READ_PERMISSIONS_ON_CONFIG_FILE: 'true' } });
    expect(quiet.warnings).toEqual([]);
    const tight = await readConnections({ home: await home({ '.snowflake/connections.toml': CONNECTIONS }), env: {} });
    expect(tight.warnings).toEqual([]);
  });

  it('reports a broken TOML file with its line', async () => {
    const dir = await home({ '.snowflake/connections.toml': '[prod]\naccount = "acme\n' });
    const catalog = await readConnections({ home: dir, env: {} });
    expect(catalog.problems).toEqual([expect.objectContaining({ file: path.join(dir, '.snowflake', 'connections.toml'), line: 2 })]);
  });

  it('reads a whole TOML document from SNOWFLAKE_CONNECTIONS', async () => {
    const catalog = await readConnections({ home: await home(), env: { SNOWFLAKE_CONNECTIONS: '[ci]\naccount = "acme-ci"\n' } });
    expect(resolveConnection(catalog, 'ci')).toMatchObject({ settings: { account: 'acme-ci' }, definedIn: '$SNOWFLAKE_CONNECTIONS' });
  });
});

describe('which values win', () => {
  const search = async (env: Record<string, string>): Promise<ConnectionSearch> => ({
    home: await home({ '.snowflake/connections.toml': CONNECTIONS }),
    env,
  });

  it('SNOWFLAKE_CONNECTIONS_<NAME>_<KEY> beats the file, which beats SNOWFLAKE_<KEY>', async () => {
    const catalog = await readConnections(
      await search({
        SNOWFLAKE_CONNECTIONS_PROD_ETL_ROLE: 'FR_OPS',
        SNOWFLAKE_ROLE: 'PUBLIC',
        SNOWFLAKE_WAREHOUSE: 'WH_GENERIC',
        SNOWSQL_WAREHOUSE: 'WH_SNOWSQL',
        PRIVATE_KEY_PASSPHRASE: 'from-env',
      }),
    );
    const prod = resolveConnection(catalog, 'prod_etl');
    expect(prod.settings).toMatchObject({ role: 'FR_OPS', warehouse: 'WH_GENERIC', account: 'acme-prod', private_key_passphrase: 'from-env' });
    expect(prod.origins).toMatchObject({
      role: '$SNOWFLAKE_CONNECTIONS_PROD_ETL_ROLE',
      warehouse: '$SNOWFLAKE_WAREHOUSE',
      account: expect.stringMatching(/connections\.toml$/),
    });
  });

  it('takes SNOWSQL_PWD as the password when nothing else sets one', async () => {
    const catalog = await readConnections(await search({ SNOWSQL_PWD: 'pw' }));
    expect(resolveConnection(catalog, 'prod_etl').settings.password).toBe('pw');
    expect(resolveConnection(catalog, 'default').settings.password).toBe('dev-password');
  });

  it('picks the default from SNOWFLAKE_DEFAULT_CONNECTION_NAME, then the connection named default', async () => {
    expect(resolveConnection(await readConnections(await search({}))).name).toBe('default');
    const chosen = await readConnections(await search({ SNOWFLAKE_DEFAULT_CONNECTION_NAME: 'prod_etl' }));
    expect(resolveConnection(chosen).name).toBe('prod_etl');
    expect(chosen.defaultFrom).toBe('$SNOWFLAKE_DEFAULT_CONNECTION_NAME');
  });

  it('defines a connection from variables alone, for CI', async () => {
    const catalog = await readConnections(await search({ SNOWFLAKE_CONNECTIONS_CI_RUNNER_ACCOUNT: 'acme-ci', SNOWFLAKE_CONNECTIONS_CI_RUNNER_PRIVATE_KEY_FILE: '/k.p8' }));
    expect(connectionNames(catalog)).toContain('ci_runner');
    expect(resolveConnection(catalog, 'ci_runner')).toMatchObject({
      settings: { account: 'acme-ci', private_key_file: '/k.p8' },
      definedIn: 'environment variables',
    });
  });

  it('names the known connections when asked for an unknown one', async () => {
    const catalog = await readConnections(await search({}));
    expect(() => resolveConnection(catalog, 'prod-etl')).toThrow(ConnectionError);
    expect(() => resolveConnection(catalog, 'prod_elt')).toThrow(/unknown connection "prod_elt" \(did you mean prod_etl\?\); known: prod_etl, default, sandbox/);
  });

  it('has a built-in sandbox connection that ignores the generic variables meant for another account', async () => {
    const catalog = await readConnections(await search({ SNOWFLAKE_ACCOUNT: 'acme-prod', SNOWFLAKE_USER: 'JDOE', SNOWFLAKE_PASSWORD: 'x' }));
    const sandbox = resolveConnection(catalog, 'sandbox');
    expect(sandbox).toMatchObject({ builtInSandbox: true, settings: { account: 'sandbox', user: 'OPERATOR', password: 'sandbox', role: 'ACCOUNTADMIN' } });
  });

  it('logs in to the sandbox as the user the generic variables name, with its own key and default role', async () => {
    const catalog = await readConnections(
      await search({ SNOWFLAKE_USER: 'SVC_SALES_DW_ETL', SNOWFLAKE_AUTHENTICATOR: 'SNOWFLAKE_JWT', SNOWFLAKE_PRIVATE_KEY_FILE: '/keys/svc.p8', SNOWFLAKE_HOST: 'elsewhere.example.com' }),
    );
    const sandbox = resolveConnection(catalog, 'sandbox');
    expect(sandbox.builtInSandbox).toBe(true);
    expect(sandbox.settings).toEqual({ account: 'sandbox', user: 'SVC_SALES_DW_ETL', authenticator: 'SNOWFLAKE_JWT', private_key_file: '/keys/svc.p8' });
    expect(sandbox.origins).toMatchObject({ user: '$SNOWFLAKE_USER', private_key_file: '$SNOWFLAKE_PRIVATE_KEY_FILE', account: 'built-in' });
  });

  it('lets SNOWFLAKE_CONNECTIONS_SANDBOX_<KEY> change the sandbox login whatever the generic account', async () => {
    const catalog = await readConnections(await search({ SNOWFLAKE_ACCOUNT: 'acme-prod', SNOWFLAKE_CONNECTIONS_SANDBOX_ROLE: 'SYSADMIN', SNOWFLAKE_CONNECTIONS_SANDBOX_PORT: '1' }));
    const sandbox = resolveConnection(catalog, 'sandbox');
    expect(sandbox).toMatchObject({ builtInSandbox: true, settings: { account: 'sandbox', user: 'OPERATOR', role: 'SYSADMIN' } });
    expect(sandbox.settings.port).toBeUndefined();
  });
});

// Snowflake connections found the way the Snowflake CLI and connectors find them, so an engineer's
// existing `~/.snowflake/connections.toml` and SNOWFLAKE_* variables work unchanged:
//   files:      --config-file, else $SNOWFLAKE_HOME, else ~/.snowflake if it exists, else the OS
//               default (~/.config/snowflake, ~/Library/Application Support/snowflake, …);
//               connections.toml there replaces the [connections.*] tables of config.toml.
//   precedence: SNOWFLAKE_CONNECTIONS_<NAME>_<KEY> → the connection in the files → SNOWFLAKE_<KEY>
//               (then SNOWSQL_<KEY>, with SNOWSQL_PWD for the password).
//   default:    $SNOWFLAKE_DEFAULT_CONNECTION_NAME → default_connection_name in config.toml → `default`.
// Values are kept as the TOML keys (snake_case); credentials.ts maps them to driver options.
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse as parseToml, TomlError } from 'smol-toml';
import type { Problem } from '../runbook/model.js';
import { closestName } from '../runbook/template.js';
import { SANDBOX_DEFAULTS } from '../sandbox/engine-api.js';

/** A setting as TOML can hold it. */
export type SettingValue = string | number | boolean;

/** Connection keys baton reads from files and variables, in the Snowflake CLI's spelling. */
export const CONNECTION_KEYS = [
  'account',
  'user',
  'password',
  'authenticator',
  'role',
  'warehouse',
  'database',
  'schema',
  'host',
  'port',
  'protocol',
  'region',
  'private_key_file',
  'private_key_path',
  'private_key_file_pwd',
  'private_key_passphrase',
  'token',
  'token_file_path',
  'passcode',
  'passcode_in_password',
  'client_session_keep_alive',
  'login_timeout',
  'oauth_client_id',
  'oauth_client_secret',
  'oauth_authorization_url',
  'oauth_token_request_url',
  'oauth_redirect_uri',
  'oauth_scope',
] as const;

/** Keys whose values are credentials: never printed, never stored. */
export const SECRET_KEYS: ReadonlySet<string> = new Set([
  'password',
  'private_key_file_pwd',
  'private_key_passphrase',
  'token',
  'passcode',
  'oauth_client_secret',
]);

/** Name of the connection that reaches the local sandbox without any file. */
export const SANDBOX_CONNECTION = 'sandbox';

/** One connection with every override applied; `origins` says where each setting came from. */
export interface Connection {
  name: string;
  settings: Record<string, SettingValue>;
  /** Setting → the file or variable it came from (`~/.snowflake/connections.toml`, `$SNOWFLAKE_USER`). */
  origins: Record<string, string>;
  /** Where the connection itself is defined: a file, `environment variables` or `built-in`. */
  definedIn: string;
  /** The built-in sandbox connection: the URL comes from the running sandbox. */
  builtInSandbox?: boolean;
}

/** Everything found in the Snowflake configuration folder and the environment. */
export interface ConnectionCatalog {
  /** The configuration folder searched. */
  directory: string;
  /** Files read, in the order read. */
  files: string[];
  /** Connections defined in files, by name, before variable overrides. */
  defined: Map<string, { settings: Record<string, SettingValue>; file: string }>;
  /** The default connection's name, and what chose it. */
  defaultName?: string;
  defaultFrom?: string;
  /** Non-fatal findings: loose file permissions, ignored tables. */
  warnings: string[];
  /** Files that could not be parsed, with line and column. */
  problems: Problem[];
  /** The environment the catalog was read with (overrides are applied from it). */
  env: Readonly<Record<string, string | undefined>>;
}

/** A connection problem the operator can act on; the message says what to do. */
export class ConnectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectionError';
  }
}

/** Where to look; all optional, for tests and `--config-file`. */
export interface ConnectionSearch {
  env?: Readonly<Record<string, string | undefined>>;
  home?: string;
  platform?: NodeJS.Platform;
  /** An explicit config.toml (the CLI's --config-file); connections.toml is read beside it. */
  configFile?: string;
}

/** The folder holding config.toml and connections.toml, by the Snowflake CLI's rules. */
export function configDirectory(search: ConnectionSearch = {}): string {
  const env = search.env ?? process.env;
  const home = search.home ?? os.homedir();
  if (search.configFile) return path.dirname(expandHome(search.configFile, home));
  if (env.SNOWFLAKE_HOME) return expandHome(env.SNOWFLAKE_HOME, home);
  const dotSnowflake = path.join(home, '.snowflake');
  if (existsSync(dotSnowflake)) return dotSnowflake;
  switch (search.platform ?? process.platform) {
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', 'snowflake');
    case 'win32':
      return path.join(env.USERPROFILE ?? home, 'AppData', 'Local', 'snowflake');
    default:
      return path.join(env.XDG_CONFIG_HOME ? expandHome(env.XDG_CONFIG_HOME, home) : path.join(home, '.config'), 'snowflake');
  }
}

/** Read config.toml, connections.toml and SNOWFLAKE_CONNECTIONS. Never throws for bad files. */
export async function readConnections(search: ConnectionSearch = {}): Promise<ConnectionCatalog> {
  const env = search.env ?? process.env;
  const home = search.home ?? os.homedir();
  const directory = configDirectory(search);
  const catalog: ConnectionCatalog = { directory, files: [], defined: new Map(), warnings: [], problems: [], env };
  const configPath = search.configFile ? expandHome(search.configFile, home) : path.join(directory, 'config.toml');
  const connectionsPath = path.join(directory, 'connections.toml');

  const config = await readToml(configPath, catalog);
  const fromConfig = new Map<string, Record<string, SettingValue>>();
  if (config) {
    const section = config.connections;
    if (isTable(section)) {
      for (const [name, table] of Object.entries(section)) {
        if (isTable(table)) fromConfig.set(name, settingsOf(table, `${configPath} [connections.${name}]`, catalog));
      }
    }
    if (typeof config.default_connection_name === 'string') {
      catalog.defaultName = config.default_connection_name;
      catalog.defaultFrom = `default_connection_name in ${configPath}`;
    }
  }

  const fromConnections = new Map<string, Record<string, SettingValue>>();
  let connectionsSource = connectionsPath;
  const inline = env.SNOWFLAKE_CONNECTIONS;
  const document = inline !== undefined ? parseInline(inline, catalog) : await readToml(connectionsPath, catalog);
  if (inline !== undefined) connectionsSource = '$SNOWFLAKE_CONNECTIONS';
  if (document) {
    for (const [name, table] of Object.entries(document)) {
      if (isTable(table)) fromConnections.set(name, settingsOf(table, `${connectionsSource} [${name}]`, catalog));
      else catalog.warnings.push(`${connectionsSource}: top-level key "${name}" ignored (connections are tables like [${name}]; default_connection_name belongs in config.toml)`);
    }
  }

  // The Snowflake CLI uses connections.toml instead of config.toml's connections when it has any.
  if (fromConnections.size > 0) {
    for (const [name, settings] of fromConnections) catalog.defined.set(name, { settings, file: connectionsSource });
    if (fromConfig.size > 0) {
      catalog.warnings.push(
        `${configPath}: its [connections.*] tables (${[...fromConfig.keys()].join(', ')}) are ignored because ${connectionsSource} defines connections`,
      );
    }
  } else {
    for (const [name, settings] of fromConfig) catalog.defined.set(name, { settings, file: configPath });
  }

  if (env.SNOWFLAKE_DEFAULT_CONNECTION_NAME) {
    catalog.defaultName = env.SNOWFLAKE_DEFAULT_CONNECTION_NAME;
    catalog.defaultFrom = '$SNOWFLAKE_DEFAULT_CONNECTION_NAME';
  } else if (!catalog.defaultName && catalog.defined.has('default')) {
    catalog.defaultName = 'default';
    catalog.defaultFrom = 'the connection named default';
  }
  return catalog;
}

/** Every connection name baton can use: defined in files, defined by variables alone, and `sandbox`. */
export function connectionNames(catalog: ConnectionCatalog): string[] {
  const names = new Set(catalog.defined.keys());
  for (const name of namesFromVariables(catalog.env)) {
    if (![...names].some((known) => variableName(known) === variableName(name))) names.add(name);
  }
  names.add(SANDBOX_CONNECTION);
  return [...names];
}

/**
 * The connection called `name` (the default connection when omitted) with its overrides applied.
 * Throws {@link ConnectionError} naming the known connections when there is no such connection.
 */
export function resolveConnection(catalog: ConnectionCatalog, name?: string): Connection {
  const wanted = name ?? catalog.defaultName;
  if (!wanted) {
    throw new ConnectionError(
      `no connection named and no default connection: set default_connection_name in ${path.join(catalog.directory, 'config.toml')}, ` +
        `or $SNOWFLAKE_DEFAULT_CONNECTION_NAME, or name one (known: ${connectionNames(catalog).join(', ')})`,
    );
  }
  const defined = catalog.defined.get(wanted);
  const scoped = scopedVariables(catalog.env, wanted);
  if (!defined && wanted === SANDBOX_CONNECTION) return builtInSandbox(catalog.env);
  if (!defined && Object.keys(scoped).length === 0) {
    const known = connectionNames(catalog);
    const hint = closestName(wanted, known);
    const files = catalog.files.length ? catalog.files.join(', ') : `no connections.toml or config.toml in ${catalog.directory}`;
    throw new ConnectionError(
      `unknown connection "${wanted}"${hint ? ` (did you mean ${hint}?)` : ''}; known: ${known.join(', ')} (read: ${files})`,
    );
  }

  const settings: Record<string, SettingValue> = {};
  const origins: Record<string, string> = {};
  const put = (key: string, value: SettingValue, origin: string) => {
    settings[key] = value;
    origins[key] = origin;
  };
  // Lowest first, so later sources win.
  for (const [key, { value, origin }] of Object.entries(genericVariables(catalog.env))) put(key, value, origin);
  for (const [key, value] of Object.entries(defined?.settings ?? {})) put(key, value, defined!.file);
  for (const [key, { value, origin }] of Object.entries(scoped)) put(key, value, origin);
  if (catalog.env.PRIVATE_KEY_PASSPHRASE) put('private_key_passphrase', catalog.env.PRIVATE_KEY_PASSPHRASE, '$PRIVATE_KEY_PASSPHRASE');
  return { name: wanted, settings, origins, definedIn: defined?.file ?? 'environment variables' };
}

/** Settings of the built-in sandbox connection that variables can change: the login, never the address. */
const SANDBOX_LOGIN_KEYS: ReadonlySet<string> = new Set(CONNECTION_KEYS.filter((key) => !['account', 'host', 'port', 'protocol', 'region'].includes(key)));

/**
 * The built-in connection to the local sandbox: its documented login, changed by
 * SNOWFLAKE_CONNECTIONS_SANDBOX_<KEY>, and by SNOWFLAKE_<KEY> unless $SNOWFLAKE_ACCOUNT names
 * another account (those variables are meant for it). Naming another user drops the built-in
 * password and role, so that user logs in with its own credentials and default role — a key-pair
 * service user with SNOWFLAKE_USER, SNOWFLAKE_AUTHENTICATOR=SNOWFLAKE_JWT and SNOWFLAKE_PRIVATE_KEY_FILE.
 */
export function builtInSandbox(env: Readonly<Record<string, string | undefined>> = {}): Connection {
  const settings: Record<string, SettingValue> = {
    account: SANDBOX_DEFAULTS.account,
    user: SANDBOX_DEFAULTS.user,
    password: SANDBOX_DEFAULTS.password,
    role: SANDBOX_DEFAULTS.role,
  };
  const origins: Record<string, string> = Object.fromEntries(Object.keys(settings).map((key) => [key, 'built-in']));
  const account = env.SNOWFLAKE_ACCOUNT || env.SNOWSQL_ACCOUNT;
  const generic = !account || account.toLowerCase() === SANDBOX_DEFAULTS.account ? genericVariables(env) : {};
  const overrides = Object.entries({ ...generic, ...scopedVariables(env, SANDBOX_CONNECTION) }).filter(([key]) => SANDBOX_LOGIN_KEYS.has(key));
  const user = overrides.find(([key]) => key === 'user')?.[1].value;
  if (user !== undefined && user.toUpperCase() !== SANDBOX_DEFAULTS.user) {
    for (const key of ['password', 'role']) {
      delete settings[key];
      delete origins[key];
    }
  }
  for (const [key, { value, origin }] of overrides) {
    settings[key] = value;
    origins[key] = origin;
  }
  return { name: SANDBOX_CONNECTION, settings, origins, definedIn: 'built-in', builtInSandbox: true };
}

/** `~/x` → `<home>/x`, as the Snowflake CLI expands paths in its files. */
export function expandHome(file: string, home = os.homedir()): string {
  if (file === '~') return home;
  if (file.startsWith('~/') || file.startsWith('~\\')) return path.join(home, file.slice(2));
  return file;
}

type Table = Record<string, unknown>;

function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

async function readToml(file: string, catalog: ConnectionCatalog): Promise<Table | undefined> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    catalog.problems.push({ file, line: 1, column: 1, message: `cannot read: ${(error as Error).message}`, severity: 'error' });
    return undefined;
  }
  catalog.files.push(file);
  await checkPermissions(file, catalog);
  try {
    return parseToml(source) as Table;
  } catch (error) {
    const e = error as TomlError;
    const message = String(e.message).split('\n')[0]!.replace(/^Invalid TOML document: /, '');
    catalog.problems.push({ file, line: e.line ?? 1, column: e.column ?? 1, message: `TOML: ${message}`, severity: 'error' });
    return undefined;
  }
}

function parseInline(source: string, catalog: ConnectionCatalog): Table | undefined {
  try {
    return parseToml(source) as Table;
  } catch (error) {
    const e = error as TomlError;
    catalog.problems.push({
      file: '$SNOWFLAKE_CONNECTIONS',
      line: e.line ?? 1,
      column: e.column ?? 1,
      message: `TOML: ${String(e.message).split('\n')[0]}`,
      severity: 'error',
    });
    return undefined;
  }
}

/** The Snowflake CLI refuses, and the connectors warn about, credential files others can read. */
async function checkPermissions(file: string, catalog: ConnectionCatalog): Promise<void> {
  if (process.platform === 'win32') return;
  if (catalog.env.SF_SKIP_WARNING_FOR_READ_PERMISSIONS_ON_CONFIG_FILE?.toLowerCase() === 'true') return;
  const info = await stat(file);
  const loose = info.mode & 0o077;
  if (loose !== 0) {
    const who = loose & 0o007 ? 'other users' : 'your group';
    catalog.warnings.push(
      `${file} can be read or changed by ${who} (mode ${(info.mode & 0o777).toString(8).padStart(4, '0')}); it may hold credentials: run chmod 0600 ${file}`,
    );
  }
  if (typeof process.getuid === 'function' && info.uid !== process.getuid()) {
    catalog.warnings.push(`${file} belongs to another user (uid ${info.uid}); credentials files should be your own`);
  }
}

function settingsOf(table: Table, where: string, catalog: ConnectionCatalog): Record<string, SettingValue> {
  const settings: Record<string, SettingValue> = {};
  for (const [key, value] of Object.entries(table)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      settings[key] = value;
      if (!(CONNECTION_KEYS as readonly string[]).includes(key)) {
        const hint = closestName(key, CONNECTION_KEYS);
        catalog.warnings.push(`${where}: key "${key}" is not used by baton${hint ? ` (did you mean ${hint}?)` : ''}`);
      }
    } else {
      catalog.warnings.push(`${where}: key "${key}" ignored (a connection setting is text, a number or true/false)`);
    }
  }
  return settings;
}

/** How a connection name is spelt inside a variable name: upper case, `-` and `.` as `_`. */
function variableName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

const KEYS_LONGEST_FIRST = [...CONNECTION_KEYS].sort((a, b) => b.length - a.length);

/** SNOWFLAKE_CONNECTIONS_<NAME>_<KEY> for this connection name. */
function scopedVariables(env: ConnectionCatalog['env'], name: string): Record<string, { value: string; origin: string }> {
  const prefix = `SNOWFLAKE_CONNECTIONS_${variableName(name)}_`;
  const found: Record<string, { value: string; origin: string }> = {};
  for (const [variable, value] of Object.entries(env)) {
    if (value === undefined || !variable.startsWith(prefix)) continue;
    const key = variable.slice(prefix.length).toLowerCase();
    if ((CONNECTION_KEYS as readonly string[]).includes(key)) found[key] = { value, origin: `$${variable}` };
  }
  return found;
}

/** Connection names that only exist as SNOWFLAKE_CONNECTIONS_<NAME>_<KEY> variables. */
function namesFromVariables(env: ConnectionCatalog['env']): string[] {
  const names = new Set<string>();
  for (const variable of Object.keys(env)) {
    if (!variable.startsWith('SNOWFLAKE_CONNECTIONS_')) continue;
    const rest = variable.slice('SNOWFLAKE_CONNECTIONS_'.length);
    const key = KEYS_LONGEST_FIRST.find((k) => rest.endsWith(`_${k.toUpperCase()}`));
    if (key) names.add(rest.slice(0, -(key.length + 1)).toLowerCase());
  }
  return [...names].filter((n) => n !== '');
}

/** SNOWFLAKE_<KEY>, then SNOWSQL_<KEY> (SNOWSQL_PWD is the password): the lowest precedence. */
function genericVariables(env: ConnectionCatalog['env']): Record<string, { value: string; origin: string }> {
  const found: Record<string, { value: string; origin: string }> = {};
  for (const key of CONNECTION_KEYS) {
    const snowsql = key === 'password' ? 'SNOWSQL_PWD' : `SNOWSQL_${key.toUpperCase()}`;
    const snowflake = `SNOWFLAKE_${key.toUpperCase()}`;
    for (const variable of [snowsql, snowflake]) {
      const value = env[variable];
      if (value !== undefined && value !== '') found[key] = { value, origin: `$${variable}` };
    }
  }
  return found;
}

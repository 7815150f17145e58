// `baton connections list` and `baton connections test [NAME]`: which Snowflake connections baton
// finds (the Snowflake CLI's files and variables, plus the built-in sandbox), which environment
// uses which, and — for `test` — a real login that asks Snowflake who and where it is.
// Credentials are never printed: a secret setting shows only as "set".
import path from 'node:path';
import type { Environment } from '../config/environment.js';
import { environmentsForCommand } from '../config/environments.js';
import {
  builtInSandbox,
  ConnectionError,
  connectionNames,
  readConnections,
  resolveConnection,
  SECRET_KEYS,
  type Connection,
  type ConnectionCatalog,
} from '../config/connections.js';
import { authenticatorOf, describeAuthenticator } from '../config/credentials.js';
import { EXIT } from '../exit-codes.js';
import { formatProblem } from '../runbook/problems.js';
import { formatTable } from '../snowflake/format.js';

/** Options shared by the connections commands. */
export interface ConnectionsOptions {
  json?: boolean;
  /** The runbooks folder, for baton.yaml's environments. */
  runbooks?: string;
  /** Test the connection of this environment instead of a named one. */
  env?: string;
  stateDir?: string;
}

/** What `baton connections list --json` prints per connection: no credential values. */
export interface ListedConnection {
  name: string;
  default: boolean;
  account?: string;
  user?: string;
  authenticator: string;
  role?: string;
  warehouse?: string;
  definedIn: string;
  /** Secret settings present (`password`, `token`, …), named but never shown. */
  secretsSet: string[];
  /** Environments of baton.yaml that use it. */
  environments: string[];
  error?: string;
}

/** Run `baton connections list`; returns the exit code. */
export async function listConnections(options: ConnectionsOptions = {}): Promise<number> {
  const catalog = await readConnections();
  const environments = await environmentsOf(options.runbooks);
  if (!environments) return EXIT.invalid;
  const listed = connectionNames(catalog).map((name) => describeConnection(catalog, name, environments));
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ directory: catalog.directory, files: catalog.files, default: catalog.defaultName ?? null, connections: listed, warnings: catalog.warnings, problems: catalog.problems }, null, 2)}\n`);
    return EXIT.ok;
  }
  const out: string[] = [];
  out.push(`Snowflake configuration: ${catalog.directory}${catalog.files.length ? ` (${catalog.files.map((f) => path.basename(f)).join(', ')})` : ' (no connections.toml or config.toml)'}`);
  out.push('');
  const rows = listed.map((c) => [
    `${c.default ? '*' : ' '} ${c.name}`,
    c.account ?? '—',
    c.user ?? '—',
    c.authenticator,
    [c.role, c.warehouse].filter(Boolean).join(' / ') || '—',
    c.environments.join(', ') || '—',
    c.error ? `! ${c.error}` : c.definedIn === 'built-in' ? 'built-in (local sandbox)' : c.definedIn,
  ]);
  out.push(...formatTable(['  NAME', 'ACCOUNT', 'USER', 'LOGIN', 'ROLE / WAREHOUSE', 'ENVIRONMENTS', 'FROM'], rows, 60));
  out.push('');
  out.push(catalog.defaultName ? `* default connection: ${catalog.defaultName} (${catalog.defaultFrom})` : 'no default connection (set default_connection_name in config.toml or $SNOWFLAKE_DEFAULT_CONNECTION_NAME)');
  for (const env of environments) {
    const name = env.connection ?? (env.sandbox ? 'sandbox' : catalog.defaultName);
    if (name && !connectionNames(catalog).includes(name)) {
      out.push(`! environment ${env.name} uses connection "${name}", which is not defined: add [${name}] to ${path.join(catalog.directory, 'connections.toml')}`);
    }
  }
  for (const warning of catalog.warnings) out.push(`warning: ${warning}`);
  for (const problem of catalog.problems) out.push(formatProblem(problem));
  process.stdout.write(`${out.join('\n')}\n`);
  return catalog.problems.some((p) => p.severity === 'error') ? EXIT.invalid : EXIT.ok;
}

/** Run `baton connections test [NAME]`: log in, ask who and where, log out; returns the exit code. */
export async function testConnection(name: string | undefined, options: ConnectionsOptions = {}): Promise<number> {
  const { resolveTarget } = await import('../snowflake/target.js');
  const { SnowflakeSession } = await import('../snowflake/session.js');
  let environment: Environment | undefined;
  if (options.env) {
    const environments = await environmentsOf(options.runbooks);
    if (!environments) return EXIT.invalid;
    environment = environments.find((e) => e.name === options.env);
    if (!environment) {
      process.stderr.write(`baton: unknown environment "${options.env}"; known: ${environments.map((e) => e.name).join(', ')}\n`);
      return EXIT.usage;
    }
  }
  const started = performance.now();
  try {
    const target = await resolveTarget({ ...(name ? { connection: name } : {}), ...(environment ? { environment } : {}), ...(options.stateDir ? { stateDir: options.stateDir } : {}) });
    for (const warning of target.warnings) process.stderr.write(`warning: ${warning}\n`);
    const session = await SnowflakeSession.open(target.connection, target.accessUrl ? { accessUrl: target.accessUrl } : {});
    try {
      const loggedIn = performance.now() - started;
      const who = await session.identity(JSON.stringify({ app: 'baton', command: 'connections test' }));
      const report = {
        connection: target.connection.name,
        login: session.summary,
        ms: Math.round(loggedIn),
        account: who.account,
        user: who.user,
        role: who.role,
        warehouse: who.warehouse,
      };
      if (options.json) {
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      } else {
        process.stdout.write(
          [
            `connection ${report.connection}: ${report.login}`,
            `logged in in ${report.ms} ms; Snowflake says:`,
            `  CURRENT_ACCOUNT()    ${who.account}`,
            `  CURRENT_USER()       ${who.user}`,
            `  CURRENT_ROLE()       ${who.role}`,
            `  CURRENT_WAREHOUSE()  ${who.warehouse ?? 'NULL (no warehouse: set warehouse in the connection)'}`,
          ].join('\n') + '\n',
        );
      }
      return EXIT.ok;
    } finally {
      await session.close();
      await target.release?.();
    }
  } catch (error) {
    if (error instanceof ConnectionError) {
      process.stderr.write(`baton: ${error.message}\n`);
      return EXIT.failed;
    }
    throw error;
  }
}

function describeConnection(catalog: ConnectionCatalog, name: string, environments: Environment[]): ListedConnection {
  const users = environments.filter((e) => (e.connection ?? (e.sandbox ? 'sandbox' : catalog.defaultName)) === name).map((e) => e.name);
  let connection: Connection;
  try {
    connection = resolveConnection(catalog, name);
  } catch (error) {
    connection = name === 'sandbox' ? builtInSandbox(catalog.env) : { name, settings: {}, origins: {}, definedIn: '?' };
    if (!(error instanceof ConnectionError)) throw error;
  }
  const s = connection.settings;
  const text = (key: string) => (s[key] === undefined ? undefined : String(s[key]));
  const listed: ListedConnection = {
    name,
    default: catalog.defaultName === name,
    authenticator: describeAuthenticator(authenticatorOf(connection)),
    definedIn: connection.definedIn,
    secretsSet: Object.keys(s).filter((key) => SECRET_KEYS.has(key)),
    environments: users,
  };
  for (const key of ['account', 'user', 'role', 'warehouse'] as const) {
    const value = text(key);
    if (value) listed[key] = value;
  }
  if (!listed.account) listed.error = 'no account';
  return listed;
}

/** baton.yaml's environments, or undefined when it is not valid (its problems are on stderr). */
async function environmentsOf(runbooks: string | undefined): Promise<Environment[] | undefined> {
  return (await environmentsForCommand(runbooks ?? 'runbooks', 'connections'))?.environments;
}

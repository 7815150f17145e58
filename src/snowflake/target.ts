// Which Snowflake connection a run uses and where it reaches: the runbook's own `connection`, else
// the environment's, else the sandbox for a sandbox environment, else the Snowflake default
// connection. The built-in `sandbox` connection reaches the local sandbox, started on demand.
import path from 'node:path';
import type { Environment } from '../config/environment.js';
import { ConnectionError, readConnections, resolveConnection, SANDBOX_CONNECTION, type Connection } from '../config/connections.js';
import { formatProblem } from '../runbook/problems.js';
import { SANDBOX_DEFAULTS } from '../sandbox/engine-api.js';

/** A connection ready to log in with, and what the operator should know about its files. */
export interface Target {
  connection: Connection;
  /** The address to use instead of the connection's own (the sandbox's URL). */
  accessUrl?: string;
  /** Loose file permissions and other findings in the Snowflake configuration files. */
  warnings: string[];
}

/** What picks the connection. */
export interface TargetRequest {
  environment?: Environment;
  /** An explicit connection name: `--connection`, or the runbook's front matter. */
  connection?: string;
  /** baton's state folder; the sandbox keeps its data under it. */
  stateDir?: string;
  env?: Readonly<Record<string, string | undefined>>;
}

/** The connection name a run uses, before looking it up. */
export function connectionNameFor(request: TargetRequest): string | undefined {
  return request.connection ?? request.environment?.connection ?? (request.environment?.sandbox ? SANDBOX_CONNECTION : undefined);
}

/** Resolve the connection and, for the built-in sandbox, its address. Throws {@link ConnectionError}. */
export async function resolveTarget(request: TargetRequest): Promise<Target> {
  const env = request.env ?? process.env;
  const catalog = await readConnections({ env });
  const name = connectionNameFor(request);
  const connection = resolveConnection(catalog, name);
  const broken = catalog.problems.filter((p) => p.severity === 'error');
  if (broken.length > 0 && !connection.builtInSandbox) {
    throw new ConnectionError(`the Snowflake configuration cannot be read:\n${broken.map(formatProblem).join('\n')}`);
  }
  const target: Target = { connection, warnings: [...catalog.warnings, ...broken.map(formatProblem)] };
  if (connection.builtInSandbox) target.accessUrl = await sandboxUrl(request.stateDir ?? defaultStateDir(env), env);
  return target;
}

/** baton's state folder when none is given: $BATON_STATE_DIR, else ./state. */
export function defaultStateDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return path.resolve(env.BATON_STATE_DIR ?? 'state');
}

/**
 * The sandbox's URL. `$BATON_SANDBOX_URL` points at a sandbox running elsewhere; otherwise the
 * sandbox answering on its default port is used.
 */
export async function sandboxUrl(stateDir: string, env: Readonly<Record<string, string | undefined>> = process.env): Promise<string> {
  const explicit = env.BATON_SANDBOX_URL;
  const url = (explicit ?? `http://${SANDBOX_DEFAULTS.host}:${SANDBOX_DEFAULTS.port}`).replace(/\/+$/, '');
  if (await answers(url)) return url;
  throw new ConnectionError(
    `the sandbox is not running at ${url}${explicit ? ' ($BATON_SANDBOX_URL)' : ''}: start it with \`baton sandbox start\` (data in ${path.join(stateDir, 'sandbox')})`,
  );
}

/** True when a baton sandbox answers its status endpoint at `url`. */
async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/sandbox/status`, { signal: AbortSignal.timeout(2000) });
    if (!response.ok) return false;
    const status = (await response.json()) as { product?: string };
    return status.product === 'baton-sandbox';
  } catch {
    return false;
  }
}

// Which Snowflake connection a run uses and where it reaches: the runbook's own `connection`, else
// the environment's, else the sandbox for a sandbox environment, else the Snowflake default
// connection. The built-in `sandbox` connection reaches the local sandbox, started on demand.
import path from 'node:path';
import type { Environment } from '../config/environment.js';
import { ConnectionError, readConnections, resolveConnection, SANDBOX_CONNECTION, type Connection } from '../config/connections.js';
import { formatProblem } from '../runbook/problems.js';
import { resolveStateDir } from '../store/paths.js';

/** A connection ready to log in with, and what the operator should know about its files. */
export interface Target {
  connection: Connection;
  /** The address to use instead of the connection's own (the sandbox's URL). */
  accessUrl?: string;
  /** Loose file permissions and other findings in the Snowflake configuration files. */
  warnings: string[];
  /** Call when done: stops a sandbox this process started for it (no-op otherwise). */
  release?: () => Promise<void>;
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
  if (connection.builtInSandbox) {
    const sandbox = await reachSandbox(request.stateDir ?? resolveStateDir(undefined, env as NodeJS.ProcessEnv), env);
    target.accessUrl = sandbox.url;
    if (sandbox.release) target.release = sandbox.release;
  }
  return target;
}

/**
 * The sandbox's address. `$BATON_SANDBOX_URL` points at a sandbox running elsewhere, which must
 * answer; otherwise the sandbox of the state folder is found, or started in this process (`release`
 * stops it again once nobody here uses it). Throws {@link ConnectionError}.
 */
export async function reachSandbox(stateDir: string, env: Readonly<Record<string, string | undefined>>): Promise<{ url: string; release?: () => Promise<void> }> {
  const [{ ensureSandbox }, { probeSandbox }] = await Promise.all([import('../sandbox/index.js'), import('../sandbox/probe.js')]);
  const explicit = env.BATON_SANDBOX_URL?.replace(/\/+$/, '');
  if (explicit) {
    if (await probeSandbox(explicit)) return { url: explicit };
    throw new ConnectionError(`the sandbox is not running at ${explicit} ($BATON_SANDBOX_URL): start it with \`baton sandbox start\``);
  }
  try {
    const handle = await ensureSandbox({ stateDir });
    return { url: handle.url, release: () => handle.stop() };
  } catch (error) {
    throw new ConnectionError(
      `the sandbox is not running and could not be started here (${(error as Error).message}): start it with \`baton sandbox start\` to see why (data in ${path.join(stateDir, 'sandbox')})`,
    );
  }
}

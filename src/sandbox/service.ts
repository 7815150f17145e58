// One sandbox process serves several fakes on one port, each under its own path prefix:
// Snowflake at `/` (its paths are /session, /queries, /monitoring, /telemetry), the Control-M
// Automation API at `/automation-api`, the AutoSys event server at `/autosys`.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A fake mounted in the sandbox's HTTP server. */
export interface SandboxService {
  /** Short name for status output: `snowflake`, `controlm`, `autosys`. */
  readonly name: string;
  /** Path prefix it answers, e.g. `/automation-api`; `/` for the Snowflake endpoints. */
  readonly prefix: string;
  /** Answer one request whose path starts with the prefix. */
  handle(request: IncomingMessage, response: ServerResponse): void | Promise<void>;
  /** Stop background work (running jobs, timers) and flush state. */
  close(): Promise<void>;
}

/** What every service factory gets: where the sandbox keeps its data and how to reach itself. */
export interface SandboxServiceOptions {
  /** The sandbox's data folder (default `state/sandbox`); each service uses a subfolder. */
  dataDir: string;
  /** The sandbox's own base URL once listening, e.g. `http://127.0.0.1:8085`. */
  baseUrl: () => string;
  /** Where a service writes lines worth reading later (refused logins, internal errors, jobs). */
  log?: (line: string) => void;
}

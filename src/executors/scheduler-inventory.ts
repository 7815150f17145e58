// The scheduler part of the handover's live inventory: every job an environment's scheduler knows,
// with its definition and where it stands now. AutoSys through `autorep -q` and the summary report,
// Control-M through the jobs status API. A scheduler that cannot be reached is reported, not thrown.
import type { Environment } from '../config/environment.js';
import { parseAutorep } from '../scheduler/autorep.js';
import { jilValue, jobTypeName, parseJil } from '../scheduler/jil.js';
import { controlmState, type JobState } from '../scheduler/job-state.js';
import { autosysSettingsOf, controlmSettingsOf } from '../scheduler/sandbox-endpoints.js';
import { AutosysCommands } from './autosys-commands.js';
import { ControlmClient, controlmConnection } from './controlm-client.js';
import type { JobRunStatus } from './controlm.js';

/** One job in the inventory. */
export interface InventoryJob {
  name: string;
  /** AutoSys `CMD`/`BOX`/`FW`; Control-M `Command`, `Script`, `Folder`, … */
  type: string;
  /** The enclosing AutoSys box, or the Control-M folder. */
  parent: string | null;
  /** As the scheduler prints it: `SU`, `Ended OK`. */
  status: string;
  /** Full AutoSys status name, or the Control-M status again. */
  statusName: string;
  state: JobState;
  exit: number | null;
  lastStart: string | null;
  lastEnd: string | null;
  /** AutoSys run number, or Control-M numberOfRuns. */
  runs: number | null;
  /** AutoSys: the JIL attributes (command, machine, condition, …). Control-M: host, application, jobId, held, order date. */
  definition: Record<string, string>;
}

/** What one scheduler of the environment reported. */
export interface SchedulerReport {
  /** `AutoSys instance SBX`, `Control-M at https://…`. */
  source: string;
  jobs: InventoryJob[];
  /** Why the list is empty or incomplete, in the scheduler's own words where it gave any. */
  error?: string;
}

/** The scheduler inventory of an environment. */
export interface SchedulerInventory {
  environment: string;
  /** ISO time the inventory was taken. */
  takenAt: string;
  autosys?: SchedulerReport;
  controlm?: SchedulerReport;
}

/** Options of {@link schedulerInventory}. */
export interface InventoryOptions {
  /** Variable lookup for Control-M credentials (default: the environment's variables, then the process environment). */
  variable?: (name: string) => string | undefined;
  /** AutoSys job pattern (default `ALL`) and Control-M job name filter (default every job). */
  pattern?: string;
  /** Base URL of the sandbox whose fakes a sandbox environment uses (default `$BATON_SANDBOX_URL`, else port 8085). */
  sandbox?: string;
  signal?: AbortSignal;
}

/** Current job definitions and statuses of every scheduler the environment configures. */
export async function schedulerInventory(environment: Environment, options: InventoryOptions = {}): Promise<SchedulerInventory> {
  const signal = options.signal ?? new AbortController().signal;
  const inventory: SchedulerInventory = { environment: environment.name, takenAt: new Date().toISOString() };
  const [autosys, controlm] = await Promise.all([
    autosysSettingsOf(environment) ? autosysJobs(environment, options, signal) : undefined,
    controlmSettingsOf(environment) ? controlmJobs(environment, options, signal) : undefined,
  ]);
  if (autosys) inventory.autosys = autosys;
  if (controlm) inventory.controlm = controlm;
  return inventory;
}

async function autosysJobs(environment: Environment, options: InventoryOptions, signal: AbortSignal): Promise<SchedulerReport> {
  const pattern = options.pattern ?? 'ALL';
  const source = `AutoSys instance ${autosysSettingsOf(environment)?.instance ?? process.env.AUTOSERV ?? '(default)'}`;
  const commands = AutosysCommands.of(environment, options.sandbox);
  if ('error' in commands) return { source, jobs: [], error: commands.error };
  const [query, summary] = await Promise.all([
    commands.run('autorep', ['-J', pattern, '-q'], signal),
    commands.run('autorep', ['-J', pattern, '-w'], signal),
  ]);
  const failed = [summary, query].find((output) => output.exit !== 0);
  if (failed) return { source, jobs: [], error: (failed.stderr.trim() || failed.stdout.trim() || `${failed.commandLine} exited ${failed.exit}`) };
  const definitions = new Map(parseJil(query.stdout).statements.map((statement) => [statement.name, statement]));
  const jobs = parseAutorep(summary.stdout).rows.map((row): InventoryJob => {
    const statement = definitions.get(row.name);
    const definition: Record<string, string> = {};
    for (const attribute of statement?.attributes ?? []) if (attribute.name !== 'job_type') definition[attribute.name] = jilValue(statement!, attribute.name) ?? '';
    return {
      name: row.name,
      type: statement ? jobTypeName(jilValue(statement, 'job_type')) : '',
      parent: row.box ?? null,
      status: row.code,
      statusName: row.status,
      state: row.state,
      exit: row.exit,
      lastStart: row.lastStart,
      lastEnd: row.lastEnd,
      runs: row.run,
      definition,
    };
  });
  return { source, jobs };
}

async function controlmJobs(environment: Environment, options: InventoryOptions, signal: AbortSignal): Promise<SchedulerReport> {
  const variable = options.variable ?? ((name: string) => environment.variables[name] ?? process.env[name]);
  const connection = controlmConnection(environment, variable, options.sandbox);
  const source = `Control-M at ${'error' in connection ? controlmSettingsOf(environment, options.sandbox)?.endpoint ?? '?' : connection.endpoint}`;
  if ('error' in connection) return { source, jobs: [], error: connection.error };
  const client = new ControlmClient(connection);
  try {
    const query = options.pattern && options.pattern !== 'ALL' ? `?jobname=${encodeURIComponent(options.pattern.replace(/%/g, '*'))}` : '';
    const answer = await client.call('GET', `/run/jobs/status${query}`, { signal });
    const statuses = ((answer.body as { statuses?: JobRunStatus[] }).statuses ?? []);
    const jobs = statuses.map((job): InventoryJob => ({
      name: job.name,
      type: job.type ?? '',
      parent: job.type === 'Folder' ? null : job.folder ?? null,
      status: job.status,
      statusName: job.status,
      state: controlmState(job.status, job.held === true),
      exit: null,
      lastStart: job.startTime || null,
      lastEnd: job.endTime || null,
      runs: job.numberOfRuns ?? null,
      definition: Object.fromEntries(
        Object.entries({ jobId: job.jobId, host: job.host, application: job.application, orderDate: job.orderDate, held: job.held === undefined ? undefined : String(job.held) })
          .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== ''),
      ),
    }));
    return { source, jobs };
  } catch (error) {
    return { source, jobs: [], error: (error as Error).message };
  } finally {
    await client.logout();
  }
}

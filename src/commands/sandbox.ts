// `baton sandbox start|status|stop|reset`: run the local Snowflake (and scheduler fakes) in the
// foreground or the background, see whether it runs, stop it, wipe its data.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { SANDBOX_DEFAULTS } from '../sandbox/engine-api.js';
import { liveHolder, processAlive, SandboxBusyError, type SandboxHolder } from '../sandbox/lock.js';
import { probeSandbox, type SandboxStatus } from '../sandbox/probe.js';
import { resolveStateDir } from '../store/paths.js';

/** Options every sandbox subcommand shares. */
export interface SandboxCommandOptions {
  /** `--data DIR`; default `<state dir>/sandbox`. */
  data?: string;
  /** Global `--state-dir`. */
  stateDir?: string;
  /** `--port N` as typed. */
  port?: string;
}

/** Where output goes; tests pass their own. */
export interface Output {
  out(line: string): void;
  err(line: string): void;
}

const stdio: Output = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
};

/** File in a data folder that marks it as the sandbox's, so `reset` never wipes anything else. */
const MARKER = '.baton-sandbox';

/** The sandbox data folder: `--data`, else `sandbox` under `--state-dir`, `$BATON_STATE_DIR` or `./state`. */
export function dataDirOf(options: SandboxCommandOptions): string {
  if (options.data) return resolve(options.data);
  return join(resolveStateDir(options.stateDir), 'sandbox');
}

function portOf(options: SandboxCommandOptions, out: Output): number | undefined {
  if (options.port === undefined) return SANDBOX_DEFAULTS.port;
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    out.err(`--port ${options.port}: a port is a whole number from 0 to 65535 (0 picks a free one).`);
    return undefined;
  }
  return port;
}

/** `baton sandbox start`: serve until Ctrl-C/SIGTERM, or in the background with `--detach`. */
export async function sandboxStart(options: SandboxCommandOptions & { detach?: boolean }, out: Output = stdio): Promise<ExitCode> {
  const port = portOf(options, out);
  if (port === undefined) return EXIT.usage;
  const dataDir = dataDirOf(options);
  const running = await runningSandbox(dataDir);
  if (running) {
    out.err(`The sandbox for ${dataDir} already runs at ${running.url} (pid ${running.pid}).`);
    return EXIT.locked;
  }
  await mkdir(dataDir, { recursive: true });
  await writeFile(join(dataDir, MARKER), 'Data folder of a baton sandbox. `baton sandbox reset` deletes it.\n');
  if (options.detach) return startDetached(dataDir, port, out);

  const [{ startSandbox, fileLog, PortInUseError }, { SANDBOX_SERVICES }] = await Promise.all([import('../sandbox/host.js'), import('../sandbox/services.js')]);
  const toFile = fileLog(dataDir);
  // Log lines are shown while serving; start-up and shutdown have lines of their own below.
  let echo = false;
  let sandbox;
  try {
    sandbox = await startSandbox({
      dataDir,
      port,
      services: SANDBOX_SERVICES,
      log: (line) => {
        toFile(line);
        if (echo) out.out(`  ${line}`);
      },
    });
  } catch (error) {
    const other = error instanceof PortInUseError ? await probeSandbox(`http://${SANDBOX_DEFAULTS.host}:${port}`) : undefined;
    if (other) {
      out.err(`A baton sandbox for ${other.dataDir} already runs on port ${port} (pid ${other.pid}). Stop it, or start this one with another --port.`);
      return EXIT.locked;
    }
    out.err(error instanceof Error ? error.message : String(error));
    return error instanceof SandboxBusyError ? EXIT.locked : EXIT.failed;
  }
  for (const line of banner(sandbox.url, dataDir, sandbox.services)) out.out(line);
  out.out('Press Ctrl-C to stop.');
  echo = true;
  const signal = await new Promise<NodeJS.Signals>((resolveSignal) => {
    process.once('SIGINT', () => resolveSignal('SIGINT'));
    process.once('SIGTERM', () => resolveSignal('SIGTERM'));
  });
  echo = false;
  out.out(`${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping the sandbox…`);
  await sandbox.stop();
  out.out('Sandbox stopped; its data stays in ' + dataDir + '.');
  return EXIT.ok;
}

function banner(url: string, dataDir: string, services: SandboxStatus['services']): string[] {
  return [
    `Sandbox listening on ${url}`,
    `  data      ${dataDir}`,
    `  login     account ${SANDBOX_DEFAULTS.account}, user ${SANDBOX_DEFAULTS.user}, password ${SANDBOX_DEFAULTS.password}, role ${SANDBOX_DEFAULTS.role}`,
    ...serviceLines(services),
  ];
}

function serviceLines(services: SandboxStatus['services']): string[] {
  return services.map(
    (service, index) =>
      `${index === 0 ? '  services  ' : '            '}${service.name.padEnd(10)} ${(service.prefix || '-').padEnd(16)} ${service.state}` +
      (service.error ? ` (${service.error})` : ''),
  );
}

/** How long a background start may take to answer before it is reported as failed. */
const DETACHED_START_MS = 60_000;

async function startDetached(dataDir: string, port: number, out: Output): Promise<ExitCode> {
  const logPath = join(dataDir, 'sandbox.log');
  const log = await open(logPath, 'a');
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, 'sandbox', 'start', '--port', String(port), '--data', dataDir], {
    detached: true,
    // Its log lines reach the file through the sandbox's own log; only failures come on stderr.
    stdio: ['ignore', 'ignore', log.fd],
    env: process.env,
  });
  await log.close();
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  const deadline = Date.now() + DETACHED_START_MS;
  while (Date.now() < deadline && exited === undefined) {
    const holder = await liveHolder(dataDir);
    if (holder && holder.pid === child.pid && holder.url) {
      const status = await probeSandbox(holder.url);
      if (status) {
        child.unref();
        for (const line of banner(status.url, dataDir, status.services)) out.out(line);
        out.out(`Running in the background as process ${child.pid}; stop it with \`baton sandbox stop\`. Log: ${logPath}`);
        return EXIT.ok;
      }
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 200));
  }
  if (exited === undefined) child.kill('SIGTERM');
  out.err(`The sandbox did not start${exited === undefined ? ` within ${DETACHED_START_MS / 1000} s` : ''}. Last lines of ${logPath}:`);
  for (const line of (await readFile(logPath, 'utf8').catch(() => '')).trimEnd().split('\n').slice(-10)) out.err(`  ${line}`);
  return EXIT.failed;
}

/** The sandbox serving a data folder, if its holder is alive and answers. */
async function runningSandbox(dataDir: string): Promise<SandboxStatus | undefined> {
  const holder = await liveHolder(dataDir);
  return holder?.url ? probeSandbox(holder.url) : undefined;
}

/** `baton sandbox status`: exit 0 when it runs, 1 when it does not. */
export async function sandboxStatus(options: SandboxCommandOptions & { json?: boolean }, out: Output = stdio): Promise<ExitCode> {
  const port = portOf(options, out);
  if (port === undefined) return EXIT.usage;
  const dataDir = dataDirOf(options);
  const holder = await liveHolder(dataDir);
  const status = holder?.url ? await probeSandbox(holder.url) : await probeSandbox(`http://${SANDBOX_DEFAULTS.host}:${port}`);
  if (options.json) {
    out.out(JSON.stringify(status ? { running: true, ...status } : { running: false, dataDir, holder: holder ?? null }, null, 2));
    return status ? EXIT.ok : EXIT.failed;
  }
  if (!status) {
    if (holder) out.out(`Sandbox process ${holder.pid} holds ${dataDir} but does not answer${holder.url ? ` at ${holder.url}` : ''}: it is starting, or stuck.`);
    else out.out(`Sandbox not running (data: ${dataDir}). Start it with \`baton sandbox start\`.`);
    return EXIT.failed;
  }
  if (resolve(status.dataDir) !== dataDir) out.out(`Note: the sandbox on port ${port} serves another data folder.`);
  out.out(`Sandbox running at ${status.url} (pid ${status.pid}, since ${status.startedAt})`);
  out.out(`  data      ${status.dataDir}`);
  for (const line of serviceLines(status.services)) out.out(line);
  return EXIT.ok;
}

/** How long `stop` waits for the sandbox to flush and exit. */
const STOP_WAIT_MS = 30_000;

/** `baton sandbox stop`: ask the background sandbox to stop, and wait until it has. */
export async function sandboxStop(options: SandboxCommandOptions, out: Output = stdio): Promise<ExitCode> {
  const dataDir = dataDirOf(options);
  const holder = await liveHolder(dataDir);
  if (!holder) {
    out.out(`Sandbox not running (data: ${dataDir}).`);
    return EXIT.ok;
  }
  if (!processAlive(holder.pid)) {
    out.err(`The sandbox holding ${dataDir} runs on ${holder.host} (pid ${holder.pid}); stop it there.`);
    return EXIT.failed;
  }
  process.kill(holder.pid, 'SIGTERM');
  if (await exitedWithin(holder, STOP_WAIT_MS)) {
    out.out(`Sandbox stopped (pid ${holder.pid}); its data stays in ${dataDir}.`);
    return EXIT.ok;
  }
  out.err(`Sandbox process ${holder.pid} did not stop within ${STOP_WAIT_MS / 1000} s. Look at ${join(dataDir, 'sandbox.log')}; \`kill -9 ${holder.pid}\` ends it at once.`);
  return EXIT.failed;
}

async function exitedWithin(holder: SandboxHolder, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!processAlive(holder.pid)) return true;
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
  return false;
}

/** `baton sandbox reset`: delete the data folder, after `--yes` or a typed confirmation. */
export async function sandboxReset(options: SandboxCommandOptions & { yes?: boolean }, out: Output = stdio): Promise<ExitCode> {
  const dataDir = dataDirOf(options);
  if (!existsSync(dataDir)) {
    out.out(`Nothing to reset: ${dataDir} does not exist.`);
    return EXIT.ok;
  }
  if (!existsSync(join(dataDir, MARKER))) {
    out.err(`${dataDir} does not look like a sandbox data folder (no ${MARKER} file); nothing was deleted.`);
    return EXIT.invalid;
  }
  const holder = await liveHolder(dataDir);
  if (holder) {
    out.err(`The sandbox is running on this data (pid ${holder.pid}${holder.url ? `, ${holder.url}` : ''}). Stop it first with \`baton sandbox stop\`.`);
    return EXIT.locked;
  }
  if (!options.yes) {
    if (!process.stdin.isTTY) {
      out.err(`Resetting deletes everything in ${dataDir}. Run again with --yes to confirm.`);
      return EXIT.inputNeeded;
    }
    const prompt = createInterface({ input: process.stdin, output: process.stdout });
    const answer = await prompt.question(`Delete every table, user and query of the sandbox in ${dataDir}? Type "reset" to confirm: `);
    prompt.close();
    if (answer.trim() !== 'reset') {
      out.out('Nothing was deleted.');
      return EXIT.aborted;
    }
  }
  await rm(dataDir, { recursive: true, force: true });
  out.out(`Sandbox data in ${dataDir} deleted; the next start begins with fresh seed data.`);
  return EXIT.ok;
}

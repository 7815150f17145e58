// Scheduler jobs run by a sandbox reach that sandbox: its URL and state folder in their
// environment, whatever port it got, the sandbox's CLIs on their PATH, and a working folder (where
// relative output files land) inside the sandbox's data folder.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/host.js';
import { SCHEDULER_SERVICES } from '../../../src/sandbox/services.js';
import type { AutosysService, ControlmService } from '../../../src/sandbox/scheduler/index.js';
import type { SandboxService } from '../../../src/sandbox/service.js';
import { sandboxBin, tempDir, until } from '../../helpers/scheduler.js';

let sandbox: RunningSandbox | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});

// The job prints what it sees, one line each.
const REPORT = 'printf "%s\\n" "$BATON_SANDBOX_URL" "$BATON_AUTOSYS_URL" "$BATON_STATE_DIR" "$(pwd -P)" "$(command -v sendevent)"';

async function start(): Promise<{ state: string; data: string; autosys: AutosysService; controlm: ControlmService }> {
  const state = tempDir('baton-hosted-');
  const data = join(state, 'sandbox');
  mkdirSync(data);
  const created: SandboxService[] = [];
  const services = SCHEDULER_SERVICES.map((registration) => ({
    ...registration,
    create: async (options: Parameters<typeof registration.create>[0]) => {
      const service = await registration.create(options);
      created.push(service);
      return service;
    },
  }));
  sandbox = await startSandbox({ dataDir: data, port: 0, services, log: () => {} });
  return {
    state, data,
    autosys: created.find((s) => s.name === 'autosys') as AutosysService,
    controlm: created.find((s) => s.name === 'controlm') as ControlmService,
  };
}

describe('jobs of the sandbox', { timeout: 120_000 }, () => {
  it('an AutoSys job knows the sandbox that runs it and writes relative output in its data folder', async () => {
    const { state, data, autosys } = await start();
    const server = autosys.eventServer;
    expect(server.loadJil(`insert_job: JB_WHERE   job_type: CMD\ncommand: ${REPORT}\nstd_out_file: "job-logs/\${AUTO_JOB_NAME}.out"\n`).exit).toBe(0);
    expect(server.sendEvent({ event: 'FORCE_STARTJOB', job: 'JB_WHERE' }).exit).toBe(0);
    await until(server, () => server.job('JB_WHERE')?.status === 'SUCCESS', 'JB_WHERE SUCCESS', () => `it is ${server.job('JB_WHERE')?.status}`);
    const seen = readFileSync(join(data, 'jobs', 'job-logs', 'JB_WHERE.out'), 'utf8').split('\n');
    expect(seen.slice(0, 5)).toEqual([sandbox!.url, `${sandbox!.url}/autosys`, state, join(data, 'jobs'), join(sandboxBin, 'sendevent')]);
  });

  it('a Control-M job does too', async () => {
    const { state, data, controlm } = await start();
    const workbench = controlm.workbench;
    workbench.deploy('where.json', JSON.stringify({ WHERE: { Type: 'Folder', SAY: { Type: 'Job:Command', Command: REPORT } } }));
    workbench.order({ folder: 'WHERE', user: 'sandbox' });
    const job = () => workbench.instances().find((j) => j.name === 'SAY');
    await until(workbench, () => job()?.status === 'Ended OK', 'SAY Ended OK', () => `it is ${job()?.status}`);
    const seen = workbench.output(workbench.jobId(job()!), 0).split('\n');
    expect(seen.slice(0, 5)).toEqual([sandbox!.url, `${sandbox!.url}/autosys`, state, join(data, 'jobs'), join(sandboxBin, 'sendevent')]);
  });
});

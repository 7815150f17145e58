import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Environment } from '../../src/config/environment.js';
import { schedulerInventory } from '../../src/executors/scheduler-inventory.js';
import { requireBuild, sandboxEnvironment, startFakes, tempDir, until } from '../helpers/scheduler.js';

let fakes: Awaited<ReturnType<typeof startFakes>>;
let environment: Environment;

beforeAll(async () => {
  requireBuild();
  fakes = await startFakes({ autosys: { jobCwd: tempDir() }, controlm: { jobCwd: tempDir() } });
  environment = sandboxEnvironment(fakes, { variables: { CTM_PASSWORD: 'sandbox' } });
  const loaded = fakes.autosys.eventServer.loadJil(`insert_job: BX_INV   job_type: BOX
insert_job: JB_INV   job_type: CMD
box_name: BX_INV
command: echo inventory
machine: etl-agent-01
condition: s(BX_NONE)
`);
  expect(loaded.exit).toBe(0);
  fakes.controlm.workbench.deploy('inv.json', JSON.stringify({ INV: { Type: 'Folder', Application: 'SNOWFLAKE_ETL', INV_JOB: { Type: 'Job:Command', Command: 'true', Host: 'agent-2' } } }));
  fakes.controlm.workbench.order({ folder: 'INV', user: 'sandbox' });
  await until(fakes.controlm.workbench, () => fakes.controlm.workbench.instances().some((j) => j.name === 'INV_JOB' && j.status === 'Ended OK'), 'INV_JOB ended');
}, 120_000);
afterAll(() => fakes?.close());

describe('schedulerInventory', { timeout: 120_000 }, () => {
  it('lists AutoSys definitions with their statuses and Control-M jobs with theirs', async () => {
    const inventory = await schedulerInventory(environment);
    expect(inventory.environment).toBe('practice');
    expect(inventory.autosys!.error).toBeUndefined();
    expect(inventory.autosys!.jobs.map((j) => [j.name, j.type, j.parent, j.status, j.state])).toEqual([
      ['BX_INV', 'BOX', null, 'IN', 'inactive'],
      ['JB_INV', 'CMD', 'BX_INV', 'IN', 'inactive'],
    ]);
    expect(inventory.autosys!.jobs[1]!.definition).toEqual({ box_name: 'BX_INV', command: 'echo inventory', machine: 'etl-agent-01', condition: 's(BX_NONE)' });
    expect(inventory.controlm!.error).toBeUndefined();
    const job = inventory.controlm!.jobs.find((j) => j.name === 'INV_JOB')!;
    expect(job).toMatchObject({ type: 'Command', parent: 'INV', status: 'Ended OK', state: 'ok', runs: 1 });
    expect(job.definition).toMatchObject({ host: 'agent-2', application: 'SNOWFLAKE_ETL', jobId: expect.stringMatching(/^workbench:/) });
  });

  it('reaches the fakes of the sandbox it is given for a sandbox environment with no scheduler settings', async () => {
    const inventory = await schedulerInventory({ name: 'sandbox', protected: false, sandbox: true, variables: {} }, { sandbox: fakes.url });
    expect(inventory.autosys!.error).toBeUndefined();
    expect(inventory.autosys!.jobs.map((j) => j.name)).toContain('JB_INV');
    expect(inventory.controlm!.error).toBeUndefined();
    expect(inventory.controlm!.source).toBe(`Control-M at ${fakes.url}/automation-api`);
    expect(inventory.controlm!.jobs.map((j) => j.name)).toContain('INV_JOB');
  });

  it('reports a scheduler it cannot reach instead of failing, and leaves out what is not configured', async () => {
    const broken: Environment = {
      ...environment,
      autosys: { bin: tempDir() },
      controlm: { endpoint: 'http://127.0.0.1:9/automation-api', user: 'sandbox', passwordVariable: 'CTM_PASSWORD' },
    };
    const inventory = await schedulerInventory(broken);
    expect(inventory.autosys!.error).toContain('AutoSys command "autorep" is not in');
    expect(inventory.controlm!.error).toContain('cannot reach Control-M');
    const none = await schedulerInventory({ name: 'bare', protected: false, variables: {} });
    expect(none.autosys).toBeUndefined();
    expect(none.controlm).toBeUndefined();
  });
});

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autosysExecutor, jilExecutor } from '../../src/executors/autosys.js';
import type { JobChange } from '../../src/executors/scheduler-action.js';
import type { Environment } from '../../src/config/environment.js';
import { collect, executionContext, requireBuild, sandboxEnvironment, startFakes, tempDir, until } from '../helpers/scheduler.js';

let fakes: Awaited<ReturnType<typeof startFakes>>;
let environment: Environment;
let folder: string;

beforeAll(async () => {
  requireBuild();
  folder = tempDir('baton-autosys-runbook-');
  fakes = await startFakes({ autosys: { jobCwd: folder } });
  environment = sandboxEnvironment(fakes);
});
afterAll(() => fakes?.close());

interface RunOptions {
  kind?: 'autosys' | 'jil';
  timeoutMs?: number;
  env?: Environment;
  signal?: AbortSignal;
  variables?: Record<string, string>;
  secretVariables?: string[];
}

function run(code: string, options: RunOptions = {}) {
  const kind = options.kind ?? 'autosys';
  const executor = kind === 'jil' ? jilExecutor : autosysExecutor;
  const context = executionContext({
    kind, code, environment: options.env ?? environment, folder, timeoutMs: options.timeoutMs, signal: options.signal,
    variables: options.variables, secretVariables: options.secretVariables,
  });
  return collect(executor.run(context)).then((collected) => ({ ...collected, context }));
}

const jobsOf = (details: Record<string, unknown> | undefined) => (details?.jobs ?? []) as JobChange[];

// Every AutoSys call starts a CLI process, as with the real client: a loaded machine needs time.
describe('autosys actions against the AutoSys fake through its CLIs', { timeout: 120_000 }, () => {
  it('deploys a .jil file relative to the runbook, recording each job as not defined before', async () => {
    writeFileSync(join(folder, 'daily.jil'), `insert_job: BX_DAILY   job_type: BOX
insert_job: JB_EXTRACT   job_type: CMD
box_name: BX_DAILY
command: echo extracted > extract.out
insert_job: JB_LOAD   job_type: CMD
box_name: BX_DAILY
command: cat extract.out && echo loaded
condition: s(JB_EXTRACT)
`);
    const { result, events } = await run('deploy daily.jil');
    expect(result.error).toBeUndefined();
    expect(result.ok).toBe(true);
    const jobs = jobsOf(result.details);
    expect(jobs.map((j) => [j.name, j.before, j.after?.status])).toEqual([
      ['BX_DAILY', null, 'INACTIVE'], ['JB_EXTRACT', null, 'INACTIVE'], ['JB_LOAD', null, 'INACTIVE'],
    ]);
    expect(events.some((e) => e.type === 'output' && e.line.includes('Database Change WAS Successful'))).toBe(true);
    expect((result.details!.commands as { command: string }[]).map((c) => c.command)).toContain('jil < (input)');
  });

  it('fills {{NAME}} in a deployed .jil from the run and the environment, keeping the filled text with secrets masked', async () => {
    mkdirSync(join(folder, 'jobs'), { recursive: true });
    writeFileSync(join(folder, 'jobs', 'templated.jil'), `/* Deployed by the practice runbook: every {{NAME}} is filled from the run's variables. */
insert_job: JB_TEMPLATED   job_type: CMD
command: echo "load {{DB}} with {{API_TOKEN}}" > {{OUT_DIR}}/templated.out
description: "loads {{DB}}"
`);
    const env = { ...environment, variables: { OUT_DIR: '.' } };
    const deployed = await run('deploy jobs/templated.jil\nforce-start JB_TEMPLATED\nwait JB_TEMPLATED for SU every=50ms\nautorep -J JB_TEMPLATED -q', {
      env, variables: { DB: 'SALES_DW', API_TOKEN: 'tok-91f3e' }, secretVariables: ['API_TOKEN'],
    });
    expect(deployed.result.error).toBeUndefined();
    // The job got the real values; everything reported and recorded has the secret masked.
    expect(readFileSync(join(folder, 'templated.out'), 'utf8')).toBe('load SALES_DW with tok-91f3e\n');
    const [kept] = deployed.result.details!.definitions as { file: string; text: string }[];
    expect(kept!.file).toBe('jobs/templated.jil');
    expect(kept!.text).toContain('command: echo "load SALES_DW with ••••••" > ./templated.out');
    expect(kept!.text).toContain('every {{NAME}} is filled');
    expect(deployed.result.fields.stdout).toContain('description: "loads SALES_DW"');
    expect(JSON.stringify(deployed.events)).not.toContain('tok-91f3e');
    expect(JSON.stringify(deployed.result)).not.toContain('tok-91f3e');
    expect(readFileSync(deployed.context.logFile, 'utf8')).not.toContain('tok-91f3e');
  });

  it('refuses a deploy whose file names a variable with no value, at its line, loading nothing', async () => {
    writeFileSync(join(folder, 'jobs', 'misspelt.jil'), 'insert_job: JB_MISSPELT   job_type: CMD\ncommand: echo {{DB}}\nmachine: {{AUTOSYS_MACHIEN}}\n');
    const { result } = await run('deploy jobs/misspelt.jil', { variables: { DB: 'SALES_DW', AUTOSYS_MACHINE: 'localhost' } });
    expect(result.ok).toBe(false);
    expect(result.error!.message).toBe(
      `${join(folder, 'jobs', 'misspelt.jil')}:3:10: no value for {{AUTOSYS_MACHIEN}} (did you mean AUTOSYS_MACHINE?): declare it in the runbook's variables, or set it in the environment's variables in baton.yaml`,
    );
    expect(fakes.autosys.eventServer.job('JB_MISSPELT')).toBeUndefined();
  });

  it('force-starts the box, waits for it to end SUCCESS, and exposes the status to expect', async () => {
    const { result } = await run('force-start BX_DAILY\nwait BX_DAILY for SU timeout=1m every=50ms\nstatus BX_%');
    expect(result.error).toBeUndefined();
    expect(result.fields).toMatchObject({ status: 'SU', statusName: 'SUCCESS', state: 'ok' });
    const jobs = result.fields.jobs as { name: string; status: string; state: string; box: string | null }[];
    expect(jobs.map((j) => [j.name, j.status, j.state, j.box])).toEqual([
      ['BX_DAILY', 'SU', 'ok', null], ['JB_EXTRACT', 'SU', 'ok', 'BX_DAILY'], ['JB_LOAD', 'SU', 'ok', 'BX_DAILY'],
    ]);
    const changes = jobsOf(result.details);
    expect(changes[0]!.before!.status).toBe('INACTIVE');
    expect(changes[0]!.after!.status).toBe('SUCCESS');
    expect(readFileSync(join(folder, 'extract.out'), 'utf8')).toBe('extracted\n');
    const child = await run('status JB_LOAD');
    expect(child.result.fields).toMatchObject({ job: 'JB_LOAD', status: 'SU', state: 'ok', exit: 0 });
  });

  it('hold → start refused → release → runs', async () => {
    await run('insert_job: JB_HELD   job_type: CMD\ncommand: echo ran > held.out\n', { kind: 'jil' });
    const held = await run('hold JB_HELD');
    expect(held.result.ok).toBe(true);
    expect(held.result.fields).toMatchObject({ status: 'OH', state: 'held' });
    expect(jobsOf(held.result.details)[0]).toMatchObject({ before: { status: 'INACTIVE' }, after: { status: 'ON_HOLD' } });
    const refused = await run('start JB_HELD');
    expect(refused.result.ok).toBe(false);
    expect(refused.result.error!.message).toContain('JB_HELD is ON_HOLD, and AutoSys ignores STARTJOB for a job on hold. Release it first (release JB_HELD)');
    const released = await run('release JB_HELD\nstart JB_HELD\nwait JB_HELD for SUCCESS every=50ms');
    expect(released.result.error).toBeUndefined();
    expect(released.result.fields.state).toBe('ok');
    expect(readFileSync(join(folder, 'held.out'), 'utf8')).toBe('ran\n');
  });

  it('fails a wait when the job ends FAILURE, with the job output attached; set-status then unblocks', async () => {
    await run('insert_job: JB_BAD   job_type: CMD\ncommand: echo "COPY failed: table ORDERS missing" >&2; exit 7\nalarm_if_fail: 1\n', { kind: 'jil' });
    const { result } = await run('force-start JB_BAD\nwait JB_BAD for SU every=50ms');
    expect(result.ok).toBe(false);
    expect(result.fields).toMatchObject({ status: 'FA', statusName: 'FAILURE', state: 'failed', exit: 7 });
    expect(result.error!.message).toContain('JB_BAD ended FAILURE (exit 7) while waiting for SUCCESS');
    expect(result.error!.message).toContain('COPY failed: table ORDERS missing');
    expect(result.fields.output).toContain('COPY failed');
    const wait = result.details!.wait as { outputFile: string; lastStatus: string };
    expect(wait.lastStatus).toBe('FAILURE');
    expect(readFileSync(wait.outputFile, 'utf8')).toContain('COPY failed');
    const fixed = await run('set-status JB_BAD SUCCESS');
    expect(fixed.result.fields.statusName).toBe('SUCCESS');
  });

  it('times out a wait, keeping the last status seen', async () => {
    await run('insert_job: JB_SLOW   job_type: CMD\ncommand: sleep 20\n', { kind: 'jil' });
    const { result } = await run('force-start JB_SLOW\nwait JB_SLOW for SU timeout=300ms every=50ms');
    expect(result.ok).toBe(false);
    expect(result.error!.message).toContain('timed out after 300ms waiting for JB_SLOW to be SUCCESS: last seen RUNNING');
    expect(result.fields).toMatchObject({ status: 'RU', state: 'running' });
    expect((result.details!.wait as { lastStatus: string }).lastStatus).toBe('RUNNING');
    const killed = await run('kill JB_SLOW');
    expect(killed.result.error).toBeUndefined();
    expect(killed.result.fields.status).toBe('TE');
    const again = await run('kill JB_SLOW');
    expect(again.result.error!.message).toContain('JB_SLOW is not running (it is TERMINATED)');
  });

  it('ices and takes off ice; a second ice is a no-op', async () => {
    await run('insert_job: JB_ICE   job_type: CMD\ncommand: true\n', { kind: 'jil' });
    const iced = await run('ice JB_ICE\nice JB_ICE');
    expect(iced.result.fields.state).toBe('iced');
    expect(iced.result.excerpt).toContain('JB_ICE is already ON_ICE');
    const back = await run('unice JB_ICE');
    expect(back.result.fields.status).toBe('IN');
  });

  it('says when a STARTJOB has no effect because conditions are not met', async () => {
    await run('insert_job: JB_GATED   job_type: CMD\ncommand: true\ncondition: s(JB_NEVER_RUN)\ninsert_job: JB_NEVER_RUN   job_type: CMD\ncommand: true\n', { kind: 'jil' });
    const { result } = await run('start JB_GATED');
    expect(result.ok).toBe(false);
    expect(result.error!.message).toContain('STARTJOB JB_GATED was accepted but JB_GATED did not start: it is still INACTIVE');
  });

  it('runs AutoSys commands written as an operator types them, as the bundled recovery runbook does', async () => {
    await run('insert_job: JB_RAW   job_type: CMD\ncommand: echo raw\n', { kind: 'jil' });
    const { result } = await run('sendevent -E FORCE_STARTJOB -J JB_RAW -c "ticket CHG-1"\nautorep -J JB_RAW');
    expect(result.error).toBeUndefined();
    expect(result.fields).toMatchObject({ job: 'JB_RAW' });
    expect(jobsOf(result.details)[0]!.before!.status).toBe('INACTIVE');
    const done = await run('autostatus -J JB_RAW');
    await until(fakes.autosys.eventServer, () => fakes.autosys.eventServer.job('JB_RAW')?.status === 'SUCCESS', 'JB_RAW SUCCESS');
    expect((await run('autorep -J JB_RAW')).result.fields.status).toBe('SU');
    expect(done.result.fields.job).toBe('JB_RAW');
    const refused = await run('sendevent -E FORCE_STARTJOB -J NOT_THERE');
    expect(refused.result.error!.message).toContain('CAUAJM_E_50027 Invalid Job Name: NOT_THERE');
    expect(autosysExecutor.classify('sendevent -E KILLJOB -J X').level).toBe('destructive');
    expect(autosysExecutor.classify('sendevent -E FORCE_STARTJOB -J X').alwaysConfirm).toBe(true);
    expect(autosysExecutor.classify('autorep -J X').level).toBe('read');
  });

  it('shows the scheduler own error for an unknown job', async () => {
    const { result } = await run('status NO_SUCH_JOB');
    expect(result.ok).toBe(false);
    expect(result.error!.message).toBe('autorep -J NO_SUCH_JOB: CAUAJM_E_50027 Invalid Job Name: NO_SUCH_JOB');
  });

  it('reports verb mistakes with the runbook line before running anything', async () => {
    const { result } = await run('status JB_LOAD\nrelase JB_LOAD');
    expect(result.ok).toBe(false);
    expect(result.error!.message).toMatch(/practice\.md:12:1: unknown autosys command "relase" \(did you mean release\?\)/);
    expect(result.details!.commands).toEqual([]);
  });

  it('loads a jil block as written and rejects bad JIL naming the runbook line', async () => {
    const bad = await run('insert_job: JB_X   job_type: CMD\ncomand: true\n', { kind: 'jil' });
    expect(bad.result.ok).toBe(false);
    expect(bad.result.error!.message).toMatch(/practice\.md:12:1: unknown JIL attribute "comand"/);
  });

  it('says what to install or configure when the CLIs cannot be found', async () => {
    const nowhere: Environment = { ...environment, name: 'staging', sandbox: false, autosys: { bin: join(folder, 'no-bin') } };
    const configured = await run('status JB_LOAD', { env: nowhere });
    expect(configured.result.ok).toBe(false);
    expect(configured.result.error!.message).toContain(`AutoSys command "autorep" is not in ${join(folder, 'no-bin')} (autosys.bin of environment "staging")`);
    const onPath: Environment = { ...environment, name: 'staging', sandbox: false, autosys: { instance: 'STG' } };
    const savedPath = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const missing = await run('status JB_LOAD', { env: onPath });
      expect(missing.result.error!.message).toContain('AutoSys command "autorep" was not found on PATH. Install the AutoSys command-line client');
    } finally {
      process.env.PATH = savedPath;
    }
    const none = await run('status JB_LOAD', { env: { ...environment, sandbox: false, autosys: undefined } });
    expect(none.result.error!.message).toContain('has no AutoSys settings');
  });

  it('passes the instance with -S and shows the event server unreachable', async () => {
    const wrong: Environment = { ...environment, autosys: { ...environment.autosys, instance: 'PRD' } };
    const { result } = await run('status JB_LOAD', { env: wrong });
    expect(result.error!.message).toContain('Instance PRD is not defined here');
    const down: Environment = { ...environment, autosys: { bin: environment.autosys!.bin, env: { BATON_AUTOSYS_URL: 'http://127.0.0.1:9/autosys' } } };
    const unreachable = await run('status JB_LOAD', { env: down });
    expect(unreachable.result.error!.message).toContain('Cannot reach the sandbox event server at http://127.0.0.1:9/autosys');
  });

  it('stops a wait when the operator cancels, recording an interruption', async () => {
    await run('insert_job: JB_CANCEL   job_type: CMD\ncommand: sleep 20\n', { kind: 'jil' });
    const controller = new AbortController();
    const pending = run('force-start JB_CANCEL\nwait JB_CANCEL for SU every=50ms', { signal: controller.signal });
    await until(fakes.autosys.eventServer, () => fakes.autosys.eventServer.job('JB_CANCEL')?.status === 'RUNNING', 'JB_CANCEL running');
    controller.abort();
    const { result } = await pending;
    expect(result.interrupted).toBe('aborted');
    expect(result.ok).toBe(false);
    await run('kill JB_CANCEL');
  });

  it('classifies: kill destructive, force-start always confirmed, status read, jil deletions destructive', () => {
    expect(autosysExecutor.classify('status A\nwait A for SU')).toEqual({ level: 'read', reasons: [] });
    expect(autosysExecutor.classify('hold A\nforce-start B')).toEqual({ level: 'write', reasons: ['JOB_ON_HOLD A', 'FORCE_STARTJOB B'], alwaysConfirm: true });
    expect(autosysExecutor.classify('kill A').level).toBe('destructive');
    expect(jilExecutor.classify('delete_box: BX').level).toBe('destructive');
    expect(jilExecutor.classify('insert_job: A\ncommand: x').level).toBe('write');
  });
});

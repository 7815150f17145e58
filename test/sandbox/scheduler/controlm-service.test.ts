import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakes, tempDir, until } from '../../helpers/scheduler.js';

type Fakes = Awaited<ReturnType<typeof startFakes>>;
const running: Fakes[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((f) => f.close()));
});

async function fakes(dataDir?: string, jobCwd = tempDir()): Promise<Fakes> {
  const started = await startFakes({ ...(dataDir ? { dataDir } : {}), controlm: { jobCwd } });
  running.push(started);
  return started;
}

/** A logged-in caller of the fake's API. */
async function api(f: Fakes) {
  const base = `${f.url}/automation-api`;
  const login = await fetch(`${base}/session/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'sandbox', password: 'sandbox' }) });
  const { token } = (await login.json()) as { token: string };
  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> => {
    const response = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined && !(body instanceof FormData) ? { 'content-type': 'application/json' } : {}) },
      body: body instanceof FormData ? body : body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // plain text
    }
    return { status: response.status, body: parsed };
  };
  const deploy = (name: string, content: string) => {
    const form = new FormData();
    form.append('definitionsFile', new Blob([content], { type: 'application/json' }), name);
    return call('POST', '/deploy', form);
  };
  const job = async (jobId: string) => (await call('GET', `/run/job/${jobId}/status`)).body;
  return { call, deploy, job, token };
}

/** Resolves when the job reaches a status, following the fake's changes rather than polling. */
function reached(f: Fakes, jobId: string, wanted: string): Promise<true> {
  const now = () => f.controlm.workbench.instance(jobId).status;
  return until(f.controlm.workbench, () => now() === wanted, `${jobId} ${wanted}`, () => `it is ${now()}`);
}

const fixture = readFileSync(new URL('../../fixtures/controlm/sf-daily.json', import.meta.url), 'utf8');

describe('Control-M fake: sessions and errors', { timeout: 120_000 }, () => {
  it('reports refused logins and job ends to the sandbox log, never a password', async () => {
    const lines: string[] = [];
    const f = await startFakes({ controlm: { log: (line) => lines.push(line) } });
    running.push(f);
    await fetch(`${f.url}/automation-api/session/login`, { method: 'POST', body: JSON.stringify({ username: 'mallory', password: 'guess-123' }) });
    const { deploy, call } = await api(f);
    await deploy('d.json', JSON.stringify({ D: { Type: 'Folder', J: { Type: 'Job:Command', Command: 'true' } } }));
    await call('POST', '/run/order', { folder: 'D' });
    await until(f.controlm.workbench, () => lines.some((l) => l.includes('D/J')), 'the job end in the log');
    expect(lines[0]).toBe('controlm: login refused for user "mallory"');
    expect(lines.join('\n')).toMatch(/controlm: D\/J workbench:\d+ Ended OK \(exit 0, run 1\)/);
    expect(lines.join('\n')).not.toContain('guess-123');
  });

  it('logs in, refuses a wrong password and a missing token with {"errors":[…]}', async () => {
    const f = await fakes();
    const base = `${f.url}/automation-api`;
    const ok = await fetch(`${base}/session/login`, { method: 'POST', body: JSON.stringify({ username: 'sandbox', password: 'sandbox' }) });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ username: 'sandbox', token: expect.any(String), version: expect.any(String) });
    const refused = await fetch(`${base}/session/login`, { method: 'POST', body: JSON.stringify({ username: 'sandbox', password: 'nope' }) });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ errors: [{ message: expect.stringContaining('wrong user name or password') }] });
    const anonymous = await fetch(`${base}/run/jobs/status`);
    expect(anonymous.status).toBe(401);
    const keyed = await fetch(`${base}/config/servers`, { headers: { 'x-api-key': 'sandbox-api-key' } });
    expect(await keyed.json()).toEqual([expect.objectContaining({ name: 'workbench', state: 'Up' })]);
    const { call } = await api(f);
    expect(await call('GET', '/run/job/workbench:99999/status')).toEqual({ status: 404, body: { errors: [{ message: 'Job workbench:99999 not found' }] } });
    f.controlm.expireTokens();
    expect((await call('GET', '/config/servers')).status).toBe(401);
  });

  it('deploys a definitions file, and reports bad JSON with its line and column', async () => {
    const f = await fakes();
    const { deploy } = await api(f);
    const good = await deploy('sf-daily.json', fixture);
    expect(good.status).toBe(200);
    expect(good.body).toEqual([expect.objectContaining({
      deploymentFile: 'sf-daily.json', successfulFoldersCount: 1, successfulJobsCount: 2, deployedFolders: ['SF_DAILY'],
      successfulSmartFoldersCount: 0, successfulConnectionProfilesCount: 0, isDeployDescriptorValid: false, errors: [], warnings: [],
    })]);
    const bad = await deploy('broken.json', '{\n  "X": {\n    "Type": "Folder",\n  }\n}');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ file: 'broken.json', line: 4 });
    const flow = await deploy('flow.json', JSON.stringify({ F: { Type: 'Folder', A: { Type: 'Job:Command', Command: 'true' }, Flow: { Type: 'Flow', Sequence: ['A', 'B'] } } }));
    expect(flow.body.errors[0].message).toContain('"B" is not a job of folder F');
  });
});

// Jobs are real processes: waits follow the fake's changes, and each test has room on a loaded machine.
describe('Control-M fake: runs', { timeout: 120_000 }, () => {
  it('orders a folder: a Flow orders the jobs, statuses move to Ended OK, output and log are text', async () => {
    const cwd = tempDir();
    const f = await fakes(undefined, cwd);
    const { call, deploy, job } = await api(f);
    await deploy('sf-daily.json', fixture);
    // Ordered held, so the never-run shapes can be read before anything runs.
    const ordered = await call('POST', '/run/order', { ctm: 'workbench', folder: 'SF_DAILY', hold: true });
    expect(ordered.body).toEqual({ runId: expect.stringMatching(/^[0-9a-f-]{36}$/), statusURI: expect.stringContaining('/automation-api/run/status/'), monitorPageURI: expect.any(String) });
    const first = await call('GET', `/run/status/${ordered.body.runId}`);
    expect(first.body).toMatchObject({ completion: 'Completed', startIndex: 0, total: 3 });
    const [folderRow, extract, load] = first.body.statuses;
    expect(folderRow).toMatchObject({ type: 'Folder', name: 'SF_DAILY', folderId: 'workbench:', outputURI: 'Folder has no output' });
    expect(extract).toMatchObject({ name: 'SF_EXTRACT', type: 'Command', folderId: folderRow.jobId, numberOfRuns: 0, held: true, status: 'Wait Condition', outputURI: 'Job did not run, it has no output', host: 'etl-agent-01', application: 'SNOWFLAKE_ETL' });
    // Freed first, SF_LOAD still waits for SF_EXTRACT through the Flow.
    await call('POST', `/run/job/${load.jobId}/free`);
    await f.controlm.workbench.idle();
    expect(await job(load.jobId)).toMatchObject({ status: 'Wait Condition', held: false, numberOfRuns: 0 });
    await call('POST', `/run/job/${extract.jobId}/free`);
    await reached(f, load.jobId, 'Ended OK');
    const [e, l] = [await job(extract.jobId), await job(load.jobId)];
    expect(e).toMatchObject({ status: 'Ended OK', numberOfRuns: 1, startTime: expect.stringMatching(/^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}:\d{2} [AP]M$/) });
    expect(l.outputURI).toBe(`${f.url}/automation-api/run/job/${load.jobId}/output`);
    expect((await call('GET', `/run/job/${load.jobId}/output`)).body).toBe('loading SF_LOAD run 1\n');
    const orderId = extract.jobId.split(':')[1];
    expect(readFileSync(join(cwd, `extract.${orderId}.out`), 'utf8')).toBe('extract orders\n');
    const log = (await call('GET', `/run/job/${load.jobId}/log`)).body as string;
    expect(log).toMatch(/Waiting|ordered/);
    expect(log).toContain('Ended OK');
    await reached(f, folderRow.jobId, 'Ended OK');
    const filtered = await call('GET', '/run/jobs/status?jobname=SF_*&status=Ended%20OK');
    expect(filtered.body.statuses.map((s: { name: string }) => s.name)).toEqual(['SF_DAILY', 'SF_EXTRACT', 'SF_LOAD']);
  });

  it('holds an ordered job until it is freed, and keeps the held flag apart from the status', async () => {
    const f = await fakes();
    const { call, deploy, job } = await api(f);
    await deploy('sf-daily.json', fixture);
    const ordered = await call('POST', '/run/order', { folder: 'SF_DAILY', jobs: 'SF_EXTRACT', hold: true });
    const [, extract] = (await call('GET', `/run/status/${ordered.body.runId}`)).body.statuses;
    await f.controlm.workbench.idle();
    expect(await job(extract.jobId)).toMatchObject({ status: 'Wait Condition', held: true, numberOfRuns: 0 });
    expect((await call('POST', `/run/job/${extract.jobId}/rerun`)).status).toBe(400);
    expect((await call('POST', `/run/job/${extract.jobId}/free`)).body).toEqual({ message: expect.stringContaining('free') });
    await reached(f, extract.jobId, 'Ended OK');
    expect((await job(extract.jobId)).held).toBe(false);
  });

  it('ends a failing job not OK, reruns it with numberOfRuns counting, and kills an executing one', async () => {
    const cwd = tempDir();
    const f = await fakes(undefined, cwd);
    const { call, deploy, job } = await api(f);
    await deploy('flaky.json', JSON.stringify({
      FLAKY: {
        Type: 'Folder',
        ONCE: { Type: 'Job:Command', Command: 'if [ -f ok ]; then echo fine; else echo "no file" >&2; exit 3; fi' },
        LONG: { Type: 'Job:Command', Command: 'sleep 30' },
        ASK: { Type: 'Job:Command', Command: 'echo confirmed', Confirm: true },
      },
    }));
    const ordered = await call('POST', '/run/order', { folder: 'FLAKY' });
    const [, once, long, ask] = (await call('GET', `/run/status/${ordered.body.runId}`)).body.statuses;
    await reached(f, once.jobId, 'Ended Not OK');
    expect((await call('GET', `/run/job/${once.jobId}/output`)).body).toBe('no file\n');
    writeFileSync(join(cwd, 'ok'), '');
    const rerun = await call('POST', `/run/job/${once.jobId}/rerun`);
    expect(rerun.body).toMatchObject({ jobId: once.jobId });
    await reached(f, once.jobId, 'Ended OK');
    expect((await job(once.jobId)).numberOfRuns).toBe(2);
    expect((await call('GET', `/run/job/${once.jobId}/output?runNo=1`)).body).toBe('no file\n');
    await reached(f, long.jobId, 'Executing');
    await call('POST', `/run/job/${long.jobId}/kill`);
    await reached(f, long.jobId, 'Ended Not OK');
    expect((await job(ask.jobId)).status).toBe('Wait User');
    await call('POST', `/run/job/${ask.jobId}/confirm`);
    await reached(f, ask.jobId, 'Ended OK');
  });

  it('reruns automatically up to RerunLimit times', async () => {
    const f = await fakes();
    const { call, deploy, job } = await api(f);
    await deploy('retry.json', JSON.stringify({
      RETRY: { Type: 'Folder', TWICE: { Type: 'Job:Command', Command: '[ "%%RUNCOUNT" -ge 3 ]', RerunLimit: { Times: '2', Every: '1', Units: 'Minutes' } } },
    }));
    const ordered = await call('POST', '/run/order', { folder: 'RETRY' });
    const [, twice] = (await call('GET', `/run/status/${ordered.body.runId}`)).body.statuses;
    await reached(f, twice.jobId, 'Ended OK');
    expect((await job(twice.jobId)).numberOfRuns).toBe(3);
  });

  it('keeps deployed folders and jobs across a restart; an executing job ends not OK', async () => {
    const dataDir = tempDir();
    const first = await fakes(dataDir);
    const one = await api(first);
    await one.deploy('d.json', JSON.stringify({ D: { Type: 'Folder', SLEEPY: { Type: 'Job:Command', Command: 'sleep 30' } } }));
    const ordered = await one.call('POST', '/run/order', { folder: 'D' });
    const [, sleepy] = (await one.call('GET', `/run/status/${ordered.body.runId}`)).body.statuses;
    await reached(first, sleepy.jobId, 'Executing');
    await first.close();
    running.splice(running.indexOf(first), 1);
    const second = await fakes(dataDir);
    const two = await api(second);
    expect(await two.job(sleepy.jobId)).toMatchObject({ status: 'Ended Not OK', numberOfRuns: 1 });
    expect((await two.call('POST', '/run/order', { folder: 'D' })).status).toBe(200);
  });
});

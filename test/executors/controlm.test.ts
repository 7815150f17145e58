import { readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Environment } from '../../src/config/environment.js';
import { controlmExecutor } from '../../src/executors/controlm.js';
import type { JobChange } from '../../src/executors/scheduler-action.js';
import type { RunScope } from '../../src/executors/types.js';
import { createControlmService } from '../../src/sandbox/scheduler/index.js';
import { collect, executionContext, sandboxEnvironment, startFakes, tempDir, testScope, until } from '../helpers/scheduler.js';

let fakes: Awaited<ReturnType<typeof startFakes>>;
let environment: Environment;
let folder: string;
const PASSWORD = 'sandbox';
const OPS_PASSWORD = 'Tr1cky-S3cret-9f2';

beforeAll(async () => {
  folder = tempDir('baton-controlm-runbook-');
  fakes = await startFakes({ controlm: { jobCwd: folder, users: { sandbox: PASSWORD, ops: OPS_PASSWORD } } });
  environment = sandboxEnvironment(fakes, { variables: { CTM_PASSWORD: PASSWORD } });
  copyFileSync(new URL('../fixtures/controlm/sf-daily.json', import.meta.url), join(folder, 'sf-daily.json'));
});
afterAll(() => fakes?.close());

interface RunOptions {
  env?: Environment;
  scope?: RunScope;
  signal?: AbortSignal;
  variables?: Record<string, string>;
  secretVariables?: string[];
}

function run(code: string, options: RunOptions = {}) {
  const context = executionContext({
    kind: 'controlm', code, environment: options.env ?? environment, folder, scope: options.scope, signal: options.signal,
    variables: options.variables, secretVariables: options.secretVariables,
  });
  return collect(controlmExecutor.run(context)).then((collected) => ({ ...collected, context }));
}

const jobsOf = (details: Record<string, unknown> | undefined) => (details?.jobs ?? []) as JobChange[];

describe('controlm actions against the Control-M fake', { timeout: 120_000 }, () => {
  it('deploys a folder, orders it, waits for the run, and records every job before and after', async () => {
    const { result } = await run('deploy sf-daily.json\norder SF_DAILY\nwait SF_LOAD for "Ended OK" timeout=1m every=50ms');
    expect(result.error).toBeUndefined();
    expect(result.fields).toMatchObject({ job: 'SF_LOAD', status: 'Ended OK', state: 'ok', numberOfRuns: 1, runId: expect.any(String) });
    const changes = jobsOf(result.details);
    expect(changes.map((c) => [c.name, c.before, c.after?.status])).toEqual([
      ['SF_DAILY', null, expect.any(String)], ['SF_EXTRACT', null, expect.any(String)], ['SF_LOAD', null, 'Ended OK'],
    ]);
    expect((result.details!.deployed as { deployedFolders: string[] }[])[0]!.deployedFolders).toEqual(['SF_DAILY']);
    const whole = await run(`wait ${result.fields.runId} for Ended OK every=50ms\nstatus ${result.fields.runId}`);
    expect(whole.result.error).toBeUndefined();
    expect((whole.result.fields.jobs as { name: string; state: string }[]).map((j) => [j.name, j.state])).toEqual([
      ['SF_DAILY', 'ok'], ['SF_EXTRACT', 'ok'], ['SF_LOAD', 'ok'],
    ]);
    const output = await run('output SF_LOAD');
    expect(output.result.fields.output).toBe('loading SF_LOAD run 1\n');
    const log = await run('log SF_LOAD');
    expect(log.result.fields.output).toContain('Ended OK');
  });

  it('fills {{NAME}} in a deployed folder as JSON strings; orders the whole Flow; status and output read the latest order', async () => {
    writeFileSync(join(folder, 'customers.json'), `{
  "CUSTOMERS": {
    "Type": "Folder", "ControlmServer": "{{CTM_SERVER}}", "OrderMethod": "Automatic", "Application": "SALES_DW",
    "SubApplication": "CUSTOMERS", "RunAs": "{{CTM_RUN_AS}}", "Description": "customers", "When": { "WeekDays": ["MON"], "FromTime": "0230" },
    "LOAD_CUSTOMERS": {
      "Type": "Job:Command", "Command": "echo 'load {{DB}}: {{NOTE}}' > load.{{DB}}.out && echo loaded {{DB}}", "Host": "{{CTM_HOST}}", "RunAs": "{{CTM_RUN_AS}}",
      "Description": "load", "RerunLimit": { "Times": "2" },
      "NotifyOnFail": { "Type": "If:CompletionStatus", "CompletionStatus": "NOTOK",
        "MailOncall": { "Type": "Action:Mail", "To": "oncall@example.com", "Subject": "%%JOBNAME ended not OK", "Message": "m", "AttachOutput": true, "Urgency": "Urgent" } }
    },
    "PUBLISH_CUSTOMERS": { "Type": "Job:Command", "Command": "echo published {{DB}} by {{CTM_PASSWORD_COPY}}", "Host": "{{CTM_HOST}}", "RunAs": "{{CTM_RUN_AS}}" },
    "Flow": { "Type": "Flow", "Sequence": ["LOAD_CUSTOMERS", "PUBLISH_CUSTOMERS"] }
  }
}
`);
    const variables = { DB: 'SALES_DW', NOTE: 'a "quoted" note', CTM_SERVER: 'workbench', CTM_HOST: 'localhost', CTM_RUN_AS: 'etl', CTM_PASSWORD_COPY: 'pw-7731' };
    const deployed = await run('deploy customers.json', { variables, secretVariables: ['CTM_PASSWORD_COPY'] });
    expect(deployed.result.error).toBeUndefined();
    // Deploying defines the jobs without ordering them.
    expect(fakes.controlm.workbench.instances().filter((j) => j.folder === 'CUSTOMERS')).toEqual([]);
    const [kept] = deployed.result.details!.definitions as { text: string }[];
    expect(kept!.text).toContain('"ControlmServer": "workbench"');
    expect(kept!.text).toContain('echo published SALES_DW by ••••••');
    expect(JSON.stringify(deployed.result)).not.toContain('pw-7731');

    const first = await run('order CUSTOMERS\nwait PUBLISH_CUSTOMERS for "Ended OK" timeout=1m every=50ms', { variables });
    expect(first.result.error).toBeUndefined();
    expect(readFileSync(join(folder, 'load.SALES_DW.out'), 'utf8')).toBe('load SALES_DW: a "quoted" note\n');
    const again = await run('order CUSTOMERS\nwait PUBLISH_CUSTOMERS for "Ended OK" timeout=1m every=50ms', { variables });
    expect(again.result.error).toBeUndefined();
    const latest = await run('status LOAD_CUSTOMERS\noutput LOAD_CUSTOMERS\nstatus PUBLISH_CUSTOMERS');
    expect(latest.result.error).toBeUndefined();
    expect(latest.result.fields).toMatchObject({ job: 'PUBLISH_CUSTOMERS', status: 'Ended OK', state: 'ok', jobId: again.result.fields.jobId });
    expect(latest.result.fields.jobId).not.toBe(first.result.fields.jobId);
    expect(latest.result.fields.output).toBe('loaded SALES_DW\n');
  });

  it('never masks the sandbox fake\'s documented password, which is an ordinary word', async () => {
    writeFileSync(join(folder, 'words.json'), JSON.stringify({ WORDS: { Type: 'Folder', SAY: { Type: 'Job:Command', Command: 'echo this sandbox has workbench' } } }));
    const builtIn: Environment = { name: 'sandbox', protected: false, sandbox: true, variables: {} };
    const saved = process.env.BATON_SANDBOX_URL;
    process.env.BATON_SANDBOX_URL = fakes.url;
    try {
      const { result, context } = await run('deploy words.json\norder WORDS\nwait SAY every=50ms timeout=1m\noutput SAY', { env: builtIn });
      expect(result.error).toBeUndefined();
      expect(result.fields.output).toBe('this sandbox has workbench\n');
      expect(result.excerpt).not.toContain('••••••');
      expect(readFileSync(context.logFile, 'utf8')).toContain('logged in to Control-M at');
      expect(readFileSync(context.logFile, 'utf8')).toContain('as sandbox');
    } finally {
      if (saved === undefined) delete process.env.BATON_SANDBOX_URL;
      else process.env.BATON_SANDBOX_URL = saved;
    }
  });

  it('a failed job → the wait fails with its output → rerun → Ended OK', async () => {
    writeFileSync(join(folder, 'flaky.json'), JSON.stringify({
      FLAKY: { Type: 'Folder', SF_MERGE: { Type: 'Job:Command', Command: 'if [ -f merge.ok ]; then echo merged; else echo "MERGE failed: duplicate key" >&2; exit 2; fi' } },
    }));
    const failed = await run('deploy flaky.json\norder FLAKY\nwait SF_MERGE for "Ended OK" every=50ms');
    expect(failed.result.ok).toBe(false);
    expect(failed.result.fields).toMatchObject({ status: 'Ended Not OK', state: 'failed' });
    expect(failed.result.error!.message).toContain('SF_MERGE ended Ended Not OK while waiting for Ended OK');
    expect(failed.result.error!.message).toContain('MERGE failed: duplicate key');
    expect(failed.result.fields.output).toContain('MERGE failed');
    writeFileSync(join(folder, 'merge.ok'), '');
    const rerun = await run('rerun SF_MERGE\nwait SF_MERGE for "Ended OK" every=50ms');
    expect(rerun.result.error).toBeUndefined();
    expect(rerun.result.fields).toMatchObject({ status: 'Ended OK', state: 'ok', numberOfRuns: 2 });
    expect(jobsOf(rerun.result.details)[0]).toMatchObject({ before: { status: 'Ended Not OK', numberOfRuns: 1 }, after: { status: 'Ended OK', numberOfRuns: 2 } });
  });

  it('orders held, frees, confirms, and kills, with the held flag in the fields', async () => {
    writeFileSync(join(folder, 'ops.json'), JSON.stringify({
      OPS: {
        Type: 'Folder',
        SF_HELD: { Type: 'Job:Command', Command: 'echo held-run' },
        SF_ASK: { Type: 'Job:Command', Command: 'echo asked', Confirm: true },
        SF_LONG: { Type: 'Job:Command', Command: 'sleep 30' },
      },
    }));
    const held = await run('deploy ops.json\norder OPS SF_HELD hold\nstatus SF_HELD');
    expect(held.result.error).toBeUndefined();
    expect(held.result.fields).toMatchObject({ status: 'Wait Condition', state: 'held', held: true });
    const freed = await run('free SF_HELD\nwait SF_HELD for "Ended OK" every=50ms');
    expect(freed.result.fields).toMatchObject({ state: 'ok', held: false });
    const asked = await run('order OPS SF_ASK\nstatus SF_ASK\nconfirm SF_ASK\nwait SF_ASK every=50ms');
    expect(asked.result.error).toBeUndefined();
    const long = await run('order OPS SF_LONG\nwait SF_LONG for Executing every=50ms\nkill SF_LONG');
    expect(long.result.error).toBeUndefined();
    expect(long.result.fields.status).toBe('Ended Not OK');
  });

  it('holds a waiting job, runs one now past its conditions, and sets a failed one OK', async () => {
    writeFileSync(join(folder, 'gates.json'), JSON.stringify({
      GATES: {
        Type: 'Folder',
        SF_GATED: { Type: 'Job:Command', Command: 'echo gated', WaitForEvents: { Type: 'WaitForEvents', Events: [{ Event: 'NEVER-COMES' }] } },
        SF_BROKEN: { Type: 'Job:Command', Command: 'exit 5' },
      },
    }));
    const { result } = await run(`deploy gates.json
order GATES
hold SF_GATED
status SF_GATED
free SF_GATED
run-now SF_GATED
wait SF_GATED for "Ended OK" every=50ms
wait SF_BROKEN for "Ended Not OK" every=50ms
set-ok SF_BROKEN`);
    expect(result.error).toBeUndefined();
    expect(result.fields).toMatchObject({ job: 'SF_BROKEN', status: 'Ended OK', state: 'ok' });
    const changes = jobsOf(result.details);
    expect(changes.find((c) => c.name === 'SF_GATED')!.after).toMatchObject({ status: 'Ended OK', held: false });
    expect(changes.find((c) => c.name === 'SF_BROKEN')).toMatchObject({ before: null, after: { status: 'Ended OK' } });
    expect(result.excerpt).toContain('hold SF_GATED');
    expect(result.excerpt).toMatch(/runNow SF_GATED \(workbench:\d+\): Wait Condition → (Wait Condition|Executing|Ended OK)/);
  });

  it('times out a wait and keeps the last status seen', async () => {
    writeFileSync(join(folder, 'slow.json'), JSON.stringify({ SLOW: { Type: 'Folder', SF_SLOW: { Type: 'Job:Command', Command: 'sleep 30' } } }));
    const { result } = await run('deploy slow.json\norder SLOW\nwait SF_SLOW for "Ended OK" timeout=300ms every=50ms');
    expect(result.ok).toBe(false);
    expect(result.error!.message).toMatch(/timed out after 300ms waiting for SF_SLOW to be Ended OK: last seen (Executing|Wait Condition)/);
    expect((result.details!.wait as { lastStatus: string }).lastStatus).toMatch(/Executing|Wait Condition/);
    await run('wait SF_SLOW for Executing every=50ms\nkill SF_SLOW');
  });

  it('logs in again once when the token expires in the middle of a wait', async () => {
    writeFileSync(join(folder, 'renew.json'), JSON.stringify({ RENEW: { Type: 'Folder', SF_RENEW: { Type: 'Job:Command', Command: 'while [ ! -f renew.go ]; do sleep 0.05; done' } } }));
    const scope = testScope();
    const ordered = await run('deploy renew.json\norder RENEW', { scope });
    expect(ordered.result.details!.logins).toBe(1);
    const pending = run('wait SF_RENEW for "Ended OK" every=50ms', { scope });
    await until(fakes.controlm.workbench, () => fakes.controlm.workbench.instances().some((j) => j.name === 'SF_RENEW' && j.status === 'Executing'), 'SF_RENEW executing');
    fakes.controlm.expireTokens();
    writeFileSync(join(folder, 'renew.go'), '');
    const { result } = await pending;
    expect(result.error).toBeUndefined();
    expect(result.details!.logins).toBe(2);
    await scope.close();
  });

  it('shows a refused login, an unknown job, an unknown job id and an unreachable API', async () => {
    const wrong = await run('status SF_LOAD', { env: { ...environment, variables: { CTM_PASSWORD: 'wrong-password' } } });
    expect(wrong.result.ok).toBe(false);
    expect(wrong.result.error!.message).toContain('Control-M refused the login of user sandbox');
    expect(wrong.result.error!.message).toContain('wrong user name or password');
    expect(wrong.result.error!.message).toContain('variable CTM_PASSWORD');
    expect(wrong.result.error!.message).not.toContain('wrong-password');
    const unset = await run('status SF_LOAD', { env: { ...environment, variables: {} } });
    expect(unset.result.error!.message).toContain('the Control-M password variable CTM_PASSWORD');
    const unknown = await run('status NO_SUCH_JOB');
    expect(unknown.result.error!.message).toContain('Control-M has no ordered job named NO_SUCH_JOB');
    const badId = await run('status workbench:99999');
    expect(badId.result.error!.message).toBe('GET /run/job/workbench:99999/status: Job workbench:99999 not found');
    const down = await run('status SF_LOAD', { env: { ...environment, controlm: { ...environment.controlm!, endpoint: 'http://127.0.0.1:9/automation-api' } } });
    expect(down.result.error!.message).toContain('cannot reach Control-M at http://127.0.0.1:9/automation-api (ECONNREFUSED)');
    expect(down.result.retrySafe).toBe(true);
  });

  it('uses an API key with x-api-key, and never writes the password to the log or the result', async () => {
    const keyed = await run('status SF_LOAD', { env: { ...environment, controlm: { endpoint: environment.controlm!.endpoint, tokenVariable: 'CTM_KEY' } }, variables: { CTM_KEY: 'sandbox-api-key' } });
    expect(keyed.result.error).toBeUndefined();
    expect(keyed.result.details!.logins).toBe(0);
    const ops = { ...environment, controlm: { ...environment.controlm!, user: 'ops', passwordVariable: 'OPS_PASSWORD' } };
    const { result, context, events } = await run('status SF_LOAD\noutput SF_LOAD', { env: ops, variables: { OPS_PASSWORD } });
    expect(result.ok).toBe(true);
    const log = readFileSync(context.logFile, 'utf8');
    expect(log).toContain('logged in to Control-M at');
    expect(log).toContain('as ops');
    expect(log).not.toContain(OPS_PASSWORD);
    expect(JSON.stringify(events)).not.toContain(OPS_PASSWORD);
  });

  it('accepts a self-signed endpoint only when insecure is set', async () => {
    const tls = (name: string) => readFileSync(new URL(`../fixtures/tls/${name}`, import.meta.url));
    let base = '';
    const service = await createControlmService({ dataDir: tempDir(), baseUrl: () => base });
    const server = createServer({ key: tls('self-signed.key'), cert: tls('self-signed.crt') }, (req, res) => void service.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const strict = { ...environment, controlm: { endpoint: `${base}/automation-api`, user: 'sandbox', passwordVariable: 'CTM_PASSWORD' } };
      const refused = await run('status SF_LOAD', { env: strict });
      expect(refused.result.error!.message).toContain('is not trusted');
      expect(refused.result.error!.message).toContain('controlm.insecure: true');
      const trusted = await run('status SF_LOAD', { env: { ...strict, controlm: { ...strict.controlm, insecure: true } } });
      expect(trusted.result.error!.message).toContain('Control-M has no ordered job named SF_LOAD');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await service.close();
    }
  });

  it('reports verb mistakes with the runbook line, and classifies kill and run-now', async () => {
    const { result } = await run('status SF_LOAD\nwait SF_LOAD for "Ended Fine"');
    expect(result.error!.message).toMatch(/practice\.md:12:\d+: unknown Control-M status "Ended Fine"/);
    expect(controlmExecutor.classify('status A\nwait A\noutput A').level).toBe('read');
    expect(controlmExecutor.classify('kill A').level).toBe('destructive');
    expect(controlmExecutor.classify('order F\nrun-now A')).toEqual({ level: 'write', reasons: ['order F', 'runNow A'], alwaysConfirm: true });
  });
});

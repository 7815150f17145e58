// Issue 7's "done when", end to end through real processes only: a fresh sandbox started with
// `baton sandbox start --detach` on a port of its own, then `baton exec` of a runbook that deploys
// an AutoSys box and a Control-M folder (their files filled from the run's variables), runs them,
// waits for them, and checks with SQL the rows the jobs loaded — each job a `baton sql` of its own
// against the sandbox that runs it.
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/store/record.js';
import { repoRoot, requireBuild, tempDir } from '../helpers/scheduler.js';

let folder: string;
let state: string;

// Only what a shell needs: no BATON_SANDBOX_URL from outside, so baton must find the sandbox of
// the state folder, whatever port it was given.
const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', BATON_OPERATOR: 'trainee' };

function baton(args: string[], timeout = 120_000) {
  return execa('node', [join(repoRoot, 'bin', 'baton.js'), ...args, '--state-dir', state], {
    cwd: folder, reject: false, stdin: 'ignore', env: { ...env, SNOWFLAKE_HOME: join(folder, 'snowflake') }, extendEnv: false, timeout,
  });
}

beforeAll(async () => {
  requireBuild();
  folder = tempDir('baton-go-live-');
  state = join(folder, 'state');
  cpSync(join(repoRoot, 'test', 'fixtures', 'scheduler-go-live'), folder, { recursive: true });
  const started = await baton(['sandbox', 'start', '--detach', '--port', '0']);
  expect(started.stderr).toBe('');
  expect(started.stdout).toMatch(/autosys\s+\/autosys\s+up/);
  expect(started.stdout).toMatch(/controlm\s+\/automation-api\s+up/);
}, 120_000);

afterAll(async () => {
  if (!state) return;
  await baton(['sandbox', 'stop']);
  rmSync(folder, { recursive: true, force: true });
}, 60_000);

describe('a go-live runbook on both schedulers, headless', () => {
  it('deploys, runs and waits for a box and a folder whose jobs load rows that SQL then checks', { timeout: 600_000 }, async () => {
    const result = await baton(['exec', 'go-live.md', '--yes'], 540_000);
    expect(result.stderr).toBe('');
    expect(result.exitCode, result.stdout).toBe(0);

    const shown = await baton(['show', 'last', '--json']);
    const record = JSON.parse(shown.stdout) as RunRecord;
    const attempt = (name: string) => record.steps.flatMap((s) => s.actions).find((a) => a.name === name)!.attempts.at(-1)!;
    for (const name of ['deploy-box', 'run-box', 'run-folder', 'orders-loaded', 'orders-counted', 'customers-loaded', 'customers-counted']) {
      expect([name, attempt(name).status]).toEqual([name, 'succeeded']);
    }
    // The record keeps the definitions as they were loaded: filled from the run's variables.
    const [jil] = attempt('deploy-box').details!.definitions as { file: string; text: string }[];
    expect(jil!.file).toBe('jobs/orders.jil');
    expect(jil!.text).toContain('COPY INTO E2E_DW.RAW.ORDERS FROM @SOURCE_DB.PUBLIC.LANDING');
    expect(jil!.text).not.toMatch(/\{\{(DB|SQL_CLIENT|JOB_LOG_DIR)\}\}/);
    const [json] = attempt('deploy-folder').details!.definitions as { text: string }[];
    expect(JSON.parse(json!.text).E2E_CUSTOMERS.ControlmServer).toBe('workbench');
    const box = attempt('run-box').details!.jobs as { name: string; before: { status: string } | null; after: { status: string } | null }[];
    expect(box.find((j) => j.name === 'E2E_ORDERS_BOX')).toMatchObject({ before: { status: 'ON_HOLD' }, after: { status: 'SUCCESS' } });

    // Relative job output files land in the sandbox's data folder, under the jobs' working folder.
    const logs = join(state, 'sandbox', 'jobs', 'job-logs');
    expect(readFileSync(join(logs, 'E2E_ORDERS_LOAD.out'), 'utf8')).toContain('orders_2024-06-01.csv');
    expect(existsSync(join(folder, 'job-logs'))).toBe(false);
  });
});

// A small go-live runbook run headless with `baton exec` (the built CLI, a real child process)
// against the scheduler fakes: deploy an AutoSys box and a Control-M folder, hold, start, wait,
// recover a failed job, and check what the jobs wrote. The record keeps job states before/after.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, requireBuild, startFakes, tempDir } from '../helpers/scheduler.js';

let fakes: Awaited<ReturnType<typeof startFakes>>;
let folder: string;
let state: string;

const runbook = `---
title: Scheduler go-live practice
summary: Deploy the nightly jobs to both schedulers, run them once, and check what they loaded.
---
# Scheduler go-live practice

## Deploy the AutoSys box

\`\`\`autosys {name=deploy}
deploy jobs/nightly.jil
\`\`\`

## Hold the load before the change

\`\`\`autosys {name=hold expect='state == "held"'}
hold JB_E2E_LOAD
\`\`\`

## Start the box while the load is held

\`\`\`autosys {name=start-box}
force-start BX_E2E
wait JB_E2E_EXTRACT for SU every=100ms timeout=1m
\`\`\`

\`\`\`autosys {name=still-held expect='status == "RU" and state == "running"'}
status BX_E2E
\`\`\`

## Release the load and wait for the box

\`\`\`autosys {name=release capture=box}
release JB_E2E_LOAD
wait BX_E2E for SU every=100ms timeout=1m
\`\`\`

## Run the Control-M folder

\`\`\`controlm {name=order capture=order expect='state == "ok"'}
deploy folders/nightly.json
order NIGHTLY
wait NIGHTLY_MERGE for "Ended OK" every=100ms timeout=1m
\`\`\`

## Recover the failed publish

\`\`\`controlm {name=publish on-fail=continue}
wait NIGHTLY_PUBLISH for "Ended OK" every=100ms timeout=1m
\`\`\`

\`\`\`bash {name=fix}
touch publish.ok
\`\`\`

\`\`\`controlm {name=rerun expect='numberOfRuns == 2'}
rerun NIGHTLY_PUBLISH
wait NIGHTLY_PUBLISH for "Ended OK" every=100ms timeout=1m
\`\`\`

## Every other AutoSys verb

\`\`\`autosys {name=ice expect='state == "ok"'}
ice JB_E2E_ARCHIVE
unice JB_E2E_ARCHIVE
start JB_E2E_ARCHIVE
wait JB_E2E_ARCHIVE for SUCCESS every=100ms timeout=1m
\`\`\`

\`\`\`autosys {name=kill expect='status == "SU"'}
force-start JB_E2E_LONG
wait JB_E2E_LONG for RU every=100ms timeout=1m
kill JB_E2E_LONG
set-status JB_E2E_LONG SUCCESS
\`\`\`

## Every other Control-M verb

\`\`\`controlm {name=ops expect='status == "Ended OK" and job == "OPS_BAD"'}
deploy folders/ops.json
order OPS hold
hold OPS_ECHO
free OPS_ECHO
wait OPS_ECHO for "Ended OK" every=100ms timeout=1m
output OPS_ECHO
log OPS_ECHO
free OPS_GATE
confirm OPS_GATE
wait OPS_GATE every=100ms timeout=1m
free OPS_BLOCKED
run-now OPS_BLOCKED
wait OPS_BLOCKED every=100ms timeout=1m
free OPS_BAD
wait OPS_BAD for "Ended Not OK" every=100ms timeout=1m
set-ok OPS_BAD
status OPS_BAD
\`\`\`

## Check what was loaded

\`\`\`bash {name=rows expect='stdout contains "autosys rows=3" and stdout contains "controlm rows=2"'}
cat autosys-load.txt controlm-load.txt
\`\`\`
`;

beforeAll(async () => {
  requireBuild();
  folder = tempDir('baton-e2e-');
  state = join(folder, 'state');
  fakes = await startFakes({ autosys: { jobCwd: folder }, controlm: { jobCwd: folder } });
  writeFileSync(join(folder, 'go-live.md'), runbook);
  writeFileSync(join(folder, 'baton.yaml'), 'default: sandbox\nenvironments:\n  sandbox:\n    sandbox: true\n');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(join(folder, 'jobs'));
  mkdirSync(join(folder, 'folders'));
  writeFileSync(join(folder, 'jobs', 'nightly.jil'), `insert_job: BX_E2E   job_type: BOX
alarm_if_fail: 1

insert_job: JB_E2E_EXTRACT   job_type: CMD
box_name: BX_E2E
command: printf 'a\\nb\\nc\\n' > extract.csv

insert_job: JB_E2E_LOAD   job_type: CMD
box_name: BX_E2E
command: echo "autosys rows=$(wc -l < extract.csv | tr -d ' ')" > autosys-load.txt
condition: s(JB_E2E_EXTRACT)

insert_job: JB_E2E_ARCHIVE   job_type: CMD
command: echo archived > archive.txt

insert_job: JB_E2E_LONG   job_type: CMD
command: sleep 60
`);
  writeFileSync(join(folder, 'folders', 'ops.json'), JSON.stringify({
    OPS: {
      Type: 'Folder',
      OPS_ECHO: { Type: 'Job:Command', Command: 'echo ops-echo' },
      OPS_GATE: { Type: 'Job:Command', Command: 'echo gate', Confirm: true },
      OPS_BLOCKED: { Type: 'Job:Command', Command: 'echo blocked', WaitForEvents: { Type: 'WaitForEvents', Events: [{ Event: 'NEVER-ADDED' }] } },
      OPS_BAD: { Type: 'Job:Command', Command: 'exit 9' },
    },
  }));
  writeFileSync(join(folder, 'folders', 'nightly.json'), JSON.stringify({
    NIGHTLY: {
      Type: 'Folder',
      NIGHTLY_STAGE: { Type: 'Job:Command', Command: "printf '1\\n2\\n' > stage.csv" },
      NIGHTLY_MERGE: { Type: 'Job:Command', Command: 'echo "controlm rows=$(wc -l < stage.csv | tr -d \' \')" > controlm-load.txt' },
      NIGHTLY_PUBLISH: { Type: 'Job:Command', Command: 'test -f publish.ok || { echo "publish target missing" >&2; exit 4; }' },
      Flow: { Type: 'Flow', Sequence: ['NIGHTLY_STAGE', 'NIGHTLY_MERGE'] },
    },
  }, null, 2));
});
afterAll(() => fakes?.close());

describe('baton exec of a scheduler runbook', () => {
  it('runs every verb: deploys, holds, starts, releases, waits, recovers a failed job, and records job states', { timeout: 300_000 }, async () => {
    const result = await execa('node', [join(repoRoot, 'bin', 'baton.js'), 'exec', join(folder, 'go-live.md'), '--yes', '--state-dir', state], {
      cwd: folder,
      reject: false,
      stdin: 'ignore',
      env: { NO_COLOR: '1', BATON_SANDBOX_URL: fakes.url, BATON_OPERATOR: 'trainee' },
    });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('publish target missing');
    expect(readFileSync(join(folder, 'autosys-load.txt'), 'utf8')).toBe('autosys rows=3\n');
    expect(readFileSync(join(folder, 'controlm-load.txt'), 'utf8')).toBe('controlm rows=2\n');

    // The record holds each scheduler action's job states before and after.
    const [file] = readdirSync(join(state, 'runs')).filter((f) => f.endsWith('.json'));
    const record = JSON.parse(readFileSync(join(state, 'runs', file!), 'utf8')) as {
      steps: { title: string; actions: { name: string; attempts: { status: string; details?: { jobs?: { name: string; before: { status: string } | null; after: { status: string } | null }[] } }[] }[] }[];
    };
    const attempts = (name: string) => record.steps.flatMap((s) => s.actions).find((a) => a.name === name)!.attempts;
    const jobs = (name: string, n = 0) => attempts(name)[n]!.details!.jobs!.map((j) => [j.name, j.before?.status ?? null, j.after?.status ?? null]);
    expect(jobs('deploy')).toEqual(['BX_E2E', 'JB_E2E_EXTRACT', 'JB_E2E_LOAD', 'JB_E2E_ARCHIVE', 'JB_E2E_LONG'].map((name) => [name, null, 'INACTIVE']));
    expect(jobs('hold')).toEqual([['JB_E2E_LOAD', 'INACTIVE', 'ON_HOLD']]);
    const [load, box] = jobs('release');
    expect(load!.slice(0, 2)).toEqual(['JB_E2E_LOAD', 'ON_HOLD']);
    expect(load![2]).not.toBe('ON_HOLD');
    expect([box![0], box![2]]).toEqual(['BX_E2E', 'SUCCESS']);
    expect(attempts('publish')[0]!.status).toBe('failed');
    expect(jobs('rerun')).toEqual([['NIGHTLY_PUBLISH', 'Ended Not OK', 'Ended OK']]);
    expect(jobs('ice')).toEqual([['JB_E2E_ARCHIVE', 'INACTIVE', 'SUCCESS']]);
    expect(jobs('kill')).toEqual([['JB_E2E_LONG', 'INACTIVE', 'SUCCESS']]);
    expect(readFileSync(join(folder, 'archive.txt'), 'utf8')).toBe('archived\n');
    expect(result.stdout).toContain('ops-echo');
    expect(jobs('ops').map(([name, before, after]) => [name, before, after])).toEqual([
      ['OPS', null, expect.any(String)], ['OPS_ECHO', null, 'Ended OK'], ['OPS_GATE', null, 'Ended OK'],
      ['OPS_BLOCKED', null, 'Ended OK'], ['OPS_BAD', null, 'Ended OK'],
    ]);
  });
});

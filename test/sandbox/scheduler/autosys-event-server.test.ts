import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAutorep } from '../../../src/scheduler/autorep.js';
import { parseJil } from '../../../src/scheduler/jil.js';
import { runAutosysCommand } from '../../../src/sandbox/scheduler/autosys/commands.js';
import { AutosysEventServer, type AutosysTimings } from '../../../src/sandbox/scheduler/autosys/event-server.js';
import { emptyWorld, type AutosysJob } from '../../../src/sandbox/scheduler/autosys/model.js';
import { tempDir, until } from '../../helpers/scheduler.js';

const servers: AutosysEventServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function server(dataDir = tempDir(), timings: Partial<AutosysTimings> = {}): AutosysEventServer {
  const created = new AutosysEventServer({ dataDir, jobCwd: dataDir, timings: { startingMs: 10, restartMs: 20, watchPollMs: 20, ...timings } });
  servers.push(created);
  return created;
}

function autorep(s: AutosysEventServer, ...args: string[]) {
  return runAutosysCommand(s, 'autorep', args, '');
}

function load(s: AutosysEventServer, jil: string): void {
  const reply = s.loadJil(jil);
  expect(reply.stderr).toBe('');
  expect(reply.exit).toBe(0);
}

function send(s: AutosysEventServer, event: string, job: string, extra: string[] = []): void {
  const reply = runAutosysCommand(s, 'sendevent', ['-E', event, '-J', job, ...extra], '');
  expect(reply.stderr).toBe('');
  expect(reply.exit).toBe(0);
}

const status = (s: AutosysEventServer, name: string) => s.job(name)?.status;
const reached = (s: AutosysEventServer, name: string, wanted: string) => until(s, () => status(s, name) === wanted, `${name} ${wanted}`, () => `it is ${status(s, name)}`);

describe('AutoSys fake: reports', () => {
  it('prints the summary exactly as the reference lays it out, from a state file written before start', () => {
    const dataDir = tempDir();
    const at = (h: number, m: number, s: number) => new Date(2026, 5, 3, h, m, s).getTime();
    const job = (name: string, type: string, box: string | undefined, fields: Partial<AutosysJob>): AutosysJob => ({
      name, type, definition: box ? [{ name: 'box_name', value: box }] : [], status: 'INACTIVE', lastStart: null, lastEnd: null,
      run: 0, ntry: 0, exit: 0, events: [], history: [], alarms: [], ...fields,
    });
    const world = emptyWorld();
    world.jobs = {
      BX_SF_DAILY: job('BX_SF_DAILY', 'BOX', undefined, { status: 'FAILURE', lastStart: at(2, 0, 1), lastEnd: at(2, 31, 40), run: 812, ntry: 1, exit: 1 }),
      JB_SF_EXTRACT: job('JB_SF_EXTRACT', 'CMD', 'BX_SF_DAILY', { status: 'SUCCESS', lastStart: at(2, 0, 2), lastEnd: at(2, 10, 15), run: 812, ntry: 1 }),
      JB_SF_LOAD: job('JB_SF_LOAD', 'CMD', 'BX_SF_DAILY', { status: 'FAILURE', lastStart: at(2, 10, 16), lastEnd: at(2, 31, 39), run: 812, ntry: 1, exit: 127 }),
      JB_SF_VALIDATE: job('JB_SF_VALIDATE', 'CMD', 'BX_SF_DAILY', {}),
    };
    writeFileSync(join(dataDir, 'autosys-state.json'), JSON.stringify(world));
    const s = server(dataDir);
    const expected = readFileSync(new URL('../../fixtures/autosys/summary-wide.txt', import.meta.url), 'utf8');
    expect(autorep(s, '-J', 'BX_SF_DAILY', '-w').stdout).toBe(expected);
    // Narrow: names cut to the narrow width, same ruler-derived reading.
    const narrow = parseAutorep(autorep(s, '-J', 'BX_SF_%').stdout).rows;
    expect(narrow.map((r) => [r.name, r.depth, r.code])).toEqual([
      ['BX_SF_DAILY', 0, 'FA'], ['JB_SF_EXTRACT', 1, 'SU'], ['JB_SF_LOAD', 1, 'FA'], ['JB_SF_VALIDATE', 1, 'IN'],
    ]);
    expect(autorep(s, '-J', 'BX_SF_DAILY', '-L0').stdout.trim().split('\n')).toHaveLength(3);
  });

  it('prints JIL with -q that reads back to the same definitions', () => {
    const s = server();
    const jil = readFileSync(new URL('../../fixtures/autosys/query.jil', import.meta.url), 'utf8');
    load(s, jil);
    const printed = autorep(s, '-J', 'BX_SF_DAILY', '-q').stdout;
    expect(printed).toContain('/* ----------------- JB_SF_LOAD ----------------- */\n\ninsert_job: JB_SF_LOAD   job_type: CMD\nbox_name: BX_SF_DAILY\n');
    const again = parseJil(printed);
    expect(again.problems).toEqual([]);
    const definitions = (text: string) =>
      parseJil(text).statements.map((st) => [st.name, st.attributes.map((a) => `${a.name}=${a.value}`)]);
    expect(definitions(printed)).toEqual(definitions(jil));
  });

  it('keeps every attribute a go-live definition uses and shows it with -q, a job inserted ON_HOLD held from the start', () => {
    const s = server();
    const attributes = [
      'box_name: BX_GO', 'command: baton sql --env sandbox -q "COPY INTO DW.RAW.ORDERS FROM @DW.RAW.LANDING/orders/"', 'machine: localhost',
      'owner: etl', 'status: ON_HOLD', 'n_retrys: 2', 'box_terminator: 1', 'job_terminator: 1', 'term_run_time: 60', 'max_run_alarm: 30',
      'alarm_if_fail: 1', 'alarm_if_terminated: 1', 'send_notification: F', 'notification_emailaddress: etl-oncall@example.com',
      'std_out_file: "job-logs/${AUTO_JOB_NAME}.out"', 'std_err_file: "job-logs/${AUTO_JOB_NAME}.err"', 'description: "COPY the new orders files"',
      'condition: s(JB_GO_EXTRACT)',
    ];
    load(s, `insert_job: BX_GO   job_type: BOX\nbox_success: s(JB_GO)\nbox_failure: f(JB_GO)\ninsert_job: JB_GO_EXTRACT   job_type: CMD\nbox_name: BX_GO\ncommand: true\ninsert_job: JB_GO   job_type: CMD\n${attributes.join('\n')}\n`);
    expect(status(s, 'JB_GO')).toBe('ON_HOLD');
    const printed = autorep(s, '-J', 'JB_GO', '-q').stdout;
    expect(printed.split('\n').slice(4, -1)).toEqual(attributes);
    expect(autorep(s, '-J', 'BX_GO', '-q').stdout).toContain('box_success: s(JB_GO)\nbox_failure: f(JB_GO)\n');
  });

  it('answers an unknown job with the scheduler error from the data file', () => {
    const s = server();
    expect(autorep(s, '-J', 'NOPE')).toEqual({ stdout: '', stderr: 'CAUAJM_E_50027 Invalid Job Name: NOPE\n', exit: 1 });
    expect(runAutosysCommand(s, 'sendevent', ['-E', 'STARTJOB', '-J', 'NOPE'], '').stderr).toContain('CAUAJM_E_50027');
    expect(runAutosysCommand(s, 'autostatus', ['-J', 'NOPE'], '').exit).toBe(1);
    expect(runAutosysCommand(s, 'sendevent', ['-E', 'startjob', '-J', 'X'], '').stderr).toContain('Invalid event: startjob');
    expect(runAutosysCommand(s, 'autorep', ['-J', 'X', '-S', 'PRD'], '').stderr).toContain('Instance PRD');
  });
});

// Jobs are real processes: a loaded machine is slow, so waits follow the server's changes and
// each test has room; a wait that runs out says what it waited for.
describe('AutoSys fake: jobs', { timeout: 120_000 }, () => {
  it('runs a box: children activate, conditions order them, the box ends SUCCESS with the run number shared', async () => {
    const s = server();
    load(s, `insert_job: BX   job_type: BOX
insert_job: JA   job_type: CMD
box_name: BX
command: echo A > a.txt
insert_job: JB   job_type: CMD
box_name: BX
command: test -f a.txt && echo B
condition: s(JA)
`);
    send(s, 'FORCE_STARTJOB', 'BX');
    await reached(s, 'BX', 'SUCCESS');
    const [ja, jb, bx] = [s.job('JA')!, s.job('JB')!, s.job('BX')!];
    expect(jb.status).toBe('SUCCESS');
    expect(jb.lastStart!).toBeGreaterThanOrEqual(ja.lastEnd!);
    expect(new Set([ja.run, jb.run, bx.run]).size).toBe(1);
    expect(jb.events.map((e) => e.event)).toEqual(['ACTIVATED', 'STARTING', 'RUNNING', 'SUCCESS']);
    expect(readFileSync(jb.stdoutFile!, 'utf8')).toBe('B\n');
    const detail = parseAutorep(autorep(s, '-J', 'JB', '-d').stdout).rows[0]!;
    expect(detail.events!.map((e) => e.event)).toEqual(['ACTIVATED', 'STARTING', 'RUNNING', 'SUCCESS']);
  });

  it('fails a box when a child fails, and raises the alarm of alarm_if_fail', async () => {
    const s = server();
    load(s, `insert_job: BX   job_type: BOX
insert_job: JA   job_type: CMD
box_name: BX
command: echo broken >&2; exit 4
alarm_if_fail: 1
insert_job: JB   job_type: CMD
box_name: BX
command: true
`);
    send(s, 'FORCE_STARTJOB', 'BX');
    await reached(s, 'BX', 'FAILURE');
    expect(s.job('JA')).toMatchObject({ status: 'FAILURE', exit: 4 });
    expect(s.job('JA')!.alarms.map((a) => a.alarm)).toEqual(['JOBFAILURE']);
    expect(s.job('BX')!.exit).toBe(1);
    expect(readFileSync(s.job('JA')!.stderrFile!, 'utf8')).toBe('broken\n');
  });

  it('keeps a box running while a child is on hold; releasing the child lets it run and the box end', async () => {
    const s = server();
    load(s, `insert_job: BX   job_type: BOX
insert_job: JA   job_type: CMD
box_name: BX
command: true
insert_job: JB   job_type: CMD
box_name: BX
command: true
`);
    send(s, 'JOB_ON_HOLD', 'JB');
    await reached(s, 'JB', 'ON_HOLD');
    send(s, 'STARTJOB', 'JB');
    send(s, 'FORCE_STARTJOB', 'BX');
    await reached(s, 'JA', 'SUCCESS');
    expect(status(s, 'BX')).toBe('RUNNING');
    expect(status(s, 'JB')).toBe('ON_HOLD');
    send(s, 'JOB_OFF_HOLD', 'JB');
    await reached(s, 'BX', 'SUCCESS');
    expect(status(s, 'JB')).toBe('SUCCESS');
  });

  it('treats an iced job as satisfying the conditions on it, and unice returns it to INACTIVE', async () => {
    const s = server();
    load(s, `insert_job: BX   job_type: BOX
insert_job: JA   job_type: CMD
box_name: BX
command: exit 9
insert_job: JB   job_type: CMD
box_name: BX
command: true
condition: s(JA)
`);
    send(s, 'JOB_ON_ICE', 'JA');
    await reached(s, 'JA', 'ON_ICE');
    send(s, 'FORCE_STARTJOB', 'BX');
    await reached(s, 'BX', 'SUCCESS');
    expect(status(s, 'JB')).toBe('SUCCESS');
    expect(s.job('JA')!.lastStart).toBeNull();
    send(s, 'JOB_OFF_ICE', 'JA');
    await reached(s, 'JA', 'INACTIVE');
  });

  it('retries a failed job n_retrys times, through RESTART, and counts the tries', async () => {
    const s = server();
    load(s, `insert_job: JR   job_type: CMD
command: if [ -f tried ]; then echo second; else touch tried; exit 2; fi
n_retrys: 1
alarm_if_fail: 1
`);
    send(s, 'FORCE_STARTJOB', 'JR');
    await until(s, () => status(s, 'JR') === 'SUCCESS' && s.job('JR')!.ntry === 2, 'second try to succeed');
    const events = s.job('JR')!.events.map((e) => e.event);
    expect(events).toEqual(['[FORCE_STARTJOB]', 'STARTING', 'RUNNING', 'FAILURE', '[*** ALARM ***]', 'RESTART', 'STARTING', 'RUNNING', 'SUCCESS']);
    expect(parseAutorep(autorep(s, '-J', 'JR').stdout).rows[0]).toMatchObject({ ntry: 2, code: 'SU' });
  });

  it('kills a running job to TERMINATED, and downstream s() conditions do not fire', async () => {
    const s = server();
    load(s, `insert_job: JLONG   job_type: CMD
command: sleep 30
insert_job: JNEXT   job_type: CMD
command: true
condition: s(JLONG)
`);
    send(s, 'FORCE_STARTJOB', 'JLONG');
    await reached(s, 'JLONG', 'RUNNING');
    send(s, 'KILLJOB', 'JLONG');
    await reached(s, 'JLONG', 'TERMINATED');
    expect(status(s, 'JNEXT')).toBe('INACTIVE');
    // CHANGE_STATUS to SUCCESS unblocks the chain, as operators do after a kill.
    send(s, 'CHANGE_STATUS', 'JLONG', ['-s', 'SUCCESS']);
    await reached(s, 'JNEXT', 'SUCCESS');
  });

  it('starts a top-level job when its condition comes true; STARTJOB waits for conditions, FORCE_STARTJOB does not', async () => {
    const s = server();
    load(s, `insert_job: UP   job_type: CMD
command: true
insert_job: DOWN   job_type: CMD
command: true
condition: s(UP) & v(MODE) = "full"
`);
    send(s, 'STARTJOB', 'DOWN');
    await s.idle();
    expect(status(s, 'DOWN')).toBe('INACTIVE');
    expect(runAutosysCommand(s, 'sendevent', ['-E', 'SET_GLOBAL', '-G', 'MODE=full'], '').exit).toBe(0);
    send(s, 'FORCE_STARTJOB', 'UP');
    await reached(s, 'DOWN', 'SUCCESS');
    expect(runAutosysCommand(s, 'autostatus', ['-G', 'MODE'], '').stdout).toBe('full\n');
  });

  it('does not return a force-started held job to hold, and ignores STARTJOB while held', async () => {
    const s = server();
    load(s, 'insert_job: JH   job_type: CMD\ncommand: true\n');
    send(s, 'JOB_ON_HOLD', 'JH');
    await reached(s, 'JH', 'ON_HOLD');
    send(s, 'STARTJOB', 'JH');
    await s.idle();
    expect(status(s, 'JH')).toBe('ON_HOLD');
    send(s, 'FORCE_STARTJOB', 'JH');
    await reached(s, 'JH', 'SUCCESS');
  });

  it('resets the children of a box forced INACTIVE', async () => {
    const s = server();
    load(s, 'insert_job: BX   job_type: BOX\ninsert_job: JA   job_type: CMD\nbox_name: BX\ncommand: true\n');
    send(s, 'FORCE_STARTJOB', 'BX');
    await reached(s, 'BX', 'SUCCESS');
    send(s, 'CHANGE_STATUS', 'BX', ['-s', 'INACTIVE']);
    await reached(s, 'JA', 'INACTIVE');
    expect(status(s, 'BX')).toBe('INACTIVE');
  });

  it('rejects bad JIL without applying any of it, and an insert of an existing job on its own', () => {
    const s = server();
    const bad = s.loadJil('insert_job: A   job_type: CMD\ncomand: true\n');
    expect(bad.exit).not.toBe(0);
    expect(bad.stderr).toContain('line 2: unknown JIL attribute "comand" (did you mean command?)');
    expect(bad.stderr).toContain('Database Change WAS NOT successful');
    expect(s.job('A')).toBeUndefined();
    load(s, 'insert_job: A   job_type: CMD\ncommand: true\n');
    const again = s.loadJil('insert_job: A   job_type: CMD\ncommand: true\ninsert_job: B   job_type: CMD\ncommand: true\nbox_name: NOBOX\n');
    expect(again.exit).not.toBe(0);
    expect(again.stderr).toContain('Job A already exists');
    expect(again.stderr).toContain('Box NOBOX of job B does not exist');
    const badCondition = s.loadJil('update_job: A\ncondition: s(X) &\n');
    expect(badCondition.stderr).toContain('bad condition');
  });

  it('keeps its state across a restart; a job running when it stopped ends TERMINATED', async () => {
    const dataDir = tempDir();
    const first = server(dataDir);
    load(first, 'insert_job: JS   job_type: CMD\ncommand: sleep 30\ninsert_job: JT   job_type: CMD\ncommand: true\n');
    runAutosysCommand(first, 'sendevent', ['-E', 'FORCE_STARTJOB', '-J', 'JS'], '');
    runAutosysCommand(first, 'sendevent', ['-E', 'FORCE_STARTJOB', '-J', 'JT'], '');
    await reached(first, 'JS', 'RUNNING');
    await reached(first, 'JT', 'SUCCESS');
    await first.close();
    servers.splice(servers.indexOf(first), 1);
    expect(existsSync(join(dataDir, 'autosys-state.json'))).toBe(true);
    const second = server(dataDir);
    expect(status(second, 'JS')).toBe('TERMINATED');
    expect(status(second, 'JT')).toBe('SUCCESS');
    expect(second.job('JT')!.run).toBeGreaterThan(0);
  });

  it('completes a file watcher when its file appears', async () => {
    const dir = tempDir();
    const s = server(dir);
    load(s, `insert_job: FW_IN   job_type: FW\nwatch_file: ${join(dir, 'inbound', 'orders_*.csv')}\nwatch_interval: 1\n`);
    send(s, 'FORCE_STARTJOB', 'FW_IN');
    await reached(s, 'FW_IN', 'RUNNING');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'inbound'));
    writeFileSync(join(dir, 'inbound', 'orders_1.csv'), 'id\n1\n');
    await reached(s, 'FW_IN', 'SUCCESS');
  });

  it('keeps past runs for autorep -r', async () => {
    const s = server();
    load(s, 'insert_job: JP   job_type: CMD\ncommand: exit $((AUTORUN % 2))\n');
    send(s, 'FORCE_STARTJOB', 'JP');
    await until(s, () => ['SUCCESS', 'FAILURE'].includes(status(s, 'JP')!), 'first run');
    const firstRun = s.job('JP')!.run;
    const firstStatus = status(s, 'JP');
    send(s, 'FORCE_STARTJOB', 'JP');
    await until(s, () => s.job('JP')!.run !== firstRun && ['SUCCESS', 'FAILURE'].includes(status(s, 'JP')!), 'second run');
    const previous = parseAutorep(autorep(s, '-J', 'JP', '-r', '-1').stdout).rows[0]!;
    expect(previous.run).toBe(firstRun);
    expect(previous.status).toBe(firstStatus);
    expect(autorep(s, '-J', 'JP', '-r', '99999').stderr).toContain('CAUAJM_E_10323');
  });
});

// The library's box: a load with retries and box_terminator, and a stage waiting on the load.
const ORDERS_BOX = `insert_job: BX_ORDERS   job_type: BOX
alarm_if_terminated: 1
insert_job: JB_LOAD   job_type: CMD
box_name: BX_ORDERS
command: if [ -f load.ok ]; then echo loaded; else echo "COPY failed" >&2; exit 3; fi
n_retrys: 2
box_terminator: 1
insert_job: JB_STAGE   job_type: CMD
box_name: BX_ORDERS
command: echo staged > stage.txt
condition: s(JB_LOAD)
insert_job: JB_SIDE   job_type: CMD
box_name: BX_ORDERS
command: sleep 30
`;

describe('AutoSys fake: how a box ends early', { timeout: 120_000 }, () => {
  it('terminates the box when a box_terminator job fails after its last retry; waiting jobs stop, running ones run on', async () => {
    const dir = tempDir();
    const s = server(dir);
    load(s, ORDERS_BOX);
    send(s, 'FORCE_STARTJOB', 'BX_ORDERS');
    await reached(s, 'BX_ORDERS', 'TERMINATED');
    expect(s.job('JB_LOAD')).toMatchObject({ status: 'FAILURE', ntry: 3, exit: 3 });
    expect(status(s, 'JB_STAGE')).toBe('INACTIVE');
    // Without job_terminator a running sibling is not killed by the box's end.
    expect(status(s, 'JB_SIDE')).toBe('RUNNING');
    expect(s.job('BX_ORDERS')!.alarms.map((a) => a.alarm)).toEqual(['JOBTERMINATED']);
    expect(s.job('BX_ORDERS')!.events.at(-2)!.note).toBe('box_terminator: JB_LOAD ended FAILURE');
    const row = parseAutorep(autorep(s, '-J', 'BX_ORDERS').stdout).rows;
    expect(row.map((r) => [r.name, r.code])).toEqual([['BX_ORDERS', 'TE'], ['JB_LOAD', 'FA'], ['JB_STAGE', 'IN'], ['JB_SIDE', 'RU']]);
    send(s, 'KILLJOB', 'JB_SIDE');
    await reached(s, 'JB_SIDE', 'TERMINATED');

    // After the fix, force-starting the box starts a new run of the box and all its children.
    writeFileSync(join(dir, 'load.ok'), '');
    const failedRun = s.job('BX_ORDERS')!.run;
    send(s, 'FORCE_STARTJOB', 'BX_ORDERS');
    await reached(s, 'JB_STAGE', 'SUCCESS');
    await s.idle();
    expect(status(s, 'JB_LOAD')).toBe('SUCCESS');
    expect(s.job('BX_ORDERS')!.run).not.toBe(failedRun);
    expect(s.job('JB_STAGE')!.run).toBe(s.job('BX_ORDERS')!.run);
    expect(readFileSync(join(dir, 'stage.txt'), 'utf8')).toBe('staged\n');
    // A sibling without box_terminator that is killed ends the box by the usual rule: FAILURE.
    send(s, 'KILLJOB', 'JB_SIDE');
    await reached(s, 'BX_ORDERS', 'FAILURE');
  });

  it('kills running jobs that have job_terminator when their box fails', async () => {
    const s = server();
    load(s, `insert_job: BX   job_type: BOX
box_failure: f(JA)
insert_job: JA   job_type: CMD
box_name: BX
command: exit 1
insert_job: JLONG   job_type: CMD
box_name: BX
command: sleep 30
job_terminator: 1
insert_job: JAFTER   job_type: CMD
box_name: BX
command: true
condition: s(JA)
`);
    send(s, 'FORCE_STARTJOB', 'BX');
    await reached(s, 'BX', 'FAILURE');
    await reached(s, 'JLONG', 'TERMINATED');
    expect(status(s, 'JAFTER')).toBe('INACTIVE');
    expect(s.job('BX')!.events.at(-1)!.note).toBe('box_failure: f(JA)');
  });

  it('ends a box SUCCESS when box_success holds, and FAILURE when its children are done and it does not', async () => {
    const s = server();
    load(s, `insert_job: BX   job_type: BOX
box_success: s(JA)
insert_job: JA   job_type: CMD
box_name: BX
command: true
insert_job: JWAIT   job_type: CMD
box_name: BX
command: true
condition: s(JNEVER)
insert_job: JNEVER   job_type: CMD
command: true
insert_job: BY   job_type: BOX
box_success: s(JB) & s(JC)
insert_job: JB   job_type: CMD
box_name: BY
command: true
insert_job: JC   job_type: CMD
box_name: BY
command: exit 2
`);
    send(s, 'FORCE_STARTJOB', 'BX');
    send(s, 'FORCE_STARTJOB', 'BY');
    await reached(s, 'BX', 'SUCCESS');
    expect(status(s, 'JWAIT')).toBe('INACTIVE');
    await reached(s, 'BY', 'FAILURE');
    expect(status(s, 'JB')).toBe('SUCCESS');
  });

  it('kills a job past term_run_time and raises the max_run_alarm of a long one', async () => {
    const s = server(tempDir(), { minuteMs: 150 });
    load(s, `insert_job: JHUNG   job_type: CMD
command: sleep 30
term_run_time: 2
max_run_alarm: 1
alarm_if_terminated: 1
`);
    send(s, 'FORCE_STARTJOB', 'JHUNG');
    await reached(s, 'JHUNG', 'TERMINATED');
    expect(s.job('JHUNG')!.alarms.map((a) => a.alarm)).toEqual(['MAXRUNALARM', 'JOBTERMINATED']);
    const detail = autorep(s, '-J', 'JHUNG', '-d').stdout;
    expect(detail).toContain('term_run_time of 2 min reached');
  });
});

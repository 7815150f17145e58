import { describe, expect, it } from 'vitest';
import { parseAutosysScript } from '../../src/scheduler/autosys-script.js';
import { parseControlmScript } from '../../src/scheduler/controlm-script.js';

describe('parseAutosysScript', () => {
  it('reads every verb, with statuses by code or name and wait options', () => {
    const { commands, problems } = parseAutosysScript(`# before the change window
status BX_SF_%
start JB_LOAD
force-start JB_LOAD
kill JB_LOAD
hold JB_LOAD
release JB_LOAD
ice JB_LOAD
unice JB_LOAD
set-status JB_LOAD su
wait {{ JOB }} for SU|FAILURE timeout=45m every=10s
wait JB_LOAD
deploy jobs/daily.jil
sendevent -E CHANGE_STATUS -s SUCCESS -J JB_LOAD -c "CHG-42 done by hand"
autorep -J JB_LOAD -d
`);
    expect(problems).toEqual([]);
    expect(commands.map((c) => c.verb)).toEqual([
      'status', 'start', 'force-start', 'kill', 'hold', 'release', 'ice', 'unice', 'set-status', 'wait', 'wait', 'deploy', 'command', 'command',
    ]);
    expect(commands[8]).toEqual({ verb: 'set-status', job: 'JB_LOAD', status: 'SUCCESS', line: 10 });
    expect(commands[9]).toEqual({ verb: 'wait', job: '{{JOB}}', statuses: ['SUCCESS', 'FAILURE'], timeoutMs: 45 * 60_000, everyMs: 10_000, line: 11 });
    expect(commands[10]).toMatchObject({ statuses: ['SUCCESS'] });
    expect(commands[12]).toEqual({ verb: 'command', program: 'sendevent', args: ['-E', 'CHANGE_STATUS', '-s', 'SUCCESS', '-J', 'JB_LOAD', '-c', 'CHG-42 done by hand'], line: 14 });
  });

  it('reports each mistake at its line and column, with what to write instead', () => {
    const { problems } = parseAutosysScript(`stat JB_LOAD
start
hold JB_A JB_B
set-status JB_LOAD RUNNING
wait JB_LOAD until SU
wait JB_LOAD for DONE
wait JB_LOAD for SU timout=5m
wait JB_LOAD for SU every=soon
kill JB_% 
deploy daily.txt
start JB_LOAD every=1m
jil < x.jil
sendevent -J JB_LOAD
`);
    expect(problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      '1:1 unknown autosys command "stat" (did you mean start?)',
      '2:6 start needs a job name: start JB_LOAD',
      '3:11 hold takes one job name; write one line per job',
      '4:20 set-status takes one of SUCCESS, FAILURE, TERMINATED, INACTIVE, not "RUNNING"',
      '5:14 write: wait JB_LOAD for SU [timeout=30m every=30s]',
      '6:18 unknown AutoSys status "DONE" (e.g. SU, FA, TE, IN or SUCCESS)',
      '7:21 unknown option "timout" (use timeout, every); did you mean timeout?',
      '8:27 every: bad duration "soon" at "soon" (write e.g. 90s, 2m or 1h30m)',
      '9:6 kill takes one job name; % wildcards only work with status',
      '10:8 deploy expects a .jil file, not "daily.txt" (for JIL written here, use a jil block)',
      '11:15 start takes no options ("every=" only goes with wait)',
      '12:1 jil reads definitions from its input: write them in a jil block, or use deploy FILE.jil',
      '13:1 sendevent needs -E EVENT, e.g. sendevent -E STARTJOB -J JB_LOAD',
    ]);
  });

  it('reports an empty block and an unclosed quote', () => {
    expect(parseAutosysScript('# nothing\n').problems[0]!.message).toContain('empty autosys block');
    expect(parseAutosysScript('sendevent -E COMMENT -J A -c "open').problems).toEqual([
      { line: 1, column: 30, message: 'a quote is not closed: add the closing "' },
    ]);
  });
});

describe('parseControlmScript', () => {
  it('reads every verb, with statuses quoted, unquoted or joined', () => {
    const { commands, problems } = parseControlmScript(`deploy folders/sf_daily.json
order SF_DAILY
order SF_DAILY SF_LOAD hold date=20260603 ctm=CTM_PRD
status SF_LOAD
status b877cd1e-a749-4436-bf00-8b7266e05957
wait SF_LOAD for "Ended OK" timeout=2h every=1m
wait SF_LOAD for Ended Not OK|Ended OK
wait SF_LOAD
rerun SF_LOAD
hold SF_LOAD
free SF_LOAD
kill workbench:00012
confirm SF_LOAD
set-ok SF_LOAD
run-now SF_LOAD
output SF_LOAD run=1
log SF_LOAD
`);
    expect(problems).toEqual([]);
    expect(commands[1]).toEqual({ verb: 'order', folder: 'SF_DAILY', hold: false, line: 2 });
    expect(commands[2]).toEqual({ verb: 'order', folder: 'SF_DAILY', jobs: 'SF_LOAD', hold: true, ctm: 'CTM_PRD', orderDate: '20260603', line: 3 });
    expect(commands[5]).toEqual({ verb: 'wait', target: 'SF_LOAD', statuses: ['Ended OK'], timeoutMs: 7_200_000, everyMs: 60_000, line: 6 });
    expect(commands[6]).toMatchObject({ statuses: ['Ended Not OK', 'Ended OK'] });
    expect(commands[7]).toMatchObject({ statuses: ['Ended OK'] });
    expect(commands[15]).toEqual({ verb: 'output', target: 'SF_LOAD', runNo: 1, line: 16 });
    expect(commands.map((c) => c.verb)).toEqual(['deploy', 'order', 'order', 'status', 'status', 'wait', 'wait', 'wait', 'rerun', 'hold', 'free', 'kill', 'confirm', 'set-ok', 'run-now', 'output', 'log']);
  });

  it('reports each mistake at its line and column', () => {
    const { problems } = parseControlmScript(`ordr SF_DAILY
order
order SF_DAILY A B
order SF_DAILY date=tomorrow
wait SF_LOAD for "Ended Fine"
rerun SF_LOAD SF_MERGE
output SF_LOAD run=last
deploy sf.yaml
hold SF_LOAD every=5s
`);
    expect(problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      '1:1 unknown controlm command "ordr" (did you mean order?)',
      '2:6 order needs a folder: order SF_DAILY [JOB]',
      '3:18 order takes a folder and at most one job (or a pattern such as "SF_*")',
      '4:21 date must be YYYYMMDD, not "tomorrow"',
      '5:18 unknown Control-M status "Ended Fine" (e.g. "Ended OK", "Ended Not OK", "Executing")',
      '6:15 rerun takes one job name or job id; write one line per job',
      '7:20 run must be a run number (0 = last), not "last"',
      '8:8 deploy expects a .json definitions file, not "sf.yaml"',
      '9:14 hold takes no "every=" option',
    ]);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jilValue, jobTypeName, parseJil } from '../../src/scheduler/jil.js';

describe('parseJil', () => {
  it('reads autorep -q output: banners skipped, job_type on the insert_job line, free-text command', () => {
    const text = readFileSync(new URL('../fixtures/autosys/query.jil', import.meta.url), 'utf8');
    const { statements, problems } = parseJil(text);
    expect(problems).toEqual([]);
    expect(statements.map((s) => [s.subcommand, s.name, s.line])).toEqual([
      ['insert_job', 'BX_SF_DAILY', 3],
      ['insert_job', 'JB_SF_LOAD', 13],
    ]);
    const load = statements[1]!;
    expect(jobTypeName(jilValue(load, 'job_type'))).toBe('CMD');
    expect(jilValue(load, 'command')).toBe('/opt/etl/bin/sf_load.sh --env prod --note key:value');
    expect(jilValue(load, 'condition')).toBe('s(JB_SF_EXTRACT) & (d(FW_SF_FEED) | n(JB_SF_ARCHIVE))');
    expect(jilValue(load, 'std_out_file')).toBe('/var/log/etl/${AUTO_JOB_NAME}.out');
    expect(jilValue(statements[0]!, 'start_times')).toBe('02:00');
    expect(jilValue(statements[0]!, 'permission')).toBe('');
  });

  it('names the line and column of an unknown attribute, with a suggestion', () => {
    const { problems } = parseJil('insert_job: A   job_type: c\ncomand: echo hi\nmachine: localhost   n_retry: 2\n');
    expect(problems).toEqual([
      { line: 2, column: 1, message: 'unknown JIL attribute "comand" (did you mean command?)' },
      { line: 3, column: 22, message: 'unknown JIL attribute "n_retry" (did you mean n_retrys?)' },
    ]);
  });

  it('never splits inside quotes', () => {
    const { statements, problems } = parseJil('insert_job: A job_type: b\ndescription: "owner: etl team"\nstart_times: "02:00, 14:30"  alarm_if_fail: 1\n');
    expect(problems).toEqual([]);
    expect(statements[0]!.attributes.map((a) => [a.name, a.value])).toEqual([
      ['job_type', 'b'],
      ['description', '"owner: etl team"'],
      ['start_times', '"02:00, 14:30"'],
      ['alarm_if_fail', '1'],
    ]);
    expect(jobTypeName('b')).toBe('BOX');
  });

  it('rejects attributes before a subcommand, on delete_job, and a line that is not a pair', () => {
    const { problems } = parseJil('machine: x\ndelete_job: A\ncommand: ls\ninsert_job: B\njust words\n');
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [1, '"machine" comes before any insert_job/update_job: start with insert_job: NAME'],
      [3, 'delete_job takes no attributes ("command" belongs to insert_job or update_job)'],
      [5, 'expected "attribute: value", found "just words"'],
    ]);
  });

  it('keeps line numbers across multi-line comments', () => {
    const { statements } = parseJil('/* one\n two */\ninsert_job: X\n');
    expect(statements[0]!.line).toBe(3);
  });
});

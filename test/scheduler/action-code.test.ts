import { describe, expect, it } from 'vitest';
import { parseRunbook } from '../../src/runbook/parse.js';

describe('scheduler blocks in baton validate', () => {
  it('reports verb, JIL and condition mistakes at their line in the runbook file', () => {
    const source = [
      '---',                  // 1
      'variables:',
      '  JOB: { default: JB_LOAD }',
      '---',
      '# Go-live',            // 5
      '',
      '## Hold the load',     // 3
      '',
      '```autosys',           // 5
      'status JB_LOAD',       // 6
      'holdd JB_LOAD',         // 11
      '```',
      '',
      '## Define the job',    // 10
      '',
      '```jil',               // 12
      'insert_job: {{ JOB }}   job_type: CMD',
      'command: echo load',
      'condition: s(JB_EXTRACT) &',  // 15
      '```',
      '',
      '## Order',             // 18
      '',
      '```controlm',          // 20
      'order SF_DAILY',
      'wait SF_LOAD for "Ended Fine"',  // 22
      '```',
      '',
    ].join('\n');
    const { problems } = parseRunbook(source, 'go-live.md');
    expect(problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      '11:1 unknown autosys command "holdd" (did you mean hold?)',
      '19:1 condition of {{JOB}}: condition ends too early',
      '26:18 unknown Control-M status "Ended Fine" (e.g. "Ended OK", "Ended Not OK", "Executing")',
    ]);
  });

  it('accepts the verbs, program lines and JIL a runbook normally holds', () => {
    const source = '# Ok\n\n## Run\n\n```autosys\nsendevent -E FORCE_STARTJOB -J JB_LOAD\nwait JB_LOAD for SU timeout=2h\n```\n\n```jil\ninsert_job: JB_X   job_type: CMD\ncommand: true\n```\n';
    expect(parseRunbook(source, 'ok.md').problems).toEqual([]);
  });
});

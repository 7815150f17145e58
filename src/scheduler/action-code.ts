// Checks of scheduler blocks for `baton validate` and the parser: the verb languages and JIL are
// read before anything runs, so a typo is reported at its line instead of at 3 a.m.
import type { ActionKind } from '../runbook/model.js';
import { parseAutosysScript } from './autosys-script.js';
import { parseCondition } from './condition.js';
import { parseControlmScript } from './controlm-script.js';
import { jilValue, parseJil } from './jil.js';
import type { ScriptProblem } from './script-words.js';

/** Problems in the code of an `autosys`, `jil` or `controlm` block (line 1 = the block's first line); none for other kinds. */
export function schedulerCodeProblems(kind: ActionKind, code: string): ScriptProblem[] {
  if (kind === 'autosys') return parseAutosysScript(code).problems;
  if (kind === 'controlm') return parseControlmScript(code).problems;
  if (kind !== 'jil') return [];
  // `{{ NAME }}` is filled before jil sees it; read it as one word here.
  const text = code.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}/g, (whole, name: string) => `{{${name}}}`.padEnd(whole.length));
  const { statements, problems } = parseJil(text);
  if (statements.length === 0 && problems.length === 0) {
    return [{ line: 1, column: 1, message: 'empty jil block: write the job definitions, e.g. insert_job: JB_LOAD   job_type: CMD' }];
  }
  for (const statement of statements) {
    const condition = jilValue(statement, 'condition');
    if (!condition || condition.includes('{{')) continue;
    const parsed = parseCondition(condition);
    if ('error' in parsed) {
      const attribute = statement.attributes.findLast((a) => a.name === 'condition')!;
      problems.push({ line: attribute.line, column: 1, message: `condition of ${statement.name}: ${parsed.error}` });
    }
  }
  return problems;
}

// The `controlm` verb language: one command per line, each one Automation API call (or a few).
// Pure: the runbook validator calls parseControlmScript to report mistakes before anything runs.
import { controlmStatusWord } from './job-state.js';
import { endColumn, isTemplate, parseScript, unknownVerb, waitOptions, type ScriptLine, type ScriptProblem } from './script-words.js';
import type { Classification } from '../executors/types.js';

/** Verbs of the `controlm` language. */
export const CONTROLM_VERBS = [
  'deploy', 'order', 'status', 'wait', 'rerun', 'hold', 'free', 'kill', 'confirm', 'set-ok', 'run-now', 'output', 'log',
] as const;

/** One verb. */
export type ControlmVerb = (typeof CONTROLM_VERBS)[number];

/** The job action (`POST /run/job/{jobId}/<action>`) of each action verb. */
export const VERB_ACTIONS: Partial<Record<ControlmVerb, string>> = {
  rerun: 'rerun',
  hold: 'hold',
  free: 'free',
  kill: 'kill',
  confirm: 'confirm',
  'set-ok': 'setToOk',
  'run-now': 'runNow',
};

/** One parsed command. */
export type ControlmCommand =
  | { verb: 'deploy'; file: string; line: number }
  | { verb: 'order'; folder: string; jobs?: string; hold: boolean; ctm?: string; orderDate?: string; line: number }
  | { verb: 'status'; target: string; line: number }
  | { verb: 'output' | 'log'; target: string; runNo?: number; line: number }
  | { verb: 'wait'; target: string; statuses: string[]; timeoutMs?: number; everyMs?: number; line: number }
  | { verb: 'rerun' | 'hold' | 'free' | 'kill' | 'confirm' | 'set-ok' | 'run-now'; target: string; line: number };

/** What {@link parseControlmScript} found. */
export interface ParsedControlmScript {
  commands: ControlmCommand[];
  problems: ScriptProblem[];
}

/** Parse a `controlm` block; problems carry 1-based line and column within the block. */
export function parseControlmScript(code: string): ParsedControlmScript {
  return parseScript(code, { name: 'controlm', example: 'status SF_LOAD', verbs: CONTROLM_VERBS }, parseLine);
}

function parseLine(line: ScriptLine, problems: ScriptProblem[]): ControlmCommand | undefined {
  const [verbWord, target, ...rest] = line.words;
  const verb = verbWord!.text.toLowerCase() as ControlmVerb;
  if (!CONTROLM_VERBS.includes(verb)) {
    problems.push(unknownVerb(line, CONTROLM_VERBS, 'controlm'));
    return undefined;
  }
  const problem = (column: number, message: string): undefined => {
    problems.push({ line: line.line, column, message });
    return undefined;
  };
  const noOptions = (): boolean => {
    if (line.options.size === 0) return true;
    const [key, word] = [...line.options][0]!;
    problem(word.column - key.length - 1, `${verb} takes no "${key}=" option`);
    return false;
  };
  if (!target) {
    const what = verb === 'deploy' ? 'a file: deploy folders/sf_daily.json' : verb === 'order' ? 'a folder: order SF_DAILY [JOB]' : `a job name or run id: ${verb} SF_LOAD`;
    return problem(endColumn(line), `${verb} needs ${what}`);
  }
  switch (verb) {
    case 'deploy':
      if (!noOptions()) return undefined;
      if (rest.length > 0) return problem(rest[0]!.column, 'deploy takes one file; write one deploy line per file');
      if (!isTemplate(target.text) && !/\.(json|xml|zip)$/i.test(target.text)) return problem(target.column, `deploy expects a .json definitions file, not "${target.text}"`);
      return { verb, file: target.text, line: line.line };
    case 'order': {
      const words = [...rest];
      let hold = false;
      if (words.at(-1)?.text.toLowerCase() === 'hold' && !words.at(-1)!.quoted) {
        hold = true;
        words.pop();
      }
      if (words.length > 1) return problem(words[1]!.column, 'order takes a folder and at most one job (or a pattern such as "SF_*")');
      const options: { ctm?: string; orderDate?: string } = {};
      for (const [key, word] of line.options) {
        if (key === 'ctm' || key === 'server') options.ctm = word.text;
        else if (key === 'date') {
          if (!isTemplate(word.text) && !/^\d{8}$/.test(word.text)) return problem(word.column, `date must be YYYYMMDD, not "${word.text}"`);
          options.orderDate = word.text;
        } else if (key === 'hold') hold = word.text !== 'false';
        else return problem(word.column - key.length - 1, `order takes ctm=, date= or hold, not "${key}="`);
      }
      return { verb, folder: target.text, ...(words[0] ? { jobs: words[0].text } : {}), hold, ...options, line: line.line };
    }
    case 'wait': {
      let statuses = ['Ended OK'];
      if (rest.length > 0) {
        if (rest[0]!.text.toLowerCase() !== 'for' || rest.length < 2) return problem(rest[0]!.column, `write: wait ${target.text} for "Ended OK" [timeout=30m every=30s]`);
        // "Ended OK" may be quoted or written as two words: Ended OK.
        const words = rest.slice(1).map((w) => w.text);
        const joined = words.join(' ');
        statuses = [];
        for (const part of joined.split(/\s*[|,]\s*/)) {
          const status = controlmStatusWord(part);
          if (!status) return problem(rest[1]!.column, `unknown Control-M status "${part}" (e.g. "Ended OK", "Ended Not OK", "Executing")`);
          statuses.push(status);
        }
      }
      const { timeoutMs, everyMs } = waitOptions(line, problems);
      return { verb, target: target.text, statuses, line: line.line, ...(timeoutMs ? { timeoutMs } : {}), ...(everyMs ? { everyMs } : {}) };
    }
    case 'output': {
      const options = [...line.options];
      let runNo: number | undefined;
      for (const [key, word] of options) {
        if (key !== 'run') return problem(word.column - key.length - 1, `output takes run=N, not "${key}="`);
        if (!isTemplate(word.text) && !/^\d+$/.test(word.text)) return problem(word.column, `run must be a run number (0 = last), not "${word.text}"`);
        runNo = Number(word.text);
      }
      if (rest.length > 0) return problem(rest[0]!.column, 'output takes one job; write run=N for an earlier run');
      return { verb, target: target.text, ...(runNo !== undefined ? { runNo } : {}), line: line.line };
    }
    default:
      if (!noOptions()) return undefined;
      if (rest.length > 0) return problem(rest[0]!.column, `${verb} takes one job name or job id; write one line per job`);
      return { verb, target: target.text, line: line.line };
  }
}

/** How risky a `controlm` block is: kill is destructive, run-now always asks (it ignores conditions). */
export function classifyControlm(code: string): Classification {
  const { commands } = parseControlmScript(code);
  const reasons: string[] = [];
  let level: Classification['level'] = 'read';
  let alwaysConfirm = false;
  for (const command of commands) {
    if (command.verb === 'status' || command.verb === 'wait' || command.verb === 'output' || command.verb === 'log') continue;
    if (command.verb === 'deploy') reasons.push(`deploy ${command.file}`);
    else if (command.verb === 'order') reasons.push(`order ${command.folder}${command.jobs ? ` ${command.jobs}` : ''}`);
    else reasons.push(`${VERB_ACTIONS[command.verb]} ${command.target}`);
    if (command.verb === 'kill') level = 'destructive';
    else if (level === 'read') level = 'write';
    if (command.verb === 'run-now') alwaysConfirm = true;
  }
  return { level, reasons, ...(alwaysConfirm ? { alwaysConfirm } : {}) };
}

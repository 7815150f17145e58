// The `autosys` verb language: one command per line, in the operator's words, each turned into the
// AutoSys command an operator would type (sendevent, autorep, jil). Pure: the runbook validator
// calls parseAutosysScript to report mistakes with line numbers before anything runs.
import { autosysStatus } from './job-state.js';
import { parseJil } from './jil.js';
import { endColumn, isTemplate, misplacedOptions, parseScript, unknownVerb, waitOptions, type ScriptLine, type ScriptProblem } from './script-words.js';
import type { Classification } from '../executors/types.js';

/** Verbs of the `autosys` language. */
export const AUTOSYS_VERBS = ['status', 'start', 'force-start', 'kill', 'hold', 'release', 'ice', 'unice', 'set-status', 'wait', 'deploy'] as const;

/** One verb. */
export type AutosysVerb = (typeof AUTOSYS_VERBS)[number];

/** The sendevent event each job verb sends. */
export const VERB_EVENTS: Partial<Record<AutosysVerb, string>> = {
  start: 'STARTJOB',
  'force-start': 'FORCE_STARTJOB',
  kill: 'KILLJOB',
  hold: 'JOB_ON_HOLD',
  release: 'JOB_OFF_HOLD',
  ice: 'JOB_ON_ICE',
  unice: 'JOB_OFF_ICE',
  'set-status': 'CHANGE_STATUS',
};

/** AutoSys programs a line may also call directly, as an operator types them (`autorep -J JOB`). */
export const AUTOSYS_PROGRAM_LINES = ['sendevent', 'autorep', 'autostatus', 'autosyslog'] as const;

/** Statuses `set-status` may force, as CHANGE_STATUS takes them. */
export const SETTABLE_STATUSES = ['SUCCESS', 'FAILURE', 'TERMINATED', 'INACTIVE'];

/** One parsed command. */
export type AutosysCommand =
  | { verb: Exclude<AutosysVerb, 'set-status' | 'wait' | 'deploy'>; job: string; line: number }
  | { verb: 'set-status'; job: string; status: string; line: number }
  | { verb: 'wait'; job: string; statuses: string[]; timeoutMs?: number; everyMs?: number; line: number }
  | { verb: 'deploy'; file: string; line: number }
  /** A program called as written: `sendevent -E FORCE_STARTJOB -J JOB`. */
  | { verb: 'command'; program: (typeof AUTOSYS_PROGRAM_LINES)[number]; args: string[]; line: number };

/** What {@link parseAutosysScript} found. */
export interface ParsedAutosysScript {
  commands: AutosysCommand[];
  problems: ScriptProblem[];
}

/** Parse an `autosys` block; problems carry 1-based line and column within the block. */
export function parseAutosysScript(code: string): ParsedAutosysScript {
  return parseScript(code, { name: 'autosys', example: 'status JB_LOAD', verbs: AUTOSYS_VERBS }, parseLine);
}

function parseLine(line: ScriptLine, problems: ScriptProblem[]): AutosysCommand | undefined {
  const [verbWord, target, ...rest] = line.words;
  const program = AUTOSYS_PROGRAM_LINES.find((p) => p === verbWord!.text);
  if (program) return programLine(line, program, problems);
  if (verbWord!.text === 'jil') {
    problems.push({ line: line.line, column: verbWord!.column, message: 'jil reads definitions from its input: write them in a jil block, or use deploy FILE.jil' });
    return undefined;
  }
  const verb = verbWord!.text.toLowerCase() as AutosysVerb;
  if (!AUTOSYS_VERBS.includes(verb)) {
    problems.push(unknownVerb(line, [...AUTOSYS_VERBS, ...AUTOSYS_PROGRAM_LINES], 'autosys'));
    return undefined;
  }
  misplacedOptions(line, problems);
  const problem = (column: number, message: string): undefined => {
    problems.push({ line: line.line, column, message });
    return undefined;
  };
  if (!target) return problem(endColumn(line), verb === 'deploy' ? 'deploy needs a file: deploy jobs/daily.jil' : `${verb} needs a job name: ${verb} JB_LOAD`);
  if (verb !== 'status' && target.text.includes('%')) {
    return problem(target.column, `${verb} takes one job name; % wildcards only work with status`);
  }
  if (verb !== 'wait' && line.options.size > 0) {
    const [key, word] = [...line.options][0]!;
    return problem(word.column - key.length - 1, `${verb} takes no options ("${key}=" only goes with wait)`);
  }
  switch (verb) {
    case 'deploy':
      if (rest.length > 0) return problem(rest[0]!.column, 'deploy takes one file; write one deploy line per file');
      if (!isTemplate(target.text) && !/\.jil$/i.test(target.text)) return problem(target.column, `deploy expects a .jil file, not "${target.text}" (for JIL written here, use a jil block)`);
      return { verb, file: target.text, line: line.line };
    case 'set-status': {
      const status = rest[0];
      if (!status) return problem(endColumn(line), `set-status needs a status: set-status ${target.text} SUCCESS (one of ${SETTABLE_STATUSES.join(', ')})`);
      if (rest.length > 1) return problem(rest[1]!.column, `unexpected "${rest[1]!.text}"`);
      const known = autosysStatus(status.text);
      if (!isTemplate(status.text) && (!known || !SETTABLE_STATUSES.includes(known.name))) {
        return problem(status.column, `set-status takes one of ${SETTABLE_STATUSES.join(', ')}, not "${status.text}"`);
      }
      return { verb, job: target.text, status: known?.name ?? status.text, line: line.line };
    }
    case 'wait': {
      let statuses = ['SUCCESS'];
      if (rest.length > 0) {
        if (rest[0]!.text.toLowerCase() !== 'for' || rest.length < 2) return problem(rest[0]!.column, `write: wait ${target.text} for SU [timeout=30m every=30s]`);
        if (rest.length > 2) return problem(rest[2]!.column, `unexpected "${rest[2]!.text}" (several statuses are written SU|FA)`);
        statuses = [];
        for (const word of rest[1]!.text.split(/[|,]/)) {
          const known = autosysStatus(word);
          if (!known) return problem(rest[1]!.column, `unknown AutoSys status "${word}" (e.g. SU, FA, TE, IN or SUCCESS)`);
          statuses.push(known.name);
        }
      }
      const { timeoutMs, everyMs } = waitOptions(line, problems);
      return { verb, job: target.text, statuses, line: line.line, ...(timeoutMs ? { timeoutMs } : {}), ...(everyMs ? { everyMs } : {}) };
    }
    default:
      if (rest.length > 0) return problem(rest[0]!.column, `${verb} takes one job name; write one line per job`);
      return { verb, job: target.text, line: line.line };
  }
}

// A program line keeps every word as an argument; sendevent must name its event.
function programLine(line: ScriptLine, program: (typeof AUTOSYS_PROGRAM_LINES)[number], problems: ScriptProblem[]): AutosysCommand | undefined {
  const args = line.all.slice(1).map((w) => w.text);
  if (program === 'sendevent') {
    const event = flagValue(args, 'E');
    if (event === undefined) {
      problems.push({ line: line.line, column: line.all[0]!.column, message: 'sendevent needs -E EVENT, e.g. sendevent -E STARTJOB -J JB_LOAD' });
      return undefined;
    }
  }
  if ((program === 'autorep' || program === 'autostatus' || program === 'autosyslog') && args.length === 0) {
    problems.push({ line: line.line, column: endColumn(line), message: `${program} needs -J JOB` });
    return undefined;
  }
  return { verb: 'command', program, args, line: line.line };
}

/** The value of a `-X value` or `-Xvalue` flag in a program's arguments. */
export function flagValue(args: readonly string[], letter: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === `-${letter}`) return args[i + 1];
    if (arg.startsWith(`-${letter}`) && arg.length > 2) return arg.slice(2);
  }
  return undefined;
}

/** How risky an `autosys` block is: kill is destructive, force-start always asks. */
export function classifyAutosys(code: string): Classification {
  const { commands } = parseAutosysScript(code);
  const reasons: string[] = [];
  let level: Classification['level'] = 'read';
  let alwaysConfirm = false;
  for (const command of commands) {
    if (command.verb === 'status' || command.verb === 'wait') continue;
    if (command.verb === 'command') {
      if (command.program !== 'sendevent') continue;
      const event = flagValue(command.args, 'E') ?? '';
      reasons.push(`${event} ${flagValue(command.args, 'J') ?? ''}`.trim());
      if (event === 'KILLJOB' || event === 'DELETEJOB') level = 'destructive';
      else if (level === 'read') level = 'write';
      if (event === 'FORCE_STARTJOB') alwaysConfirm = true;
      continue;
    }
    if (command.verb === 'deploy') {
      level = level === 'destructive' ? level : 'write';
      reasons.push(`jil < ${command.file}`);
      continue;
    }
    const event = VERB_EVENTS[command.verb]!;
    reasons.push(`${event} ${command.job}${command.verb === 'set-status' ? ` ${command.status}` : ''}`);
    if (command.verb === 'kill') level = 'destructive';
    else if (level === 'read') level = 'write';
    if (command.verb === 'force-start') alwaysConfirm = true;
  }
  return { level, reasons, ...(alwaysConfirm ? { alwaysConfirm } : {}) };
}

/** How risky a `jil` block is: deletions are destructive, everything else writes. */
export function classifyJil(code: string): Classification {
  const { statements } = parseJil(code);
  const deletions = statements.filter((s) => s.subcommand === 'delete_job' || s.subcommand === 'delete_box' || s.subcommand === 'delete_machine');
  if (deletions.length > 0) return { level: 'destructive', reasons: deletions.map((s) => `${s.subcommand} ${s.name}`) };
  return { level: 'write', reasons: statements.length > 0 ? statements.map((s) => `${s.subcommand} ${s.name}`) : ['jil'] };
}

// JIL, the AutoSys job definition language (OPS-REFERENCE §1.5): `insert_job: NAME   job_type: CMD`
// followed by `attribute: value` lines. Read here once for everyone: the runbook validator checks
// `jil` blocks with it, the executor learns which jobs a file touches, and the sandbox loads it.
import { closestName } from '../runbook/template.js';

/** Subcommands that open a statement. */
export const JIL_SUBCOMMANDS = [
  'insert_job', 'update_job', 'delete_job', 'delete_box', 'override_job',
  'insert_machine', 'update_machine', 'delete_machine',
] as const;

/** A JIL subcommand. */
export type JilSubcommand = (typeof JIL_SUBCOMMANDS)[number];

/** Attributes a job statement may carry. */
export const JIL_JOB_ATTRIBUTES = [
  'job_type', 'box_name', 'command', 'machine', 'owner', 'permission', 'description',
  'date_conditions', 'days_of_week', 'start_times', 'start_mins', 'run_window', 'run_calendar',
  'exclude_calendar', 'timezone', 'condition', 'n_retrys', 'alarm_if_fail', 'alarm_if_terminated',
  'std_in_file', 'std_out_file', 'std_err_file', 'profile', 'term_run_time', 'max_run_alarm',
  'min_run_alarm', 'job_terminator', 'box_terminator', 'box_success', 'box_failure', 'watch_file',
  'watch_interval', 'watch_file_min_size', 'max_exit_success', 'priority', 'group', 'application',
  'auto_hold', 'auto_delete', 'send_notification', 'notification_emailaddress', 'notification_msg',
  'envvars', 'chk_files', 'heartbeat_interval', 'job_load', 'must_start_times', 'must_complete_times',
  'ulimit', 'fail_codes', 'success_codes', 'status', 'resources', 'svcdesk_attr',
] as const;

/** Attributes a machine statement may carry. */
export const JIL_MACHINE_ATTRIBUTES = ['node_name', 'type', 'description', 'max_load', 'factor', 'agent_name', 'opsys', 'port'] as const;

// Attributes whose value runs to the end of the line even when it contains `word:`.
const FREE_TEXT = new Set(['command', 'description', 'notification_msg', 'envvars']);
const JOB_ATTRIBUTES = new Set<string>(JIL_JOB_ATTRIBUTES);
const MACHINE_ATTRIBUTES = new Set<string>(JIL_MACHINE_ATTRIBUTES);
const SUBCOMMANDS = new Set<string>(JIL_SUBCOMMANDS);

/** Job types by every spelling JIL accepts, to the name `autorep -q` prints. */
const JOB_TYPES: Record<string, string> = { c: 'CMD', cmd: 'CMD', b: 'BOX', box: 'BOX', f: 'FW', fw: 'FW' };

/** One `attribute: value` of a statement, the value as written (quotes kept). */
export interface JilAttribute {
  name: string;
  value: string;
  /** 1-based line in the text. */
  line: number;
}

/** One subcommand with its attributes. */
export interface JilStatement {
  subcommand: JilSubcommand;
  /** The job or machine name. */
  name: string;
  attributes: JilAttribute[];
  line: number;
}

/** Something wrong in a JIL text, at a 1-based line and column. */
export interface JilProblem {
  line: number;
  column: number;
  message: string;
}

/** What {@link parseJil} found. */
export interface ParsedJil {
  statements: JilStatement[];
  problems: JilProblem[];
}

/** The canonical job type name (`CMD`, `BOX`, `FW`) for what a JIL author wrote, or the word upper-cased. */
export function jobTypeName(written: string | undefined): string {
  if (written === undefined || written.trim() === '') return 'CMD';
  const word = unquote(written).toLowerCase();
  return JOB_TYPES[word] ?? word.toUpperCase();
}

/** A value without its surrounding double quotes. */
export function unquote(value: string): string {
  const trimmed = value.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed;
}

/** The value of an attribute of a statement (the last one wins), unquoted, or undefined. */
export function jilValue(statement: JilStatement, name: string): string | undefined {
  const found = statement.attributes.findLast((a) => a.name === name);
  return found === undefined ? undefined : unquote(found.value);
}

/** Parse a JIL text into statements; problems say the line, the column and what to write instead. */
export function parseJil(text: string): ParsedJil {
  const statements: JilStatement[] = [];
  const problems: JilProblem[] = [];
  const lines = stripComments(text).split('\n');
  let current: JilStatement | undefined;

  lines.forEach((raw, index) => {
    const line = index + 1;
    const source = raw.replace(/\r$/, '');
    if (source.trim() === '' || source.trimStart().startsWith('#')) return;
    const pairs = splitPairs(source);
    if (pairs === undefined) {
      const column = source.length - source.trimStart().length + 1;
      problems.push({ line, column, message: `expected "attribute: value", found "${source.trim()}"` });
      return;
    }
    for (const pair of pairs) {
      if (SUBCOMMANDS.has(pair.name)) {
        const name = pair.value.trim();
        if (name === '' || /\s/.test(name)) {
          problems.push({ line, column: pair.column, message: `${pair.name} needs one job name, found "${name}"` });
          current = undefined;
          continue;
        }
        current = { subcommand: pair.name as JilSubcommand, name, attributes: [], line };
        statements.push(current);
        continue;
      }
      if (!current) {
        problems.push({ line, column: pair.column, message: `"${pair.name}" comes before any insert_job/update_job: start with insert_job: NAME` });
        continue;
      }
      const problem = checkAttribute(current, pair.name, pair.value);
      if (problem) {
        problems.push({ line, column: pair.column, message: problem });
        continue;
      }
      current.attributes.push({ name: pair.name, value: pair.value.trim(), line });
    }
  });
  return { statements, problems };
}

function checkAttribute(statement: JilStatement, name: string, value: string): string | undefined {
  const machine = statement.subcommand.endsWith('_machine');
  const known = machine ? MACHINE_ATTRIBUTES : JOB_ATTRIBUTES;
  if (!known.has(name)) {
    const hint = closestName(name, known);
    return `unknown JIL attribute "${name}"` + (hint ? ` (did you mean ${hint}?)` : '');
  }
  if (statement.subcommand === 'delete_job' || statement.subcommand === 'delete_box' || statement.subcommand === 'delete_machine') {
    return `${statement.subcommand} takes no attributes ("${name}" belongs to insert_job or update_job)`;
  }
  if (name === 'job_type' && statement.subcommand !== 'insert_job') {
    return 'job_type can only be set by insert_job (delete and insert the job to change its type)';
  }
  if (value.trim() === '' && name !== 'permission' && name !== 'condition' && name !== 'box_name' && name !== 'description') {
    return `"${name}" needs a value`;
  }
  return undefined;
}

interface Pair {
  name: string;
  value: string;
  column: number;
}

// One line may hold several pairs (`insert_job: X   job_type: CMD`); a word followed by a colon
// starts the next pair, except inside quotes and free-text values such as `command`.
function splitPairs(source: string): Pair[] | undefined {
  const first = /^(\s*)([a-z_][a-z0-9_]*)\s*:/i.exec(source);
  if (!first) return undefined;
  const pairs: Pair[] = [];
  let name = first[2]!.toLowerCase();
  let column = first[1]!.length + 1;
  let rest = source.slice(first[0].length);
  let offset = first[0].length;
  for (;;) {
    if (FREE_TEXT.has(name)) {
      pairs.push({ name, value: rest, column });
      return pairs;
    }
    const next = findNextKey(rest);
    if (!next) {
      pairs.push({ name, value: rest, column });
      return pairs;
    }
    pairs.push({ name, value: rest.slice(0, next.index), column });
    column = offset + next.index + next.lead + 1;
    name = next.name;
    offset += next.index + next.length;
    rest = rest.slice(next.index + next.length);
  }
}

function findNextKey(text: string): { index: number; length: number; lead: number; name: string } | undefined {
  const pattern = /(\s+)([a-z_][a-z0-9_]*)\s*:/gi;
  let inQuotes = false;
  let scanned = 0;
  for (const match of text.matchAll(pattern)) {
    for (; scanned < match.index; scanned++) if (text[scanned] === '"') inQuotes = !inQuotes;
    const word = match[2]!.toLowerCase();
    if (inQuotes) continue;
    // Any other `word:` starts a pair too, so a misspelt attribute is reported rather than
    // swallowed into the value before it (one letter is a drive, as in C:\data).
    if (word.length > 1) {
      return { index: match.index, length: match[0].length, lead: match[1]!.length, name: word };
    }
  }
  return undefined;
}

// Comments become spaces so line and column numbers stay those of the original text.
function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ' '));
}

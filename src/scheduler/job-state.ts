// One vocabulary for job states across schedulers, so a runbook can say `expect="status == 'ok'"`
// whether the job runs under AutoSys or Control-M, while the scheduler's own word stays available.

/** A job's state in baton's words, the same for every scheduler. */
export type JobState =
  | 'inactive'
  | 'waiting'
  | 'starting'
  | 'running'
  | 'ok'
  | 'failed'
  | 'terminated'
  | 'held'
  | 'iced'
  | 'skipped'
  | 'suspended'
  | 'unknown';

/** Every state word, for validation and documentation. */
export const JOB_STATES: readonly JobState[] = [
  'inactive', 'waiting', 'starting', 'running', 'ok', 'failed', 'terminated', 'held', 'iced', 'skipped', 'suspended', 'unknown',
];

/** States after which a job does nothing more until someone or something starts it again. */
export const ENDED_STATES: ReadonlySet<JobState> = new Set(['ok', 'failed', 'terminated']);

/** One AutoSys status: the two letters autorep prints, the name sendevent and autostatus use. */
export interface AutosysStatus {
  code: string;
  name: string;
  state: JobState;
}

// Codes and names as printed by autorep and autostatus (OPS-REFERENCE §1.4).
const AUTOSYS_STATUSES: readonly AutosysStatus[] = [
  { code: 'IN', name: 'INACTIVE', state: 'inactive' },
  { code: 'AC', name: 'ACTIVATED', state: 'waiting' },
  { code: 'ST', name: 'STARTING', state: 'starting' },
  { code: 'RU', name: 'RUNNING', state: 'running' },
  { code: 'SU', name: 'SUCCESS', state: 'ok' },
  { code: 'FA', name: 'FAILURE', state: 'failed' },
  { code: 'TE', name: 'TERMINATED', state: 'terminated' },
  { code: 'RE', name: 'RESTART', state: 'waiting' },
  { code: 'QU', name: 'QUE_WAIT', state: 'waiting' },
  { code: 'OH', name: 'ON_HOLD', state: 'held' },
  { code: 'OI', name: 'ON_ICE', state: 'iced' },
  { code: 'PE', name: 'PEND_MACH', state: 'waiting' },
  { code: 'RW', name: 'RESWAIT', state: 'waiting' },
  { code: 'NE', name: 'ON_NOEXEC', state: 'skipped' },
  { code: 'SP', name: 'SUSPENDED', state: 'suspended' },
];

const BY_CODE = new Map(AUTOSYS_STATUSES.map((s) => [s.code, s]));
const BY_NAME = new Map(AUTOSYS_STATUSES.map((s) => [s.name, s]));

/** Every AutoSys status, in the order of the reference table. */
export function autosysStatuses(): readonly AutosysStatus[] {
  return AUTOSYS_STATUSES;
}

/** The AutoSys status for a two-letter code (`SU`) or a full name (`SUCCESS`), any case. */
export function autosysStatus(word: string): AutosysStatus | undefined {
  const upper = word.trim().toUpperCase();
  return BY_CODE.get(upper) ?? BY_NAME.get(upper);
}

/** Control-M status words as the Automation API reports them (OPS-REFERENCE §2.4). */
export const CONTROLM_STATUSES = [
  'Wait Condition',
  'Wait Host',
  'Wait User',
  'Wait Resource',
  'Wait Workload',
  'Executing',
  'Ended OK',
  'Ended Not OK',
  'Status Unknown',
] as const;

/** Baton's word for a Control-M status; `held` wins while the job has not started or ended. */
export function controlmState(status: string, held = false): JobState {
  const word = status.trim().toLowerCase();
  let state: JobState = 'unknown';
  if (word === 'ended ok') state = 'ok';
  else if (word === 'ended not ok') state = 'failed';
  else if (word === 'executing') state = 'running';
  else if (word.startsWith('wait')) state = 'waiting';
  if (held && state === 'waiting') return 'held';
  return state;
}

/** The Control-M status named by a word a runbook wrote (`"Ended OK"`, `ended-ok`, `ok`), or undefined. */
export function controlmStatusWord(word: string): string | undefined {
  const wanted = word.trim().toLowerCase().replace(/[-_\s]+/g, ' ');
  return CONTROLM_STATUSES.find((s) => s.toLowerCase() === wanted);
}

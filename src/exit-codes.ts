// Exit codes of every baton command, documented in the README; scripts and CI jobs rely on them.

/** Process exit codes, by meaning. */
export const EXIT = {
  /** Everything asked for was done. */
  ok: 0,
  /** A step failed (exec), or problems were found (validate). */
  failed: 1,
  /** The command line was wrong: unknown option, unknown `--var`, missing argument. */
  usage: 2,
  /** The runbook or configuration is invalid; nothing ran. */
  invalid: 3,
  /** Another live run holds the runbook's lock in this environment. */
  locked: 4,
  /** A question needed an answer and there was no terminal and no `--yes`. */
  inputNeeded: 5,
  /** The run was stopped by the operator or a signal (SIGINT/SIGTERM). */
  aborted: 130,
} as const;

/** One of the documented exit codes. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

// The AutoSys command lines (`sendevent`, `autorep`, `autostatus`, `jil`, `autosyslog`) as the
// fake answers them. The executables in sandbox/bin only forward argv and stdin here and print the
// reply, so all the behaviour lives in one process with the state.
import { readFileSync } from 'node:fs';
import type { AutosysEventServer } from './event-server.js';
import { messageReply, VERSION_TEXT, type AutosysJob, type CliReply } from './model.js';
import { renderQuery, renderSummary, type ReportRow } from './report.js';

/** The programs the fake answers. */
export const AUTOSYS_PROGRAMS = ['sendevent', 'autorep', 'autostatus', 'jil', 'autosyslog'] as const;

/** One of {@link AUTOSYS_PROGRAMS}. */
export type AutosysProgram = (typeof AUTOSYS_PROGRAMS)[number];

const USAGE: Record<AutosysProgram, string> = {
  sendevent: 'sendevent -E EVENT [-J job] [-s STATUS] [-S instance] [-c|-C "comment"] [-T "MM/DD/YYYY HH:MM"] [-G "name=value"]',
  autorep: 'autorep -J job|pattern%|ALL [-w] [-d|-q|-s] [-r N] [-L levels] [-S instance] | autorep -G global | autorep -x',
  autostatus: 'autostatus -J job [-S instance] | autostatus -G global',
  jil: 'jil [-S instance] < file.jil',
  autosyslog: 'autosyslog -J job [-t O|E] [-S instance]',
};

// Flags that take a value, per program; the rest are switches.
const VALUED: Record<AutosysProgram, string> = {
  sendevent: 'EJsScCTGPqM',
  autorep: 'JSrRLMGp',
  autostatus: 'JSG',
  jil: 'S',
  autosyslog: 'JjtS',
};

/** Answer one command line as the real program would. */
export function runAutosysCommand(server: AutosysEventServer, program: AutosysProgram, args: string[], stdin: string): CliReply {
  const parsed = parseFlags(args, VALUED[program]);
  const usage = (): CliReply => messageReply('usage', { usage: USAGE[program] });
  if ('error' in parsed) return usage();
  const { flags } = parsed;
  const instance = flags.get('S');
  if (instance !== undefined && instance !== server.instance) {
    return messageReply('wrongInstance', { instance, own: server.instance });
  }
  switch (program) {
    case 'sendevent': {
      const event = flags.get('E');
      if (!event) return usage();
      return server.sendEvent({
        event,
        job: flags.get('J'),
        status: flags.get('s'),
        comment: flags.get('c') ?? flags.get('C'),
        time: flags.get('T'),
        global: flags.get('G'),
      });
    }
    case 'autostatus': {
      const global = flags.get('G');
      if (global !== undefined) return { stdout: (server.global(global) ?? '') + '\n', stderr: '', exit: 0 };
      const name = flags.get('J');
      if (!name) return usage();
      const job = server.job(name);
      if (!job) return messageReply('invalidJob', { job: name });
      return { stdout: job.status + '\n', stderr: '', exit: 0 };
    }
    case 'jil':
      return server.loadJil(stdin);
    case 'autosyslog':
      return jobOutput(server, flags.get('J') ?? flags.get('j'), flags.get('t') ?? 'O');
    case 'autorep':
      return autorep(server, flags, usage);
  }
}

function autorep(server: AutosysEventServer, flags: Map<string, string>, usage: () => CliReply): CliReply {
  if (flags.has('x')) return { stdout: VERSION_TEXT + '\n', stderr: '', exit: 0 };
  const global = flags.get('G');
  if (global !== undefined) {
    const value = server.global(global);
    return { stdout: `\nGlobal Name                    Value\n______________________________ ______________________________\n${global.padEnd(30)} ${value ?? ''}\n`, stderr: '', exit: 0 };
  }
  const pattern = flags.get('J');
  if (!pattern) return usage();
  const roots = matchJobs(server, pattern);
  if (roots.length === 0) return messageReply('invalidJob', { job: pattern });
  const levels = flags.has('L') ? Number(flags.get('L')) : Infinity;
  const rows: ReportRow[] = [];
  const visit = (job: AutosysJob, depth: number): void => {
    rows.push({ job, depth });
    if (job.type === 'BOX' && depth < levels) for (const child of server.children(job.name)) visit(child, depth + 1);
  };
  for (const root of roots) visit(root, 0);
  if (flags.has('q')) return { stdout: renderQuery(rows.map((r) => r.job)), stderr: '', exit: 0 };
  const runFlag = flags.get('r') ?? flags.get('R');
  if (runFlag !== undefined) {
    const wanted = Number(runFlag);
    for (const row of rows) {
      if (!Number.isInteger(wanted)) return usage();
      if (wanted === 0 || wanted === row.job.run) continue;
      const past = wanted < 0 ? row.job.history.at(wanted) : row.job.history.find((h) => h.run === wanted);
      if (!past) return messageReply('noSuchRun', { run: runFlag, job: row.job.name });
      row.run = past;
    }
  }
  return { stdout: renderSummary(rows, { wide: flags.has('w'), detail: flags.has('d') }), stderr: '', exit: 0 };
}

// Jobs named by -J: an exact name, ALL, or a pattern with % wildcards. A job whose box is also
// matched is printed under the box, not a second time on its own.
function matchJobs(server: AutosysEventServer, pattern: string): AutosysJob[] {
  if (pattern === 'ALL') return server.jobs().filter((job) => !boxName(job) || !server.job(boxName(job)!));
  if (!pattern.includes('%')) {
    const job = server.job(pattern);
    return job ? [job] : [];
  }
  const regex = new RegExp('^' + pattern.split('%').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
  const matched = server.jobs().filter((job) => regex.test(job.name));
  const names = new Set(matched.map((job) => job.name));
  const insideMatched = (job: AutosysJob): boolean => {
    for (let box = boxName(job); box; box = boxName(server.job(box)!)) {
      if (names.has(box)) return true;
      if (!server.job(box)) return false;
    }
    return false;
  };
  return matched.filter((job) => !insideMatched(job));
}

function boxName(job: AutosysJob | undefined): string | undefined {
  return job?.definition.findLast((a) => a.name === 'box_name')?.value.trim() || undefined;
}

function jobOutput(server: AutosysEventServer, name: string | undefined, type: string): CliReply {
  if (!name) return messageReply('usage', { usage: USAGE.autosyslog });
  const job = server.job(name);
  if (!job) return messageReply('invalidJob', { job: name });
  const stream = type.toUpperCase() === 'E' ? 'stderr' : 'stdout';
  const file = stream === 'stderr' ? job.stderrFile : job.stdoutFile;
  if (!file) return messageReply('noOutput', { job: name, stream: stream === 'stderr' ? 'std_err' : 'std_out' });
  try {
    return { stdout: readFileSync(file, 'utf8'), stderr: '', exit: 0 };
  } catch {
    return messageReply('noOutput', { job: name, stream: stream === 'stderr' ? 'std_err' : 'std_out' });
  }
}

// getopt-style: `-J NAME` or `-JNAME`, switches may stand alone (`-w -d`).
function parseFlags(args: string[], valued: string): { flags: Map<string, string> } | { error: string } {
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('-') || arg.length < 2) return { error: `unexpected argument ${arg}` };
    const letter = arg[1]!;
    if (valued.includes(letter)) {
      const value = arg.length > 2 ? arg.slice(2) : args[++i];
      if (value === undefined) return { error: `-${letter} needs a value` };
      flags.set(letter, value);
    } else {
      for (const switchLetter of arg.slice(1)) flags.set(switchLetter, '');
    }
  }
  return { flags };
}

// `autorep` as the AutoSys fake prints it (OPS-REFERENCE §1.3): the summary table with a ruler of
// underscores under its header, the per-job event table of `-d`, and the JIL of `-q`.
import { autosysStatus } from '../../../scheduler/job-state.js';
import { autorepTime, layout, type AutosysEventEntry, type AutosysJob } from './model.js';

/** One job to print and how deep it sits under the first job asked for. */
export interface ReportRow {
  job: AutosysJob;
  depth: number;
  /** A past run to show instead of the latest (`-r`). */
  run?: AutosysJob['history'][number];
}

const DATE_WIDTH = 20;
const STATUS_WIDTH = 5;
const RUN_WIDTH = 8;
const PRI_WIDTH = 7;

/** The summary report; `detail` adds each job's event table (`-d`). */
export function renderSummary(rows: ReportRow[], options: { wide: boolean; detail: boolean }): string {
  const nameWidth = options.wide ? layout.nameWidthWide : layout.nameWidth;
  const lines = [
    '',
    [pad('Job Name', nameWidth), pad('Last Start', DATE_WIDTH), pad('Last End', DATE_WIDTH), pad('ST/Ex', STATUS_WIDTH), pad('Run/Ntry', RUN_WIDTH), 'Pri/Xit'].join(' '),
    [nameWidth, DATE_WIDTH, DATE_WIDTH, STATUS_WIDTH, RUN_WIDTH, PRI_WIDTH].map((w) => '_'.repeat(w)).join(' '),
  ];
  for (const row of rows) {
    lines.push(summaryRow(row, nameWidth));
    if (options.detail) lines.push(...detailTable(row.run?.events ?? row.job.events));
  }
  return lines.join('\n') + '\n';
}

function summaryRow({ job, depth, run }: ReportRow, nameWidth: number): string {
  const shown = run ?? job;
  const name = (' '.repeat(depth) + job.name).slice(0, nameWidth);
  const code = autosysStatus(shown.status)?.code ?? shown.status.slice(0, 2);
  const runNtry = shown.run > 0 ? `${shown.run}/${shown.ntry}` : layout.neverRunRunNtry;
  return [
    pad(name, nameWidth),
    pad(shown.lastStart === null ? '-----' : autorepTime(shown.lastStart), DATE_WIDTH),
    pad(shown.lastEnd === null ? '-----' : autorepTime(shown.lastEnd), DATE_WIDTH),
    pad(code, STATUS_WIDTH),
    pad(runNtry, RUN_WIDTH),
    String(shown.exit),
  ].join(' ').trimEnd();
}

function detailTable(events: AutosysEventEntry[]): string[] {
  const lines = [
    '',
    '  Status/[Event]                Time                 Ntry ES  ProcessTime           Machine',
    '  ----------------------------  --------------------- --  --  --------------------- -------',
  ];
  for (const event of events) {
    const time = autorepTime(event.time);
    lines.push(
      ('  ' + pad(event.event, 28) + '  ' + time + String(event.ntry).padStart(5) + '  ' + pad(layout.processedFlag, 2) + '  ' + time + '   ' + (event.machine ?? '')).trimEnd(),
    );
    if (event.note) lines.push('    ' + event.note);
  }
  lines.push('');
  return lines;
}

/** The JIL of each job as `autorep -q` prints it. */
export function renderQuery(jobs: AutosysJob[]): string {
  const blocks = jobs.map((job) => {
    const lines = [layout.queryBanner.replace('{job}', job.name), '', `insert_job: ${job.name}   job_type: ${job.type}`];
    for (const { name, value } of job.definition) lines.push(`${name}: ${value}`.trimEnd());
    return lines.join('\n');
  });
  return blocks.length === 0 ? '' : '\n' + blocks.join('\n\n') + '\n';
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

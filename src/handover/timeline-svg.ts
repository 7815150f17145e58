// A run's timeline as an inline SVG: one bar per step from its start to its end, coloured by how it
// ended, with a red tick where an attempt failed. A pause longer than the work around it (a run
// resumed the next morning) is drawn as a short break so the steps stay readable.
import type { RunRecord, StepRecord } from '../store/record.js';
import { between, duration, type Clock } from './times.js';

/** Colours by step status; the legend uses the same. */
export const STEP_COLOURS: Record<StepRecord['status'], string> = {
  done: '#2e7d32',
  failed: '#c62828',
  skipped: '#9e9e9e',
  running: '#f9a825',
  pending: '#e0e0e0',
};

const WIDTH = 800;
const LABEL = 250;
const RIGHT = 16;
const ROW = 18;
const BAR = 12;
const TOP = 28;
const LEGEND = 30;
const BREAK = 18;
const LABEL_CHARS = 38;

/** The SVG for one run. Pure: the same record and clock always draw the same picture. */
export function timelineSvg(run: RunRecord, clock: Clock): string {
  const steps = run.steps;
  const t0 = Date.parse(run.startedAt);
  const ends = steps.flatMap((s) => [s.endedAt, s.startedAt]).filter((t): t is string => t !== undefined).map(Date.parse);
  const t1 = Math.max(t0 + 1000, Date.parse(run.endedAt ?? run.updatedAt), ...ends);
  const spans = steps.flatMap((s) => (s.startedAt ? [[Date.parse(s.startedAt), Date.parse(s.endedAt ?? run.endedAt ?? run.updatedAt)] as [number, number]] : []));
  const scale = timeScale(spans, t0, t1, LABEL + 8, WIDTH - RIGHT);
  const height = TOP + Math.max(1, steps.length) * ROW + LEGEND;
  const out: string[] = [];
  const title = `Timeline of the run of ${run.runbook.title} started ${clock.dateTime(run.startedAt)}`;
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${xml(title)}">`,
    `<title>${xml(title)}</title>`,
    `<rect x="0" y="0" width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
  );
  // The time axis: start and end, and each break with the length of the pause it stands for.
  const axisY = TOP - 8;
  out.push(`<line x1="${scale.x(t0)}" y1="${axisY + 4}" x2="${scale.x(t1)}" y2="${axisY + 4}" stroke="#9e9e9e" stroke-width="1"/>`);
  out.push(text(scale.x(t0), axisY - 2, clock.time(run.startedAt), 'start'));
  out.push(text(scale.x(t1), axisY - 2, clock.time(new Date(t1).toISOString(), run.startedAt), 'end'));
  for (const gap of scale.breaks) {
    out.push(`<path d="M${gap.x - 4} ${axisY + 8} l4 -8 l4 8" fill="none" stroke="#757575" stroke-width="1"/>`);
    out.push(text(gap.x, axisY - 2, `pause ${duration(gap.ms)}`, 'middle', '#757575'));
    out.push(`<line x1="${gap.x}" y1="${TOP}" x2="${gap.x}" y2="${TOP + steps.length * ROW}" stroke="#bdbdbd" stroke-dasharray="2 3"/>`);
  }
  steps.forEach((step, i) => {
    const y = TOP + i * ROW;
    if (i % 2 === 1) out.push(`<rect x="0" y="${y}" width="${WIDTH}" height="${ROW}" fill="#f5f5f5"/>`);
    const label = `${step.index + 1}. ${step.title}`;
    out.push(text(LABEL, y + ROW / 2 + 4, clip(label), 'end', '#212121'));
    const colour = STEP_COLOURS[step.status];
    const took = between(step.startedAt, step.endedAt);
    const tip = `${label} — ${step.status}${took !== undefined ? `, ${duration(took)}` : ''}`;
    if (!step.startedAt) {
      out.push(text(LABEL + 12, y + ROW / 2 + 4, step.status === 'skipped' ? 'skipped' : 'not reached', 'start', '#757575'));
      return;
    }
    const from = scale.x(Date.parse(step.startedAt));
    const to = scale.x(Date.parse(step.endedAt ?? run.endedAt ?? run.updatedAt));
    const width = Math.max(2, to - from);
    out.push(`<rect x="${round(from)}" y="${y + (ROW - BAR) / 2}" width="${round(width)}" height="${BAR}" rx="2" fill="${colour}"><title>${xml(tip)}</title></rect>`);
    for (const action of step.actions) {
      for (const attempt of action.attempts) {
        if (attempt.watch || attempt.status === 'succeeded' || attempt.status === 'running') continue;
        const x = round(scale.x(Date.parse(attempt.startedAt)));
        out.push(`<rect x="${x}" y="${y + 1}" width="2" height="${ROW - 2}" fill="#b71c1c"><title>${xml(`attempt ${attempt.n} ${attempt.status}`)}</title></rect>`);
      }
    }
  });
  const legendY = height - 10;
  let x = LABEL + 8;
  for (const [status, label] of [['done', 'done'], ['failed', 'failed'], ['skipped', 'skipped'], ['running', 'running / stopped']] as const) {
    out.push(`<rect x="${x}" y="${legendY - 9}" width="10" height="10" rx="2" fill="${STEP_COLOURS[status]}"/>`, text(x + 14, legendY, label, 'start', '#424242'));
    x += 24 + label.length * 6.5;
  }
  out.push(`<rect x="${x}" y="${legendY - 10}" width="2" height="12" fill="#b71c1c"/>`, text(x + 6, legendY, 'failed attempt', 'start', '#424242'));
  out.push('</svg>');
  return out.join('');
}

/** Maps times to x: linear through the work, with long idle gaps squeezed to a fixed break. */
export function timeScale(spans: [number, number][], t0: number, t1: number, left: number, right: number): { x(t: number): number; breaks: { x: number; ms: number }[] } {
  const merged: [number, number][] = [];
  for (const [a, b] of [...spans].filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b)).sort((p, q) => p[0] - q[0])) {
    const last = merged.at(-1);
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else merged.push([a, Math.max(a, b)]);
  }
  const total = t1 - t0;
  const long = Math.max(10 * 60_000, total * 0.25);
  // Segments of the axis: idle gaps longer than `long` become breaks.
  const segments: { from: number; to: number; squeezed: boolean }[] = [];
  let cursor = t0;
  for (const [a, b] of merged) {
    if (a - cursor > long) {
      segments.push({ from: cursor, to: a, squeezed: true });
      cursor = a;
    }
    cursor = Math.max(cursor, b);
  }
  if (t1 - cursor > long) segments.push({ from: cursor, to: t1, squeezed: true });
  const squeezed = segments.length;
  const idle = segments.reduce((sum, s) => sum + (s.to - s.from), 0);
  const linearWidth = right - left - squeezed * BREAK;
  const perMs = (total - idle) > 0 ? linearWidth / (total - idle) : 0;
  const x = (t: number): number => {
    let pos = left;
    let at = t0;
    for (const s of segments) {
      if (t <= s.from) break;
      pos += (s.from - at) * perMs;
      if (t < s.to) return pos + (BREAK * (t - s.from)) / (s.to - s.from);
      pos += BREAK;
      at = s.to;
    }
    return Math.min(right, pos + (Math.min(t, t1) - at) * perMs);
  };
  return { x, breaks: segments.map((s) => ({ x: x(s.from) + BREAK / 2, ms: s.to - s.from })) };
}

function text(x: number, y: number, content: string, anchor: 'start' | 'middle' | 'end', fill = '#616161'): string {
  return `<text x="${round(x)}" y="${round(y)}" text-anchor="${anchor}" font-size="11" fill="${fill}">${xml(content)}</text>`;
}

function clip(label: string): string {
  return label.length > LABEL_CHARS ? `${label.slice(0, LABEL_CHARS - 1)}…` : label;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** Text safe inside SVG elements and attributes. */
export function xml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

// The plain-text face of a run: one line per thing that happened (step n/N, title, status,
// duration), the commands' output indented under them, and a summary at the end. Pure: an event
// and the state after it in, lines out.
import { formatDuration } from '../runbook/duration.js';
import type { RunEvent } from '../engine/events.js';
import { shownText, stepById, type RunState } from '../engine/state.js';
import type { RunRecord } from '../store/record.js';

/** How far streamed output is indented under its step. */
export const OUTPUT_INDENT = '      ';

/** Where a line goes: the operator's stdout, or stderr for warnings and errors. */
export interface Line {
  text: string;
  stream: 'stdout' | 'stderr';
}

/** The lines one event prints; `indent` nests a fallback run under the step that started it. */
export function progressLines(event: RunEvent, state: RunState, indent = ''): Line[] {
  const out = (text: string): Line => ({ text: indent + text, stream: 'stdout' });
  const err = (text: string): Line => ({ text: indent + text, stream: 'stderr' });
  const record = state.record;
  const steps = record?.steps.length ?? state.runbook.steps.length;
  const stepLabel = (stepId: string) => {
    const step = stepById(state.runbook.steps, stepId, state.cursor);
    return step ? `[${step.index + 1}/${steps}] ${shownText(state, step.title)}` : stepId;
  };
  const actionLabel = (stepId: string, actionId: string) => {
    const action = stepById(state.runbook.steps, stepId, state.cursor)?.actions.find((a) => a.id === actionId);
    return action?.attrs.name ?? (action ? `action ${action.index + 1}` : actionId);
  };
  switch (event.type) {
    case 'run-opened': {
      const r = event.record;
      const kind = r.practice ? 'practice run (dry run: nothing runs)' : event.resumed ? 'resumed run' : 'run';
      return [out(`${r.runbook.title} — ${kind} ${r.id} in ${r.environment.name}${r.environment.protected ? ' (protected)' : ''} by ${state.operator}`)];
    }
    case 'refused':
      return [err(`baton: ${event.refusal.message}`)];
    case 'message':
      return [event.message.level === 'info' ? out(event.message.text) : err(`baton: ${event.message.level}: ${event.message.text}`)];
    case 'step-started':
      return [out(stepLabel(event.stepId))];
    case 'step-skipped':
      return [out(`${stepLabel(event.stepId)} — skipped: ${event.reason}`)];
    case 'action-prepared': {
      if (state.dryRun) return [];
      const first = event.code.split('\n')[0] ?? '';
      const more = event.code.includes('\n') ? ' …' : '';
      return [out(`  ▸ ${actionLabel(event.stepId, event.actionId)}: ${first}${more}`)];
    }
    case 'action-previewed': {
      const risk = record?.steps.find((s) => s.id === event.stepId)?.actions.find((a) => a.id === event.actionId)?.classification;
      const head = `  ▸ ${actionLabel(event.stepId, event.actionId)}${risk && risk.level !== 'read' ? ` (${risk.level}: ${risk.reasons.join(', ')})` : ''} — would run:`;
      return [out(head), ...event.code.split('\n').map((line) => out(`      ${line}`))];
    }
    case 'action-skipped':
      return [out(`  – ${actionLabel(event.stepId, event.actionId)} skipped: ${event.reason}`)];
    case 'output':
      return event.lines.map((line) => out(`${OUTPUT_INDENT}${line}`));
    case 'progress':
      return [out(`    … ${event.message}`)];
    case 'attempt-ended': {
      const label = actionLabel(event.stepId, event.actionId);
      const took = formatDuration(event.ended.durationMs ?? 0);
      const n = event.n > 1 ? ` (attempt ${event.n})` : '';
      if (event.status === 'succeeded') return [out(`  ✓ ${label}${n} ${took}`)];
      return [out(`  ✗ ${label}${n} ${event.status} after ${took}${event.ended.error ? `: ${event.ended.error.message}` : ''}`)];
    }
    case 'waiting': {
      return [out(`    … ${event.why === 'retry' ? 'retrying' : 'checking again'} in ${formatDuration(event.delayMs)}`)];
    }
    case 'action-ended':
      if (event.status === 'failed' && event.tolerated) return [out(`  ! ${actionLabel(event.stepId, event.actionId)} failed, carrying on: ${event.message ?? ''}`)];
      if (event.status === 'aborted') return [out(`  ■ ${actionLabel(event.stepId, event.actionId)} stopped`)];
      return [];
    case 'check-answered': {
      const by = event.via === 'yes-flag' ? `${event.by}, --yes` : event.by;
      const mark = event.status === 'confirmed' ? '☑' : '☒';
      return [out(`  ${mark} ${event.text ?? event.checkId} — ${event.status} by ${by}${event.note ? `: ${event.note}` : ''}`)];
    }
    case 'step-ended': {
      const step = record ? stepById(record.steps, event.stepId, state.cursor) : undefined;
      const took = step?.startedAt ? ` in ${formatDuration(Date.parse(event.at) - Date.parse(step.startedAt))}` : '';
      // A practice run does not ask the manual checks, but the trainee should see them.
      const unasked = record?.practice ? (step?.checks ?? []).map((c) => out(`  [ ] ${shownText(state, c.text)}`)) : [];
      return event.status === 'done' ? [...unasked, out(`  done${took}`)] : [out(`  FAILED${took}: ${event.failure ?? ''}`)];
    }
    case 'decision':
      return event.decision.via === 'override-flag' ? [err(`baton: ${event.decision.question}: not asked (${'--i-know-what-i-am-doing'}, recorded)`)] : [];
    case 'fallback-started':
      return [out(`  ↳ fallback ${event.link.runbookId} (run ${event.link.runId})`)];
    case 'fallback-ended':
      return [out(`  ↳ fallback ended ${event.status}`)];
    case 'child-changed':
      return progressLines(event.event, event.child, `${indent}    `);
    case 'run-ended':
      return record ? summary(record, state, indent) : [];
    default:
      return [];
  }
}

/** The closing lines: how the run ended, how far it got, what failed, where the record is. */
export function summary(record: RunRecord, state: RunState, indent = ''): Line[] {
  const done = record.steps.filter((s) => s.status === 'done').length;
  const skipped = record.steps.filter((s) => s.status === 'skipped').length;
  const attempts = record.steps.flatMap((s) => s.actions.flatMap((a) => a.attempts));
  const failedAttempts = attempts.filter((a) => a.status !== 'succeeded').length;
  const took = record.endedAt ? formatDuration(Date.parse(record.endedAt) - Date.parse(state.record?.sessions.at(-1)?.startedAt ?? record.startedAt)) : '';
  const lines: Line[] = [];
  const status = state.ended?.status ?? record.status;
  const head = `${indent}${status.toUpperCase()}: ${done}/${record.steps.length} steps done${skipped ? `, ${skipped} skipped` : ''}, ${attempts.length} attempt${attempts.length === 1 ? '' : 's'}${failedAttempts ? ` (${failedAttempts} not ok)` : ''}${took ? `, ${took}` : ''}`;
  lines.push({ text: head, stream: 'stdout' });
  const failed = record.steps.find((s) => s.status === 'failed');
  if (failed) lines.push({ text: `${indent}  stopped at step ${failed.index + 1} "${failed.title}": ${failed.failure ?? 'failed'}`, stream: 'stdout' });
  if (state.ended?.reason && !failed) lines.push({ text: `${indent}  ${state.ended.reason}`, stream: 'stdout' });
  const open = record.steps.flatMap((s) => s.checks.filter((c) => c.status === 'pending' && s.status !== 'skipped')).length;
  if (open > 0 && record.practice) lines.push({ text: `${indent}  ${open} manual check${open === 1 ? '' : 's'} not asked in a practice run`, stream: 'stdout' });
  lines.push({ text: `${indent}  record: baton show ${record.id}`, stream: 'stdout' });
  return lines;
}

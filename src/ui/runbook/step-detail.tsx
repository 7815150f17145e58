// The step the operator is looking at: its instructions (Markdown), its actions with variables
// filled in and secrets masked, the rows an action returned, and its checks.
import { Box, Text } from 'ink';
import type { Action, Step } from '../../runbook/model.js';
import type { ActionRecord, StepRecord } from '../../store/record.js';
import { shownText, type RunState } from '../../engine/state.js';
import { STEP_ICON, cut, duration } from '../format.js';
import { MarkdownView } from '../markdown/markdown-view.js';
import { tableLines } from '../table-text.js';

/** Props of the step detail. */
export interface StepDetailProps {
  state: RunState;
  index: number;
  width: number;
  height: number;
}

/** The step detail. */
export function StepDetail({ state, index, width, height }: StepDetailProps) {
  const step = state.runbook.steps[index];
  if (!step) return <Text dimColor>every step is finished</Text>;
  const record = state.record?.steps[index];
  const status = record?.status ?? 'pending';
  const look = STEP_ICON[status];
  const prose = shownText(state, step.prose).trim();
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Box justifyContent="space-between" width={width} flexShrink={0}>
        <Text bold>
          {index + 1}. {cut(shownText(state, step.title), width - 20)}
        </Text>
        <Text color={look.color}>
          {look.icon} {status}
        </Text>
      </Box>
      {record?.failure ? <Text color="red">{cut(record.failure, width * 2)}</Text> : null}
      {record?.skip ? <Text dimColor>skipped by {record.skip.by}: {record.skip.reason}</Text> : null}
      {prose ? (
        <Box flexDirection="column" flexShrink={1} overflow="hidden" marginBottom={1}>
          <MarkdownView markdown={prose} width={width} />
        </Box>
      ) : null}
      <Box flexDirection="column" flexShrink={0}>
        {step.actions.map((action) => (
          <ActionView key={action.id} state={state} action={action} record={record?.actions.find((a) => a.id === action.id)} width={width} />
        ))}
        <Checks step={step} record={record} state={state} width={width} />
      </Box>
    </Box>
  );
}

const ACTION_LOOK: Record<ActionRecord['status'], { icon: string; color: string }> = {
  pending: { icon: '○', color: 'gray' },
  running: { icon: '◐', color: 'yellow' },
  succeeded: { icon: '✔', color: 'green' },
  failed: { icon: '✘', color: 'red' },
  skipped: { icon: '↷', color: 'gray' },
  unknown: { icon: '?', color: 'magenta' },
  'marked-done': { icon: '✔', color: 'green' },
  previewed: { icon: '◌', color: 'cyan' },
  aborted: { icon: '■', color: 'red' },
};

function ActionView({ state, action, record, width }: { state: RunState; action: Action; record: ActionRecord | undefined; width: number }) {
  const code = (record?.code ?? shownText(state, action.code)).replace(/\n$/, '');
  const lines = code.split('\n');
  const shown = lines.slice(0, 6);
  const last = record?.attempts.at(-1);
  const look = record ? ACTION_LOOK[record.status] : { icon: '·', color: 'gray' };
  const about = !record
    ? 'shown, not run'
    : `${record.status}${last?.durationMs !== undefined ? ` · ${duration(last.durationMs)}` : ''}${record.attempts.length > 1 ? ` · attempt ${record.attempts.length}` : ''}${last?.exitCode !== undefined ? ` · exit ${last.exitCode}` : ''}`;
  const table = state.table && state.table.actionId === action.id ? state.table : undefined;
  return (
    <Box flexDirection="column">
      <Text>
        <Text color={look.color}>{look.icon}</Text> <Text bold>{cut(action.attrs.name ?? action.id, Math.max(8, width - about.length - action.lang.length - 6))}</Text> <Text dimColor>{action.lang}</Text>{' '}
        <Text color={look.color}>{about}</Text>
      </Text>
      {shown.map((line, i) => (
        <Text key={i} color="cyan">
          {'  │ '}
          {cut(line, width - 4)}
        </Text>
      ))}
      {lines.length > shown.length ? <Text dimColor>{`  │ … ${lines.length - shown.length} more lines`}</Text> : null}
      {last?.error && record?.status !== 'succeeded' ? <Text color="red">{cut(`  ${last.error.message}`, width)}</Text> : null}
      {table ? <ResultTableView columns={table.columns} rows={table.rows} total={table.total} width={width - 2} /> : null}
    </Box>
  );
}

function ResultTableView({ columns, rows, total, width }: { columns: string[]; rows: string[][]; total: number; width: number }) {
  const shownRows = rows.slice(0, 8);
  const { lines, hidden } = tableLines(columns, shownRows, width);
  return (
    <Box flexDirection="column" paddingLeft={2}>
      {lines.map((line, i) => (
        <Text key={i} bold={i === 0} dimColor={i === 1}>
          {line}
        </Text>
      ))}
      <Text dimColor>
        {total} row{total === 1 ? '' : 's'}
        {total > shownRows.length ? ` (first ${shownRows.length} shown; all in the log)` : ''}
        {hidden > 0 ? ` · ${hidden} more column${hidden === 1 ? '' : 's'} (widen the terminal)` : ''}
      </Text>
    </Box>
  );
}

function Checks({ step, record, state, width }: { step: Step; record: StepRecord | undefined; state: RunState; width: number }) {
  if (step.checks.length === 0) return null;
  return (
    <Box flexDirection="column">
      {step.checks.map((check) => {
        const done = record?.checks.find((c) => c.id === check.id);
        const status = done?.status ?? 'pending';
        const box = status === 'confirmed' ? '☑' : status === 'failed' ? '☒' : status === 'skipped' ? '↷' : '☐';
        const color = status === 'confirmed' ? 'green' : status === 'failed' ? 'red' : 'white';
        const by = done?.by ? ` — ${status} by ${done.by}${done.note ? `: ${done.note}` : ''}` : '';
        return (
          <Text key={check.id} wrap="wrap">
            <Text color={color}>{box}</Text> {cut(shownText(state, check.text), width - 2)}
            <Text dimColor>{by}</Text>
          </Text>
        );
      })}
    </Box>
  );
}

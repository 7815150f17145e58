// The live output of the latest attempt: follows the end while it runs, scrolls on request.
import { Spinner } from '@inkjs/ui';
import { Box, Text } from 'ink';
import type { RunState } from '../../engine/state.js';
import { cut, duration, elapsed } from '../format.js';
import { outputWindow } from './output-lines.js';

/** Props of the output pane. */
export interface OutputPaneProps {
  state: RunState;
  width: number;
  height: number;
  scroll: number;
  now: number;
}

/** The output pane. */
export function OutputPane({ state, width, height, scroll, now }: OutputPaneProps) {
  const tail = state.output;
  const activity = state.activity;
  const { lines, above } = outputWindow(tail, Math.max(1, height - 1), width, scroll);
  const running = activity && (activity.kind === 'attempt' || activity.kind === 'interactive');
  const header = tail ? `output · ${tail.actionId} · attempt ${tail.attempt}` : 'output';
  const status =
    activity?.kind === 'attempt'
      ? `${duration(elapsed(activity.startedAt, undefined, now))}${activity.progress ? ` · ${activity.progress}` : ''}`
      : activity?.kind === 'waiting'
        ? `${activity.why === 'retry' ? 'retrying' : 'checking again'} in ${duration(Math.max(0, Date.parse(activity.until) - now))}`
        : activity?.kind === 'fallback'
          ? `fallback runbook ${activity.runbookId} running`
          : scroll > 0
            ? `scrolled up ${scroll} (end follows)`
            : '';
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Box justifyContent="space-between" width={width}>
        <Text dimColor>
          ── {cut(header, width - 30)} {above > 0 ? `(${above} earlier lines in the log)` : ''}
        </Text>
        {running ? <Spinner label={status} /> : <Text color="yellow">{status}</Text>}
      </Box>
      {lines.length === 0 ? <Text dimColor>{tail ? '(no output yet)' : '(nothing has run yet)'}</Text> : null}
      {lines.map((line, i) => (
        <Text key={i} {...(line.stderr ? { color: 'red' } : {})}>
          {line.text}
        </Text>
      ))}
    </Box>
  );
}

// The steps of the run down the left side: status icon, number, title, duration, attempts.
import { Box, Text } from 'ink';
import type { RunState } from '../../engine/state.js';
import { STEP_ICON, cut, duration, elapsed } from '../format.js';

/** Props of the step list. */
export interface StepListProps {
  state: RunState;
  viewed: number;
  width: number;
  height: number;
  now: number;
}

/** The step list. */
export function StepList({ state, viewed, width, height, now }: StepListProps) {
  const steps = state.record?.steps ?? state.runbook.steps.map((s) => ({ id: s.id, title: s.title, status: 'pending' as const, actions: [], startedAt: undefined, endedAt: undefined }));
  const from = Math.min(Math.max(0, viewed - Math.floor(height / 2)), Math.max(0, steps.length - height));
  return (
    <Box flexDirection="column" width={width}>
      {steps.slice(from, from + height).map((step, i) => {
        const index = from + i;
        const current = index === state.cursor && state.phase === 'running';
        const look = current && step.status === 'pending' ? STEP_ICON.current : STEP_ICON[step.status];
        const attempts = Math.max(0, ...step.actions.map((a) => a.attempts.length));
        const took = step.startedAt ? duration(elapsed(step.startedAt, step.endedAt, now)) : '';
        const tail = `${attempts > 1 ? ` ×${attempts}` : ''}${took ? ` ${took}` : ''}`;
        const title = cut(`${index + 1}. ${step.title}`, Math.max(4, width - 3 - tail.length));
        return (
          <Box key={step.id} justifyContent="space-between" width={width}>
            <Text inverse={index === viewed} bold={current}>
              <Text color={look.color}>{look.icon}</Text> {title}
            </Text>
            <Text dimColor>{tail}</Text>
          </Box>
        );
      })}
    </Box>
  );
}

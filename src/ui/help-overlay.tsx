// `?`: every key of the screen it was opened from and those that work everywhere. Any key closes it.
import { Box, Text } from 'ink';
import { keysFor, type KeyScope } from './keys.js';
import { useKeys } from './use-keys.js';

/** Props of the help overlay. */
export interface HelpOverlayProps {
  scope: Exclude<KeyScope, 'everywhere'>;
  close: () => void;
  width: number;
}

/** The help overlay. */
export function HelpOverlay({ scope, close, width }: HelpOverlayProps) {
  useKeys(() => close());
  const keys = [...keysFor(scope), ...(scope === 'runbook' ? keysFor('dialog').filter((k) => k.scope === 'dialog') : [])];
  const labelWidth = Math.max(...keys.map((k) => k.label.length)) + 2;
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1} width={Math.min(width, 90)}>
      <Text bold>Keys — {scope}</Text>
      {keys.map((k, i) => (
        <Text key={i}>
          <Text color="cyan">{k.label.padEnd(labelWidth)}</Text>
          {k.does}
        </Text>
      ))}
      <Text dimColor>any key closes this help</Text>
    </Box>
  );
}

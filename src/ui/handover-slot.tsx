// The place of the handover documents screen. It will call generateHandover(…) from src/handover/
// and show where the files went; until that module lands, it says how to get there and goes back.
import { Box, Text, useInput } from 'ink';

/** Props of the handover slot. */
export interface HandoverSlotProps {
  environment: string;
  back: () => void;
  isActive: boolean;
}

/** The handover screen's slot: reached with ctrl-d from the library. */
export function HandoverSlot({ environment, back, isActive }: HandoverSlotProps) {
  useInput(() => back(), { isActive });
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>Handover documents — {environment}</Text>
      <Text>This build of baton does not generate handover documents yet.</Text>
      <Text dimColor>any key goes back to the library</Text>
    </Box>
  );
}

// A one-line prompt of the runbook screen (a note, why a step is skipped, a step number), typed into
// an @inkjs/ui TextInput. Enter sends it, esc closes it without sending.
import { TextInput } from '@inkjs/ui';
import { Box, Text } from 'ink';
import { useKeys } from '../use-keys.js';

/** Props of a text prompt. */
export interface TextPromptProps {
  label: string;
  placeholder?: string;
  width: number;
  onSubmit: (text: string) => void;
  onCancel: () => void;
  isActive: boolean;
}

/** A labelled one-line text prompt. */
export function TextPrompt(props: TextPromptProps) {
  useKeys(
    (_input, key) => {
      if (key.escape) props.onCancel();
    },
    { isActive: props.isActive },
  );
  return (
    <Box borderStyle="round" borderColor="cyan" paddingX={1} width={props.width}>
      <Text>
        <Text bold>{props.label} </Text>
        <TextInput isDisabled={!props.isActive} placeholder={props.placeholder ?? ''} onSubmit={props.onSubmit} />
      </Text>
    </Box>
  );
}

// One question of the run, asked with the @inkjs/ui input that fits it: a choice, yes/no, typed
// text, a secret, or the environment's name. The dialog only sends the answer; the runner checks it
// (pattern, choices, the exact name) and a refusal comes back as a line under the question.
import { PasswordInput, Select, StatusMessage, TextInput } from '@inkjs/ui';
import { Box, Text } from 'ink';
import { useState } from 'react';
import type { Question } from '../../engine/state.js';
import { cut } from '../format.js';
import { useKeys } from '../use-keys.js';

/** Props of the question dialog. */
export interface QuestionDialogProps {
  question: Question;
  /** Whether the run's environment is protected (the yes/no default is then "no"). */
  protectedEnvironment: boolean;
  width: number;
  /** Send an answer; a note goes with check answers. */
  answer: (value: string, note?: string) => void;
  /** Ask for a note first, then answer with `value` (a failed check, a confirmation with a note). */
  askNote: (value: 'confirmed' | 'failed') => void;
  /** What the runner said about the last answer, when it refused it. */
  error?: string;
  isActive: boolean;
}

/** The dialog for the run's open question. */
export function QuestionDialog(props: QuestionDialogProps) {
  const { question, width } = props;
  const color = question.kind === 'type-name' || question.kind === 'unknown-outcome' ? 'red' : question.kind === 'check' ? 'cyan' : 'yellow';
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={color} paddingX={1} width={width}>
      <Text bold>{title(question)}</Text>
      <Text wrap="wrap">{question.text}</Text>
      {question.detail.slice(0, 8).map((line, i) => (
        <Text key={i} dimColor={!line.startsWith('risk') && !line.startsWith('target')}>
          {cut(line, width - 6)}
        </Text>
      ))}
      {question.detail.length > 8 ? <Text dimColor>… {question.detail.length - 8} more lines</Text> : null}
      <Box marginTop={1}>
        <Answer {...props} />
      </Box>
      {props.error ? <StatusMessage variant="error">{props.error}</StatusMessage> : null}
    </Box>
  );
}

function title(question: Question): string {
  switch (question.kind) {
    case 'check':
      return 'Check';
    case 'confirm':
      return 'Confirm';
    case 'type-name':
      return 'Destructive step in a protected environment';
    case 'variable':
      return `Variable ${question.variable ?? ''}`;
    case 'unknown-outcome':
      return 'Outcome unknown';
    case 'take-over':
      return 'Lock held by a process that is gone';
    case 'runbook-changed':
      return 'Runbook changed since this run started';
    case 'requires':
      return 'Prerequisites not done';
  }
}

function Answer(props: QuestionDialogProps) {
  const { question, isActive } = props;
  const input = question.input ?? {};
  if (question.kind === 'check') return <CheckAnswer {...props} />;
  if (question.kind === 'confirm' && question.options) {
    return (
      <Text>
        Run it? <YesNo isActive={isActive} proposed={props.protectedEnvironment ? 'no' : 'yes'} answer={props.answer} />
      </Text>
    );
  }
  if (question.options) return <Choice {...props} options={question.options.map((o) => ({ label: `${o.key}  ${o.label}`, value: o.value }))} />;
  if (input.choices && input.choices.length > 0) return <Choice {...props} options={input.choices.map((c) => ({ label: c, value: c }))} />;
  if (input.secret) {
    return (
      <Text>
        <Text color="cyan">› </Text>
        <PasswordInput isDisabled={!isActive} placeholder="(hidden)" onSubmit={(value) => props.answer(value)} />
      </Text>
    );
  }
  const placeholder =
    input.expected !== undefined ? `type ${input.expected} (empty stops)` : input.pattern ? `matching ${input.pattern}` : input.default ? `default ${input.default}` : '';
  return (
    <Text>
      <Text color="cyan">› </Text>
      <TextInput isDisabled={!isActive} placeholder={placeholder} onSubmit={(value) => props.answer(value)} />
    </Text>
  );
}

function Choice(props: QuestionDialogProps & { options: { label: string; value: string }[] }) {
  const keys = new Map((props.question.options ?? []).map((o) => [o.key, o.value]));
  // The list takes Enter only after an arrow key: an Enter typed ahead must not pick the first option.
  const [armed, setArmed] = useState(false);
  useKeys(
    (input, key) => {
      if (!armed && (key.upArrow || key.downArrow)) return setArmed(true);
      const value = keys.get(input.toLowerCase());
      if (value !== undefined) props.answer(value);
    },
    { isActive: props.isActive },
  );
  return (
    <Box flexDirection="column">
      <Select isDisabled={!props.isActive || !armed} options={props.options} visibleOptionCount={Math.min(6, props.options.length)} onChange={(value) => props.answer(value)} />
      <Text dimColor>{keys.size > 0 ? 'press the letter, or ↑↓ then enter' : '↑↓ then enter'}</Text>
    </Box>
  );
}

/**
 * y or n, nothing else (Enter does not answer: an Enter typed ahead must not run a step). Drawn as
 * @inkjs/ui's ConfirmInput draws it, the proposed answer in capitals; its keys are baton's, so the
 * first frame that asks is already listening.
 */
function YesNo(props: { isActive: boolean; proposed: 'yes' | 'no'; answer: (value: string) => void }) {
  useKeys(
    (input) => {
      const letter = input.toLowerCase();
      if (letter === 'y') props.answer('yes');
      else if (letter === 'n') props.answer('no');
    },
    { isActive: props.isActive },
  );
  return <Text dimColor={!props.isActive}>{props.proposed === 'yes' ? 'Y/n' : 'y/N'}</Text>;
}

function CheckAnswer(props: QuestionDialogProps) {
  useKeys(
    (input) => {
      // Enter does not confirm: an Enter typed ahead to run the next step must not answer a check.
      if (input === 'y') props.answer('confirmed');
      else if (input === 'n') props.askNote('failed');
      else if (input === 'c') props.askNote('confirmed');
    },
    { isActive: props.isActive },
  );
  return (
    <Text>
      <Text color="green">y</Text> confirmed · <Text color="red">n</Text> failed (say what is wrong) · <Text color="cyan">c</Text> confirmed, with a note
    </Text>
  );
}

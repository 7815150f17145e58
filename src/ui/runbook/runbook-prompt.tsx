// The small prompts of the runbook screen, each ending in one intent: a note, why a step is
// skipped, which step to go to, a check's note, or whether to stop what runs and quit.
import { ConfirmInput } from '@inkjs/ui';
import { Box, Text } from 'ink';
import type { Intent, IntentResult } from '../../engine/intents.js';
import type { RunState } from '../../engine/state.js';
import type { AppIntent } from '../app/app-model.js';
import { TextPrompt } from '../dialogs/text-prompt.js';
import type { Prompt } from './use-runbook-state.js';

/** Props of the open prompt. */
export interface RunbookPromptProps {
  prompt: Prompt;
  state: RunState;
  width: number;
  send: (intent: Intent) => IntentResult;
  app: (intent: AppIntent) => void;
  /** Close the prompt, with the runner's refusal when there was one. */
  close: (refused?: string) => void;
  isActive: boolean;
}

/** The prompt that is open. */
export function RunbookPrompt({ prompt, state, width, send, app, close, isActive }: RunbookPromptProps) {
  const done = (result: IntentResult) => close(result.accepted ? undefined : result.reason);
  const steps = state.runbook.steps;
  switch (prompt.kind) {
    case 'quit':
      return (
        <Box borderStyle="round" borderColor="red" paddingX={1} width={width}>
          <Text>
            Something is running. Stop it (recorded as aborted, resumable) and quit?{' '}
            <ConfirmInput isDisabled={!isActive} defaultChoice="cancel" submitOnEnter={false} onConfirm={() => app({ type: 'quit', abort: true })} onCancel={() => close()} />
          </Text>
        </Box>
      );
    case 'note':
      return <TextPrompt label="Note:" placeholder="what happened, what you saw" width={width} isActive={isActive} onCancel={() => close()} onSubmit={(text) => done(send({ type: 'note', text, stepId: prompt.stepId }))} />;
    case 'skip': {
      const n = steps.findIndex((s) => s.id === prompt.stepId) + 1;
      return <TextPrompt label={`Why skip step ${n}?`} placeholder="the reason goes in the record" width={width} isActive={isActive} onCancel={() => close()} onSubmit={(reason) => done(send({ type: 'skip', stepId: prompt.stepId, reason }))} />;
    }
    case 'jump':
      return (
        <TextPrompt
          label={`Go to step (1-${steps.length}):`}
          width={width}
          isActive={isActive}
          onCancel={() => close()}
          onSubmit={(text) => {
            const step = steps[Number.parseInt(text, 10) - 1] ?? steps.find((s) => s.id === text.trim());
            done(step ? send({ type: 'jump', stepId: step.id }) : { accepted: false, reason: `no step ${text}` });
          }}
        />
      );
    case 'check-note': {
      const label = prompt.status === 'failed' ? 'What is wrong?' : 'Note:';
      return (
        <TextPrompt
          label={label}
          placeholder={prompt.status === 'failed' ? 'the check failed because…' : 'optional'}
          width={width}
          isActive={isActive}
          onCancel={() => close()}
          onSubmit={(note) => {
            const question = state.questions.find((q) => q.kind === 'check' && q.checkId === prompt.checkId);
            if (!question) return close('that check is no longer asked');
            done(send({ type: 'answer', questionId: question.id, value: prompt.status, ...(note.trim() ? { note: note.trim() } : {}) }));
          }}
        />
      );
    }
  }
}

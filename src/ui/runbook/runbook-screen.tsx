// The runbook screen: the steps beside the current step's instructions, actions and checks, the
// live output below, the run's open question as a dialog, and the keys in the footer. It renders
// the run's state and sends intents; the runner does the work.
import { Badge, ProgressBar, StatusMessage } from '@inkjs/ui';
import { Box, Text } from 'ink';
import type { Run } from '../../engine/runner.js';
import { activeQuestions } from '../../engine/state.js';
import type { AppIntent } from '../app/app-model.js';
import { QuestionDialog } from '../dialogs/question-dialog.js';
import { cut } from '../format.js';
import { useTerminalSize } from '../use-terminal-size.js';
import { OutputPane } from './output-pane.js';
import { RunbookPrompt } from './runbook-prompt.js';
import { StepDetail } from './step-detail.js';
import { StepList } from './step-list.js';
import { useNow, useRunState } from './use-run-state.js';
import { useRunbookKeys } from './use-runbook-keys.js';
import { useRunbookState } from './use-runbook-state.js';

/** Props of the runbook screen. */
export interface RunbookScreenProps {
  run: Run;
  send: (intent: AppIntent) => void;
  /** False while the help overlay has the keyboard. */
  isActive: boolean;
}

/** The runbook screen. */
export function RunbookScreen({ run, send, isActive }: RunbookScreenProps) {
  const state = useRunState(run);
  const [view, dispatch] = useRunbookState();
  const { columns, rows } = useTerminalSize();
  const now = useNow(Boolean(state.activity) || state.record?.steps.some((s) => s.status === 'running') === true);
  const question = activeQuestions(state)[0];
  const viewed = Math.min(view.viewed ?? state.cursor, state.runbook.steps.length - 1);
  const outputHeight = Math.max(4, Math.min(12, Math.floor(rows * 0.3)));
  const dialogRows = view.prompt ? 3 : question ? 7 + Math.min(8, question.detail.length) + (question.options?.length ?? 1) : 0;
  const mainHeight = Math.max(3, rows - 1 - 3 - outputHeight - dialogRows);
  const listWidth = Math.max(24, Math.min(40, Math.floor(columns * 0.32)));
  const detailWidth = columns - listWidth - 2;
  const intent = (i: Parameters<Run['dispatch']>[0]) => run.dispatch(i);
  useRunbookKeys({ state, view, viewed, dispatch, send: intent, live: () => run.getState(), app: send, outputHeight, isActive: isActive && !view.prompt && !question, interruptActive: isActive });
  const record = state.record;
  const done = record ? record.steps.filter((s) => s.status === 'done' || s.status === 'skipped').length : 0;
  const total = state.runbook.steps.length;
  const last = state.messages.at(-1);
  return (
    <Box flexDirection="column" width={columns} height={rows - 1}>
      <Box justifyContent="space-between" width={columns} flexShrink={0}>
        <Text>
          <Text bold>{cut(state.runbook.title, Math.max(10, columns - 60))}</Text> <Text dimColor>in</Text>{' '}
          <Text bold {...(state.environment.protected ? { color: 'red' } : {})}>{state.environment.name}</Text> <Text dimColor>· {state.operator}</Text>{' '}
          {state.environment.protected ? <Badge color="red">protected</Badge> : null} {state.dryRun ? <Badge color="yellow">dry run</Badge> : null}
        </Text>
        <Box width={28}>
          <Box width={20}>
            <ProgressBar value={total === 0 ? 100 : Math.round((done / total) * 100)} />
          </Box>
          <Text> {done}/{total}</Text>
        </Box>
      </Box>
      <Text {...(view.flash ? { color: 'yellow' } : last?.level === 'error' ? { color: 'red' } : { dimColor: true })}>{cut(view.flash ?? last?.text ?? ' ', columns)}</Text>
      <Box flexGrow={1} flexShrink={1} overflow="hidden" marginTop={1}>
        <StepList state={state} viewed={viewed} width={listWidth} height={mainHeight} now={now} />
        <Box marginLeft={2}>
          <StepDetail state={state} index={viewed} width={detailWidth} height={mainHeight} />
        </Box>
      </Box>
      <Box flexDirection="column" flexShrink={0}>
      <Ending state={state} />
      {view.prompt ? (
        <RunbookPrompt prompt={view.prompt} state={state} width={columns} send={intent} app={send} isActive={isActive} close={(refused) => { dispatch({ type: 'close-prompt' }); if (refused) dispatch({ type: 'flash', text: refused }); }} />
      ) : question ? (
        <QuestionDialog
          key={question.id}
          question={question}
          protectedEnvironment={state.environment.protected}
          width={columns}
          isActive={isActive}
          {...(view.flash ? { error: view.flash } : {})}
          answer={(value, note) => {
            const result = intent({ type: 'answer', questionId: question.id, value, ...(note ? { note } : {}) });
            dispatch({ type: 'flash', text: result.accepted ? undefined : result.reason });
          }}
          askNote={(status) => question.checkId && question.stepId && dispatch({ type: 'open-prompt', prompt: { kind: 'check-note', stepId: question.stepId, checkId: question.checkId, status } })}
        />
      ) : null}
      <OutputPane state={state} width={columns} height={outputHeight} scroll={view.scroll} now={now} />
      <Text dimColor>{cut(footer(state.phase, Boolean(state.activity), record?.steps[state.cursor]?.status), columns)}</Text>
      </Box>
    </Box>
  );
}

function Ending({ state }: { state: ReturnType<typeof useRunState> }) {
  if (state.refusal) {
    const title = state.refusal.kind === 'locked' ? 'This runbook is locked' : 'The run did not start';
    return <StatusMessage variant="error">{`${title}: ${state.refusal.message}`}</StatusMessage>;
  }
  if (!state.ended) return null;
  const status = state.ended.status;
  const variant = status === 'done' ? 'success' : status === 'failed' || status === 'aborted' ? 'error' : 'info';
  return <StatusMessage variant={variant}>{`Run ${status}${state.ended.reason ? `: ${state.ended.reason}` : ''}${state.record ? ` — recorded as ${state.record.id}` : ''}`}</StatusMessage>;
}

function footer(phase: string, busy: boolean, status: string | undefined): string {
  if (phase === 'ended') return 'esc back to the library · q quit · ? help';
  if (phase === 'preparing') return 'opening the run… · ? help · q quit';
  if (busy) return 'ctrl-c cancel the action · pgup/pgdn scroll · w stop watching · a note · ? help';
  if (status === 'failed') return 'r retry · s skip · a note · g go to step · d dry run · esc library · ? help';
  return 'enter run · s skip · a note · g go to step · d dry run · ↑↓ look · esc library · ? help · q quit';
}

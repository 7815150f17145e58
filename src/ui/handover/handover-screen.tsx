// The handover documents screen (ctrl-d in the library): write the environment's handover, see
// where the two files went and the document's summary, open the HTML in the browser.
import { Box, Text } from 'ink';
import { useSyncExternalStore } from 'react';
import type { AppIntent } from '../app/app-model.js';
import { cut } from '../format.js';
import { MarkdownView } from '../markdown/markdown-view.js';
import { useTerminalSize } from '../use-terminal-size.js';
import { stateFor, type HandoverModel, type HandoverState } from './handover-model.js';
import { useHandoverKeys } from './use-handover-keys.js';

/** Props of the handover screen. */
export interface HandoverScreenProps {
  model: HandoverModel;
  environment: string;
  send: (intent: AppIntent) => void;
  isActive: boolean;
}

/** The handover screen. */
export function HandoverScreen({ model, environment, send, isActive }: HandoverScreenProps) {
  const state = stateFor(useSyncExternalStore(model.subscribe, model.getState), environment);
  const { columns, rows } = useTerminalSize();
  useHandoverKeys({ model, app: send, environment, isActive });
  return (
    <Box flexDirection="column" width={columns}>
      <Text bold>
        Handover documents — <Text color="cyan">{environment}</Text>
      </Text>
      <Text dimColor>{cut('From the run records and the live environment: what ran, what failed and how it was fixed, open items, inventory, operations guide, training log, sign-off.', columns)}</Text>
      <Text>
        live inventory: {state.inventory ? <Text color="green">read (Snowflake and schedulers)</Text> : <Text color="yellow">off</Text>}
      </Text>
      <Box flexDirection="column" marginTop={1}>
        <Body state={state} width={columns} height={Math.max(4, rows - 8)} />
      </Box>
      <Text dimColor>{cut(footer(state), columns)}</Text>
    </Box>
  );
}

function Body({ state, width, height }: { state: HandoverState; width: number; height: number }) {
  if (state.phase === 'writing') {
    return (
      <Box flexDirection="column">
        <Text color="yellow">writing the handover…</Text>
        {state.progress.map((line, i) => (
          <Text key={i} dimColor>
            {cut(`… ${line}`, width)}
          </Text>
        ))}
      </Box>
    );
  }
  if (state.phase === 'failed') return <Text color="red" wrap="wrap">nothing written: {state.problem}</Text>;
  const result = state.result;
  if (!result) return <Text>enter writes the handover of this environment into docs/handover/.</Text>;
  // The summary's first lines: what a team lead reads first.
  const summary = result.summary.split('\n').slice(0, Math.max(2, height - 4 - result.warnings.length)).join('\n');
  return (
    <Box flexDirection="column">
      <Text color="green">✔ written</Text>
      <Text>{cut(`  ${result.markdownPath}`, width)}</Text>
      <Text>{cut(`  ${result.htmlPath}`, width)}</Text>
      {result.warnings.map((warning, i) => (
        <Text key={i} color="yellow">
          {cut(`! ${warning}`, width)}
        </Text>
      ))}
      {state.problem ? <Text color="red">{cut(state.problem, width)}</Text> : null}
      {state.opened ? <Text dimColor>{cut(`opened ${state.opened}`, width)}</Text> : null}
      <Box marginTop={1}>
        <MarkdownView markdown={summary} width={width} />
      </Box>
    </Box>
  );
}

function footer(state: HandoverState): string {
  if (state.phase === 'writing') return 'writing… (esc goes back; the files are still written)';
  const write = state.phase === 'written' ? 'enter write again' : 'enter write';
  return [write, `i inventory ${state.inventory ? 'off' : 'on'}`, ...(state.result ? ['o open the HTML'] : []), 'esc back', '? help', 'q quit'].join(' · ');
}

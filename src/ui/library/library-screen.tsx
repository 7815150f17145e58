// The library: every runbook of the folder with where it stands in the chosen environment,
// type-to-filter, and the environment switcher (protected environments marked).
import { Box, Text } from 'ink';
import type { AppIntent, AppState } from '../app/app-model.js';
import { count, cut } from '../format.js';
import { useTerminalSize } from '../use-terminal-size.js';
import { isDone, standingText } from './standing-text.js';
import type { RunbookSummary } from './summaries.js';
import { useLibraryKeys } from './use-library-keys.js';
import { filterRunbooks, useLibraryState, visibleRange } from './use-library-state.js';

/** Props of the library screen. */
export interface LibraryScreenProps {
  app: AppState;
  send: (intent: AppIntent) => void;
  isActive: boolean;
}

/** The library screen. */
export function LibraryScreen({ app, send, isActive }: LibraryScreenProps) {
  const { columns, rows } = useTerminalSize();
  const [state, dispatch, read] = useLibraryState();
  const listed = filterRunbooks(app.library.runbooks, state.filter);
  const selected = Math.min(state.selected, Math.max(0, listed.length - 1));
  // Header 3 rows, footer 1, the chosen runbook's details 2, notice 1, one spare so Ink never scrolls.
  const height = Math.max(3, rows - 8 - (app.notice ? 1 : 0) - app.library.problems.length);
  const { from, to } = visibleRange(listed.length, selected, height);
  useLibraryKeys({
    read,
    dispatch,
    app: send,
    listed: (filter) => filterRunbooks(app.library.runbooks, filter).map((r) => r.id),
    environments: app.library.environments.map((e) => e.name),
    environment: app.environment,
    pageSize: height,
    isActive,
  });
  const byId = new Map(app.library.runbooks.map((r) => [r.id, r]));
  return (
    <Box flexDirection="column" width={columns}>
      <Header app={app} width={columns} />
      <Text>
        <Text color="cyan">filter › </Text>
        {state.filter === '' ? <Text dimColor>type to filter</Text> : <Text>{state.filter}</Text>}
        <Text dimColor>{state.filter === '' ? '' : `  ${listed.length} of ${app.library.runbooks.length}`}</Text>
      </Text>
      {app.library.problems.map((problem) => (
        <Text key={problem} color="red">{cut(problem, columns)}</Text>
      ))}
      {app.notice ? <Text color="red" wrap="wrap">{app.notice}</Text> : null}
      <Box flexDirection="column" marginTop={1}>
        {listed.length === 0 ? <Text dimColor>{app.library.runbooks.length === 0 ? `no runbooks in ${app.library.folder}` : `nothing matches "${state.filter}" (esc clears the filter)`}</Text> : null}
        {listed.slice(from, to).map((runbook, i) => (
          <Row key={runbook.id} runbook={runbook} app={app} chosen={from + i === selected} width={columns} byId={byId} />
        ))}
      </Box>
      <Text dimColor>{cut(app.opening ? `opening ${app.opening}…` : 'enter open · ↑↓ choose · tab environment · type to filter · ? help · q quit', columns)}</Text>
    </Box>
  );
}

function Header({ app, width }: { app: AppState; width: number }) {
  const labels = app.library.environments.map((env) => `${env.protected ? '⚠ ' : ''}${env.name}${env.protected ? ' (protected)' : ''}`);
  const switcher = labels.reduce((n, label) => n + label.length + 2, 0);
  const title = cut(`baton · ${count(app.library.runbooks.length, 'runbook')} in ${app.library.folder}`, Math.max(10, width - switcher - 1));
  return (
    <Text>
      <Text bold>{title}</Text>
      {' '.repeat(Math.max(1, width - title.length - switcher))}
      {app.library.environments.map((env, i) => {
        const chosen = env.name === app.environment;
        const label = labels[i]!;
        return (
          <Text key={env.name} {...(env.protected ? { color: 'red' } : {})} bold={chosen} inverse={chosen}>
            {chosen ? `[${label}]` : ` ${label} `}
          </Text>
        );
      })}
    </Text>
  );
}

function Row({ runbook, app, chosen, width, byId }: { runbook: RunbookSummary; app: AppState; chosen: boolean; width: number; byId: Map<string, RunbookSummary> }) {
  const standing = standingText(app.standings.get(runbook.id));
  const invalid = runbook.errors > 0;
  const right = invalid ? 'invalid' : `${count(runbook.steps, 'step')} · ${standing.text}`;
  const id = runbook.title === runbook.id ? '' : runbook.id;
  const title = cut(runbook.title, Math.max(10, width - right.length - id.length - 6));
  // One text per row, padded here rather than laid out by flex: the list is most of the first
  // frame, and every extra box is layout and output work before the operator sees anything.
  const gap = Math.max(1, width - 2 - title.length - 1 - id.length - right.length);
  const elsewhere = runbook.environments && !runbook.environments.includes(app.environment);
  return (
    <>
      <Text bold={chosen} {...(chosen ? { color: 'cyan' } : {})}>
        {chosen ? '› ' : '  '}
        {title} <Text dimColor>{id}</Text>
        {' '.repeat(gap)}
        <Text color={invalid ? 'red' : standing.color} bold={false}>
          {right}
        </Text>
      </Text>
      {chosen ? (
        <Box flexDirection="column" paddingLeft={4}>
          {invalid ? <Text color="red">{cut(runbook.problem ?? 'has errors', width - 4)}</Text> : null}
          {runbook.summary ? <Text>{cut(runbook.summary, width - 4)}</Text> : null}
          {elsewhere ? <Text color="yellow">runs only in {runbook.environments!.join(', ')}</Text> : null}
          {runbook.requires.length > 0 ? (
            <Text>
              requires{' '}
              {runbook.requires.map((id) => {
                const done = isDone(app.standings.get(id));
                const missing = !byId.has(id);
                return (
                  <Text key={id} color={done ? 'green' : 'yellow'}>
                    {id} {missing ? '(missing)' : done ? '✔ done' : `✘ not done in ${app.environment}`}{' '}
                  </Text>
                );
              })}
            </Text>
          ) : null}
        </Box>
      ) : null}
    </>
  );
}

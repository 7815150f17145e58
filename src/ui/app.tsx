// The app's root: the screen the app model says, the help overlay over it, and nothing at all while
// an `interactive` action has the terminal. The runbook screen is loaded on first use, so the
// library's first frame does not wait for the engine, @inkjs/ui or the Markdown renderer.
import { Box, Text } from 'ink';
import { lazy, Suspense, useSyncExternalStore } from 'react';
import type { AppModel } from './app/app-model.js';
import { HelpOverlay } from './help-overlay.js';
import { LibraryScreen } from './library/library-screen.js';
import { KeyRouterProvider } from './use-keys.js';
import { useTerminalSize } from './use-terminal-size.js';

const RunbookScreen = lazy(async () => ({ default: (await import('./runbook/runbook-screen.js')).RunbookScreen }));
const HandoverScreen = lazy(async () => ({ default: (await import('./handover/handover-screen.js')).HandoverScreen }));

/** Props of the app. */
export interface AppProps {
  model: AppModel;
}

/** The app. */
export function App({ model }: AppProps) {
  const app = useSyncExternalStore(model.subscribe, model.getState);
  const { columns } = useTerminalSize();
  if (app.handedOver) return null;
  const keys = !app.help && !app.quitting;
  return (
    <KeyRouterProvider>
      <Box flexDirection="column">
        {app.help ? <HelpOverlay scope={app.screen} width={columns} close={() => model.dispatch({ type: 'help', show: false })} /> : null}
        <Box display={app.help ? 'none' : 'flex'} flexDirection="column">
          {app.screen === 'runbook' && app.run ? (
            <Suspense fallback={<Text dimColor>opening…</Text>}>
              <RunbookScreen key={app.run.getState().runbook.id} run={app.run} send={model.dispatch} isActive={keys} />
            </Suspense>
          ) : app.screen === 'handover' ? (
            <Suspense fallback={<Text dimColor>opening…</Text>}>
              <HandoverScreen model={model.handover} environment={app.environment} send={model.dispatch} isActive={keys} />
            </Suspense>
          ) : (
            <LibraryScreen app={app} send={model.dispatch} isActive={keys && !app.opening} />
          )}
        </Box>
      </Box>
    </KeyRouterProvider>
  );
}

// The app's keys: a component that a change from outside shows (a step ending, a question asked)
// listens from the commit that shows it, and every listening handler gets each key, in order.
import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { useEffect, useState } from 'react';
import { describe, expect, it } from 'vitest';
import { KeyRouterProvider, useKeys } from '../../src/ui/use-keys.js';

/** A value that changes from outside React, as the run's state does. */
function outsideStore() {
  const listeners = new Set<() => void>();
  const store = {
    open: false,
    set(open: boolean) {
      store.open = open;
      for (const listener of listeners) listener();
    },
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
  return store;
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('useKeys', () => {
  it('hears a key typed in the first frame of a dialog that a change from outside opened', async () => {
    const store = outsideStore();
    const heard: string[] = [];
    function Dialog() {
      useKeys((input) => void heard.push(`dialog ${input}`));
      return <Text>dialog</Text>;
    }
    function Screen() {
      // As the runbook screen follows its run: a state update that no key caused.
      const [open, setOpen] = useState(false);
      useEffect(() => store.subscribe(() => setOpen(store.open)), []);
      useKeys((input) => void heard.push(`screen ${input}`), { isActive: !open });
      return open ? <Dialog /> : <Text>screen</Text>;
    }
    const { stdin, lastFrame, unmount } = render(
      <KeyRouterProvider>
        <Screen />
      </KeyRouterProvider>,
    );
    await tick();
    stdin.write('a');
    store.set(true);
    // The key goes in at the first frame that shows the dialog, before React's passive effects.
    for (let i = 0; i < 1000 && lastFrame() !== 'dialog'; i++) await tick();
    expect(lastFrame()).toBe('dialog');
    stdin.write('y');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(heard).toEqual(['screen a', 'dialog y']);
    unmount();
  });

  it('gives each key to every handler listening, in the order they started, and to none that stopped', async () => {
    const heard: string[] = [];
    function Both({ second }: { second: boolean }) {
      useKeys((input) => void heard.push(`first ${input}`));
      useKeys((input) => void heard.push(`second ${input}`), { isActive: second });
      return <Text>both</Text>;
    }
    const { stdin, rerender, unmount } = render(
      <KeyRouterProvider>
        <Both second />
      </KeyRouterProvider>,
    );
    await tick();
    stdin.write('x');
    rerender(
      <KeyRouterProvider>
        <Both second={false} />
      </KeyRouterProvider>,
    );
    await tick();
    stdin.write('z');
    await tick();
    expect(heard).toEqual(['first x', 'second x', 'first z']);
    unmount();
  });
});

// Keys for the app's screens and dialogs. Ink's useInput starts listening in a passive effect,
// which React runs some time after the frame that shows the component when what showed it did not
// come from a key (a step ending, a question asked): a key typed in that moment reached nobody.
// Here one listener for the whole app takes every key from Ink, and a component's handler joins it
// in a layout effect, in the same commit as the frame that shows the component.
import { useInput, type Key } from 'ink';
import { createContext, useContext, useLayoutEffect, useMemo, useRef, type ReactNode } from 'react';

/** What a key goes to. */
export type KeyHandler = (input: string, key: Key) => void;

/** Every handler that listens, in the order they started to. */
class KeyRouter {
  readonly #handlers: Array<{ current: KeyHandler }> = [];

  add(handler: { current: KeyHandler }): () => void {
    this.#handlers.push(handler);
    return () => {
      const at = this.#handlers.indexOf(handler);
      if (at >= 0) this.#handlers.splice(at, 1);
    };
  }

  /** Each key to every handler listening when it came, as Ink hands one key to every useInput. */
  readonly dispatch: KeyHandler = (input, key) => {
    for (const handler of [...this.#handlers]) handler.current(input, key);
  };
}

const RouterContext = createContext<KeyRouter | undefined>(undefined);

/** The one listener of the app's keys, for everything inside it that calls `useKeys`. */
export function KeyRouterProvider({ children }: { children: ReactNode }) {
  const router = useMemo(() => new KeyRouter(), []);
  useInput(router.dispatch);
  return <RouterContext.Provider value={router}>{children}</RouterContext.Provider>;
}

/**
 * Ink's useInput, listening from the commit that shows the component on. Outside a
 * `KeyRouterProvider` (a component drawn alone) it is Ink's useInput itself.
 */
export function useKeys(handler: KeyHandler, options: { isActive?: boolean } = {}): void {
  const isActive = options.isActive ?? true;
  const router = useContext(RouterContext);
  const latest = useRef(handler);
  useLayoutEffect(() => {
    latest.current = handler;
  });
  useInput(handler, { isActive: isActive && router === undefined });
  useLayoutEffect(() => (router && isActive ? router.add(latest) : undefined), [router, isActive]);
}

// A reducer whose latest state can be read at once, between renders. Keys arrive in bursts (typed
// ahead, or pasted): "↓ then enter" must open the row ↓ chose, not the one the last render showed.
import { useReducer, useRef } from 'react';

/** Like `useReducer`, plus `read()` for the state after every action dispatched so far. */
export function useSyncReducer<S, A>(reducer: (state: S, action: A) => S, initial: S): [S, (action: A) => void, () => S] {
  const latest = useRef(initial);
  const [, render] = useReducer((n: number) => n + 1, 0);
  const dispatch = useRef((action: A) => {
    const next = reducer(latest.current, action);
    if (next !== latest.current) {
      latest.current = next;
      render();
    }
  }).current;
  const read = useRef(() => latest.current).current;
  return [latest.current, dispatch, read];
}

// The run's state for the screen. Output arrives in floods (100,000 lines a second): those updates
// are folded into one render per interval, while anything else (a step ending, a question) shows at
// once, so the screen never lags behind the operator's keys.
import { useEffect, useState } from 'react';
import type { Run } from '../../engine/runner.js';
import type { RunState } from '../../engine/state.js';

/** How often a flood of output may re-render the screen. */
export const OUTPUT_FRAME_MS = 100;

/** Follow a run's state; output-only changes render at most once per `frameMs`. */
export function useRunState(run: Run, frameMs = OUTPUT_FRAME_MS): RunState {
  const [state, setState] = useState(() => run.getState());
  useEffect(() => {
    let timer: NodeJS.Timeout | undefined;
    const flush = () => {
      timer = undefined;
      setState(run.getState());
    };
    const unsubscribe = run.subscribe((_state, event) => {
      if (event.type === 'output' || event.type === 'progress') {
        timer ??= setTimeout(flush, frameMs);
        return;
      }
      if (timer) clearTimeout(timer);
      flush();
    });
    flush();
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [run, frameMs]);
  return state;
}

/** The current time, ticking every `ms` while `on` (the elapsed time of a running action). */
export function useNow(on: boolean, ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!on) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [on, ms]);
  return now;
}

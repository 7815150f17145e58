// Driving the real runner in tests: a temp state folder, and answers given the way a face would.
import { join } from 'node:path';
import type { Environment } from '../../src/config/environment.js';
import type { RunEvent } from '../../src/engine/events.js';
import { startRun, type Run, type RunOptions } from '../../src/engine/runner.js';
import type { Question, RunState } from '../../src/engine/state.js';
import { openStore } from '../../src/store/runs.js';

/** The environments tests run in. */
export const SANDBOX: Environment = { name: 'sandbox', protected: false, variables: {} };
export const PROD: Environment = { name: 'prod', protected: true, variables: {} };

/** A run plus everything it emitted and asked. */
export interface Driven {
  run: Run;
  events: RunEvent[];
  asked: Question[];
  final: Promise<RunState>;
}

/** Start a run; `answer` decides each question (undefined leaves it open). */
export function drive(
  dir: string,
  options: Partial<RunOptions> & Pick<RunOptions, 'runbook'>,
  answer: (question: Question, run: Run) => string | undefined = (q) => q.assumeYes,
): Driven {
  const run = startRun({ environment: SANDBOX, operator: 'ana', store: openStore(join(dir, 'state')), ...options });
  const events: RunEvent[] = [];
  const asked: Question[] = [];
  run.subscribe((_state, event) => {
    events.push(event);
    if (event.type === 'question-asked') {
      asked.push(event.question);
      const value = answer(event.question, run);
      if (value !== undefined) setImmediate(() => run.dispatch({ type: 'answer', questionId: event.question.id, value }));
    }
  });
  return { run, events, asked, final: run.finished };
}

// The engine as the faces use it: start a run, read its state, listen to its events, send intents.
export { startRun, Run, type RunOptions, type RunListener, type TerminalHandover } from './runner.js';
export type { Intent, IntentResult } from './intents.js';
export type { RunEvent } from './events.js';
export {
  activeQuestions,
  shownText,
  TAIL_LINES,
  type Activity,
  type Message,
  type OutputTail,
  type Question,
  type QuestionKind,
  type QuestionOption,
  type Refusal,
  type RunMode,
  type RunPhase,
  type RunState,
  type ShownVariable,
} from './state.js';
export { OVERRIDE_FLAG } from './guard.js';

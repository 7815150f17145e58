// The questions a run puts to the operator, built and checked in one place, and the events their
// answers become. Pure.
import type { StepRecord } from '../store/record.js';
import type { Answer } from './core.js';
import type { RunEvent } from './events.js';
import type { Question, QuestionOption } from './state.js';
import { valueProblem } from './variables.js';

/** Yes or no. */
export function yesNo(): QuestionOption[] {
  return [
    { value: 'yes', label: 'yes', key: 'y' },
    { value: 'no', label: 'no', key: 'n' },
  ];
}

/** What to do about an action whose outcome is unknown. */
export function unknownOptions(): QuestionOption[] {
  return [
    { value: 'rerun', label: 're-run it', key: 'r' },
    { value: 'mark-done', label: 'mark it done (it did its work)', key: 'd' },
    { value: 'skip', label: 'skip it', key: 's' },
  ];
}

/** The event that settles an unknown outcome as the operator decided. */
export function settleEvent(stepId: string, actionId: string, answer: Answer, at: string): RunEvent {
  const status = answer.value === 'mark-done' ? 'marked-done' : answer.value === 'skip' ? 'skipped' : 'pending';
  return {
    type: 'action-settled',
    stepId,
    actionId,
    status,
    ...(status === 'skipped' ? { reason: `outcome unknown; skipped by ${answer.by}` } : {}),
    by: answer.by,
    via: answer.via,
    at,
  };
}

/** Actions of a failed step that run again when it is retried or resumed. */
export function reopenable(step: StepRecord): string[] {
  return step.actions.filter((a) => (a.status === 'failed' && !a.tolerated) || a.status === 'aborted').map((a) => a.id);
}

/** Why an answer does not fit its question, or undefined when it does. */
export function answerProblem(question: Question, value: string): string | undefined {
  if (question.options) {
    return question.options.some((o) => o.value === value) ? undefined : `answer one of: ${question.options.map((o) => o.value).join(', ')}`;
  }
  const input = question.input ?? {};
  if (input.expected !== undefined) {
    return value === '' || value.trim() === input.expected ? undefined : `type ${input.expected} exactly (or nothing, to stop)`;
  }
  const effective = value === '' && input.default !== undefined ? input.default : value;
  if (input.choices && input.choices.length > 0 && !input.choices.includes(effective)) return `answer one of: ${input.choices.join(', ')}`;
  if (input.pattern && !valueProblemPattern(input.pattern, effective)) return `the value must match ${input.pattern}`;
  return undefined;
}

function valueProblemPattern(pattern: string, value: string): boolean {
  return valueProblem({ name: 'x', secret: false, pattern, pos: { line: 0, column: 0 } }, value) === undefined;
}
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/engine/events.js';
import { refusal } from '../../src/engine/intents.js';
import { nextWork } from '../../src/engine/next.js';
import { initialState, reduce } from '../../src/engine/reducer.js';
import { changedSteps, newRecord, realign } from '../../src/engine/resume.js';
import { TAIL_LINES, type RunState } from '../../src/engine/state.js';
import { makeRunbook } from '../helpers/runbook.js';

const at = '2026-11-25T21:40:00.000Z';
const runbook = makeRunbook({
  path: '/rb/demo.md',
  steps: [
    { title: 'Prepare', actions: ['echo one', 'echo two'], checks: ['Looks right'] },
    { title: 'Load', actions: ['echo load'] },
    { title: 'Read me' },
  ],
});

function opened(mode: 'auto' | 'step' = 'auto'): RunState {
  const state = initialState({ runbook, environment: { name: 'sandbox', protected: false }, operator: 'ana', mode, dryRun: false });
  const record = newRecord({ id: 'r1', runbook, environment: state.environment, operator: 'ana', practice: false, at, session: { operator: 'ana', host: 'h', pid: 1, startedAt: at } });
  return reduce(state, { type: 'run-opened', record, cursor: 0, resumed: false, variables: [] });
}

const fold = (state: RunState, events: RunEvent[]) => events.reduce(reduce, state);

describe('run state', () => {
  it('records attempts and keeps only a bounded tail of output', () => {
    let state = fold(opened(), [
      { type: 'step-started', stepId: 'prepare', at },
      { type: 'attempt-started', stepId: 'prepare', actionId: 'prepare/1', interactive: false, attempt: { n: 1, status: 'running', operator: 'ana', startedAt: at } },
    ]);
    expect(state.activity).toMatchObject({ kind: 'attempt', actionId: 'prepare/1', attempt: 1 });
    for (let i = 0; i < 5; i++) {
      state = reduce(state, { type: 'output', stepId: 'prepare', actionId: 'prepare/1', stream: 'stdout', lines: Array.from({ length: 100 }, (_, n) => `line ${i * 100 + n}`) });
    }
    expect(state.output?.lines).toHaveLength(TAIL_LINES);
    expect(state.output?.lines.at(-1)?.text).toBe('line 499');
    expect(state.output?.dropped).toBe(500 - TAIL_LINES);
    const before = state.record;
    state = reduce(state, { type: 'output', stepId: 'prepare', actionId: 'prepare/1', stream: 'stdout', lines: ['x'] });
    expect(state.record).toBe(before); // output never touches the record, so it is never rewritten for it
    state = reduce(state, { type: 'attempt-ended', stepId: 'prepare', actionId: 'prepare/1', n: 1, status: 'succeeded', ended: { endedAt: at, durationMs: 5, exitCode: 0 } });
    expect(state.activity).toBeUndefined();
    expect(state.record!.steps[0]!.actions[0]!.attempts[0]).toMatchObject({ status: 'succeeded', exitCode: 0, durationMs: 5 });
  });

  it('skipping a step finishes what is left of it; retrying reopens only what failed', () => {
    let state = fold(opened(), [
      { type: 'step-started', stepId: 'prepare', at },
      { type: 'action-ended', stepId: 'prepare', actionId: 'prepare/1', status: 'failed', tolerated: 'continue' },
      { type: 'action-ended', stepId: 'prepare', actionId: 'prepare/2', status: 'failed' },
      { type: 'step-ended', stepId: 'prepare', status: 'failed', at, failure: 'prepare/2: exit 1' },
    ]);
    expect(state.record!.steps[0]).toMatchObject({ status: 'failed', failure: 'prepare/2: exit 1' });
    const retried = reduce(state, { type: 'step-reopened', stepId: 'prepare', actionIds: ['prepare/2'], at });
    expect(retried.record!.steps[0]!.status).toBe('running');
    expect(retried.record!.steps[0]!.failure).toBeUndefined();
    expect(retried.record!.steps[0]!.actions.map((a) => a.status)).toEqual(['failed', 'pending']);
    state = reduce(state, { type: 'step-skipped', stepId: 'prepare', reason: 'done by hand', by: 'ana', via: 'operator', at });
    expect(state.record!.steps[0]!.checks[0]!.status).toBe('skipped');
    expect(state.record!.steps[0]!.skip).toEqual({ reason: 'done by hand', by: 'ana', at, via: 'operator' });
  });

  it('ends the session in the record when the run ends', () => {
    const state = reduce(opened(), { type: 'run-ended', status: 'aborted', at, reason: 'stopped by SIGINT' });
    expect(state.phase).toBe('ended');
    expect(state.record!.status).toBe('aborted');
    expect(state.record!.sessions.at(-1)).toMatchObject({ ended: 'aborted', reason: 'stopped by SIGINT', endedAt: at });
  });
});

describe('what the runner does next', () => {
  it('in auto mode starts, continues, moves on and ends by itself', () => {
    let state = opened('auto');
    expect(nextWork(state)).toEqual({ kind: 'start-step', index: 0 });
    state = reduce(state, { type: 'step-started', stepId: 'prepare', at });
    expect(nextWork(state)).toEqual({ kind: 'continue-step', index: 0 });
    state = reduce(state, { type: 'step-ended', stepId: 'prepare', status: 'done', at });
    expect(nextWork(state)).toEqual({ kind: 'move', index: 1 });
    state = fold(state, [{ type: 'cursor-moved', index: 1 }, { type: 'step-ended', stepId: 'load', status: 'failed', at, failure: 'boom' }]);
    expect(nextWork(state)).toEqual({ kind: 'end', status: 'failed', reason: 'boom' });
  });

  it('in step mode waits for the operator, and nothing starts while a question is open', () => {
    let state = opened('step');
    expect(nextWork(state)).toBeUndefined();
    state = reduce(state, { type: 'step-started', stepId: 'prepare', at });
    expect(nextWork(state)).toEqual({ kind: 'continue-step', index: 0 });
    state = reduce(state, { type: 'question-asked', question: { id: 'q1', kind: 'check', text: 'Looks right', detail: [] } });
    expect(nextWork(state)).toBeUndefined();
  });

  it('goes back to a step left unfinished after the last one, and stops after --only', () => {
    let state = fold(opened(), [
      { type: 'step-skipped', stepId: 'load', reason: 'x', by: 'ana', via: 'operator', at },
      { type: 'step-skipped', stepId: 'read-me', reason: 'x', by: 'ana', via: 'operator', at },
      { type: 'cursor-moved', index: 2 },
    ]);
    expect(nextWork(state)).toEqual({ kind: 'move', index: 0 });
    state = { ...fold(opened(), [{ type: 'step-started', stepId: 'load', at }, { type: 'step-ended', stepId: 'load', status: 'done', at }, { type: 'cursor-moved', index: 1 }]), only: 'load' };
    expect(nextWork(state)).toMatchObject({ kind: 'end', status: 'paused' });
  });
});

describe('intents are checked against the state they arrive in', () => {
  it('refuses a run typed ahead for a step that is not current', () => {
    const state = opened('step');
    expect(refusal(state, { type: 'run', stepId: 'load' })).toBe('step load is not the current step');
    expect(refusal(state, { type: 'run', stepId: 'prepare' })).toBeUndefined();
    const running = reduce(state, { type: 'step-started', stepId: 'prepare', at });
    expect(refusal(running, { type: 'run', stepId: 'prepare' })).toBe('step prepare is running, not waiting to run');
  });

  it('refuses answers to questions that are no longer asked and skips without a reason', () => {
    const state = opened('step');
    expect(refusal(state, { type: 'answer', questionId: 'q9', value: 'yes' })).toBe('that question is no longer asked');
    expect(refusal(state, { type: 'skip', stepId: 'prepare', reason: '  ' })).toBe('say why the step is skipped');
    expect(refusal(state, { type: 'retry', stepId: 'prepare' })).toBe('step prepare has not failed');
    const busy = reduce(reduce(state, { type: 'step-started', stepId: 'prepare', at }), {
      type: 'attempt-started',
      stepId: 'prepare',
      actionId: 'prepare/1',
      interactive: false,
      attempt: { n: 1, status: 'running', operator: 'ana', startedAt: at },
    });
    expect(refusal(busy, { type: 'jump', stepId: 'load' })).toBe('something is running');
    expect(refusal(busy, { type: 'pause' })).toBe('something is running: wait for it or abort');
    expect(refusal(busy, { type: 'abort' })).toBeUndefined();
  });
});

describe('resume', () => {
  it('says which steps changed and keeps finished work when lining the record up', () => {
    const state = fold(opened(), [
      { type: 'step-started', stepId: 'prepare', at },
      { type: 'action-ended', stepId: 'prepare', actionId: 'prepare/1', status: 'succeeded' },
    ]);
    const edited = makeRunbook({
      path: '/rb/demo.md',
      steps: [
        { title: 'Prepare', actions: ['echo one', 'echo TWO'], checks: ['Looks right'] },
        { title: 'Verify', actions: ['echo new'] },
        { title: 'Read me' },
      ],
    });
    expect(changedSteps(state.record!, edited)).toEqual([
      { stepId: 'prepare', title: 'Prepare', change: 'changed' },
      { stepId: 'verify', title: 'Verify', change: 'added' },
      { stepId: 'load', title: 'Load', change: 'removed' },
    ]);
    const lined = realign(state.record!, edited);
    expect(lined.steps.map((s) => s.id)).toEqual(['prepare', 'verify', 'read-me']);
    expect(lined.steps[0]!.actions.map((a) => a.status)).toEqual(['succeeded', 'pending']);
    expect(lined.retiredSteps?.map((s) => s.id)).toEqual(['load']);
  });
});

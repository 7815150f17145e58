// One attempt of one action through its executor: the time limit, the executor's events with
// secrets masked once more on the way through, and the verdict (`expect` over the result's fields
// and the run's variables, or the executor's own `ok`).
import { checkExpect } from '../runbook/expect.js';
import { maskSecrets } from '../runbook/template.js';
import type { ActionResult, ExecutionContext, Executor, ExecutorEvent } from '../executors/types.js';
import type { Attempt } from '../store/record.js';

/** The abort reason used when the attempt's time limit fires. */
export const TIMEOUT = Symbol('timeout');

/** How an attempt ended, ready for the record. */
export interface AttemptOutcome {
  status: 'succeeded' | 'failed' | 'timeout' | 'aborted';
  result: ActionResult;
  ended: Partial<Attempt> & { endedAt: string };
}

/** What the runner hears while an attempt runs. */
export type AttemptEvent =
  | { type: 'output'; stream: 'stdout' | 'stderr'; lines: string[] }
  | { type: 'progress'; message: string }
  | { type: 'process'; pid: number };

/** Run one attempt; never throws. `controller` aborts it (operator, signal); the time limit is added here. */
export async function runAttempt(args: {
  executor: Executor;
  context: Omit<ExecutionContext, 'signal'>;
  controller: AbortController;
  expect?: string;
  /** Names `expect` may read besides the result's fields. */
  scope?: Readonly<Record<string, unknown>>;
  onEvent: (event: AttemptEvent) => void;
  now: () => Date;
}): Promise<AttemptOutcome> {
  const { executor, context, controller } = args;
  const secrets = context.secrets;
  const mask = (text: string) => maskSecrets(text, secrets);
  const started = args.now().getTime();
  const timer =
    context.timeoutMs !== undefined && context.timeoutMs > 0
      ? setTimeout(() => controller.abort(TIMEOUT), context.timeoutMs)
      : undefined;
  const queryIds: string[] = [];
  let result: ActionResult | undefined;
  try {
    for await (const event of executor.run({ ...context, signal: controller.signal }) as AsyncIterable<ExecutorEvent>) {
      switch (event.type) {
        case 'output':
          args.onEvent({ type: 'output', stream: event.stream, lines: [mask(event.line)] });
          break;
        case 'lines':
          args.onEvent({ type: 'output', stream: event.stream, lines: secrets.length > 0 ? event.lines.map(mask) : event.lines });
          break;
        case 'progress':
          args.onEvent({ type: 'progress', message: mask(event.message) });
          break;
        case 'query':
          queryIds.push(event.queryId);
          args.onEvent({ type: 'progress', message: `query ${event.queryId}` });
          break;
        case 'process':
          args.onEvent({ type: 'process', pid: event.pid });
          break;
        case 'result':
          result = event.result;
          break;
      }
    }
  } catch (error) {
    result = { ok: false, fields: {}, excerpt: '', error: { message: `the ${context.action.kind} executor failed: ${(error as Error)?.message ?? String(error)}` } };
  } finally {
    if (timer) clearTimeout(timer);
  }
  result ??= { ok: false, fields: {}, excerpt: '', error: { message: `the ${context.action.kind} executor ended without a result` } };
  const endedAt = args.now();
  const durationMs = endedAt.getTime() - started;
  const fields = { duration: durationMs, ...result.fields, ok: result.ok };
  let status: AttemptOutcome['status'];
  let expectOutcome: Attempt['expect'];
  if (controller.signal.aborted || result.interrupted) {
    status = controller.signal.reason === TIMEOUT || result.interrupted === 'timeout' ? 'timeout' : 'aborted';
  } else if (args.expect) {
    const outcome = checkExpect(args.expect, { ...args.scope, ...fields });
    if ('error' in outcome) {
      expectOutcome = { source: args.expect, passed: false, error: outcome.error };
      status = 'failed';
    } else {
      expectOutcome = { source: args.expect, passed: outcome.passed };
      status = outcome.passed ? 'succeeded' : 'failed';
    }
  } else {
    status = result.ok ? 'succeeded' : 'failed';
  }
  const error =
    status === 'timeout'
      ? { message: `timed out after ${Math.round((context.timeoutMs ?? 0) / 1000)}s` }
      : status === 'aborted'
        ? { message: 'stopped before it finished' }
        : result.error
          ? { ...result.error, message: mask(result.error.message) }
          : expectOutcome && !expectOutcome.passed
            ? { message: expectOutcome.error ? `expect: ${expectOutcome.error}` : `expect did not hold: ${args.expect}` }
            : undefined;
  const ended: AttemptOutcome['ended'] = {
    endedAt: endedAt.toISOString(),
    durationMs,
    ...(typeof result.fields.exit === 'number' ? { exitCode: result.fields.exit } : {}),
    ...(result.excerpt ? { excerpt: mask(result.excerpt) } : {}),
    ...(typeof result.fields.lines === 'number' ? { lines: result.fields.lines } : {}),
    ...(error ? { error } : {}),
    ...(expectOutcome ? { expect: expectOutcome } : {}),
    ...((result.queryIds ?? queryIds).length > 0 ? { queryIds: result.queryIds ?? queryIds } : {}),
    ...(result.details ? { details: result.details } : {}),
  };
  return { status, result: { ...result, fields }, ended };
}

/** The value a `capture=NAME` stores: the result's `value` field, else its trimmed stdout. */
export function capturedValue(fields: Readonly<Record<string, unknown>>): string {
  const value = fields.value ?? (typeof fields.stdout === 'string' ? fields.stdout.trim() : undefined);
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A captured result's fields, with long texts cut so they stay small in memory and in the record. */
export function capturedFields(fields: Readonly<Record<string, unknown>>, secrets: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value === 'string') out[key] = maskSecrets(value.length > 4096 ? value.slice(0, 4096) : value, secrets);
    else if (typeof value === 'number' || typeof value === 'boolean' || value === null) out[key] = value;
  }
  out.value = maskSecrets(capturedValue(fields), secrets);
  return out;
}

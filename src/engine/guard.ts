// The guard: whether to ask before running an action, and how. In a protected environment a write
// asks for confirmation and a destructive action asks for the environment's name to be typed;
// `confirm`, `danger` and an executor's `alwaysConfirm` ask everywhere. Only the recorded override
// flag skips the protected environment's questions — `--yes` never does.
import type { ActionAttributes } from '../runbook/model.js';
import type { Classification } from '../executors/types.js';

/** What the guard decided for one action. */
export interface GuardDecision {
  ask: 'none' | 'confirm' | 'type-name';
  level: Classification['level'];
  reasons: string[];
  /** A question was due but the override flag skipped it: record that. */
  overridden: boolean;
  /** `--yes` may answer the question (never in a protected environment). */
  yesMayAnswer: boolean;
}

/** The override flag's spelling, as recorded. */
export const OVERRIDE_FLAG = '--i-know-what-i-am-doing';

/** Decide the guard question for an action; pure. */
export function decideGuard(input: {
  classification: Classification;
  attrs: Pick<ActionAttributes, 'confirm' | 'danger'>;
  environment: { name: string; protected: boolean };
  override: boolean;
}): GuardDecision {
  const { classification, attrs, environment } = input;
  const level: Classification['level'] = attrs.danger ? 'destructive' : classification.level;
  const reasons = attrs.danger ? ['marked danger in the runbook', ...classification.reasons] : [...classification.reasons];
  const explicit = Boolean(attrs.confirm || attrs.danger || classification.alwaysConfirm);
  let ask: GuardDecision['ask'] = 'none';
  if (environment.protected) {
    if (level === 'destructive') ask = 'type-name';
    else if (level === 'write' || explicit) ask = 'confirm';
  } else if (explicit) {
    ask = 'confirm';
  }
  if (ask !== 'none' && environment.protected && input.override) {
    return { ask: 'none', level, reasons, overridden: true, yesMayAnswer: false };
  }
  return { ask, level, reasons, overridden: false, yesMayAnswer: !environment.protected };
}

// Runbooks built in code for engine tests, shaped exactly like the parser's output.
import { createHash } from 'node:crypto';
import type { Action, ActionAttributes, ActionKind, Runbook, Step, VariableSpec } from '../../src/runbook/model.js';

/** An action as a test writes it. */
export interface ActionSpec {
  code: string;
  kind?: ActionKind;
  attrs?: Partial<ActionAttributes>;
}

/** A step as a test writes it. */
export interface StepSpec {
  title: string;
  id?: string;
  actions?: (string | ActionSpec)[];
  checks?: string[];
  prose?: string;
}

/** Build a runbook from steps; `path` decides the folder shell actions run in. */
export function makeRunbook(init: {
  id?: string;
  path: string;
  title?: string;
  steps: StepSpec[];
  variables?: (Partial<VariableSpec> & { name: string })[];
  environments?: string[];
  requires?: string[];
}): Runbook {
  const id = init.id ?? 'demo';
  const steps: Step[] = init.steps.map((spec, index) => {
    const stepId = spec.id ?? spec.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
    const actions: Action[] = (spec.actions ?? []).map((raw, n) => {
      const a = typeof raw === 'string' ? { code: raw } : raw;
      const attrs: ActionAttributes = { extra: {}, ...a.attrs };
      return {
        index: n,
        id: attrs.name ? `${stepId}/${attrs.name}` : `${stepId}/${n + 1}`,
        kind: a.kind ?? 'shell',
        lang: a.kind === 'sql' ? 'sql' : 'bash',
        code: a.code,
        attrs,
        pos: { line: 10 + index * 10 + n, column: 1 },
      };
    });
    const checks = (spec.checks ?? []).map((text, n) => ({ index: n, id: `${stepId}/check-${n + 1}`, text, pos: { line: 12 + index * 10 + n, column: 1 } }));
    const hash = createHash('sha256').update(JSON.stringify({ t: spec.title, a: actions.map((x) => [x.code, x.attrs]), c: spec.checks, p: spec.prose })).digest('hex').slice(0, 16);
    return { id: stepId, index, title: spec.title, prose: spec.prose ?? '', actions, checks, pos: { line: 5 + index * 10, column: 1 }, hash };
  });
  const variables: VariableSpec[] = (init.variables ?? []).map((v) => ({ secret: false, pos: { line: 2, column: 1 }, ...v }));
  return {
    id,
    path: init.path,
    title: init.title ?? id,
    tags: [],
    requires: init.requires ?? [],
    ...(init.environments ? { environments: init.environments } : {}),
    variables,
    intro: '',
    steps,
    hash: createHash('sha256').update(JSON.stringify(steps.map((s) => s.hash))).digest('hex').slice(0, 16),
  };
}

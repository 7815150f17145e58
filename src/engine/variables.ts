// Where each variable's value comes from, in order: `--var`, the variable's `from-env` (when set
// in the process environment), the environment's values in baton.yaml, what an earlier session of
// the same run recorded, the default (which may itself use `{{…}}`). Whatever is still missing is
// asked. Secret values stay in the runner's memory: the state and the record only see the mask.
import type { Environment } from '../config/environment.js';
import type { VariableSpec } from '../runbook/model.js';
import { MASK, closestName, fillTemplate, type TemplateValue } from '../runbook/template.js';
import type { RecordedVariable } from '../store/record.js';
import type { ShownVariable } from './state.js';

/** A variable's real value and where it came from. */
export interface VariableValue {
  value: string;
  secret: boolean;
  source: ShownVariable['source'];
}

/** What resolving found. */
export interface ResolvedVariables {
  values: Map<string, VariableValue>;
  /** Declared variables with no value from any source: they must be asked. */
  missing: VariableSpec[];
  /** Values that break a variable's `choices` or `pattern`, one line each; those variables are in `missing` too. */
  invalid: string[];
}

/** The inputs to {@link resolveVariables}. */
export interface VariableSources {
  specs: readonly VariableSpec[];
  /** `--var K=V` from the command line. */
  vars: Readonly<Record<string, string>>;
  environment: Environment;
  processEnv: Readonly<Record<string, string | undefined>>;
  builtins: Readonly<Record<string, string>>;
  /** Values recorded by an earlier session of the same run (never secrets). */
  recorded?: readonly RecordedVariable[];
}

/** Resolve every declared variable; pure. */
export function resolveVariables(sources: VariableSources): ResolvedVariables {
  const values = new Map<string, VariableValue>();
  for (const [name, value] of Object.entries(sources.builtins)) values.set(name, { value, secret: false, source: 'builtin' });
  for (const variable of sources.recorded ?? []) {
    if (variable.source === 'capture' && variable.value !== undefined) {
      values.set(variable.name, { value: variable.value, secret: false, source: 'capture' });
    }
  }
  const missing: VariableSpec[] = [];
  const invalid: string[] = [];
  const pendingDefaults: VariableSpec[] = [];
  for (const spec of sources.specs) {
    const found = directValue(spec, sources);
    if (found) {
      const problem = valueProblem(spec, found.value);
      if (problem) {
        invalid.push(`${spec.name}: ${problem} (from ${describeSource(found.source)})`);
        missing.push(spec);
      } else {
        values.set(spec.name, { ...found, secret: spec.secret });
      }
    } else if (spec.default !== undefined) {
      pendingDefaults.push(spec);
    } else {
      missing.push(spec);
    }
  }
  // Defaults may refer to other variables, including other defaults: fill until nothing changes.
  let remaining = pendingDefaults;
  for (let round = 0; round <= pendingDefaults.length && remaining.length > 0; round++) {
    const next: VariableSpec[] = [];
    for (const spec of remaining) {
      const filled = fillTemplate(spec.default!, (name) => lookupIn(values, name));
      if (filled.missing.length > 0 && round < pendingDefaults.length) {
        next.push(spec);
        continue;
      }
      const problem = valueProblem(spec, filled.text);
      if (problem) {
        invalid.push(`${spec.name}: ${problem} (from its default)`);
        missing.push(spec);
      } else {
        values.set(spec.name, { value: filled.text, secret: spec.secret, source: 'default' });
      }
    }
    remaining = next;
  }
  return { values, missing, invalid };
}

/** Why a value is not acceptable for a variable, or undefined when it is. */
export function valueProblem(spec: VariableSpec, value: string): string | undefined {
  if (spec.choices && spec.choices.length > 0 && !spec.choices.includes(value)) {
    return `"${spec.secret ? MASK : value}" is not one of ${spec.choices.join(', ')}`;
  }
  if (spec.pattern) {
    let regex: RegExp;
    try {
      regex = new RegExp(`^(?:${spec.pattern})$`);
    } catch {
      return `its pattern ${spec.pattern} is not a valid regular expression`;
    }
    if (!regex.test(value)) return `"${spec.secret ? MASK : value}" does not match ${spec.pattern}`;
  }
  return undefined;
}

/** `--var` names that the runbook does not declare, each with a "did you mean" when one is close. */
export function unknownVars(specs: readonly VariableSpec[], vars: Readonly<Record<string, string>>): string[] {
  const known = specs.map((s) => s.name);
  return Object.keys(vars)
    .filter((name) => !known.includes(name))
    .map((name) => {
      const close = closestName(name, known);
      return close ? `unknown variable ${name} (did you mean ${close}?)` : `unknown variable ${name} (this runbook declares: ${known.join(', ') || 'none'})`;
    });
}

/** A template lookup over resolved values and captured results (`{{load.value}}`). */
export function lookupIn(
  values: ReadonlyMap<string, VariableValue>,
  name: string,
  captured?: ReadonlyMap<string, Record<string, unknown>>,
): TemplateValue | undefined {
  const direct = values.get(name);
  if (direct) return { value: direct.value, secret: direct.secret };
  const dot = name.indexOf('.');
  if (dot > 0 && captured) {
    const fields = captured.get(name.slice(0, dot));
    const field = fields?.[name.slice(dot + 1)];
    if (field !== undefined) return { value: typeof field === 'string' ? field : JSON.stringify(field) };
  }
  return undefined;
}

/** Values as the state shows them: secrets masked. */
export function shownVariables(values: ReadonlyMap<string, VariableValue>): ShownVariable[] {
  return [...values.entries()].map(([name, v]) => ({ name, shown: v.secret ? MASK : v.value, secret: v.secret, source: v.source }));
}

function directValue(spec: VariableSpec, sources: VariableSources): Omit<VariableValue, 'secret'> | undefined {
  const fromVar = sources.vars[spec.name];
  if (fromVar !== undefined) return { value: fromVar, source: 'var' };
  if (spec.fromEnv) {
    const fromEnv = sources.processEnv[spec.fromEnv];
    if (fromEnv !== undefined && fromEnv !== '') return { value: fromEnv, source: 'from-env' };
  }
  const fromEnvironment = sources.environment.variables[spec.name];
  if (fromEnvironment !== undefined) return { value: fromEnvironment, source: 'environment' };
  const recorded = sources.recorded?.find((v) => v.name === spec.name && v.value !== undefined && !v.secret);
  if (recorded && !spec.secret) return { value: recorded.value!, source: recorded.source };
  return undefined;
}

function describeSource(source: VariableValue['source']): string {
  switch (source) {
    case 'var':
      return '--var';
    case 'from-env':
      return 'the process environment';
    case 'environment':
      return 'the environment in baton.yaml';
    default:
      return source;
  }
}

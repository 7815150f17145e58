// AutoSys starting conditions: `s(JB_A) & (f(JB_B) | d(JB_C))`, `e(JB_D) > 4`, `v(RUN_MODE) = "full"`
// (OPS-REFERENCE §1.5). Parsed into a tree once, evaluated against the scheduler's current state.

/** Which job outcome an atom asks about. */
export type ConditionKind = 'success' | 'failure' | 'terminated' | 'done' | 'notrunning' | 'exitcode' | 'value';

/** A parsed condition. */
export type Condition =
  | { type: 'and' | 'or'; left: Condition; right: Condition }
  | { type: 'atom'; kind: Exclude<ConditionKind, 'exitcode' | 'value'>; job: string; lookback?: string }
  | { type: 'compare'; kind: 'exitcode' | 'value'; name: string; op: string; value: string };

/** What a condition can ask of the scheduler. */
export interface ConditionState {
  /** The job's current status name (`SUCCESS`), or undefined when no such job exists. */
  status(job: string): string | undefined;
  /** The job's last exit code. */
  exit(job: string): number | undefined;
  /** A global variable's value (`SET_GLOBAL`). */
  global(name: string): string | undefined;
}

const KINDS: Record<string, ConditionKind> = {
  s: 'success', success: 'success', f: 'failure', failure: 'failure', t: 'terminated', terminated: 'terminated',
  d: 'done', done: 'done', n: 'notrunning', notrunning: 'notrunning', e: 'exitcode', exitcode: 'exitcode',
  v: 'value', value: 'value',
};

type Token = { text: string; at: number };

/** Parse a condition; an error says where it went wrong (0-based offset into the text). */
export function parseCondition(text: string): { condition: Condition } | { error: string; offset: number } {
  const tokens = tokenize(text);
  if ('error' in tokens) return tokens;
  let position = 0;
  const peek = (): Token | undefined => tokens[position];
  const fail = (message: string, token = peek()): never => {
    throw Object.assign(new Error(message), { offset: token?.at ?? text.length });
  };
  const expectText = (wanted: string): void => {
    const token = peek();
    if (token?.text !== wanted) fail(`expected "${wanted}"${token ? ` before "${token.text}"` : ' at the end'}`);
    position++;
  };

  const or = (): Condition => {
    let left = and();
    while (peek() && (peek()!.text === '|' || peek()!.text.toUpperCase() === 'OR')) {
      position++;
      left = { type: 'or', left, right: and() };
    }
    return left;
  };
  const and = (): Condition => {
    let left = unary();
    while (peek() && (peek()!.text === '&' || peek()!.text.toUpperCase() === 'AND')) {
      position++;
      left = { type: 'and', left, right: unary() };
    }
    return left;
  };
  const unary = (): Condition => {
    const token = peek();
    if (!token) return fail('condition ends too early');
    if (token.text === '(') {
      position++;
      const inner = or();
      expectText(')');
      return inner;
    }
    const kind = KINDS[token.text.toLowerCase()];
    if (!kind) return fail(`unknown condition "${token.text}" (use s(), f(), t(), d(), n(), e() or v())`);
    position++;
    expectText('(');
    const name = peek();
    if (!name || /^[(),&|]$/.test(name.text)) return fail('expected a job name');
    position++;
    let lookback: string | undefined;
    if (peek()?.text === ',') {
      position++;
      lookback = peek()?.text;
      if (lookback === undefined) return fail('expected a look-back time after ","');
      position++;
    }
    expectText(')');
    const job = name.text.replace(/\^[A-Z0-9]{3}$/i, ''); // JOB^PRD: a job of another instance
    if (kind === 'exitcode' || kind === 'value') {
      const op = peek();
      if (!op || !['=', '!=', '<', '>', '<=', '>=', '<>'].includes(op.text)) return fail(`${token.text}() needs a comparison, e.g. ${token.text}(${job}) = 0`);
      position++;
      const value = peek();
      if (!value) return fail('expected a value to compare with');
      position++;
      return { type: 'compare', kind, name: job, op: op.text, value: value.text.replace(/^"(.*)"$/, '$1') };
    }
    return { type: 'atom', kind, job, ...(lookback === undefined ? {} : { lookback }) };
  };

  try {
    const condition = or();
    if (position < tokens.length) fail(`unexpected "${peek()!.text}"`);
    return { condition };
  } catch (error) {
    return { error: (error as Error).message, offset: (error as { offset?: number }).offset ?? 0 };
  }
}

function tokenize(text: string): Token[] | { error: string; offset: number } {
  const tokens: Token[] = [];
  const pattern = /\s*(?:("(?:[^"\\]|\\.)*")|(<=|>=|!=|<>|[()&|,=<>])|([^\s()&|,=<>!"]+))/y;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    pattern.lastIndex = at;
    const match = pattern.exec(text);
    if (!match) return { error: `unexpected "${text.slice(at).trim()[0]}"`, offset: at };
    const value = match[1] ?? match[2] ?? match[3]!;
    tokens.push({ text: value, at: match.index + match[0].length - value.length });
    at = pattern.lastIndex;
  }
  return tokens;
}

/** The job names a condition depends on. */
export function conditionJobs(condition: Condition): string[] {
  if (condition.type === 'and' || condition.type === 'or') {
    return [...new Set([...conditionJobs(condition.left), ...conditionJobs(condition.right)])];
  }
  if (condition.type === 'compare') return condition.kind === 'exitcode' ? [condition.name] : [];
  if (condition.type === 'atom') return [condition.job];
  return [];
}

/**
 * Whether a condition holds now. A job on ice counts as satisfying every condition on it, so work
 * downstream of an iced job can go ahead (OPS-REFERENCE §1.2); an unknown job satisfies nothing.
 */
export function evaluateCondition(condition: Condition, state: ConditionState): boolean {
  switch (condition.type) {
    case 'and':
      return evaluateCondition(condition.left, state) && evaluateCondition(condition.right, state);
    case 'or':
      return evaluateCondition(condition.left, state) || evaluateCondition(condition.right, state);
    case 'compare': {
      if (condition.kind === 'value') return compare(state.global(condition.name) ?? '', condition.op, condition.value);
      if (state.status(condition.name) === 'ON_ICE') return true;
      const exit = state.exit(condition.name);
      return exit !== undefined && compare(exit, condition.op, Number(condition.value));
    }
    case 'atom': {
      const status = state.status(condition.job);
      if (status === undefined) return false;
      if (status === 'ON_ICE') return true;
      switch (condition.kind) {
        case 'success':
          return status === 'SUCCESS';
        case 'failure':
          return status === 'FAILURE';
        case 'terminated':
          return status === 'TERMINATED';
        case 'done':
          return status === 'SUCCESS' || status === 'FAILURE' || status === 'TERMINATED';
        case 'notrunning':
          return status !== 'RUNNING' && status !== 'STARTING';
      }
    }
  }
}

function compare(left: string | number, op: string, right: string | number): boolean {
  switch (op) {
    case '=':
      return left === right;
    case '!=':
    case '<>':
      return left !== right;
    case '<':
      return left < right;
    case '>':
      return left > right;
    case '<=':
      return left <= right;
    case '>=':
      return left >= right;
    default:
      return false;
  }
}

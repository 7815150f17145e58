// The `expect` language: a small, safe expression over an action's result, e.g.
//   rows == 1 and value >= 100
//   exit == 0 && stdout contains "Loaded"
//   status in ["SU", "IN"]
// Parsed with jsep (a parser only) and evaluated by walking the tree here: no eval, no Function,
// no access to prototypes — only own data of the result and the run's variables.
import jsep from 'jsep';

let configured = false;
function parser(): typeof jsep {
  if (!configured) {
    // Word operators read better to operators than symbols; they mean the same.
    jsep.addBinaryOp('or', 1);
    jsep.addBinaryOp('and', 2);
    jsep.addBinaryOp('contains', 6);
    jsep.addBinaryOp('matches', 6);
    jsep.addBinaryOp('in', 6);
    jsep.addUnaryOp('not');
    jsep.removeBinaryOp('>>>');
    jsep.removeBinaryOp('>>');
    jsep.removeBinaryOp('<<');
    jsep.removeBinaryOp('|');
    jsep.removeBinaryOp('^');
    jsep.removeBinaryOp('&');
    jsep.removeUnaryOp('~');
    configured = true;
  }
  return jsep;
}

/** A parsed `expect` expression. */
export type ExpectTree = jsep.Expression;

/** Functions an expression may call, by name. */
const FUNCTIONS: Record<string, (...args: unknown[]) => unknown> = {
  len: (value) => (typeof value === 'string' || Array.isArray(value) ? value.length : 0),
  lower: (value) => String(value ?? '').toLowerCase(),
  upper: (value) => String(value ?? '').toUpperCase(),
  trim: (value) => String(value ?? '').trim(),
  number: (value) => toNumber(value),
  string: (value) => stringify(value),
  abs: (value) => Math.abs(toNumber(value)),
  min: (...values) => Math.min(...values.map(toNumber)),
  max: (...values) => Math.max(...values.map(toNumber)),
  contains: (haystack, needle) => contains(haystack, needle),
  matches: (text, pattern) => matches(text, pattern),
  startsWith: (text, prefix) => String(text ?? '').startsWith(String(prefix)),
  endsWith: (text, suffix) => String(text ?? '').endsWith(String(suffix)),
  any: (list, ...values) => Array.isArray(list) && list.some((item) => values.some((v) => looseEquals(item, v))),
};

/** The names of the functions an expression may call. */
export const EXPECT_FUNCTIONS = Object.keys(FUNCTIONS);

/** Where a problem in an expression is: an offset into its text, from 0. */
export interface ExpectError {
  message: string;
  offset: number;
}

/** Parse an expression; errors come back as values, never thrown. */
export function parseExpect(source: string): { tree: ExpectTree } | { error: ExpectError } {
  if (source.trim() === '') return { error: { message: 'empty expect expression', offset: 0 } };
  let tree: ExpectTree;
  try {
    tree = parser()(source);
  } catch (error) {
    const e = error as Error & { index?: number; description?: string };
    return { error: { message: `expect: ${e.description ?? e.message}`, offset: e.index ?? 0 } };
  }
  const unsupported = findUnsupported(tree);
  if (unsupported) return { error: { message: `expect: ${unsupported}`, offset: 0 } };
  return { tree };
}

/** The free names an expression reads (the first name of each `a.b.c` chain), in order of appearance. */
export function expectNames(tree: ExpectTree): string[] {
  const names: string[] = [];
  const visit = (node: jsep.Expression | null | undefined): void => {
    if (!node) return;
    switch (node.type) {
      case 'Identifier':
        if (!names.includes(node.name as string)) names.push(node.name as string);
        return;
      case 'MemberExpression': {
        const member = node as jsep.MemberExpression;
        visit(member.object);
        if (member.computed) visit(member.property);
        return;
      }
      case 'CallExpression':
        for (const arg of (node as jsep.CallExpression).arguments) visit(arg);
        return;
      default:
        for (const value of Object.values(node)) {
          if (Array.isArray(value)) value.forEach((v) => visit(v as jsep.Expression));
          else if (value && typeof value === 'object' && 'type' in value) visit(value as jsep.Expression);
        }
    }
  };
  visit(tree);
  return names;
}

function findUnsupported(node: jsep.Expression | null | undefined): string | undefined {
  if (!node) return undefined;
  switch (node.type) {
    case 'ThisExpression':
      return '`this` is not available';
    case 'Compound':
    case 'SequenceExpression':
      return 'one expression only (use `and` to combine conditions)';
    case 'CallExpression': {
      const call = node as jsep.CallExpression;
      if (call.callee.type !== 'Identifier' || !(call.callee.name as string in FUNCTIONS)) {
        return `unknown function (known: ${EXPECT_FUNCTIONS.join(', ')})`;
      }
      for (const arg of call.arguments) {
        const problem = findUnsupported(arg);
        if (problem) return problem;
      }
      return undefined;
    }
    default:
      for (const value of Object.values(node)) {
        const children = Array.isArray(value) ? value : [value];
        for (const child of children) {
          if (child && typeof child === 'object' && 'type' in child) {
            const problem = findUnsupported(child as jsep.Expression);
            if (problem) return problem;
          }
        }
      }
      return undefined;
  }
}

/** The outcome of evaluating an expression against a result. */
export type ExpectOutcome = { passed: boolean; value: unknown } | { error: string };

/** Evaluate a parsed expression; `scope` holds the result fields and the run's variables. */
export function evaluateExpect(tree: ExpectTree, scope: Readonly<Record<string, unknown>>): ExpectOutcome {
  try {
    const value = evaluate(tree, scope);
    return { passed: truthy(value), value };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** Parse and evaluate in one go, for callers that do not keep the tree. */
export function checkExpect(source: string, scope: Readonly<Record<string, unknown>>): ExpectOutcome {
  const parsed = parseExpect(source);
  if ('error' in parsed) return { error: parsed.error.message };
  return evaluateExpect(parsed.tree, scope);
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

function evaluate(node: jsep.Expression, scope: Readonly<Record<string, unknown>>): unknown {
  switch (node.type) {
    case 'Literal':
      return (node as jsep.Literal).value;
    case 'Identifier': {
      const name = node.name as string;
      if (name === 'true') return true;
      if (name === 'false') return false;
      if (name === 'null') return null;
      if (!Object.prototype.hasOwnProperty.call(scope, name)) throw new Error(`unknown name "${name}"`);
      return scope[name];
    }
    case 'ArrayExpression':
      return (node as jsep.ArrayExpression).elements.map((e) => (e ? evaluate(e, scope) : null));
    case 'MemberExpression': {
      const member = node as jsep.MemberExpression;
      const object = evaluate(member.object, scope);
      const key = member.computed ? evaluate(member.property, scope) : (member.property.name as string);
      return readMember(object, key);
    }
    case 'UnaryExpression': {
      const unary = node as jsep.UnaryExpression;
      const value = evaluate(unary.argument, scope);
      switch (unary.operator) {
        case '!':
        case 'not':
          return !truthy(value);
        case '-':
          return -toNumber(value);
        case '+':
          return toNumber(value);
      }
      throw new Error(`operator ${unary.operator} is not supported`);
    }
    case 'BinaryExpression': {
      const binary = node as jsep.BinaryExpression;
      if (binary.operator === '&&' || binary.operator === 'and') {
        return truthy(evaluate(binary.left, scope)) && truthy(evaluate(binary.right, scope));
      }
      if (binary.operator === '||' || binary.operator === 'or') {
        return truthy(evaluate(binary.left, scope)) || truthy(evaluate(binary.right, scope));
      }
      return binaryOperation(binary.operator, evaluate(binary.left, scope), evaluate(binary.right, scope));
    }
    case 'ConditionalExpression': {
      const conditional = node as jsep.ConditionalExpression;
      return truthy(evaluate(conditional.test, scope))
        ? evaluate(conditional.consequent, scope)
        : evaluate(conditional.alternate, scope);
    }
    case 'CallExpression': {
      const call = node as jsep.CallExpression;
      const fn = FUNCTIONS[call.callee.name as string];
      if (!fn) throw new Error(`unknown function "${String(call.callee.name)}"`);
      return fn(...call.arguments.map((arg) => evaluate(arg, scope)));
    }
  }
  throw new Error(`${node.type} is not supported in expect`);
}

function readMember(object: unknown, key: unknown): unknown {
  if (object === null || object === undefined) return undefined;
  if (typeof key !== 'string' && typeof key !== 'number') throw new Error('a field name must be text or a number');
  const name = String(key);
  if (FORBIDDEN_KEYS.has(name)) throw new Error(`"${name}" cannot be read`);
  if (typeof object === 'string' && name === 'length') return object.length;
  if (typeof object !== 'object') return undefined;
  if (Array.isArray(object) && name === 'length') return object.length;
  if (Object.prototype.hasOwnProperty.call(object, name)) return (object as Record<string, unknown>)[name];
  // Snowflake folds unquoted names to upper case: let row[0].status find STATUS.
  const folded = Object.keys(object).find((k) => k.toUpperCase() === name.toUpperCase());
  return folded === undefined ? undefined : (object as Record<string, unknown>)[folded];
}

function binaryOperation(operator: string, left: unknown, right: unknown): unknown {
  switch (operator) {
    case '==':
    case '===':
      return looseEquals(left, right);
    case '!=':
    case '!==':
      return !looseEquals(left, right);
    case '<':
      return compare(left, right) < 0;
    case '<=':
      return compare(left, right) <= 0;
    case '>':
      return compare(left, right) > 0;
    case '>=':
      return compare(left, right) >= 0;
    case '+':
      return typeof left === 'number' && typeof right === 'number' ? left + right : stringify(left) + stringify(right);
    case '-':
      return toNumber(left) - toNumber(right);
    case '*':
      return toNumber(left) * toNumber(right);
    case '/':
      return toNumber(left) / toNumber(right);
    case '%':
      return toNumber(left) % toNumber(right);
    case 'contains':
      return contains(left, right);
    case 'matches':
      return matches(left, right);
    case 'in':
      return contains(right, left);
  }
  throw new Error(`operator ${operator} is not supported`);
}

/** Numbers compare as numbers even when one side arrived as text (SQL and CLI output often do). */
function looseEquals(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (left === null || left === undefined || right === null || right === undefined) {
    return (left ?? null) === (right ?? null);
  }
  if (typeof left === 'number' || typeof right === 'number') {
    const a = toNumberOrNaN(left);
    const b = toNumberOrNaN(right);
    return !Number.isNaN(a) && a === b;
  }
  if (typeof left === 'boolean' || typeof right === 'boolean') {
    // SHOW answers flags as the text 'true'/'false': they equal the booleans they spell.
    const a = asBoolean(left);
    return a !== undefined && a === asBoolean(right);
  }
  if (typeof left === 'bigint' || typeof right === 'bigint') return String(left) === String(right);
  if (typeof left === 'object' || typeof right === 'object') return JSON.stringify(left) === JSON.stringify(right);
  return String(left) === String(right);
}

function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return undefined;
  const text = value.trim().toLowerCase();
  return text === 'true' ? true : text === 'false' ? false : undefined;
}

function compare(left: unknown, right: unknown): number {
  const a = toNumberOrNaN(left);
  const b = toNumberOrNaN(right);
  if (!Number.isNaN(a) && !Number.isNaN(b)) return a - b;
  if (left instanceof Date || right instanceof Date) return new Date(left as Date).getTime() - new Date(right as Date).getTime();
  return stringify(left).localeCompare(stringify(right));
}

function contains(haystack: unknown, needle: unknown): boolean {
  if (Array.isArray(haystack)) return haystack.some((item) => looseEquals(item, needle));
  if (haystack === null || haystack === undefined) return false;
  return stringify(haystack).includes(stringify(needle));
}

function matches(text: unknown, pattern: unknown): boolean {
  const regex = pattern instanceof RegExp ? pattern : new RegExp(String(pattern));
  return regex.test(stringify(text));
}

function toNumberOrNaN(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && value.trim() !== '') return Number(value.trim());
  if (value instanceof Date) return value.getTime();
  return NaN;
}

function toNumber(value: unknown): number {
  const n = toNumberOrNaN(value);
  if (Number.isNaN(n)) throw new Error(`"${stringify(value)}" is not a number`);
  return n;
}

function stringify(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'string') return value !== '' && value.toLowerCase() !== 'false' && value !== '0';
  return Boolean(value);
}

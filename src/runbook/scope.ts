// Which names a runbook may use where. Variables and built-ins are known everywhere; a capture
// only after the action that sets it. Read in order, so a name used before it is captured is caught.
import { expectNames, parseExpect, type ExpectTree } from './expect.js';
import { BUILTIN_VARIABLES, RESULT_FIELDS, type Action, type Runbook, type SourcePos, type Step } from './model.js';
import { didYouMean, quote, short, type ProblemList } from './problems.js';
import { referenceAt } from './template.js';

import type { LineRange, SourceLines } from './source-lines.js';

/** Where an action is written: its fence's lines, and where its `expect` value starts. */
export interface ActionSource {
  lines: LineRange;
  expectPos?: SourcePos;
}

interface Capture {
  name: string;
  step: Step;
  action: Action;
}

/** Longest `expect` accepted: enough for any real condition, short enough to parse safely. */
const EXPECT_LIMIT = 1000;
const LITERALS = new Set(['true', 'false', 'null', 'undefined']);

/** The names in scope while reading a runbook from top to bottom; reports names that are not. */
export class Scope {
  private readonly variables: Set<string>;
  private readonly visible = new Map<string, Capture>();
  private readonly captures = new Map<string, Capture>();
  private readonly expressions = new Map<string, ReturnType<typeof parseExpect>>();
  private readonly treeNames = new WeakMap<ExpectTree, string[]>();
  /**
   * Offset of every `{{` in the text (overlapping ones too): the text is searched once, and each
   * range checked looks up the few that fall in it.
   */
  private readonly braces: number[] = [];
  /** Where in `braces` the last range checked started. */
  private nextBrace = 0;

  constructor(
    private readonly runbook: Runbook,
    private readonly lines: SourceLines,
    private readonly problems: ProblemList,
  ) {
    this.variables = new Set([...BUILTIN_VARIABLES, ...runbook.variables.map((v) => v.name)]);
    const text = lines.text;
    for (let at = text.indexOf('{{'); at >= 0; at = text.indexOf('{{', at + 1)) this.braces.push(at);
    for (const step of runbook.steps) {
      for (const action of step.actions) {
        const name = action.attrs.capture;
        if (name !== undefined && !this.captures.has(name)) this.captures.set(name, { name, step, action });
      }
    }
  }

  /** Check `{{NAME}}` in lines `from`..`to` outside the ranges `skip[skipFrom]` up to `skip[skipTo]` (fenced blocks, in document order). */
  checkProse(from: number, to: number, skip: LineRange[], skipFrom = 0, skipTo = skip.length): void {
    let start = from;
    for (let i = skipFrom; i < skipTo; i++) {
      const skipStart = skip[i]![0];
      const skipEnd = skip[i]![1];
      if (skipEnd <= start || skipStart >= to) continue;
      if (skipStart > start) this.checkText(start, skipStart);
      start = Math.max(start, skipEnd);
    }
    if (start < to) this.checkText(start, to);
  }

  /** Check an action's `{{NAME}}`s, `expect`, `env=` and `capture=`, then bring its capture into scope. */
  checkAction(step: Step, action: Action, source: ActionSource): void {
    // Shown, never run: nothing in it is filled or captured, so there is nothing to check.
    if (action.kind === 'display') return;
    // `{{NAME}}` inside expect gets its own message from checkExpect; the rest of the line is checked here.
    const expectAt = source.expectPos;
    if (expectAt) {
      this.checkText(source.lines[0], source.lines[1], expectAt.line, expectAt.column, expectAt.column + (action.attrs.expect?.length ?? 0));
    } else {
      this.checkText(source.lines[0], source.lines[1]);
    }
    this.checkExpect(action, source);
    this.checkEnvironments(action);
    const name = action.attrs.capture;
    if (name === undefined) return;
    const at = action.attrPos?.capture ?? action.pos;
    if (this.variables.has(name)) {
      this.problems.error(at, `capture=${name} would hide the variable ${name}: pick another name`);
      return;
    }
    const earlier = this.visible.get(name);
    if (earlier) {
      this.problems.warning(at, `capture=${name} replaces the one set on line ${earlier.action.pos.line} from here on`);
    }
    this.visible.set(name, { name, step, action });
  }

  /**
   * Check every `{{NAME}}` in lines `from`..`to`, read as findReferences reads the text of those
   * lines alone; on line `exceptLine` (1-based) not those from column `exceptFrom` up to `exceptTo`.
   */
  private checkText(from: number, to: number, exceptLine = 0, exceptFrom = 0, exceptTo = 0): void {
    const lines = this.lines;
    const start = lines.offset(from);
    const stop = lines.offset(to) - 1;
    const braces = this.braces;
    // The first `{{` at or after `start`. Ranges are checked nearly in reading order, so it is
    // found a few steps from the last one.
    let first = this.nextBrace;
    while (first > 0 && braces[first - 1]! >= start) first--;
    while (first < braces.length && braces[first]! < start) first++;
    this.nextBrace = first;
    let after = start;
    let line = Math.max(0, Math.min(from, lines.count - 1));
    for (let i = first; i < braces.length && braces[i]! < stop; i++) {
      const offset = braces[i]!;
      // A reference is read past the one before it, and must end inside the lines.
      if (offset < after) continue;
      const ref = referenceAt(lines.text, offset);
      if (!ref || offset + ref.length > stop) continue;
      after = offset + ref.length;
      while (lines.offset(line + 1) <= offset) line++;
      const column = offset - lines.offset(line) + 1;
      if (line + 1 === exceptLine && column >= exceptFrom && column < exceptTo) continue;
      this.checkReference(ref.name, line + 1, column);
    }
  }

  private checkReference(fullName: string, line: number, column: number): void {
    const dot = fullName.indexOf('.');
    // The common case, a declared variable, costs no more than the lookup.
    if (dot < 0 && this.variables.has(fullName)) return;
    const base = dot < 0 ? fullName : fullName.slice(0, dot);
    const fieldEnd = dot < 0 ? -1 : fullName.indexOf('.', dot + 1);
    const field = dot < 0 ? undefined : fullName.slice(dot + 1, fieldEnd < 0 ? undefined : fieldEnd);
    if (this.variables.has(base)) {
      this.problems.error({ line, column }, `{{${short(fullName)}}}: ${short(base)} is a variable, not a captured result: write {{${short(base)}}}`);
      return;
    }
    const capture = this.visible.get(base);
    if (capture) {
      const kind = capture.action.kind;
      if (field === undefined || kind === 'display') return;
      const fields = RESULT_FIELDS[kind];
      if (!fields.includes(field)) {
        this.problems.error(
          { line, column },
          `{{${short(fullName)}}}: the result of a ${kind} action has no field ${quote(field)}${didYouMean(field, fields)} (fields: ${fields.join(', ')})`,
        );
      }
      return;
    }
    const name = short(fullName);
    const at = { line, column };
    const later = this.captures.get(base);
    if (later) {
      this.problems.error(
        at,
        `{{${name}}} is captured later, by the action on line ${later.action.pos.line} (step ${quote(later.step.title)}); it has no value here`,
      );
      return;
    }
    this.problems.error(
      at,
      `unknown variable {{${name}}}${didYouMean(base, this.known())}: declare it under variables: in the front matter`,
    );
  }

  private checkExpect(action: Action, source: ActionSource): void {
    const expression = action.attrs.expect;
    if (expression === undefined || action.kind === 'display') return;
    const at = source.expectPos ?? action.attrPos?.expect ?? action.pos;
    const column = (offset: number): SourcePos => ({ line: at.line, column: at.column + offset });
    if (expression.length > EXPECT_LIMIT) {
      this.problems.error(at, `expect is ${expression.length} characters long; keep it under ${EXPECT_LIMIT}`);
      return;
    }
    const braces = /\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}/.exec(expression);
    if (braces) {
      this.problems.error(column(braces.index), `expect reads variables by name: write ${braces[1]}, not {{${braces[1]}}}`);
      return;
    }
    // The same few conditions (`exit == 0`, `rows == 1`) recur all through a runbook: parse each once.
    let parsed = this.expressions.get(expression);
    if (!parsed) {
      parsed = parseExpect(expression);
      this.expressions.set(expression, parsed);
    }
    if ('error' in parsed) {
      this.problems.error(column(parsed.error.offset), `${parsed.error.message} in ${quote(expression)}`);
      return;
    }
    const fields = RESULT_FIELDS[action.kind];
    for (const name of this.namesOf(parsed.tree)) {
      if (LITERALS.has(name) || fields.includes(name) || this.variables.has(name) || this.visible.has(name)) continue;
      const offset = Math.max(0, expression.indexOf(name));
      this.problems.error(
        column(offset),
        `expect: unknown name ${quote(name)}${didYouMean(name, [...fields, ...this.known()])}; a ${action.kind} result has ${fields.join(', ')}`,
      );
    }
  }

  private namesOf(tree: ExpectTree): string[] {
    let names = this.treeNames.get(tree);
    if (!names) {
      names = expectNames(tree);
      this.treeNames.set(tree, names);
    }
    return names;
  }

  private checkEnvironments(action: Action): void {
    const declared = this.runbook.environments;
    if (!declared || !action.attrs.env) return;
    for (const name of action.attrs.env) {
      if (declared.includes(name)) continue;
      this.problems.error(
        action.attrPos?.env ?? action.pos,
        `env=${name}: ${quote(name)} is not one of this runbook's environments (${declared.join(', ')})${didYouMean(name, declared)}`,
      );
    }
  }

  private known(): string[] {
    return [...this.variables, ...this.visible.keys()];
  }
}

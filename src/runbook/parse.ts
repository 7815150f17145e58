// Markdown → Runbook. markdown-it finds the structure (headings, fences, task items) and the
// lines each spans; everything else is read from the source lines themselves, so every problem
// points at the exact line and column an author must change.
import { hash } from 'node:crypto';
import markdownit, { type MarkdownIt, type StateBlock, type Token } from 'markdown-it';
import { DISPLAY_LANGUAGES, readInfoString } from './attributes.js';
import { readFrontMatter, type FrontMatter } from './front-matter.js';
import { schedulerCodeProblems } from '../scheduler/action-code.js';
import { Scope, type ActionSource } from './scope.js';
import { isWhitespace, SourceLines, type LineRange as Lines } from './source-lines.js';
import type { Action, Check, Problem, Runbook, SourcePos, Step } from './model.js';
import { ProblemList, quote, sortProblems } from './problems.js';

/** The outcome of parsing one runbook: the model when it has no errors, and every problem found. */
export interface ParseResult {
  /** Present when there are no errors (warnings allowed). */
  runbook?: Runbook;
  /** Errors and warnings, in reading order. */
  problems: Problem[];
}

/**
 * A step as the structure is read. Its actions, checks and line ranges are in the Structure's
 * lists, from these indexes up to the next step's: a few lists for the whole runbook instead of
 * several small ones per step, most of whose room would go unused.
 */
interface StepDraft {
  title: string;
  explicitId?: string;
  pos: SourcePos;
  heading: Lines;
  firstAction: number;
  firstCheck: number;
  firstRemoved: number;
  firstFence: number;
}

let parser: MarkdownIt | undefined;

/** Parse and validate one runbook. Never throws: any input gives a model or positioned problems. */
export function parseRunbook(source: string | Uint8Array, path: string): ParseResult {
  const problems = new ProblemList(path);
  let runbook: Runbook | undefined;
  try {
    runbook = read(source, path, problems);
  } catch (error) {
    // A bug in baton must still come out as a message with a position, not a stack trace.
    problems.error({ line: 1, column: 1 }, `baton could not read this runbook (${(error as Error).message}); please report it with the file`);
  }
  const sorted = sortProblems(problems.items);
  return problems.hasErrors || !runbook ? { problems: sorted } : { runbook, problems: sorted };
}

/** The id a runbook file is known by: its file name without `.md`. */
export function runbookId(path: string): string {
  const name = path.split(/[\\/]/).pop() ?? path;
  return name.replace(/\.(md|markdown)$/i, '');
}

function read(source: string | Uint8Array, path: string, problems: ProblemList): Runbook {
  const text = decode(source, problems);
  const lines = new SourceLines(text);
  const id = runbookId(path);

  let bodyStart = 0;
  let front: FrontMatter = { tags: [], requires: [], requiresPos: [], variables: [] };
  if (/^---[ \t]*$/.test(lines.line(0))) {
    let end = 1;
    while (end < lines.count && !/^(---|\.\.\.)[ \t]*$/.test(lines.line(end))) end++;
    if (end === lines.count) end = -1;
    if (end < 0) {
      problems.error({ line: 1, column: 1 }, 'the front matter opened by --- on line 1 is never closed: end it with a line of ---');
      bodyStart = 1;
    } else {
      front = readFrontMatter(lines.slice(1, end), 2, problems);
      bodyStart = end + 1;
    }
  }
  const structure = outline(lines, bodyStart, problems);
  const { drafts, removed } = structure;
  const steps = finishSteps(structure, lines, problems);
  const firstStepLine = drafts[0]?.heading[0] ?? lines.count;
  const intro = keptText(lines, bodyStart, firstStepLine, removed, 0, drafts[0]?.firstRemoved ?? removed.length);
  const title = chooseTitle(structure.heading, front, id, problems);
  if (steps.length === 0) problems.warning({ line: bodyStart + 1, column: 1 }, 'no ## steps: add a ## heading for each step the operator walks through');

  const runbook: Runbook = {
    id,
    path,
    title,
    tags: front.tags,
    requires: front.requires,
    requiresPos: front.requiresPos,
    variables: front.variables,
    intro,
    steps,
    hash: sha256(text),
  };
  if (front.summary !== undefined) runbook.summary = front.summary;
  if (front.owner !== undefined) runbook.owner = front.owner;
  if (front.environments !== undefined) runbook.environments = front.environments;
  if (front.connection !== undefined) runbook.connection = front.connection;
  checkNames(runbook, lines, bodyStart, firstStepLine, structure, problems);
  return runbook;
}

/**
 * The document's structure, read while markdown-it finds it: steps in draft, the title heading,
 * and what the introduction leaves out.
 */
class Structure {
  readonly drafts: StepDraft[] = [];
  heading?: { title: string; pos: SourcePos };
  /** Every step's actions, in order. */
  readonly actions: Action[] = [];
  /** Where each action is written, in the same order as `actions`. */
  readonly sources: ActionSource[] = [];
  /** Every step's checks, in order. */
  readonly checks: Check[] = [];
  /** Lines shown apart, so not part of the prose or the introduction: the title, step headings, runnable blocks and checks. */
  readonly removed: Lines[] = [];
  /** Lines of every fenced block, runnable or not: not scanned as prose for `{{NAME}}`. */
  readonly fences: Lines[] = [];
  /** Where the last check ends: list items inside a check are part of it. */
  private checkEnd = -1;

  constructor(
    private readonly lines: SourceLines,
    private readonly problems: ProblemList,
  ) {}

  /** Read the headings, fenced blocks and checks among finished tokens, in order. */
  take(tokens: Token[]): void {
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!;
      const map = token.map as Lines | null;
      if (!map) continue;
      if (token.type === 'heading_open' && token.level === 0 && (token.tag === 'h1' || token.tag === 'h2')) {
        const content = tokens[i + 1]?.type === 'inline' ? tokens[i + 1]!.content : '';
        if (token.tag === 'h2') this.startStep(content, map);
        else this.title(content, map);
      } else if (token.type === 'fence') {
        this.fence(map, token.content, token.markup);
      } else if (token.type === 'list_item_open' && map[0] >= this.checkEnd) {
        // A list item whose text starts with `[ ]` or `[x]` is a check; anything else is prose.
        const inline = tokens[i + 2];
        if (tokens[i + 1]?.type !== 'paragraph_open' || inline?.type !== 'inline' || !/^\[[ xX]\](?:[ \t]|$)/.test(inline.content)) continue;
        this.checkEnd = map[1];
        this.check(map);
      }
    }
  }

  private get step(): StepDraft | undefined {
    return this.drafts[this.drafts.length - 1];
  }

  private title(content: string, map: Lines): void {
    const pos = { line: map[0] + 1, column: 1 };
    if (!this.heading && this.drafts.length === 0) {
      this.heading = { title: plainText(content), pos };
      this.removed.push(map);
    } else {
      this.problems.warning(pos, 'only the first # heading is the runbook title; this one is kept as text (use ## for a step)');
    }
  }

  private startStep(content: string, heading: Lines): void {
    const pos = { line: heading[0] + 1, column: 1 };
    let title = plainText(content);
    let explicitId: string | undefined;
    const idMatch = title.includes('{#') ? /\s*\{#([^}]*)\}\s*$/.exec(title) : null;
    if (idMatch) {
      title = title.slice(0, idMatch.index).trim();
      explicitId = idMatch[1]!;
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(explicitId)) {
        this.problems.error(pos, `step id ${quote(`{#${explicitId}}`)} must be letters, digits, ., _ or - (e.g. {#create-warehouse})`);
        explicitId = undefined;
      }
    }
    if (title === '') this.problems.error(pos, "a ## heading without a title: write the step's name after ##");
    this.drafts.push({
      title,
      explicitId,
      pos,
      heading,
      firstAction: this.actions.length,
      firstCheck: this.checks.length,
      firstRemoved: this.removed.length,
      firstFence: this.fences.length,
    });
    this.removed.push(heading);
  }

  /** A fenced block: an action when its language runs or is unknown; sample output stays prose. */
  private fence(map: Lines, content: string, markup: string): void {
    const { lines, problems } = this;
    const step = this.step;
    this.fences.push(map);
    const [start, end] = map;
    // The info string is cut from the source once, without the line around it.
    const lineStart = lines.offset(start);
    const lineEnd = lines.offset(start + 1) - 1;
    const text = lines.text;
    const found = text.indexOf(markup, lineStart);
    const fenceAt = found < 0 || found + markup.length > lineEnd ? 0 : found - lineStart;
    let infoAt = fenceAt + markup.length;
    while (lineStart + infoAt < lineEnd && (text.charCodeAt(lineStart + infoAt) === 0x20 || text.charCodeAt(lineStart + infoAt) === 0x09)) infoAt++;
    let infoEnd = lineEnd;
    while (infoEnd > lineStart + infoAt && isWhitespace(text.charCodeAt(infoEnd - 1))) infoEnd--;
    const pos = { line: start + 1, column: fenceAt + 1 };
    if (!(end - 1 > start && isClosingFence(lines, end - 1, markup))) {
      problems.error(pos, `this code block is never closed: end it with a line of ${markup} (everything after it is inside the block)`);
    }
    const info = readInfoString(infoAt < infoEnd - lineStart ? text.slice(lineStart + infoAt, infoEnd) : '', { line: start + 1, column: infoAt + 1 }, problems);
    // Sample output and files (`text`, `yaml`, …) are part of the instructions. A block in another
    // language is listed with the actions, shown but not run, so nobody mistakes it for a step done.
    if (info.kind === 'display' && DISPLAY_LANGUAGES.includes(info.lang.toLowerCase())) return;
    const action: Action = {
      index: step ? this.actions.length - step.firstAction : 0,
      id: '',
      kind: info.kind,
      lang: info.lang,
      code: content.endsWith('\n') ? content.slice(0, -1) : content,
      attrs: info.attrs,
      pos,
      attrPos: info.attrPos,
    };
    if (step) {
      this.actions.push(action);
      this.sources.push({ lines: map, expectPos: info.expectPos });
      this.removed.push(map);
    } else if (action.kind !== 'display') {
      problems.warning(action.pos, `a ${action.lang} block before the first ## step is shown, not run: put it under a ## step heading`);
    }
  }

  /** A task item: a check of the current step, its text the item's lines without the marker and the box. */
  private check(map: Lines): void {
    const [start, end] = map;
    const { lines } = this;
    const first = lines.line(start);
    const box = /\[[ xX]\][ \t]*/.exec(first);
    const column = box ? box.index + 1 : 1;
    const head = box ? first.slice(box.index + box[0].length) : first;
    const step = this.step;
    const pos = { line: start + 1, column };
    if (!step) {
      this.problems.warning(pos, 'a check before the first ## step is never asked: put it under a ## step heading');
      return;
    }
    this.checks.push({ index: this.checks.length - step.firstCheck, id: '', text: checkItemText(lines, head, start + 1, end), pos });
    this.removed.push(map);
  }
}

/** A check's text from its first line (after the box) and the lines under it, their common indent taken off. */
function checkItemText(lines: SourceLines, head: string, from: number, to: number): string {
  // Usually the item is one line (and maybe a blank one): then that line is all of it.
  let blankOnly = true;
  for (let i = from; i < to && blankOnly; i++) blankOnly = isBlankText(lines, i);
  if (blankOnly) return head.trim();
  const rest = lines.slice(from, to).split('\n');
  const indent = Math.min(...rest.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length), Infinity);
  const body = [head, ...rest.map((l) => l.slice(Number.isFinite(indent) ? indent : 0))];
  return body.join('\n').trim();
}

/** True when line `index` is nothing but whitespace, as `trim()` sees it. */
function isBlankText(lines: SourceLines, index: number): boolean {
  const text = lines.text;
  const end = lines.offset(index + 1) - 1;
  for (let i = lines.offset(index); i < end; i++) if (!isWhitespace(text.charCodeAt(i))) return false;
  return true;
}

/**
 * The document's structure. markdown-it's block rules run from the first line after the front
 * matter, so its line numbers are the file's, and the structure is read as they go.
 */
function outline(lines: SourceLines, bodyStart: number, problems: ProblemList): Structure {
  parser ??= blockParser();
  // markdown-it reads NUL as U+FFFD (its own normalising step is skipped: line ends are already `\n`).
  const text = lines.text;
  const src = text.includes('\0') ? text.replaceAll('\0', '\uFFFD') : text;
  const structure = new Structure(lines, problems);
  const tokens: Token[] = [];
  const state = new parser.block.State(src, parser, structure, tokens);
  parser.block.tokenize(state, bodyStart, state.lineMax);
  structure.take(tokens);
  return structure;
}

/**
 * A block rule that never matches: before each top-level block it reads the tokens of the blocks
 * before it and lets them go. Only a few tokens are alive at any time, so a long runbook's tokens
 * are not copied from one garbage collection to the next.
 */
function drainTokens(state: StateBlock): boolean {
  // At level 0 every block before this one is closed (containers push their opening token first).
  if (state.level === 0 && state.tokens.length > 0) {
    (state.env as Structure).take(state.tokens);
    state.tokens.length = 0;
  }
  return false;
}

/** Text from bytes or a string: BOM dropped, line ends made `\n`, non-text reported. */
function decode(source: string | Uint8Array, problems: ProblemList): string {
  let text: string;
  if (typeof source === 'string') {
    text = source;
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(source);
    } catch {
      text = new TextDecoder('utf-8').decode(source);
      problems.error(positionOf(text, text.indexOf('\uFFFD')), 'this file is not UTF-8 text (a bad byte is here): save it as UTF-8');
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
  const nul = text.indexOf('\0');
  if (nul >= 0) problems.error(positionOf(text, nul), 'this file contains a NUL byte: it looks like a binary file, not a Markdown runbook');
  return text;
}

function positionOf(text: string, offset: number): SourcePos {
  const before = text.slice(0, Math.max(0, offset));
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

/**
 * markdown-it for its block rules, which outline() runs directly: the structure is all the model
 * needs, and inline parsing of every paragraph would cost more than the rest of reading a
 * runbook. Headings are parsed inline one at a time for their text.
 */
function blockParser(): MarkdownIt {
  const md = markdownit({ html: true });
  // Tables and link definitions hold no steps, blocks or checks; their lines stay prose either way.
  md.block.ruler.disable(['table', 'reference']);
  md.block.ruler.before('table', 'baton_drain', drainTokens);
  return md;
}

/** A heading's text as the operator reads it: Markdown markers dropped, code spans kept. */
function plainText(content: string): string {
  // Most headings are plain words: no need to run the inline parser over them.
  if (!parser || !/[\\`*_[\]<>!&~]/.test(content)) return isSpacedOnce(content) ? content : content.replace(/\s+/g, ' ').trim();
  const children: Token[] = [];
  parser.inline.parse(content, parser, {}, children);
  const parts = children.map((child) => {
    if (child.type === 'text' || child.type === 'code_inline' || child.type === 'html_inline') return child.content;
    if (child.type === 'softbreak' || child.type === 'hardbreak') return ' ';
    return '';
  });
  return parts.join('').replace(/\s+/g, ' ').trim();
}

/** True when `text` has no whitespace but single spaces between words: what `\s+` → ' ' and trim() leave as it is. */
function isSpacedOnce(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!isWhitespace(code)) continue;
    if (code !== 0x20 || i === 0 || i === text.length - 1 || isWhitespace(text.charCodeAt(i + 1))) return false;
  }
  return true;
}

/** True when line `index` closes a block opened by `markup`: the same character, at least as many. */
function isClosingFence(lines: SourceLines, index: number, markup: string): boolean {
  // What /^[\s>]*(`{3,}|~{3,})\s*$/ matches, read in place.
  const text = lines.text;
  const end = lines.offset(index + 1) - 1;
  let i = lines.offset(index);
  while (i < end && (text.charCodeAt(i) === 0x3e || isWhitespace(text.charCodeAt(i)))) i++;
  const mark = text.charCodeAt(i);
  if (mark !== 0x60 && mark !== 0x7e) return false;
  const runStart = i;
  while (i < end && text.charCodeAt(i) === mark) i++;
  const run = i - runStart;
  while (i < end && isWhitespace(text.charCodeAt(i))) i++;
  return i === end && run >= 3 && mark === markup.charCodeAt(0) && run >= markup.length;
}

function finishSteps(structure: Structure, lines: SourceLines, problems: ProblemList): Step[] {
  const { drafts, removed } = structure;
  const explicit = new Map<string, StepDraft>();
  for (const draft of drafts) {
    if (draft.explicitId === undefined) continue;
    const earlier = explicit.get(draft.explicitId);
    if (earlier) problems.error(draft.pos, `step id {#${draft.explicitId}} is already used by the step on line ${earlier.pos.line}; ids must be unique`);
    else explicit.set(draft.explicitId, draft);
  }
  const used = new Set(explicit.keys());
  // Where to go on counting for each slug, so a thousand steps called "Check" stay linear.
  const nextSuffix = new Map<string, number>();
  const steps: Step[] = [];
  for (let index = 0; index < drafts.length; index++) {
    const draft = drafts[index]!;
    const next = drafts[index + 1];
    let id = draft.explicitId;
    if (id === undefined) {
      const base = slug(draft.title) || 'step';
      id = base;
      let n = nextSuffix.get(base) ?? 2;
      while (used.has(id)) id = `${base}-${n++}`;
      nextSuffix.set(base, n);
      used.add(id);
    }
    const end = next?.heading[0] ?? lines.count;
    const actions = structure.actions.slice(draft.firstAction, next?.firstAction ?? structure.actions.length);
    const checks = structure.checks.slice(draft.firstCheck, next?.firstCheck ?? structure.checks.length);
    nameActions(id, actions, problems);
    for (let i = 0; i < checks.length; i++) checks[i]!.id = `${id}/check-${i + 1}`;
    steps.push({
      id,
      index,
      title: draft.title,
      prose: keptText(lines, draft.heading[1], end, removed, draft.firstRemoved, next?.firstRemoved ?? removed.length),
      actions,
      checks,
      pos: draft.pos,
      hash: sha256(lines.slice(draft.heading[0], lastTextLine(lines, draft.heading[0], end))),
    });
  }
  return steps;
}

function nameActions(stepId: string, actions: Action[], problems: ProblemList): void {
  for (let index = 0; index < actions.length; index++) {
    const action = actions[index]!;
    action.id = `${stepId}/${action.attrs.name === undefined ? action.index + 1 : slug(action.attrs.name) || action.index + 1}`;
    // A step has a handful of actions: looking back is cheaper than a map per step.
    let earlier = 0;
    while (earlier < index && actions[earlier]!.id !== action.id) earlier++;
    if (earlier < index) {
      problems.error(
        action.attrPos?.name ?? action.pos,
        `action id ${action.id} is already used by the action on line ${actions[earlier]!.pos.line}: give this action another name`,
      );
    }
  }
}

/** A heading as an id: lower case ASCII letters and digits joined by `-`. */
export function slug(text: string): string {
  // Accents are taken off only when there are any: normalising every heading costs time.
  if (!/^[\x00-\x7f]*$/.test(text)) return joinWords(text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase());
  return joinWords(text.toLowerCase());
}

/** The slug of lower-cased text: runs of anything but ASCII letters and digits become one `-`, none at either end. */
function joinWords(lowered: string): string {
  const joined = lowered.replace(/[^a-z0-9]+/g, '-');
  // Most ids are short and start and end with a letter or digit: nothing more to do.
  if (joined.length <= 80 && joined.charCodeAt(0) !== 0x2d && joined.charCodeAt(joined.length - 1) !== 0x2d) return joined;
  return joined.slice(0, 80).replace(/^-+|-+$/g, '');
}

/**
 * Lines `from`..`to` without the ranges `removed[skipFrom]` up to `removed[skipTo]` (in document
 * order, as they are found); blank lines where something was taken out become one.
 */
function keptText(lines: SourceLines, from: number, to: number, removed: Lines[], skipFrom: number, skipTo: number): string {
  let text = '';
  let blankBefore = false;
  let start = from;
  const keep = (end: number): void => {
    let first = start;
    while (first < end && lines.isBlank(first)) first++;
    const last = lastTextLine(lines, first, end);
    if (first > start) blankBefore = true;
    if (first >= last) return;
    if (text !== '') text += blankBefore ? '\n\n' : '\n';
    text += lines.slice(first, last);
    blankBefore = last < end;
  };
  for (let i = skipFrom; i < skipTo; i++) {
    const removedStart = removed[i]![0];
    const removedEnd = removed[i]![1];
    if (removedEnd <= start || removedStart >= to) continue;
    if (removedStart > start) keep(removedStart);
    start = Math.max(start, removedEnd);
  }
  if (start < to) keep(to);
  return text;
}

/** The end (exclusive) of `from`..`to` without its trailing blank lines: blank lines between steps are not content. */
function lastTextLine(lines: SourceLines, from: number, to: number): number {
  let end = to;
  while (end > from && lines.isBlank(end - 1)) end--;
  return end;
}

function chooseTitle(heading: { title: string; pos: SourcePos } | undefined, front: FrontMatter, id: string, problems: ProblemList): string {
  if (heading && front.title !== undefined && heading.title !== front.title.trim()) {
    problems.warning(heading.pos, `the # heading ${quote(heading.title)} differs from the front matter title ${quote(front.title)}; the # heading is used`);
  }
  const title = heading?.title || front.title?.trim();
  if (title) return title;
  problems.warning({ line: 1, column: 1 }, `no title: start the runbook with a # heading (until then it is called ${quote(id)})`);
  return id;
}

/** `{{NAME}}`, `expect` names, captures and `env=` names, checked in reading order so captures come into scope. */
function checkNames(runbook: Runbook, lines: SourceLines, bodyStart: number, firstStepLine: number, structure: Structure, problems: ProblemList): void {
  const { drafts, fences, sources } = structure;
  const scope = new Scope(runbook, lines, problems);
  scope.checkProse(bodyStart, firstStepLine, fences, 0, drafts[0]?.firstFence ?? fences.length);
  for (let index = 0; index < runbook.steps.length; index++) {
    const step = runbook.steps[index]!;
    const draft = drafts[index]!;
    const next = drafts[index + 1];
    for (let i = 0; i < step.actions.length; i++) {
      const action = step.actions[i]!;
      scope.checkAction(step, action, sources[draft.firstAction + i]!);
      // Scheduler blocks are read now; their code starts on the line after the fence.
      const found = schedulerCodeProblems(action.kind, action.code);
      for (let j = 0; j < found.length; j++) {
        problems.error({ line: action.pos.line + found[j]!.line, column: found[j]!.column }, found[j]!.message);
      }
    }
    scope.checkProse(draft.heading[0], next?.heading[0] ?? lines.count, fences, draft.firstFence, next?.firstFence ?? fences.length);
  }
}

function sha256(text: string): string {
  return hash('sha256', text, 'hex');
}

// The YAML front matter of a runbook: parsed with positions (so every problem names the line of
// the field), checked against a schema, then checked for meaning (variables, defaults, secrets).
import { isMap, isScalar, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import * as z from 'zod/mini';
import '../zod.js';
import { BUILTIN_VARIABLES, type SourcePos, type VariableSpec } from './model.js';
import { didYouMean, quote, type ProblemList } from './problems.js';
import { findReferences } from './template.js';

/** What the front matter contributes to a runbook. */
export interface FrontMatter {
  title?: string;
  summary?: string;
  owner?: string;
  tags: string[];
  environments?: string[];
  requires: string[];
  /** Where each `requires` entry is written, for problems found across runbooks. */
  requiresPos: SourcePos[];
  connection?: string;
  variables: VariableSpec[];
}

/** The front matter keys a runbook may use. */
export const FRONT_MATTER_KEYS = [
  'title',
  'summary',
  'owner',
  'tags',
  'environments',
  'requires',
  'connection',
  'variables',
] as const;

/** The settings a variable may have. */
export const VARIABLE_KEYS = ['default', 'choices', 'pattern', 'prompt', 'secret', 'from-env', 'describe'] as const;

/** A name usable as `{{NAME}}`: letters, digits and `_`, not starting with a digit. */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

// Built on first use: a runbook without front matter never needs them.
function buildSchemas() {
  // YAML reads `60` as a number and `yes` as a boolean; authors mean the text they typed.
  const text = z.pipe(z.union([z.string(), z.number(), z.boolean()], { error: 'write a single value (text or a number)' }), z.transform(String));
  const textList = z.union([z.pipe(text, z.transform((value) => [value])), z.array(text)], {
    error: 'write a list, e.g. [a, b], or a single value',
  });
  const variable = z.union(
    [
      z.pipe(z.null(), z.transform(() => ({}))),
      z.pipe(text, z.transform((value) => ({ default: value }))),
      z.looseObject({
        default: z.optional(text),
        choices: z.optional(
          z.array(text, { error: 'write the choices as a list, e.g. [XSMALL, SMALL]' }).check(z.minLength(1, { error: 'give at least one choice' })),
        ),
        pattern: z.optional(z.string({ error: 'write the pattern as text' })),
        prompt: z.optional(z.string({ error: 'write the prompt as text' })),
        secret: z.optional(z.boolean({ error: 'write secret: true or secret: false' })),
        'from-env': z.optional(z.string({ error: 'write the name of an environment variable' })),
        describe: z.optional(z.string({ error: 'write the description as text' })),
      }),
    ],
    { error: 'write the variable as a default value or as settings, e.g. { default: X, choices: [X, Y] }' },
  );
  const schema = z.looseObject({
    title: z.optional(z.string({ error: 'write the title as text' })),
    summary: z.optional(z.string({ error: 'write the summary as text' })),
    owner: z.optional(z.string({ error: 'write the owner as text' })),
    tags: z.optional(textList),
    environments: z.optional(textList),
    requires: z.optional(textList),
    connection: z.optional(z.string({ error: 'write the connection name as text' })),
    variables: z.optional(
      z.union([z.null(), z.record(z.string(), variable)], {
        error: 'write variables as NAME: settings lines under variables:',
      }),
    ),
  });
  return { textList, variable, schema };
}

let schemas: ReturnType<typeof buildSchemas> | undefined;

/**
 * Read the front matter text. `firstLine` is the 1-based line of its first YAML line in the file.
 * Problems go to `problems`; whatever could be understood is returned even when some of it is wrong.
 */
export function readFrontMatter(yaml: string, firstLine: number, problems: ProblemList): FrontMatter {
  const lines = new LineCounter();
  const doc = parseDocument(yaml, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  const posAt = (offset: number): SourcePos => {
    const { line, col } = lines.linePos(Math.max(0, Math.min(offset, yaml.length)));
    return { line: line + firstLine - 1, column: col };
  };
  const nodePos = (node: Node | null | undefined): SourcePos => posAt(node?.range?.[0] ?? 0);
  // Later YAML errors are nearly always echoes of the first: report that one, where it starts.
  const templateLines = reportUnquotedTemplates(doc, yaml, posAt, problems);
  const yamlError = doc.errors[0];
  if (yamlError && !templateLines.has(posAt(yamlError.pos[0]).line)) {
    const opened = openerOf(yaml, yamlError.message, yamlError.pos[0]);
    const message = opened
      ? `the ${opened.char} opened here is never closed: add the closing ${CLOSERS[opened.char]}`
      : firstSentence(yamlError.message);
    problems.error(posAt(opened?.offset ?? yamlError.pos[0]), `invalid YAML in the front matter: ${message}`);
  }
  const empty: FrontMatter = { tags: [], requires: [], requiresPos: [], variables: [] };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    problems.error(posAt(0), `invalid YAML in the front matter: ${firstSentence((error as Error).message)}`);
    return empty;
  }
  if (data === null || data === undefined) return empty;
  if (!isMap(doc.contents)) {
    problems.error(nodePos(doc.contents), 'the front matter must be `key: value` lines, e.g. `title: Nightly load`');
    return empty;
  }
  reportUnknownKeys(doc, nodePos, problems);

  // Fields read from broken YAML are often wrong only because of the break: fix that first.
  schemas ??= buildSchemas();
  const { textList, schema } = schemas;
  const parsed = schema.safeParse(data);
  if (!parsed.success && !yamlError) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key));
      problems.error(nodePos(nodeAt(doc, path)), `${path.join('.')}: ${issue.message}`);
    }
  }
  // Take each field that is right on its own, so one bad field does not hide the others.
  const field = <T>(key: string, type: z.ZodMiniType<T>): T | undefined => {
    const result = type.safeParse((data as Record<string, unknown>)[key]);
    return result.success ? result.data : undefined;
  };
  // Authors often name the file (`01-setup.md`); the id is the name without `.md`.
  const requires = (field('requires', textList) ?? []).map((id) => id.trim().replace(/\.md$/i, ''));
  const front: FrontMatter = {
    title: field('title', z.string()),
    summary: field('summary', z.string()),
    owner: field('owner', z.string()),
    tags: field('tags', textList) ?? [],
    environments: field('environments', textList),
    requires,
    requiresPos: requires.map((_, i) => nodePos(nodeAt(doc, ['requires', i]) ?? nodeAt(doc, ['requires']))),
    connection: field('connection', z.string()),
    variables: readVariables(doc, (data as Record<string, unknown>).variables, nodePos, problems),
  };
  return front;
}

/** `default: {{env}}_WH` is YAML for a map inside a map: the author meant text, so say how to write it. */
function reportUnquotedTemplates(doc: Document, yaml: string, posAt: (offset: number) => SourcePos, problems: ProblemList): Set<number> {
  const lines = new Set<number>();
  visit(doc, {
    Map(_key, node) {
      const start = node.range?.[0];
      if (node.flow && start !== undefined && yaml.startsWith('{{', start)) {
        const pos = posAt(start);
        lines.add(pos.line);
        problems.error(pos, 'a value starting with {{ must be quoted, e.g. default: "{{env}}_WH"');
        return visit.SKIP;
      }
      return undefined;
    },
  });
  return lines;
}

function reportUnknownKeys(doc: Document, nodePos: (node: Node | null | undefined) => SourcePos, problems: ProblemList): void {
  // The same check at both levels: the front matter's keys, then each variable's settings.
  const check = (map: unknown, known: readonly string[], what: string): void => {
    if (!isMap(map)) return;
    for (const pair of map.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key === undefined || known.includes(key)) continue;
      problems.warning(
        nodePos(pair.key as Node),
        `unknown ${what} ${quote(key)}${didYouMean(key, known)}; it is ignored (known: ${known.join(', ')})`,
      );
    }
  };
  check(doc.contents, FRONT_MATTER_KEYS, 'front matter key');
  const variables = doc.get('variables', true);
  if (isMap(variables)) for (const pair of variables.items) check(pair.value, VARIABLE_KEYS, 'variable setting');
}

function readVariables(
  doc: Document,
  raw: unknown,
  nodePos: (node: Node | null | undefined) => SourcePos,
  problems: ProblemList,
): VariableSpec[] {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return [];
  const specs: VariableSpec[] = [];
  const builtins: readonly string[] = BUILTIN_VARIABLES;
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    const parsed = (schemas ??= buildSchemas()).variable.safeParse(value);
    const keyNode = keyNodeAt(doc, ['variables'], name);
    const pos = nodePos(keyNode);
    if (!VARIABLE_NAME.test(name)) {
      problems.error(pos, `variable name ${quote(name)} must be letters, digits and _ (not starting with a digit)`);
      continue;
    }
    if (builtins.includes(name)) {
      problems.error(pos, `variable ${name} is built in (${builtins.join(', ')}); pick another name`);
      continue;
    }
    if (!parsed.success) continue; // already reported by the schema
    const settings = parsed.data as Record<string, string | string[] | boolean | undefined>;
    const spec: VariableSpec = { name, secret: settings.secret === true, pos };
    if (settings.default !== undefined) spec.default = settings.default as string;
    if (settings.choices !== undefined) spec.choices = settings.choices as string[];
    if (settings.pattern !== undefined) spec.pattern = settings.pattern as string;
    if (settings.prompt !== undefined) spec.prompt = settings.prompt as string;
    if (settings['from-env'] !== undefined) spec.fromEnv = settings['from-env'] as string;
    if (settings.describe !== undefined) spec.describe = settings.describe as string;
    const settingPos = (key: string): SourcePos => nodePos(nodeAt(doc, ['variables', name, key]) ?? keyNode);
    checkVariable(spec, settingPos, problems);
    specs.push(spec);
  }
  checkDefaults(specs, (spec) => nodePos(nodeAt(doc, ['variables', spec.name, 'default']) ?? nodeAt(doc, ['variables', spec.name])), problems);
  return specs;
}

function checkVariable(spec: VariableSpec, settingPos: (key: string) => SourcePos, problems: ProblemList): void {
  if (spec.secret && spec.default !== undefined) {
    problems.error(
      settingPos('default'),
      `secret variable ${spec.name} must not have a default: secrets are never written in files (use from-env or let baton ask)`,
    );
  }
  if (spec.fromEnv !== undefined && !VARIABLE_NAME.test(spec.fromEnv)) {
    problems.error(settingPos('from-env'), `from-env ${quote(spec.fromEnv)} is not an environment variable name (e.g. SNOWFLAKE_PASSWORD)`);
  }
  let pattern: RegExp | undefined;
  if (spec.pattern !== undefined) {
    try {
      pattern = new RegExp(`^(?:${spec.pattern})$`, 'u');
    } catch (error) {
      problems.error(settingPos('pattern'), `pattern of ${spec.name} is not a valid regular expression: ${(error as Error).message}`);
    }
  }
  // A default with references is only known at run time; a plain one can be checked now.
  if (spec.default === undefined || findReferences(spec.default).length > 0) return;
  if (spec.choices && !spec.choices.includes(spec.default)) {
    problems.error(settingPos('default'), `default ${quote(spec.default)} of ${spec.name} is not one of its choices: ${spec.choices.join(', ')}`);
  }
  if (pattern && !pattern.test(spec.default)) {
    problems.error(settingPos('default'), `default ${quote(spec.default)} of ${spec.name} does not match its pattern ${spec.pattern}`);
  }
}

/** Defaults may use other variables and built-ins, but not captures (nothing has run yet) and not in a circle. */
function checkDefaults(specs: VariableSpec[], defaultPos: (spec: VariableSpec) => SourcePos, problems: ProblemList): void {
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  const known = [...BUILTIN_VARIABLES, ...byName.keys()];
  for (const spec of specs) {
    for (const ref of findReferences(spec.default ?? '')) {
      if (known.includes(ref.name)) continue;
      problems.error(
        defaultPos(spec),
        `default of ${spec.name} uses {{${ref.name}}}, which is not a declared variable${didYouMean(ref.name, known)}`,
      );
    }
  }
  // A circle of defaults could never be filled: walk the references depth first to find one.
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (spec: VariableSpec, trail: string[]): void => {
    if (state.get(spec.name) === 'done') return;
    if (state.get(spec.name) === 'visiting') {
      const circle = trail.slice(trail.indexOf(spec.name));
      const first = byName.get(circle[0]!)!;
      problems.error(defaultPos(first), `the defaults of ${[...circle, circle[0]].join(' → ')} refer to each other in a circle`);
      return;
    }
    state.set(spec.name, 'visiting');
    for (const ref of findReferences(spec.default ?? '')) {
      const next = byName.get(ref.name);
      if (next) visit(next, [...trail, spec.name]);
    }
    state.set(spec.name, 'done');
  };
  for (const spec of specs) visit(spec, []);
}

function nodeAt(doc: Document, path: (string | number)[]): Node | undefined {
  for (let length = path.length; length >= 0; length--) {
    const node = length === 0 ? doc.contents : doc.getIn(path.slice(0, length), true);
    if (node && typeof node === 'object' && 'range' in node) return node as Node;
  }
  return undefined;
}

function keyNodeAt(doc: Document, path: (string | number)[], key: string): Node | undefined {
  const parent = doc.getIn(path, true);
  if (isMap(parent)) {
    const pair = parent.items.find((item) => isScalar(item.key) && String(item.key.value) === key);
    if (pair && isScalar(pair.key)) return pair.key;
  }
  return nodeAt(doc, [...path, key]);
}

/**
 * An unclosed quote or bracket is reported by the YAML parser where it gave up, often lines later;
 * the author needs the place it was opened.
 */
function openerOf(yaml: string, message: string, offset: number): { char: string; offset: number } | undefined {
  const char = /closing "quote/.test(message) ? '"' : /closing 'quote/.test(message) ? "'" : /end with a \]/.test(message) ? '[' : /end with a \}/.test(message) ? '{' : undefined;
  if (char === undefined) return undefined;
  const at = yaml.lastIndexOf(char, Math.max(0, offset - 1));
  return at < 0 ? undefined : { char, offset: at };
}

const CLOSERS: Record<string, string> = { '"': '"', "'": "'", '[': ']', '{': '}' };

function firstSentence(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/, '');
}

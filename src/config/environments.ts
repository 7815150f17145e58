// baton.yaml at the runbooks' root: the environments a run can target, which one is the default,
// and how careful baton must be in each. Read with `yaml` (for line numbers) and checked with zod,
// so every mistake comes back as `baton.yaml:12:5: …` with what to write instead.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import * as z from 'zod/mini';
import '../zod.js';
import type { Problem } from '../runbook/model.js';
import { formatProblem } from '../runbook/problems.js';
import { closestName } from '../runbook/template.js';
import type { Environment } from './environment.js';

/** The file name baton looks for at the runbooks' root. */
export const ENVIRONMENTS_FILE = 'baton.yaml';

/** The environments of a runbooks folder, the default one, and what is wrong with the file. */
export interface EnvironmentsConfig {
  environments: Environment[];
  /** Name of the environment used when none is asked for. */
  default: string;
  /** Errors make the file unusable (environments is then the built-in sandbox only); warnings do not. */
  problems: Problem[];
  /** The file read, or undefined when the folder has none and the built-in sandbox is used. */
  file?: string;
}

/** The environment a folder without baton.yaml gets: the local sandbox, started on demand. */
export const BUILTIN_SANDBOX: Environment = {
  name: 'sandbox',
  description: 'Local sandbox: a Snowflake-compatible server and scheduler fakes on this machine',
  protected: false,
  sandbox: true,
  connection: 'sandbox',
  variables: {},
};

const NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
const nameRule = 'start with a letter; letters, digits, - and _ only';

// The schemas are built on first use: a runbook folder without baton.yaml never needs them, and
// building them is a measurable part of a start.
function buildSchemas() {
  const text = (what: string) => z.string({ error: `${what} must be text` }).check(z.trim(), z.minLength(1, `${what} must not be empty`));
  const scalarValue = z.union([z.string(), z.number(), z.boolean()], {
    error: 'a variable value must be text, a number or true/false (quote it if in doubt)',
  });
  const flag = (what: string) => z.boolean({ error: `${what} must be true or false` });

  const autosysSchema = z.strictObject({
    bin: z.optional(text('autosys.bin')),
    instance: z.optional(
      z.string({ error: 'autosys.instance must be text' }).check(z.regex(/^[A-Za-z0-9]{3}$/, 'autosys.instance is the 3-character AutoSys instance id, e.g. ACE')),
    ),
    env: z.optional(z.record(z.string(), scalarValue)),
  });

  const controlmSchema = z.strictObject({
    endpoint: z
      .string({ error: 'controlm.endpoint is required: the Automation API base URL' })
      .check(z.url('controlm.endpoint must be a URL such as https://em.example.com:8443/automation-api')),
    server: z.optional(text('controlm.server')),
    user: z.optional(text('controlm.user')),
    passwordVariable: z.optional(text('controlm.passwordVariable')),
    tokenVariable: z.optional(text('controlm.tokenVariable')),
    insecure: z.optional(flag('controlm.insecure')),
  });

  const environmentSchema = z.strictObject({
    description: z.optional(text('description')),
    protected: z.optional(flag('protected')),
    connection: z.optional(text('connection')),
    sandbox: z.optional(flag('sandbox')),
    autosys: z.optional(autosysSchema),
    controlm: z.optional(controlmSchema),
    variables: z.optional(z.record(z.string(), scalarValue)),
    accountUrl: z.optional(
      z.string({ error: 'accountUrl must be text' }).check(z.url('accountUrl must be a URL such as https://app.snowflake.com/myorg/myaccount')),
    ),
  });

  const fileSchema = z.strictObject({
    default: z.optional(text('default')),
    environments: z.record(z.string(), z.nullable(environmentSchema), {
      error: 'environments must be a mapping of environment name → settings',
    }),
  });
  return {
    fileSchema,
    environmentSchema,
    /** Keys each level accepts, for "did you mean" on a misspelt one. */
    knownKeys: {
      file: Object.keys(fileSchema.shape),
      environment: Object.keys(environmentSchema.shape),
      autosys: Object.keys(autosysSchema.shape),
      controlm: Object.keys(controlmSchema.shape),
    } as Record<string, readonly string[]>,
  };
}

let schemas: ReturnType<typeof buildSchemas> | undefined;

/**
 * Read and validate `baton.yaml` in `runbooksFolder`. A folder without one gets the built-in
 * sandbox environment. Never throws for bad content: problems name file, line and column.
 */
export async function loadEnvironments(runbooksFolder: string): Promise<EnvironmentsConfig> {
  const file = path.join(runbooksFolder, ENVIRONMENTS_FILE);
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { environments: [BUILTIN_SANDBOX], default: BUILTIN_SANDBOX.name, problems: [] };
    }
    const problem = at(file, 1, 1, `cannot read ${ENVIRONMENTS_FILE}: ${(error as Error).message}`);
    return { environments: [BUILTIN_SANDBOX], default: BUILTIN_SANDBOX.name, problems: [problem], file };
  }
  return { ...parseEnvironments(source, file), file };
}

/**
 * The environments of a runbooks folder for a command that needs them: with an error in baton.yaml,
 * each problem goes to stderr as `file:line:col` and the result is undefined (the command stops).
 */
export async function environmentsForCommand(runbooksFolder: string, command: string): Promise<EnvironmentsConfig | undefined> {
  const config = await loadEnvironments(runbooksFolder);
  if (!config.problems.some((problem) => problem.severity === 'error')) return config;
  for (const problem of config.problems) process.stderr.write(`${formatProblem(problem)}\n`);
  process.stderr.write(`baton ${command}: ${config.file ?? ENVIRONMENTS_FILE} is not valid: fix it (baton validate ${runbooksFolder}); nothing ran\n`);
  return undefined;
}

/** The environment called `name` (the default one when not given), or a line naming the known ones. */
export function pickEnvironment(config: EnvironmentsConfig, name: string = config.default): Environment | { problem: string } {
  const found = config.environments.find((e) => e.name === name);
  if (found) return found;
  const names = config.environments.map((e) => e.name);
  const close = closestName(name, names);
  return { problem: `unknown environment ${name}${close ? ` (did you mean ${close}?)` : ''}; known: ${names.join(', ')}` };
}

/** Validate the text of a baton.yaml; `file` is only used in problem reports. */
export function parseEnvironments(source: string, file: string): Omit<EnvironmentsConfig, 'file'> {
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const problems: Problem[] = [];
  const position = (offset: number | undefined) => {
    const { line, col } = lines.linePos(offset ?? 0);
    return { line, column: col };
  };
  for (const error of doc.errors) {
    const { line, column } = position(error.pos[0]);
    problems.push(at(file, line, column, `YAML: ${firstLine(error.message)}`));
  }
  const fallback = { environments: [BUILTIN_SANDBOX], default: BUILTIN_SANDBOX.name };
  if (problems.length > 0) return { ...fallback, problems };

  const raw: unknown = doc.toJS() ?? {};
  schemas ??= buildSchemas();
  const parsed = schemas.fileSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(...describeIssue(issue, doc, file, position));
    return { ...fallback, problems };
  }

  const environments: Environment[] = [];
  for (const [name, settings] of Object.entries(parsed.data.environments)) {
    const where = position(keyNode(doc, ['environments'], name)?.range?.[0]);
    if (!NAME.test(name)) {
      problems.push(at(file, where.line, where.column, `environment name "${name}": ${nameRule}`));
      continue;
    }
    environments.push(toEnvironment(name, settings ?? {}));
    if (settings?.sandbox && settings.protected) {
      problems.push(
        at(file, where.line, where.column, `environment ${name} is both sandbox and protected; a sandbox holds nothing to protect`, 'warning'),
      );
    }
    if (settings?.controlm && !settings.controlm.passwordVariable && !settings.controlm.tokenVariable && !settings?.sandbox) {
      problems.push(
        at(file, where.line, where.column, `environment ${name}: controlm needs passwordVariable or tokenVariable to log in`, 'warning'),
      );
    }
  }
  if (environments.length === 0 && problems.length === 0) {
    const { line, column } = position(keyNode(doc, [], 'environments')?.range?.[0]);
    problems.push(at(file, line, column, 'environments is empty: declare at least one, e.g. `sandbox: { sandbox: true }`'));
  }

  const names = environments.map((e) => e.name);
  let defaultName = parsed.data.default ?? (names.includes('sandbox') ? 'sandbox' : names[0]);
  if (parsed.data.default !== undefined && !names.includes(parsed.data.default)) {
    const node = doc.get('default', true);
    const { line, column } = position(isScalar(node) ? node.range?.[0] : undefined);
    const hint = closestName(parsed.data.default, names);
    problems.push(
      at(file, line, column, `default "${parsed.data.default}" is not a declared environment${hint ? ` (did you mean ${hint}?)` : ''}; declared: ${names.join(', ')}`),
    );
    defaultName = names[0];
  }
  if (problems.some((p) => p.severity === 'error')) return { ...fallback, problems };
  return { environments, default: defaultName ?? BUILTIN_SANDBOX.name, problems };
}

type Settings = z.infer<ReturnType<typeof buildSchemas>['environmentSchema']>;

function toEnvironment(name: string, settings: Settings): Environment {
  const env: Environment = {
    name,
    protected: settings.protected ?? false,
    variables: stringValues(settings.variables),
  };
  if (settings.description) env.description = settings.description;
  if (settings.sandbox) env.sandbox = true;
  // A sandbox environment without a connection of its own uses the built-in one.
  const connection = settings.connection ?? (settings.sandbox ? 'sandbox' : undefined);
  if (connection) env.connection = connection;
  if (settings.autosys) {
    const { env: vars, ...rest } = settings.autosys;
    env.autosys = { ...rest, ...(vars ? { env: stringValues(vars) } : {}) };
  }
  if (settings.controlm) env.controlm = settings.controlm;
  if (settings.accountUrl) env.accountUrl = settings.accountUrl;
  return env;
}

function stringValues(values: Record<string, string | number | boolean> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(values ?? {}).map(([k, v]) => [k, String(v)]));
}

type Issue = z.core.$ZodIssue;

function describeIssue(
  issue: Issue,
  doc: Document,
  file: string,
  position: (offset: number | undefined) => { line: number; column: number },
): Problem[] {
  const pathKeys = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const known = schemas?.knownKeys[levelOf(pathKeys)] ?? [];
    return issue.keys.map((key) => {
      const { line, column } = position(keyNode(doc, pathKeys, key)?.range?.[0]);
      const hint = closestName(key, known);
      const where = pathKeys.length ? ` in ${pathKeys.join('.')}` : '';
      return at(file, line, column, `unknown setting "${key}"${where}${hint ? ` (did you mean ${hint}?)` : ''}; known: ${known.join(', ')}`);
    });
  }
  const node = doc.getIn(pathKeys, true) as { range?: [number, number, number] } | undefined;
  const parent = pathKeys.length ? keyNode(doc, pathKeys.slice(0, -1), pathKeys[pathKeys.length - 1]!) : undefined;
  const { line, column } = position(node?.range?.[0] ?? parent?.range?.[0]);
  const where = pathKeys.length ? `${pathKeys.join('.')}: ` : '';
  return [at(file, line, column, `${where}${issue.message}`)];
}

/** Which schema level a path points into, to pick the keys for a hint. */
function levelOf(pathKeys: string[]): string {
  if (pathKeys.length === 0) return 'file';
  if (pathKeys[0] === 'environments' && pathKeys.length === 2) return 'environment';
  return pathKeys[pathKeys.length - 1]!;
}

/** The key node of `key` inside the mapping at `parentPath`, for its position. */
function keyNode(doc: Document, parentPath: string[], key: string): { range?: [number, number, number] | null } | undefined {
  const parent = parentPath.length ? doc.getIn(parentPath, true) : doc.contents;
  if (!isMap(parent)) return undefined;
  for (const pair of parent.items) {
    if (isScalar(pair.key) && String(pair.key.value) === key) return pair.key;
  }
  return undefined;
}

function at(file: string, line: number, column: number, message: string, severity: Problem['severity'] = 'error'): Problem {
  return { file, line, column, message, severity };
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

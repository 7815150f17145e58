// `baton sql [--env NAME | --connection NAME] (-q SQL | -f FILE) [--format table|csv|json]`: a small
// snowsql for scripts and scheduler jobs. Statements run in order on one session; the first SQL
// error stops it with exit 1. In a protected environment the guard still applies: writes ask, and
// destructive statements want the environment's name typed; with no terminal they are refused.
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import type { Environment } from '../config/environment.js';
import { environmentsForCommand, pickEnvironment } from '../config/environments.js';
import { ConnectionError } from '../config/connections.js';
import { EXIT } from '../exit-codes.js';
import { parseDuration } from '../runbook/duration.js';
import { maskSecrets } from '../runbook/template.js';
import { classifySql } from '../sql/classify.js';
import { splitStatements } from '../sql/tokens.js';
import { fillSql, UnsafeValueError } from '../sql/variables.js';
import { formatFailure } from '../snowflake/errors.js';
import { csvLine, formatTable, rowObjects } from '../snowflake/format.js';
import type { SnowflakeSession as Session } from '../snowflake/session.js';

/** Options of `baton sql`. */
export interface SqlOptions {
  env?: string;
  connection?: string;
  query?: string;
  file?: string;
  format?: string;
  /** `NAME=VALUE` pairs for `{{NAME}}` in the SQL. */
  var?: string[];
  timeout?: string;
  /** Run writes and destructive statements in a protected environment without asking. */
  iKnowWhatIAmDoing?: boolean;
  runbooks?: string;
  stateDir?: string;
}

const FORMATS = ['table', 'csv', 'json'] as const;

/** Run `baton sql`; returns the exit code. */
export async function sql(options: SqlOptions): Promise<number> {
  const say = (line: string) => process.stderr.write(`${line}\n`);
  const format = (options.format ?? 'table') as (typeof FORMATS)[number];
  if (!FORMATS.includes(format)) return usage(`--format must be one of ${FORMATS.join(', ')}`);
  if (options.env && options.connection) return usage('give --env or --connection, not both');
  if (options.query !== undefined && options.file) return usage('give -q SQL or -f FILE, not both');
  let timeoutMs: number | undefined;
  if (options.timeout) {
    const parsed = parseDuration(options.timeout);
    if ('error' in parsed) return usage(`--timeout: ${parsed.error}`);
    timeoutMs = parsed.ms;
  }

  let text: string;
  if (options.query !== undefined) text = options.query;
  else if (options.file) {
    try {
      text = await readFile(options.file, 'utf8');
    } catch (error) {
      say(`baton: cannot read ${options.file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
      return EXIT.usage;
    }
  } else if (!process.stdin.isTTY) text = await readStdin();
  else return usage('give the SQL with -q "SELECT …", -f FILE, or on standard input');

  const variables = new Map<string, string>();
  for (const pair of options.var ?? []) {
    const at = pair.indexOf('=');
    if (at < 1) return usage(`--var ${pair}: write NAME=VALUE`);
    variables.set(pair.slice(0, at), pair.slice(at + 1));
  }
  try {
    const filled = fillSql(text, (name) => (variables.has(name) ? { value: variables.get(name)! } : undefined));
    if (filled.missing.length) return usage(`no value for ${filled.missing.map((n) => `{{${n}}}`).join(', ')}: pass --var NAME=VALUE`);
    text = filled.text;
  } catch (error) {
    if (error instanceof UnsafeValueError) {
      say(`baton: refused, nothing ran: ${error.message}`);
      return EXIT.failed;
    }
    throw error;
  }
  const statements = splitStatements(text);
  if (statements.length === 0) return usage('no SQL statement to run (only comments or spaces)');

  let environment: Environment | undefined;
  if (!options.connection) {
    const config = await environmentsForCommand(options.runbooks ?? 'runbooks', 'sql');
    if (!config) return EXIT.invalid;
    const picked = pickEnvironment(config, options.env);
    if ('problem' in picked) return usage(picked.problem);
    environment = picked;
  }

  if (environment?.protected && !options.iKnowWhatIAmDoing) {
    const allowed = await guard(text, environment);
    if (allowed !== EXIT.ok) return allowed;
  }

  const [{ resolveTarget }, { SnowflakeSession }] = await Promise.all([import('../snowflake/target.js'), import('../snowflake/session.js')]);
  const controller = new AbortController();
  const stop = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let session: Session | undefined;
  let release: (() => Promise<void>) | undefined;
  try {
    const target = await resolveTarget({
      ...(environment ? { environment } : {}),
      ...(options.connection ? { connection: options.connection } : {}),
      ...(options.stateDir ? { stateDir: options.stateDir } : {}),
    });
    release = target.release;
    for (const warning of target.warnings) say(`warning: ${warning}`);
    session = await SnowflakeSession.open(target.connection, { ...(target.accessUrl ? { accessUrl: target.accessUrl } : {}), signal: controller.signal });
    const tag = JSON.stringify({ app: 'baton', command: 'sql', env: environment?.name ?? null, job: process.env.AUTO_JOB_NAME ?? process.env.CTM_JOBNAME ?? undefined });
    const deadline = timeoutMs !== undefined ? performance.now() + timeoutMs : undefined;
    for (const [i, statement] of statements.entries()) {
      const outcome = await session.execute(statement.text, {
        queryTag: tag,
        signal: controller.signal,
        keepRows: Number.MAX_SAFE_INTEGER,
        ...(deadline !== undefined ? { timeoutMs: Math.max(1, deadline - performance.now()) } : {}),
        ...(format === 'csv' ? { keepRows: 0, sink: csvSink() } : {}),
      });
      if (outcome.error) {
        const where = statements.length > 1 ? `statement ${i + 1} of ${statements.length}: ` : '';
        say(`baton: ${where}${maskSecrets(formatFailure(outcome.error), session.secrets)}`);
        return outcome.interrupted === 'aborted' ? EXIT.aborted : EXIT.failed;
      }
      if (format === 'table') {
        const lines = outcome.columns.length ? formatTable(outcome.columns, outcome.firstRows, 200) : [];
        process.stdout.write([...lines, `(${outcome.rows} row${outcome.rows === 1 ? '' : 's'}${outcome.queryId ? `, query ${outcome.queryId}` : ''})`, ''].join('\n') + '\n');
      } else if (format === 'json') {
        process.stdout.write(`${JSON.stringify(rowObjects(outcome.columns, outcome.firstRows))}\n`);
      }
    }
    return EXIT.ok;
  } catch (error) {
    if (error instanceof ConnectionError) {
      say(`baton: ${error.message}`);
      return EXIT.failed;
    }
    throw error;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await session?.close();
    await release?.();
  }
}

/** In a protected environment: ask before writes, want the name typed before destructive ones. */
async function guard(text: string, environment: Environment): Promise<number> {
  const verdict = classifySql(text);
  if (verdict.level === 'read') return EXIT.ok;
  const what = verdict.reasons.map((r) => `  - ${r}`).join('\n');
  process.stderr.write(`${environment.name} is protected; this SQL ${verdict.level === 'destructive' ? 'is DESTRUCTIVE' : 'writes'}:\n${what}\n`);
  if (!process.stdin.isTTY) {
    process.stderr.write(`baton: no terminal to confirm on; refused (run it from a runbook, or pass --i-know-what-i-am-doing to take responsibility)\n`);
    return EXIT.inputNeeded;
  }
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    if (verdict.level === 'destructive') {
      const typed = await prompt.question(`type the environment's name (${environment.name}) to run it: `);
      return typed.trim() === environment.name ? EXIT.ok : refused();
    }
    const answer = await prompt.question('run it? [y/N] ');
    return /^y(es)?$/i.test(answer.trim()) ? EXIT.ok : refused();
  } finally {
    prompt.close();
  }
}

function refused(): number {
  process.stderr.write('not run.\n');
  return EXIT.aborted;
}

function csvSink() {
  return {
    writable: process.stdout,
    begin: (columns: string[]) => process.stdout.write(csvLine(columns)),
    write: (row: unknown[]) => process.stdout.write(csvLine(row)),
  };
}

function usage(message: string): number {
  process.stderr.write(`baton sql: ${message}\n`);
  return EXIT.usage;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}


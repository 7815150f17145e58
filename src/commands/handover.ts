// `baton handover`: writes docs/handover/<env>-<date>.md and .html from the run records and the
// live environment, and says where they went.
import { resolve } from 'node:path';
import { EXIT } from '../exit-codes.js';
import { generateHandover } from '../handover/generate.js';
import { resolveStateDir } from '../store/paths.js';
import { defaultOperator } from './exec.js';
import { parseSince } from './runs.js';

/** Options of `baton handover`. */
export interface HandoverCommandOptions {
  env?: string;
  since?: string;
  runbooks?: string;
  out?: string;
  /** commander's `--no-inventory` sets this to false. */
  inventory?: boolean;
  operator?: string;
  stateDir?: string;
}

/** Run `baton handover`; returns the exit code. */
export async function handover(options: HandoverCommandOptions, now = new Date()): Promise<number> {
  const fail = (code: number, message: string) => {
    process.stderr.write(`baton handover: ${message}\n`);
    return code;
  };
  const since = options.since === undefined ? undefined : parseSince(options.since, now);
  if (since === null) return fail(EXIT.usage, `--since ${options.since}: give a date (2026-11-25) or a duration ago (7d, 12h)`);
  const quiet = !process.stderr.isTTY;
  const result = await generateHandover({
    ...(options.env ? { env: options.env } : {}),
    ...(since ? { since } : {}),
    runbooksDir: resolve(options.runbooks ?? 'runbooks'),
    outDir: resolve(options.out ?? 'docs/handover'),
    stateDir: resolveStateDir(options.stateDir),
    inventory: options.inventory !== false,
    operator: defaultOperator(options.operator),
    now,
    progress: (line) => {
      if (!quiet) process.stderr.write(`… ${line}\n`);
    },
  });
  if (!result.ok) return fail(result.kind === 'usage' ? EXIT.usage : result.kind === 'invalid' ? EXIT.invalid : EXIT.failed, result.message);
  for (const warning of result.warnings) process.stderr.write(`baton handover: warning: ${warning}\n`);
  process.stdout.write(
    [
      `wrote ${result.markdownPath}`,
      `wrote ${result.htmlPath}`,
      `${result.environment}: ${result.runs} runs, ${result.incidents} problems met, ${result.openItems} open items`,
      '',
    ].join('\n'),
  );
  return EXIT.ok;
}

// The environments a runbook folder can run in, from the `baton.yaml` beside the runbooks. Without
// one there is a single unprotected `sandbox` environment, so a fresh checkout runs out of the box.
// This reads the common fields only; the full validated loader replaces the body, not the signature.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Problem } from '../runbook/model.js';
import type { Environment } from './environment.js';

/** The environment used when there is no baton.yaml. */
export const SANDBOX: Environment = { name: 'sandbox', description: 'the local sandbox', protected: false, sandbox: true, variables: {} };

/** Read `baton.yaml` next to the runbooks, or fall back to the sandbox alone. */
export async function loadEnvironments(runbooksFolder: string): Promise<{ environments: Environment[]; default: string; problems: Problem[] }> {
  const file = join(runbooksFolder, 'baton.yaml');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { environments: [SANDBOX], default: SANDBOX.name, problems: [] };
    return { environments: [], default: '', problems: [problem(file, `cannot read it: ${(error as Error).message}`)] };
  }
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    const e = error as Error & { linePos?: { line: number; col: number }[] };
    return { environments: [], default: '', problems: [problem(file, `not valid YAML: ${e.message.split('\n')[0]}`, e.linePos?.[0]?.line, e.linePos?.[0]?.col)] };
  }
  const root = (data ?? {}) as { default?: unknown; environments?: unknown };
  const problems: Problem[] = [];
  const environments: Environment[] = [];
  const declared = root.environments;
  if (!declared || typeof declared !== 'object' || Array.isArray(declared)) {
    return { environments: [], default: '', problems: [problem(file, 'expected `environments:` as a map of name → settings')] };
  }
  for (const [name, raw] of Object.entries(declared as Record<string, unknown>)) {
    const settings = (raw ?? {}) as Record<string, unknown>;
    const variables: Record<string, string> = {};
    if (settings.variables && typeof settings.variables === 'object') {
      for (const [key, value] of Object.entries(settings.variables as Record<string, unknown>)) variables[key] = String(value);
    }
    environments.push({
      name,
      protected: settings.protected === true,
      variables,
      ...(typeof settings.description === 'string' ? { description: settings.description } : {}),
      ...(typeof settings.connection === 'string' ? { connection: settings.connection } : {}),
      ...(settings.sandbox === true ? { sandbox: true } : {}),
    });
  }
  if (environments.length === 0) problems.push(problem(file, 'no environments declared'));
  const chosen = typeof root.default === 'string' ? root.default : environments.find((e) => !e.protected)?.name ?? environments[0]?.name ?? '';
  if (chosen && !environments.some((e) => e.name === chosen)) problems.push(problem(file, `default environment ${chosen} is not declared`));
  return { environments, default: chosen, problems };
}

function problem(file: string, message: string, line = 1, column = 1): Problem {
  return { file, line, column, message, severity: 'error' };
}

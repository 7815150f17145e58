// Where the sandbox's scheduler fakes are, for an environment marked `sandbox: true` that does not
// say otherwise: the CLIs in <repo>/sandbox/bin, the services on the sandbox's port. The port is
// the one of the sandbox the run reaches (see the executors), else `$BATON_SANDBOX_URL`, else 8085.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AutosysSettings, ControlmSettings, Environment } from '../config/environment.js';

/** The sandbox's address when nothing says otherwise. */
export const DEFAULT_SANDBOX_URL = 'http://127.0.0.1:8085';

/** The folder of the repository this code runs from (the one holding package.json and sandbox/bin). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'sandbox', 'bin'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

/** The folder of the AutoSys CLI fakes. */
export function sandboxBin(): string {
  return join(packageRoot(), 'sandbox', 'bin');
}

/** The sandbox's base URL: `$BATON_SANDBOX_URL` (set by whoever started it), else the default port. */
export function sandboxUrl(): string {
  return (process.env.BATON_SANDBOX_URL || DEFAULT_SANDBOX_URL).replace(/\/+$/, '');
}

/** Whether an environment uses the sandbox's AutoSys fake (a sandbox environment with no `autosys:`). */
export function usesSandboxAutosys(environment: Environment): boolean {
  return !environment.autosys && environment.sandbox === true;
}

/** Whether an environment uses the sandbox's Control-M fake (a sandbox environment with no `controlm:`). */
export function usesSandboxControlm(environment: Environment): boolean {
  return !environment.controlm && environment.sandbox === true;
}

/**
 * The environment's AutoSys settings, or the sandbox fake's for a sandbox environment without any,
 * at `sandbox` (the base URL of the sandbox the run reaches; default {@link sandboxUrl}).
 */
export function autosysSettingsOf(environment: Environment, sandbox?: string): AutosysSettings | undefined {
  if (environment.autosys) return environment.autosys;
  if (!environment.sandbox) return undefined;
  const autosys = sandbox ? `${sandbox}/autosys` : process.env.BATON_AUTOSYS_URL || `${sandboxUrl()}/autosys`;
  return { bin: sandboxBin(), env: { BATON_AUTOSYS_URL: autosys } };
}

/**
 * The user and password of the sandbox's Control-M fake. Documented and the same on every machine,
 * so not secrets: like the sandbox's Snowflake login they are never masked (masking the word
 * "sandbox" would blank it out of every message that names the sandbox).
 */
export const SANDBOX_CONTROLM_LOGIN = { user: 'sandbox', password: 'sandbox' } as const;

/** The environment's Control-M settings, or the sandbox fake's for a sandbox environment without any. */
export function controlmSettingsOf(environment: Environment, sandbox?: string): (ControlmSettings & { sandboxLogin?: boolean }) | undefined {
  if (environment.controlm) return environment.controlm;
  if (!environment.sandbox) return undefined;
  return { endpoint: `${sandbox ?? sandboxUrl()}/automation-api`, user: SANDBOX_CONTROLM_LOGIN.user, sandboxLogin: true };
}

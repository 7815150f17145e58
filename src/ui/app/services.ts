// The app's only way to the outside: reading the library and the record, and opening runs. The
// screens never touch files or processes; the app model calls these in response to intents.
import { resolve } from 'node:path';
import type { Run, RunOptions, TerminalHandover } from '../../engine/runner.js';
import type { HandoverServices } from '../handover/handover-model.js';
import { readLibrary, type LibrarySnapshot } from '../library/summaries.js';
import type { Standing } from '../library/standing.js';

/** What the app asks of the world (the handover screen's needs included). */
export interface AppServices extends HandoverServices {
  /** The runbooks and environments of the library folder. */
  readLibrary(): Promise<LibrarySnapshot>;
  /** Where each runbook stands in an environment, by runbook id. */
  readStandings(environment: string): Promise<Map<string, Standing>>;
  /** Start (or resume) a run of a runbook in an environment; a problem is a line for the screen. */
  openRun(request: OpenRunRequest): Promise<{ run: Run } | { problem: string }>;
}

/** What opening a run needs. */
export interface OpenRunRequest {
  /** The runbook file. */
  path: string;
  environment: string;
  /** `--var` values (only for the runbook opened from the command line). */
  vars?: Record<string, string>;
  terminal: TerminalHandover;
}

/** Choices of the real services that tests (and only tests) change. */
export interface ServiceOptions {
  operator?: string;
  /** The executor per kind of action; default the registry in src/executors. */
  executors?: RunOptions['executors'];
}

/** Where the app reads and writes. */
export interface AppPaths {
  runbooks: string;
  stateDir: string;
  /** Folder for handover documents (default `docs/handover` under the working directory). */
  handover?: string;
}

/** The services over real files, the real record and the real runner (the last two loaded on first use). */
export function realServices(paths: AppPaths, options: ServiceOptions = {}): AppServices {
  return {
    readLibrary() {
      return readLibrary(paths.runbooks, paths.stateDir);
    },
    async readStandings(environment) {
      const { readStandings } = await import('../library/standing.js');
      return readStandings(paths.stateDir, environment);
    },
    async openRun(request) {
      const { openRun } = await import('./open-run.js');
      return openRun({ ...request, ...options, stateDir: paths.stateDir });
    },
    async writeHandover(request) {
      const [{ generateHandover }, { defaultOperator }] = await Promise.all([import('../../handover/generate.js'), import('../../commands/exec.js')]);
      return generateHandover({
        env: request.environment,
        runbooksDir: paths.runbooks,
        stateDir: paths.stateDir,
        outDir: paths.handover ?? resolve('docs/handover'),
        inventory: request.inventory,
        operator: defaultOperator(options.operator),
        progress: request.progress,
      });
    },
    async openDocument(path) {
      const { openDocument } = await import('./open-document.js');
      return openDocument(path);
    },
  };
}

// The whole app rendered with ink-testing-library over real files: a temp runbooks folder, a temp
// state folder, the real app model, services, runner and executors (a recording fake only where a
// test passes one for a kind of action the machine cannot run).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import type { RunRecord } from '../../src/store/record.js';
import { listRuns, readRun } from '../../src/store/runs.js';
import { AppModel } from '../../src/ui/app/app-model.js';
import { realServices, type ServiceOptions } from '../../src/ui/app/services.js';
import { App } from '../../src/ui/app.js';
import { readLibrary } from '../../src/ui/library/summaries.js';
import { plain } from './plain.js';
import { tempDir, waitFor } from './context.js';

/** A folder of runbooks and a state folder for one test. */
export interface Workspace {
  root: string;
  runbooks: string;
  stateDir: string;
  /** Write a runbook (or baton.yaml) into the runbooks folder; returns its path. */
  write(name: string, text: string): string;
}

/** A fresh workspace. */
export function workspace(files: Record<string, string> = {}): Workspace {
  const root = tempDir('baton-ui-');
  const runbooks = join(root, 'runbooks');
  const stateDir = join(root, 'state');
  mkdirSync(runbooks, { recursive: true });
  const write = (name: string, text: string) => {
    const path = join(runbooks, name);
    writeFileSync(path, text, 'utf8');
    return path;
  };
  for (const [name, text] of Object.entries(files)) write(name, text);
  return { root, runbooks, stateDir, write };
}

/** The app on a workspace, driven by keys. */
export interface AppUnderTest {
  model: AppModel;
  /** The latest frame without colours. */
  frame(): string;
  /** Send keys (one string is one burst, as a terminal would send it), then yield a macrotask. */
  press(...keys: string[]): Promise<void>;
  /** Wait until the frame satisfies `check` (a string must appear in it). */
  waitFor(check: string | ((frame: string) => boolean), what?: string, ms?: number): Promise<string>;
  exitCode: Promise<number>;
  stdout: { columns: number; rows: number; emit(event: string): boolean };
  unmount(): void;
}

/** Start the app on a workspace. */
export async function startApp(ws: Workspace, options: { environment?: string; runbook?: string; vars?: Record<string, string>; services?: ServiceOptions } = {}): Promise<AppUnderTest> {
  const library = await readLibrary(ws.runbooks, ws.stateDir);
  let exited!: (code: number) => void;
  const exitCode = new Promise<number>((resolve) => (exited = resolve));
  const model = new AppModel(realServices({ runbooks: ws.runbooks, stateDir: ws.stateDir, handover: join(ws.root, 'docs', 'handover') }, { operator: 'ana', ...options.services }), {
    library,
    ...(options.environment ? { environment: options.environment } : {}),
    ...(options.runbook ? { runbook: options.runbook } : {}),
    ...(options.vars ? { vars: options.vars } : {}),
    onExit: (code) => exited(code),
  });
  const instance = render(<App model={model} />);
  const frame = () => plain(instance.lastFrame());
  const app: AppUnderTest = {
    model,
    frame,
    async press(...keys) {
      for (const key of keys) {
        // A real terminal keeps keys until they are read; the test's stdin drops keys sent before a
        // new frame's key hooks are attached. baton's own keys attach with the frame (use-keys.tsx),
        // but @inkjs/ui's inputs attach theirs a macrotask after it.
        await new Promise((resolve) => setTimeout(resolve, 40));
        instance.stdin.write(key);
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
    },
    waitFor(check, what, ms = 15_000) {
      const test = typeof check === 'string' ? (f: string) => f.includes(check) : check;
      return waitFor(() => (test(frame()) ? frame() : undefined), ms, what ?? String(check)).catch((error: Error) => {
        throw new Error(`${error.message}\n--- last frame ---\n${frame()}`);
      });
    },
    exitCode,
    stdout: instance.stdout as unknown as AppUnderTest['stdout'],
    unmount: () => instance.unmount(),
  };
  return app;
}

/** The latest run's record once it satisfies `check` (the runner gathers changes before it writes them). */
export async function latestRecord(ws: Workspace, check: (record: RunRecord) => boolean = () => true): Promise<RunRecord> {
  return waitFor(async () => {
    const { runs } = await listRuns(ws.stateDir);
    if (!runs[0]) return undefined;
    const read = await readRun(ws.stateDir, runs[0].id);
    return read.ok && check(read.record) ? read.record : undefined;
  }, 10_000, 'the record');
}

// The app as a small store outside React: which screen shows, the library, the chosen environment,
// the open run. Screens read its state and send it intents; it does the I/O (through the services)
// so no component ever reads a file or starts a process.
import type { Run, TerminalHandover } from '../../engine/runner.js';
import type { Standing } from '../library/standing.js';
import type { LibrarySnapshot } from '../library/summaries.js';
import { HandoverModel } from '../handover/handover-model.js';
import type { AppServices } from './services.js';

/** The screens. */
export type Screen = 'library' | 'runbook' | 'handover';

/** Everything the screens need from the app. */
export interface AppState {
  screen: Screen;
  library: LibrarySnapshot;
  environment: string;
  standings: Map<string, Standing>;
  /** The runbook being opened (engine and parser loading). */
  opening?: string;
  run?: Run;
  /** A problem to show on the library screen (a runbook that cannot be opened). */
  notice?: string;
  help: boolean;
  /** An `interactive` action has the terminal: render nothing, take no keys. */
  handedOver: boolean;
  /** The app is closing. */
  quitting: boolean;
}

/** What the screens may ask of the app. */
export type AppIntent =
  | { type: 'open'; runbookId: string }
  | { type: 'environment'; name: string }
  | { type: 'back' }
  | { type: 'help'; show: boolean }
  | { type: 'handover' }
  | { type: 'refresh' }
  /** Leave: an idle run is paused (resumable); `abort` also stops what runs. */
  | { type: 'quit'; abort?: boolean };

/** How the app starts. */
export interface AppStart {
  library: LibrarySnapshot;
  environment?: string;
  /** Open this runbook (id) at once: `baton run`. */
  runbook?: string;
  vars?: Record<string, string>;
  /** Called once when the app has closed, with the exit code. */
  onExit: (code: number) => void;
  /** What to do to the terminal around an `interactive` action, besides drawing nothing. */
  screen?: ScreenHandover;
}

/** The terminal's side of handing it to an `interactive` action's child. */
export interface ScreenHandover {
  /** The app draws nothing now: leave the child a clear screen. */
  handOver(): Promise<void> | void;
  /** The child has ended: clear what it left before the app draws again. */
  takeBack(): Promise<void> | void;
}

/** The app's store: state, listeners, intents. */
export class AppModel {
  #state: AppState;
  readonly #listeners = new Set<() => void>();
  readonly #services: AppServices;
  readonly #start: AppStart;
  /** The handover screen's own store, over the same services. */
  readonly handover: HandoverModel;

  constructor(services: AppServices, start: AppStart) {
    this.#services = services;
    this.#start = start;
    this.handover = new HandoverModel(services);
    const library = start.library;
    const environment = start.environment ?? library.defaultEnvironment;
    this.#state = { screen: 'library', library, environment, standings: new Map(), help: false, handedOver: false, quitting: false };
    if (start.environment && !library.environments.some((e) => e.name === start.environment) && library.environments.length > 0) {
      this.#state.notice = `unknown environment ${start.environment}; known: ${library.environments.map((e) => e.name).join(', ')}`;
      this.#state.environment = library.defaultEnvironment;
    }
    void this.#loadStandings();
    if (start.runbook) this.dispatch({ type: 'open', runbookId: start.runbook });
  }

  /** The current state. */
  getState = (): AppState => this.#state;

  /** Listen to changes; returns the function that stops listening. */
  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  /** The hooks the runner calls around an `interactive` action. */
  readonly terminal: TerminalHandover = {
    release: async () => {
      this.#set({ handedOver: true });
      await this.#start.screen?.handOver();
    },
    reclaim: async () => {
      await this.#start.screen?.takeBack();
      this.#set({ handedOver: false });
    },
  };

  /** Do what a screen asks. */
  dispatch = (intent: AppIntent): void => {
    switch (intent.type) {
      case 'open':
        void this.#open(intent.runbookId);
        break;
      case 'environment':
        if (this.#state.library.environments.some((e) => e.name === intent.name)) {
          this.#set({ environment: intent.name, standings: new Map() });
          void this.#loadStandings();
        }
        break;
      case 'back':
        void this.#back();
        break;
      case 'help':
        this.#set({ help: intent.show });
        break;
      case 'handover':
        this.#set({ screen: 'handover' });
        break;
      case 'refresh':
        void this.#refresh();
        break;
      case 'quit':
        void this.#quit(Boolean(intent.abort));
        break;
    }
  };

  async #open(runbookId: string): Promise<void> {
    if (this.#state.opening || this.#state.run) return;
    const summary = this.#state.library.runbooks.find((r) => r.id === runbookId || r.path === runbookId);
    if (!summary) return this.#set({ notice: `no runbook ${runbookId} in ${this.#state.library.folder}` });
    if (summary.errors > 0) return this.#set({ notice: `${summary.problem ?? `${summary.path} has errors`} — fix it (baton validate ${summary.path})` });
    this.#set({ opening: summary.id, notice: undefined });
    const vars = summary.id === this.#start.runbook || summary.path === this.#start.runbook ? this.#start.vars : undefined;
    let opened: Awaited<ReturnType<AppServices['openRun']>>;
    try {
      opened = await this.#services.openRun({ path: summary.path, environment: this.#state.environment, ...(vars ? { vars } : {}), terminal: this.terminal });
    } catch (error) {
      opened = { problem: `could not open ${summary.path}: ${(error as Error).message}` };
    }
    if ('problem' in opened) return this.#set({ opening: undefined, notice: opened.problem });
    this.#set({ opening: undefined, run: opened.run, screen: 'runbook' });
  }

  async #back(): Promise<void> {
    const run = this.#state.run;
    if (run) {
      const state = run.getState();
      if (state.activity) return;
      if (state.phase !== 'ended' && !run.dispatch({ type: 'pause' }).accepted) return;
      await run.finished;
    }
    this.#set({ run: undefined, screen: 'library' });
    await this.#refresh();
  }

  async #quit(abort: boolean): Promise<void> {
    if (this.#state.quitting) return;
    this.#set({ quitting: true });
    const run = this.#state.run;
    let code = 0;
    if (run) {
      const state = run.getState();
      // An idle run is paused (resumable); one that cannot pause — something runs — is stopped.
      const paused = !abort && !state.activity && run.dispatch({ type: 'pause' }).accepted;
      if (!paused && state.phase !== 'ended') run.dispatch({ type: 'abort', reason: `${state.operator} quit baton` });
      const final = await run.finished;
      code = final.ended?.status === 'failed' ? 1 : final.ended?.status === 'aborted' ? 130 : 0;
    }
    this.#start.onExit(code);
  }

  async #refresh(): Promise<void> {
    try {
      const library = await this.#services.readLibrary();
      this.#set({ library });
    } catch {
      // Keep what is shown; the next refresh may succeed.
    }
    await this.#loadStandings();
  }

  async #loadStandings(): Promise<void> {
    const environment = this.#state.environment;
    try {
      const standings = await this.#services.readStandings(environment);
      if (this.#state.environment === environment) this.#set({ standings });
    } catch {
      // The library still works without the record; standings show as not started.
    }
  }

  #set(change: Partial<AppState>): void {
    this.#state = { ...this.#state, ...change };
    for (const listener of this.#listeners) listener();
  }
}

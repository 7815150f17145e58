// The handover screen's state outside React, like the app model: the screen sends intents, this
// store does the work through the services (write the documents, open the HTML) and says how it
// went. A pure reducer decides every change, so it can be tested without a terminal.
import type { HandoverFailure, HandoverResult } from '../../handover/generate.js';

/** Where the handover screen stands. */
export interface HandoverState {
  phase: 'ready' | 'writing' | 'written' | 'failed';
  /** Read the live inventory (off is faster, and works without a connection). */
  inventory: boolean;
  /** What the generator said it is doing, latest last. */
  progress: string[];
  result?: HandoverResult;
  /** Why nothing was written, or why the HTML could not be opened. */
  problem?: string;
  /** Set once the HTML was handed to the browser. */
  opened?: string;
  /** The environment the last write was for: its result or problem is that environment's only. */
  environment?: string;
}

/** What the screen and the services' answers do to the state. */
export type HandoverEvent =
  | { type: 'toggle-inventory' }
  | { type: 'writing'; environment?: string }
  | { type: 'progress'; line: string }
  | { type: 'written'; result: HandoverResult }
  | { type: 'failed'; problem: string }
  | { type: 'opened'; path: string }
  | { type: 'open-failed'; problem: string };

/** The state before anything was asked. */
export const READY: HandoverState = { phase: 'ready', inventory: true, progress: [] };

/** The handover screen's reducer. Pure. */
export function handoverReducer(state: HandoverState, event: HandoverEvent): HandoverState {
  switch (event.type) {
    case 'toggle-inventory':
      return state.phase === 'writing' ? state : { ...state, inventory: !state.inventory };
    case 'writing':
      return { phase: 'writing', inventory: state.inventory, progress: [], ...(event.environment ? { environment: event.environment } : {}) };
    case 'progress':
      return state.phase === 'writing' ? { ...state, progress: [...state.progress, event.line].slice(-5) } : state;
    case 'written':
      return { ...since(state), phase: 'written', result: event.result };
    case 'failed':
      return { ...since(state), phase: 'failed', problem: event.problem };
    case 'opened': {
      const { problem: _cleared, ...rest } = state;
      return { ...rest, opened: event.path };
    }
    case 'open-failed':
      return { ...state, problem: event.problem };
  }
}

/** What a write's end keeps of the state it ends. */
function since(state: HandoverState): Pick<HandoverState, 'inventory' | 'progress' | 'environment'> {
  return { inventory: state.inventory, progress: state.progress, ...(state.environment ? { environment: state.environment } : {}) };
}

/**
 * The state as the screen of `environment` shows it: a result or a problem of another
 * environment's write is not this one's (the app's environment can change between writes).
 */
export function stateFor(state: HandoverState, environment: string): HandoverState {
  if (state.phase === 'ready' || state.phase === 'writing' || state.environment === undefined || state.environment === environment) return state;
  return { ...READY, inventory: state.inventory };
}

/** What the handover screen asks of the world. */
export interface HandoverServices {
  /** Write the documents of an environment; `progress` gets one line per stage. */
  writeHandover(request: { environment: string; inventory: boolean; progress: (line: string) => void }): Promise<HandoverResult | HandoverFailure>;
  /** Hand a file to the desktop's viewer; resolves with a problem line when that is not possible. */
  openDocument(path: string): Promise<string | undefined>;
}

/** The intents the screen sends. */
export type HandoverIntent = { type: 'write'; environment: string } | { type: 'toggle-inventory' } | { type: 'open'; environment: string };

/** The handover screen's store. */
export class HandoverModel {
  #state: HandoverState = READY;
  readonly #listeners = new Set<() => void>();

  constructor(private readonly services: HandoverServices) {}

  /** The current state. */
  getState = (): HandoverState => this.#state;

  /** Listen to changes; returns the function that stops listening. */
  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  /** Do what the screen asks. */
  dispatch = (intent: HandoverIntent): void => {
    if (intent.type === 'toggle-inventory') this.#apply({ type: 'toggle-inventory' });
    else if (intent.type === 'write') void this.#write(intent.environment);
    else void this.#open(intent.environment);
  };

  async #write(environment: string): Promise<void> {
    if (this.#state.phase === 'writing') return;
    this.#apply({ type: 'writing', environment });
    try {
      const result = await this.services.writeHandover({ environment, inventory: this.#state.inventory, progress: (line) => this.#apply({ type: 'progress', line }) });
      this.#apply(result.ok ? { type: 'written', result } : { type: 'failed', problem: result.message });
    } catch (error) {
      this.#apply({ type: 'failed', problem: (error as Error).message });
    }
  }

  async #open(environment: string): Promise<void> {
    const path = stateFor(this.#state, environment).result?.htmlPath;
    if (!path) return;
    const problem = await this.services.openDocument(path);
    this.#apply(problem ? { type: 'open-failed', problem } : { type: 'opened', path });
  }

  #apply(event: HandoverEvent): void {
    const next = handoverReducer(this.#state, event);
    if (next === this.#state) return;
    this.#state = next;
    for (const listener of this.#listeners) listener();
  }
}

// Every key the app knows, as data: the key handlers read it to decide, the help overlay and the
// footer print it. One list, so the help can never drift from what the keys really do.

/** Where a key works. */
export type KeyScope = 'library' | 'runbook' | 'handover' | 'dialog' | 'everywhere';

/** One key binding. */
export interface KeyBinding {
  /** What the operator presses, as shown. */
  label: string;
  /** What it does, in a few words. */
  does: string;
  scope: KeyScope;
}

/** The app's keys, in the order the help lists them. */
export const KEYS: readonly KeyBinding[] = [
  { label: 'type', does: 'filter runbooks by title, id, tag or summary', scope: 'library' },
  { label: '↑ ↓', does: 'choose a runbook', scope: 'library' },
  { label: 'enter', does: 'open the runbook', scope: 'library' },
  { label: 'tab', does: 'switch environment', scope: 'library' },
  { label: 'ctrl-d', does: 'handover documents', scope: 'library' },
  { label: 'esc', does: 'clear the filter', scope: 'library' },
  { label: 'enter', does: 'run the current step', scope: 'runbook' },
  { label: 's', does: 'skip the current step (asks why)', scope: 'runbook' },
  { label: 'r', does: 'retry the failed step', scope: 'runbook' },
  { label: 'y / n', does: 'confirm / fail the open check (n asks what is wrong)', scope: 'runbook' },
  { label: 'c', does: 'confirm the open check with a note', scope: 'runbook' },
  { label: 'a', does: 'add a note to the run', scope: 'runbook' },
  { label: 'd', does: 'dry run on/off (show actions, run nothing)', scope: 'runbook' },
  { label: 'g', does: 'go to a step (by number)', scope: 'runbook' },
  { label: '↑ ↓', does: 'look at another step', scope: 'runbook' },
  { label: 'pgup pgdn', does: 'scroll the output; e (or end) follows it again', scope: 'runbook' },
  { label: 'w', does: 'stop watching (a watched action)', scope: 'runbook' },
  { label: 'esc', does: 'back to the library (the run stays resumable)', scope: 'runbook' },
  { label: 'enter', does: 'write the handover documents of the environment', scope: 'handover' },
  { label: 'i', does: 'read the live inventory or not (off: faster, no connection needed)', scope: 'handover' },
  { label: 'o', does: 'open the HTML in the browser ($BATON_OPEN, else the desktop\'s viewer)', scope: 'handover' },
  { label: 'esc', does: 'back to the library', scope: 'handover' },
  { label: 'ctrl-c', does: 'cancel the running action; when idle, quit', scope: 'everywhere' },
  { label: 'q', does: 'quit (asks first if something runs; in the library, when the filter is empty)', scope: 'everywhere' },
  { label: '?', does: 'this help', scope: 'everywhere' },
  { label: 'enter', does: 'answer; esc closes a note or typed answer', scope: 'dialog' },
];

/** The keys of one screen and those that work everywhere. */
export function keysFor(scope: Exclude<KeyScope, 'everywhere'>): KeyBinding[] {
  return KEYS.filter((k) => k.scope === scope || k.scope === 'everywhere');
}

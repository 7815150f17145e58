// Mounting the app with Ink: the one place that knows Ink's render options.
import { render, type Instance } from 'ink';
import type { AppModel } from './app/app-model.js';
import { App } from './app.js';

/** Render the app on the process's terminal (or other streams); Ctrl-C is the app's to handle (it cancels first). */
export function mountApp(model: AppModel, streams: { stdout?: NodeJS.WriteStream; stdin?: NodeJS.ReadStream } = {}): Instance {
  return render(<App model={model} />, { exitOnCtrlC: false, patchConsole: false, ...streams });
}

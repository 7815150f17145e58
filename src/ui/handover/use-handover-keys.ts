// The handover screen's keys: each one only sends an intent, to the screen's store or to the app.
import { useKeys } from '../use-keys.js';
import type { AppIntent } from '../app/app-model.js';
import type { HandoverModel } from './handover-model.js';

/** Wire the handover screen's keys. */
export function useHandoverKeys(options: { model: HandoverModel; app: (intent: AppIntent) => void; environment: string; isActive: boolean }): void {
  const { model, app, environment, isActive } = options;
  useKeys(
    (input, key) => {
      if (key.ctrl && input === 'c') return app({ type: 'quit' });
      if (key.escape) return app({ type: 'back' });
      if (input === '?') return app({ type: 'help', show: true });
      if (input === 'q') return app({ type: 'quit' });
      if (key.return) return model.dispatch({ type: 'write', environment });
      if (input === 'i') return model.dispatch({ type: 'toggle-inventory' });
      if (input === 'o') return model.dispatch({ type: 'open', environment });
    },
    { isActive },
  );
}

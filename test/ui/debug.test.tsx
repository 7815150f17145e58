import { it, vi } from 'vitest';
import { startApp, workspace } from '../helpers/app.js';
import { KEY } from '../helpers/keys.js';
import { runbookText, sh } from '../helpers/runbooks.js';
vi.setConfig({ testTimeout: 30_000 });
it('debug', async () => {
  const ws = workspace({ 'checks.md': runbookText('Dashboard', [], { 'Look at the dashboard': `${sh('echo opened')}\n- [ ] The load dashboard is green.\n` }) });
  const app = await startApp(ws, { runbook: 'checks' });
  await app.waitFor('enter run');
  console.log('A', app.frame());
  await app.press(KEY.enter);
  await new Promise((r) => setTimeout(r, 1500));
  console.log('B', app.frame());
  await app.press(KEY.enter);
  await new Promise((r) => setTimeout(r, 1500));
  console.log('C', app.frame());
});

// `sandbox/bin/scheduler-fakes`: the AutoSys and Control-M fakes alone, for a trainee or a script
// that needs only the schedulers. Runs until Ctrl-C; state survives restarts in the data folder.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_SANDBOX_PORT, SANDBOX_CONTROLM_PASSWORD, SANDBOX_CONTROLM_USER, startSchedulerFakes } from './index.js';

const usage = 'usage: scheduler-fakes [--port 8085] [--host 127.0.0.1] [--data-dir state/sandbox] [--instance SBX]';

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', default: String(DEFAULT_SANDBOX_PORT) },
        host: { type: 'string', default: '127.0.0.1' },
        'data-dir': { type: 'string', default: process.env.BATON_SANDBOX_DIR ?? 'state/sandbox' },
        instance: { type: 'string', default: 'SBX' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${usage}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(usage + '\n');
    return 0;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port must be a number from 0 to 65535, not "${values.port}"\n`);
    return 2;
  }
  const dataDir = resolve(values['data-dir']);
  let fakes;
  try {
    fakes = await startSchedulerFakes({ port, host: values.host, dataDir, autosys: { instance: values.instance } });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const hint = code === 'EADDRINUSE' ? ` (port ${port} is taken: is the sandbox already running? try --port 0)` : '';
    process.stderr.write(`cannot start the scheduler fakes: ${(error as Error).message}${hint}\n`);
    return 1;
  }
  process.stdout.write(
    [
      `AutoSys fake   ${fakes.url}/autosys  (instance ${values.instance}; CLIs in sandbox/bin, export BATON_AUTOSYS_URL=${fakes.url}/autosys)`,
      `Control-M fake ${fakes.url}/automation-api  (user ${SANDBOX_CONTROLM_USER}, password ${SANDBOX_CONTROLM_PASSWORD}, API key sandbox-api-key)`,
      `state and job output in ${dataDir}; Ctrl-C to stop`,
      '',
    ].join('\n'),
  );
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await fakes.close();
  return 0;
}

process.exitCode = await main();

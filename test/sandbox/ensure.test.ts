// ensureSandbox: reuse what runs, start what does not, never two on one data folder.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServiceRegistration } from '../../src/sandbox/host.js';
import { ensureSandbox, sandboxConnectionOptions } from '../../src/sandbox/index.js';
import { probeSandbox } from '../../src/sandbox/probe.js';
import { createSnowflakeService } from '../../src/sandbox/server/snowflake-service.js';
import { connect, destroy, run } from './driver.js';
import { memoryEngine } from './memory-engine.js';

const services: ServiceRegistration[] = [
  { name: 'snowflake', required: true, create: async (options) => createSnowflakeService({ ...options, engine: memoryEngine() }) },
];

let stateDir: string;

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'baton-state-'));
});

afterEach(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

// Sandboxes start and stop for real here: room for a loaded machine.
describe('ensureSandbox', { timeout: 60_000 }, () => {
  it('starts one in this process, shares it with later callers here, and stops it after the last', async () => {
    const first = await ensureSandbox({ stateDir, port: 0, services });
    expect(first).toMatchObject({ account: 'sandbox', startedHere: true, dataDir: join(stateDir, 'sandbox') });
    const second = await ensureSandbox({ stateDir, port: 0, services });
    expect(second.url).toBe(first.url);

    const connection = await connect(first.url, sandboxConnectionOptions(first.url));
    expect((await run(connection, 'select rows 2')).rows).toHaveLength(2);
    await destroy(connection);

    await first.stop();
    expect(await probeSandbox(first.url)).toBeDefined();
    await second.stop();
    expect(await probeSandbox(first.url)).toBeUndefined();
  });

  it('uses the sandbox already answering on the port', async () => {
    const running = await ensureSandbox({ stateDir, port: 0, services });
    const port = Number(new URL(running.url).port);
    const otherState = await mkdtemp(join(tmpdir(), 'baton-state-'));
    const found = await ensureSandbox({ stateDir: otherState, port, services });
    expect(found).toMatchObject({ url: running.url, startedHere: false, dataDir: join(stateDir, 'sandbox') });
    await found.stop();
    expect(await probeSandbox(running.url)).toBeDefined();
    await running.stop();
    await rm(otherState, { recursive: true, force: true });
  });

  it('says so when another program holds the port', async () => {
    const squatter = createServer((_request, response) => response.end('not a sandbox'));
    squatter.listen(0, '127.0.0.1');
    await once(squatter, 'listening');
    const port = (squatter.address() as { port: number }).port;
    await expect(ensureSandbox({ stateDir, port, services })).rejects.toThrow(`Port ${port} on 127.0.0.1 is already in use by another program`);
    squatter.close();
  });

  it('uses the sandbox another process runs on the same data instead of opening it twice', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures/hold-sandbox.ts'), join(stateDir, 'sandbox')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
    const url = chunk.toString().trim();
    try {
      const found = await ensureSandbox({ stateDir, port: 0, services });
      expect(found).toMatchObject({ url, startedHere: false });
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  it('prefers the sandbox serving its data folder, on whatever port, to another one answering on the port', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures/hold-sandbox.ts'), join(stateDir, 'sandbox')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
    const ours = chunk.toString().trim();
    const otherState = await mkdtemp(join(tmpdir(), 'baton-state-'));
    const other = await ensureSandbox({ stateDir: otherState, port: 0, services });
    try {
      const found = await ensureSandbox({ stateDir, port: Number(new URL(other.url).port), services });
      expect(found).toMatchObject({ url: ours, dataDir: join(stateDir, 'sandbox'), startedHere: false });
    } finally {
      await other.stop();
      child.kill('SIGTERM');
      await once(child, 'exit');
      await rm(otherState, { recursive: true, force: true });
    }
  });

  it('starts the whole sandbox on demand: Snowflake on DuckDB and the scheduler fakes', { timeout: 60_000 }, async () => {
    const sandbox = await ensureSandbox({ stateDir, port: 0 });
    try {
      expect(sandbox.startedHere).toBe(true);
      const status = await probeSandbox(sandbox.url);
      expect(status?.services.map(({ name, state }) => `${name} ${state}`)).toEqual(['snowflake up', 'autosys up', 'controlm up']);
      const connection = await connect(sandbox.url, sandboxConnectionOptions(sandbox.url));
      const { rows } = await run(connection, 'SELECT CURRENT_ACCOUNT() AS ACCOUNT, CURRENT_ROLE() AS ROLE');
      expect(rows).toEqual([{ ACCOUNT: 'SANDBOX', ROLE: 'ACCOUNTADMIN' }]);
      await destroy(connection);
    } finally {
      await sandbox.stop();
    }
  });
});

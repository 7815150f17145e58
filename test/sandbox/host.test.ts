// One port, several services: routing by prefix, status of each, and start-up failures.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type ServiceRegistration } from '../../src/sandbox/host.js';
import { probeSandbox } from '../../src/sandbox/probe.js';
import { createSnowflakeService } from '../../src/sandbox/server/snowflake-service.js';
import type { SandboxService } from '../../src/sandbox/service.js';
import { memoryEngine } from './memory-engine.js';

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'baton-host-'));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const snowflake: ServiceRegistration = {
  name: 'snowflake',
  required: true,
  create: async (options) => createSnowflakeService({ ...options, engine: memoryEngine() }),
};

/** A stand-in scheduler fake that says who answered and what URL it was given. */
function echoService(name: string, prefix: string, closed: string[]): ServiceRegistration {
  return {
    name,
    async create(options) {
      const baseUrlAtStart = options.baseUrl();
      const service: SandboxService = {
        name,
        prefix,
        handle(request, response) {
          response.writeHead(200, { 'Content-Type': 'application/json' });
          response.end(JSON.stringify({ service: name, path: request.url, baseUrlAtStart }));
        },
        async close() {
          closed.push(name);
        },
      };
      return service;
    },
  };
}

const broken: ServiceRegistration = {
  name: 'controlm',
  create: async () => {
    throw new Error('state file is corrupt');
  },
};

describe('the sandbox host', () => {
  it('routes each request to the service with the longest matching prefix', async () => {
    const closed: string[] = [];
    const sandbox = await startSandbox({ dataDir, port: 0, services: [snowflake, echoService('autosys', '/autosys', closed)], log: () => {} });
    try {
      const autosys = (await (await fetch(`${sandbox.url}/autosys/cli`)).json()) as Record<string, string>;
      // A service learns the sandbox URL as it starts, for the jobs it launches.
      expect(autosys).toEqual({ service: 'autosys', path: '/autosys/cli', baseUrlAtStart: sandbox.url });
      const login = (await (await fetch(`${sandbox.url}/session/v1/login-request`, { method: 'POST', body: '{}' })).json()) as Record<string, unknown>;
      expect(login).toMatchObject({ success: false, code: '390100' });
      const lookalike = (await (await fetch(`${sandbox.url}/autosysx`)).json()) as Record<string, unknown>;
      expect(lookalike).toMatchObject({ success: false, code: '390400' });
    } finally {
      await sandbox.stop();
    }
    expect(closed).toEqual(['autosys']);
  });

  it('reports each service up or failed, and starts without a failed optional one', async () => {
    const sandbox = await startSandbox({ dataDir, port: 0, services: [snowflake, echoService('autosys', '/autosys', []), broken], log: () => {} });
    try {
      const status = await probeSandbox(sandbox.url);
      expect(status?.services).toEqual([
        { name: 'snowflake', prefix: '/', state: 'up' },
        { name: 'autosys', prefix: '/autosys', state: 'up' },
        { name: 'controlm', prefix: '', state: 'failed', error: 'state file is corrupt' },
      ]);
    } finally {
      await sandbox.stop();
    }
  });

  it('does not start without a required service, and leaves the data folder free', async () => {
    await expect(startSandbox({ dataDir, port: 0, services: [{ ...broken, required: true }], log: () => {} })).rejects.toThrow('state file is corrupt');
    const sandbox = await startSandbox({ dataDir, port: 0, services: [snowflake], log: () => {} });
    await sandbox.stop();
  });

  it('frees the port and the data folder when stopped', async () => {
    const sandbox = await startSandbox({ dataDir, port: 0, services: [snowflake], log: () => {} });
    await sandbox.stop();
    expect(await probeSandbox(sandbox.url)).toBeUndefined();
    const again = await startSandbox({ dataDir, port: sandbox.port, services: [snowflake], log: () => {} });
    expect(again.url).toBe(sandbox.url);
    await again.stop();
  });
});

describe('the scheduler fakes', () => {
  it('answer on the same port as Snowflake, each under its prefix', async () => {
    const { SCHEDULER_SERVICES } = await import('../../src/sandbox/services.js');
    const sandbox = await startSandbox({ dataDir, port: 0, services: [snowflake, ...SCHEDULER_SERVICES], log: () => {} });
    try {
      const status = await probeSandbox(sandbox.url);
      expect(status?.services.map(({ name, prefix, state }) => `${name} ${prefix} ${state}`)).toEqual([
        'snowflake / up',
        'autosys /autosys up',
        'controlm /automation-api up',
      ]);
      const autosys = await fetch(`${sandbox.url}/autosys`);
      expect(((await autosys.json()) as { service: string }).service).toBe('autosys');
      const login = (await (await fetch(`${sandbox.url}/session/v1/login-request`, { method: 'POST', body: '{}' })).json()) as { code: string };
      expect(login.code).toBe('390100');
    } finally {
      await sandbox.stop();
    }
  });
});

// `baton sandbox …` as a user runs it: the built CLI in real child processes, on the real engine.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockPath } from '../../src/sandbox/lock.js';
import { connect, destroy, run } from '../sandbox/driver.js';

const cli = fileURLToPath(new URL('../../bin/baton.js', import.meta.url));

let dataDir: string;

beforeEach(async () => {
  dataDir = join(await mkdtemp(join(tmpdir(), 'baton-cli-')), 'sandbox');
});

afterEach(async () => {
  await rm(join(dataDir, '..'), { recursive: true, force: true });
});

interface Finished {
  code: number | null;
  output: string;
}

/** Runs `baton sandbox …` to the end. */
function baton(...args: string[]): Promise<Finished> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, 'sandbox', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

/** Starts `baton sandbox start` in the foreground and resolves once it prints its URL. */
function foreground(...args: string[]): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'sandbox', 'start', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /Sandbox listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) resolve({ child, url: match[1]!, output: () => output });
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.once('exit', (code) => reject(new Error(`exited ${code} before listening:\n${output}`)));
  });
}

describe('baton sandbox', () => {
  it('starts in the background, reports its services, refuses a second start and a reset, and stops', { timeout: 120_000 }, async () => {
    const started = await baton('start', '--detach', '--port', '0', '--data', dataDir);
    expect(started.code).toBe(0);
    const url = /Sandbox listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(started.output)?.[1];
    expect(url).toBeDefined();
    expect(started.output).toContain('user OPERATOR, password sandbox');

    const status = await baton('status', '--data', dataDir);
    expect(status.code).toBe(0);
    expect(status.output).toContain(`Sandbox running at ${url}`);
    expect(status.output).toMatch(/snowflake\s+\/\s+up/);
    expect(status.output).toMatch(/autosys\s+\/autosys\s+up/);
    expect(status.output).toMatch(/controlm\s+\/automation-api\s+up/);

    const connection = await connect(url!);
    expect((await run(connection, 'SELECT CURRENT_USER() AS U')).rows).toEqual([{ U: 'OPERATOR' }]);
    await destroy(connection);

    const again = await baton('start', '--port', '0', '--data', dataDir);
    expect(again.code).toBe(4);
    expect(again.output).toContain(`already runs at ${url}`);
    const reset = await baton('reset', '--yes', '--data', dataDir);
    expect(reset.code).toBe(4);

    const stopped = await baton('stop', '--data', dataDir);
    expect(stopped.code).toBe(0);
    expect(stopped.output).toContain('Sandbox stopped');
    expect(existsSync(lockPath(dataDir))).toBe(false);
    expect((await baton('status', '--data', dataDir)).code).toBe(1);

    expect((await baton('reset', '--yes', '--data', dataDir)).code).toBe(0);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('serves in the foreground until SIGTERM and keeps its data for the next start', { timeout: 120_000 }, async () => {
    const first = await foreground('--port', '0', '--data', dataDir);
    const connection = await connect(first.url);
    for (const sql of ['CREATE DATABASE KEPT', 'CREATE TABLE KEPT.PUBLIC.T (ID NUMBER)', 'INSERT INTO KEPT.PUBLIC.T VALUES (7)']) {
      expect((await run(connection, sql)).error).toBeUndefined();
    }
    await destroy(connection);
    const exited = new Promise<number | null>((resolve) => first.child.once('exit', resolve));
    first.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(first.output()).toContain('Sandbox stopped');

    const second = await foreground('--port', '0', '--data', dataDir);
    const again = await connect(second.url);
    expect((await run(again, 'SELECT ID FROM KEPT.PUBLIC.T')).rows).toEqual([{ ID: 7 }]);
    await destroy(again);
    second.child.kill('SIGTERM');
    await new Promise((resolve) => second.child.once('exit', resolve));
  });

  it('says why a background start failed', { timeout: 60_000 }, async () => {
    const squatter = createServer((_request, response) => response.end('someone else'));
    squatter.listen(0, '127.0.0.1');
    await once(squatter, 'listening');
    const port = String((squatter.address() as { port: number }).port);
    try {
      const result = await baton('start', '--detach', '--port', port, '--data', dataDir);
      expect(result.code).toBe(1);
      expect(result.output).toContain('did not start');
      expect(result.output).toContain(`Port ${port} on 127.0.0.1 is already in use by another program`);
    } finally {
      squatter.close();
    }
  });

  it('refuses a port that is not a number', async () => {
    const result = await baton('start', '--port', 'http', '--data', dataDir);
    expect(result.code).toBe(2);
    expect(result.output).toContain('--port http');
  });
});

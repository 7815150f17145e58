import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLock, liveHolder, lockPath, SandboxBusyError } from '../../src/sandbox/lock.js';

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'baton-lock-'));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** The id of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

describe('the data folder lock', () => {
  it('is held by one sandbox at a time, and names the holder and its URL', async () => {
    const lock = await acquireLock(dataDir);
    await lock.listening('http://127.0.0.1:9999', 9999);
    const error = await acquireLock(dataDir).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SandboxBusyError);
    expect((error as Error).message).toContain(`process ${process.pid} (http://127.0.0.1:9999)`);
    expect(await liveHolder(dataDir)).toMatchObject({ pid: process.pid, url: 'http://127.0.0.1:9999', port: 9999 });
    await lock.release();
    expect(await liveHolder(dataDir)).toBeUndefined();
  });

  it('is taken over from a process that is gone', async () => {
    const pid = await deadPid();
    await writeFile(lockPath(dataDir), JSON.stringify({ pid, host: hostname(), url: 'http://127.0.0.1:1', port: 1, dataDir, startedAt: 'then' }));
    expect(await liveHolder(dataDir)).toBeUndefined();
    const lock = await acquireLock(dataDir);
    expect(JSON.parse(await readFile(lockPath(dataDir), 'utf8'))).toMatchObject({ pid: process.pid });
    await lock.release();
  });

  it('goes to exactly one of several sandboxes starting together', async () => {
    const attempts = await Promise.allSettled([acquireLock(dataDir), acquireLock(dataDir), acquireLock(dataDir)]);
    expect(attempts.filter((attempt) => attempt.status === 'fulfilled')).toHaveLength(1);
    for (const attempt of attempts) if (attempt.status === 'fulfilled') await attempt.value.release();
  });
});

import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { describe, expect, it, vi } from 'vitest';
import { acquireLock, lockPath, releaseLock, takeOverLock, type LockHolder } from '../../src/store/lock.js';
import { tempDir } from '../helpers/context.js';

// Real processes on a shared machine: give them time; nothing here asserts on timing.
vi.setConfig({ testTimeout: 60_000 });

const holder = (runId: string, pid = process.pid): LockHolder => ({
  runId,
  runbookId: 'go-live',
  environment: 'prod',
  operator: 'ana',
  host: hostname(),
  pid,
  since: '2026-11-25T21:40:00.000Z',
});

/** A pid that surely belongs to no process: one that just exited. */
function deadPid(): number {
  return Number(spawnSync('bash', ['-c', 'echo $$']).stdout.toString().trim());
}

describe('locks', () => {
  it('lets one run hold a runbook in an environment and tells the next who holds it', async () => {
    const dir = tempDir();
    expect(await acquireLock(dir, holder('run-1'))).toEqual({ acquired: true });
    const second = await acquireLock(dir, { ...holder('run-2'), operator: 'ben' });
    expect(second).toMatchObject({ acquired: false, liveness: 'alive', holder: { runId: 'run-1', operator: 'ana', pid: process.pid } });
    expect(await acquireLock(dir, { ...holder('run-3'), environment: 'sandbox' })).toEqual({ acquired: true });
  });

  it('sees that a holder is gone, and lets it be taken over', async () => {
    const dir = tempDir();
    const pid = deadPid();
    await acquireLock(dir, holder('crashed', pid));
    const attempt = await acquireLock(dir, holder('next'));
    expect(attempt).toMatchObject({ acquired: false, liveness: 'dead' });
    await takeOverLock(dir, holder('next'));
    expect(await acquireLock(dir, holder('third'))).toMatchObject({ acquired: false, holder: { runId: 'next' } });
  });

  it('cannot judge a holder on another host, and reads a cut-short lock as gone', async () => {
    const dir = tempDir();
    await acquireLock(dir, { ...holder('elsewhere'), host: 'ops-2' });
    expect(await acquireLock(dir, holder('here'))).toMatchObject({ acquired: false, liveness: 'unknown' });
    const other = tempDir();
    await acquireLock(other, { ...holder('x'), environment: 'sandbox' });
    writeFileSync(lockPath(other, 'go-live', 'prod'), '{"runId": "cut-sh');
    expect(await acquireLock(other, holder('here'))).toMatchObject({ acquired: false, liveness: 'dead', holder: { operator: 'unknown' } });
  });

  it('is released only by the run that holds it', async () => {
    const dir = tempDir();
    await acquireLock(dir, holder('run-1'));
    await releaseLock(dir, 'go-live', 'prod', 'run-2');
    expect(existsSync(lockPath(dir, 'go-live', 'prod'))).toBe(true);
    await releaseLock(dir, 'go-live', 'prod', 'run-1');
    expect(existsSync(lockPath(dir, 'go-live', 'prod'))).toBe(false);
  });
});

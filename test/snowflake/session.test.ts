// The session through the real snowflake-sdk and the real sandbox server, on the test engine at
// the seam the design names (SandboxEngine), so the driver-facing behaviour is checked in isolation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInSandbox } from '../../src/config/connections.js';
import { SnowflakeSession } from '../../src/snowflake/session.js';
import { startTestSandbox, type TestSandbox } from '../sandbox/fixture.js';
import { memoryEngine, type MemoryEngine } from '../sandbox/memory-engine.js';

let sandbox: TestSandbox;
let engine: MemoryEngine;
let session: SnowflakeSession;

beforeAll(async () => {
  engine = memoryEngine();
  sandbox = await startTestSandbox({ engine });
  session = await SnowflakeSession.open(builtInSandbox(), { accessUrl: sandbox.url });
});
afterAll(async () => {
  await session?.close();
  await sandbox?.stop();
});

describe('a Snowflake session', { timeout: 60_000 }, () => {
  it('keeps the first rows, counts the rest and gives the query id', async () => {
    const outcome = await session.execute('select rows 250', { keepRows: 3, queryTag: '{"app":"baton"}' });
    expect(outcome.error).toBeUndefined();
    expect(outcome).toMatchObject({ columns: ['N', 'LABEL'], rows: 250, firstRows: [[1, 'row 1'], [2, 'row 2'], [3, 'row 3']] });
    expect(outcome.queryId).toMatch(/^[0-9a-f-]{36}$/);
    expect(engine.executed.at(-1)?.parameters).toMatchObject({ QUERY_TAG: '{"app":"baton"}' });
  });

  it('streams every row through a sink', async () => {
    const seen: unknown[][] = [];
    const sink = { begin() {}, write: (row: unknown[]) => (seen.push(row), true), writable: { once() {} } as never };
    const outcome = await session.execute('select rows 40', { keepRows: 2, sink });
    expect(seen).toHaveLength(40);
    expect(outcome.rows).toBe(40);
    expect(outcome.firstRows).toHaveLength(2);
  });

  it('reports rows changed by DML', async () => {
    expect(await session.execute('insert 7')).toMatchObject({ updated: 7 });
  });

  it('returns a SQL error with code, SQL state and query id instead of throwing', async () => {
    const outcome = await session.execute("fail 002003 42S02 SQL compilation error: Object 'NOPE' does not exist or not authorized.");
    expect(outcome.error).toMatchObject({ code: '002003', sqlState: '42S02', hint: expect.stringMatching(/check the name/) });
    expect(outcome.error?.queryId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('cancels a statement on the server when its time is up', async () => {
    const outcome = await session.execute('wait 20000', { timeoutMs: 300 });
    expect(outcome.interrupted).toBe('timeout');
    expect(outcome.error?.cancelled).toBe(true);
    await expect.poll(() => engine.aborted.length).toBeGreaterThan(0);
    // The session is still usable afterwards.
    expect((await session.execute('select rows 1')).rows).toBe(1);
  });

  it('cancels on the server when the signal aborts', async () => {
    const controller = new AbortController();
    const running = session.execute('wait 20000', { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    const outcome = await running;
    expect(outcome.interrupted).toBe('aborted');
    expect(outcome.error?.message).toMatch(/cancelled by the operator/);
  });

  it('says clearly when nothing answers', async () => {
    await expect(SnowflakeSession.open(builtInSandbox(), { accessUrl: 'http://127.0.0.1:1' })).rejects.toThrow(
      /connection sandbox: nothing answers at http:\/\/127\.0\.0\.1:1 — is the sandbox running\?/,
    );
  });

  it('says clearly when the password is wrong, without showing it', async () => {
    const connection = builtInSandbox();
    connection.settings.password = 'not-the-password';
    const error = await SnowflakeSession.open(connection, { accessUrl: sandbox.url }).catch((e: Error) => e);
    expect(String(error)).toMatch(/login refused \(account sandbox, user OPERATOR, password, at http/);
    expect(String(error)).not.toMatch(/not-the-password/);
  });
});

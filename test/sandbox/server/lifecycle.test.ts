// Running queries, async, cancel, multi-statement and the session's life, through the real driver.
import { afterEach, describe, expect, it } from 'vitest';
import type { Connection, RowStatement, SnowflakeError } from 'snowflake-sdk';
import { waitFor } from '../../helpers/context.js';
import { begin, connect, destroy, run } from '../driver.js';
import { startTestSandbox, type TestSandbox, type TestSandboxOptions } from '../fixture.js';
import { memoryEngine, type MemoryEngine } from '../memory-engine.js';

let sandbox: TestSandbox | undefined;
const connections: Connection[] = [];

async function start(options: TestSandboxOptions): Promise<TestSandbox> {
  sandbox = await startTestSandbox(options);
  return sandbox;
}

async function open(url: string): Promise<Connection> {
  const connection = await connect(url);
  connections.push(connection);
  return connection;
}

afterEach(async () => {
  await Promise.all(connections.splice(0).map(destroy));
  await sandbox?.stop();
  sandbox = undefined;
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function executing(engine: MemoryEngine, sql: string): Promise<string> {
  return waitFor(() => engine.executed.find((statement) => statement.sql === sql)?.queryId, 10_000, `the engine to run ${sql}`);
}

describe('a long query', () => {
  it('is answered by holding the result request, not by the driver polling in a loop', async () => {
    const { url, requests } = await start({ engine: memoryEngine(), firstAnswerWaitMs: 50, resultWaitMs: 10_000 });
    const connection = await open(url);
    const { rows, error } = await run(connection, 'wait 400');
    expect(error).toBeUndefined();
    expect(rows).toEqual([{ WAITED: 400 }]);
    // One 333333 answer, then one held result request that ends with the query.
    expect(requests.filter((request) => request.endsWith('/result'))).toHaveLength(1);
  });

  it('is cancelled before the driver knows its query id, and the engine is told', async () => {
    const engine = memoryEngine();
    const { url, requests } = await start({ engine });
    const connection = await open(url);
    const { statement, done } = begin(connection, 'wait 60000');
    const queryId = await executing(engine, 'wait 60000');
    expect(statement.getQueryId()).toBeUndefined();
    statement.cancel();
    const { error } = await done;
    expect(error).toMatchObject({ code: '000604', sqlState: '57014' });
    expect(requests).toContain('POST /queries/v1/abort-request');
    expect(engine.aborted).toContain(queryId);
  });

  it('is cancelled by query id once the driver has it', async () => {
    const engine = memoryEngine();
    const { url, requests } = await start({ engine, firstAnswerWaitMs: 20 });
    const connection = await open(url);
    const { statement, done } = begin(connection, 'wait 60000');
    const queryId = await waitFor(() => statement.getQueryId(), 10_000, 'the query id');
    statement.cancel();
    const { error } = await done;
    expect(error).toMatchObject({ code: '000604' });
    expect(requests).toContain(`POST /queries/${queryId}/abort-request`);
    expect(engine.aborted).toContain(queryId);
  });

  it('stops at the statement timeout the request sets', async () => {
    const engine = memoryEngine();
    const { url } = await start({ engine });
    const connection = await open(url);
    const { error } = await run(connection, 'wait 60000', { parameters: { STATEMENT_TIMEOUT_IN_SECONDS: 0.2 } });
    expect(error).toMatchObject({ code: '000630', sqlState: '57014' });
    expect(engine.aborted).toHaveLength(1);
  });
});

describe('an async query', () => {
  it('returns its id at once, reports RUNNING, then gives its result by id', async () => {
    const engine = memoryEngine();
    const { url } = await start({ engine });
    const connection = await open(url);
    const { statement, error } = await run(connection, 'wait 300', { asyncExec: true });
    expect(error).toBeUndefined();
    const queryId = statement.getQueryId();
    expect(await connection.getQueryStatus(queryId)).toBe('RUNNING');
    const rows = await new Promise<unknown[]>((resolve, reject) => {
      void connection.getResultsFromQueryId({
        queryId,
        complete: (failure, _statement, result) => (failure ? reject(failure) : resolve(result ?? [])),
      });
    });
    expect(rows).toEqual([{ WAITED: 300 }]);
    expect(await connection.getQueryStatus(queryId)).toBe('SUCCESS');
  });

  it('reports a failure with its code when its result is asked for', async () => {
    const { url } = await start({ engine: memoryEngine() });
    const connection = await open(url);
    const { statement } = await run(connection, 'fail 002003 42S02 Object does not exist', { asyncExec: true });
    const queryId = statement.getQueryId();
    await expect(connection.getResultsFromQueryId({ queryId })).rejects.toMatchObject({ code: '002003', sqlState: '42S02' });
  });

  it('is unknown to another user', async () => {
    const engine = memoryEngine([{ name: 'OTHER', password: 'other' }]);
    const { url } = await start({ engine });
    const connection = await open(url);
    const { statement } = await run(connection, 'select rows 1', { asyncExec: true });
    const other = await connect(url, { username: 'other', password: 'other' });
    connections.push(other);
    expect(await other.getQueryStatus(statement.getQueryId())).toBe('NO_QUERY_DATA');
  });
});

/** Runs a multi-statement request and collects each child's rows in order. */
function runMany(connection: Connection, sqlText: string, count?: number): Promise<{ results: unknown[][]; error?: SnowflakeError; ids: string[] }> {
  return new Promise((resolve) => {
    const results: unknown[][] = [];
    const ids: string[] = [];
    connection.execute({
      sqlText,
      ...(count === undefined ? {} : { parameters: { MULTI_STATEMENT_COUNT: count } }),
      complete(error, statement, rows) {
        if (error) return resolve({ results, error, ids });
        results.push(rows ?? []);
        ids.push(statement.getQueryId());
        const row = statement as RowStatement & { hasNext(): boolean; NextResult(): void };
        if (row.hasNext()) row.NextResult();
        else resolve({ results, ids });
      },
    });
  });
}

describe('a multi-statement request', () => {
  it('runs each statement as a query of its own, reached with hasNext/NextResult', async () => {
    const engine = memoryEngine();
    const { url } = await start({ engine });
    const connection = await open(url);
    const { results, error, ids } = await runMany(connection, 'select rows 2; insert 3; use role analyst', 0);
    expect(error).toBeUndefined();
    expect(results).toEqual([
      [
        { N: 1, LABEL: 'row 1' },
        { N: 2, LABEL: 'row 2' },
      ],
      [{ 'number of rows inserted': 3 }],
      [{ status: 'Statement executed successfully.' }],
    ]);
    expect(new Set(ids).size).toBe(3);
    expect(engine.executed.map((statement) => statement.queryId)).toEqual(ids);
  });

  it('is refused when the count does not match, as Snowflake does by default', async () => {
    const engine = memoryEngine();
    const { url } = await start({ engine });
    const connection = await open(url);
    const { error } = await runMany(connection, 'select rows 1; select rows 2');
    expect(error).toMatchObject({ code: '000008', sqlState: '0A000' });
    expect(engine.executed).toHaveLength(0);
  });

  it('is allowed after ALTER SESSION SET MULTI_STATEMENT_COUNT = 0', async () => {
    const { url } = await start({ engine: memoryEngine() });
    const connection = await open(url);
    await run(connection, 'alter session set MULTI_STATEMENT_COUNT = 0');
    const { results, error } = await runMany(connection, 'select rows 1; insert 1');
    expect(error).toBeUndefined();
    expect(results).toHaveLength(2);
  });

  it('stops at the first failing statement and reports its error', async () => {
    const engine = memoryEngine();
    const { url } = await start({ engine });
    const connection = await open(url);
    const { error } = await runMany(connection, 'insert 1; fail 003001 42501 Insufficient privileges; insert 2', 3);
    expect(error).toMatchObject({ code: '003001', sqlState: '42501' });
    expect(engine.executed.map((statement) => statement.sql)).toEqual(['insert 1', 'fail 003001 42501 Insufficient privileges']);
  });
});

describe('the session', () => {
  it('renews an expired session token with the master token and carries on', async () => {
    const { url, requests, service } = await start({ engine: memoryEngine(), tokenValidity: { sessionSeconds: 0.3 } });
    const connection = await open(url);
    const issued = service.sessions.all()[0]!.sessionToken;
    await sleep(500);
    const { rows, error } = await run(connection, 'select rows 1');
    expect(error).toBeUndefined();
    expect(rows).toHaveLength(1);
    expect(requests).toContain('POST /session/token-request');
    expect(service.sessions.all()[0]!.sessionToken).not.toBe(issued);
  });

  it('ends when nothing uses it for longer than the master token lives', async () => {
    const engine = memoryEngine();
    const { url } = await start({ engine, tokenValidity: { sessionSeconds: 0.1, masterSeconds: 0.3 }, sweepIntervalMs: 50 });
    const connection = await open(url);
    await sleep(600);
    const { error } = await run(connection, 'select rows 1');
    expect(error).toBeDefined();
    expect(engine.executed).toHaveLength(0);
    expect(engine.closedSessions).toHaveLength(1);
  });

  it('answers heartbeats, and logging out closes the engine session', async () => {
    const engine = memoryEngine();
    const { url, requests } = await start({ engine });
    const connection = await connect(url);
    expect(await connection.isValidAsync()).toBe(true);
    expect(requests).toContain('POST /session/heartbeat');
    await destroy(connection);
    expect(requests).toContain('POST /session');
    expect(engine.closedSessions).toEqual(['1']);
  });

  it('logs out even when the session token has expired', async () => {
    const engine = memoryEngine();
    const { url } = await start({ engine, tokenValidity: { sessionSeconds: 0.1 } });
    const connection = await connect(url);
    await sleep(200);
    await destroy(connection);
    expect(engine.closedSessions).toHaveLength(1);
  });

  it('passes the formatting parameters the session set', async () => {
    const { url } = await start({ engine: memoryEngine() });
    const connection = await open(url);
    await run(connection, "alter session set timezone = 'America/New_York'");
    const { rows } = await run(connection, 'select all types');
    // The driver renders LTZ values in the session's TIMEZONE.
    expect(JSON.stringify(rows[0]!.LTZ)).toBe('"2024-01-01 07:34:56.789 -0500"');
  });
});

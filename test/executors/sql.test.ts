// The sql executor through the real driver and the real sandbox server, on the test engine at the
// SandboxEngine seam: sessions per run, statements recorded one by one, rows, CSV, cancel, refusals.
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlExecutor } from '../../src/executors/sql.js';
import { collect, contextFor, runbookOf, testScope } from '../helpers/sql-context.js';
import { startTestSandbox, type TestSandbox } from '../sandbox/fixture.js';
import { memoryEngine, type MemoryEngine } from '../sandbox/memory-engine.js';

let sandbox: TestSandbox;
let engine: MemoryEngine;

beforeAll(async () => {
  process.env.SNOWFLAKE_HOME = mkdtempSync(path.join(os.tmpdir(), 'baton-sfhome-'));
  engine = memoryEngine();
  sandbox = await startTestSandbox({ engine });
  process.env.BATON_SANDBOX_URL = sandbox.url;
});
afterAll(async () => {
  await sandbox?.stop();
});

const RUNBOOK = runbookOf(`---
title: SQL test
variables:
  N: { default: "1" }
---
# SQL test

## Switch role

\`\`\`sql
use role ANALYST
\`\`\`

## Load

\`\`\`sql {name=load csv=true}
insert 5;
select rows 30;
\`\`\`

## Slow

\`\`\`sql
wait 20000
\`\`\`

## Broken

\`\`\`sql
select rows 1;
fail 002003 42S02 SQL compilation error: Object 'NOPE' does not exist or not authorized.;
select rows 2
\`\`\`

## Named

\`\`\`sql
select rows {{N}}
\`\`\`
`);

describe('the sql executor', { timeout: 60_000 }, () => {
  it('runs every statement in order, records each, and keeps the session for the next step', async () => {
    const scope = testScope('run-1');
    const first = await collect(sqlExecutor.run(await contextFor(RUNBOOK, 0, { scope })));
    expect(first.result.ok).toBe(true);
    const context = await contextFor(RUNBOOK, 1, { scope });
    const { events, result } = await collect(sqlExecutor.run(context));
    expect(result.ok).toBe(true);
    // Every field reads the last statement (the SELECT); the INSERT's count is in its own record.
    expect(result.fields).toMatchObject({ rows: 30, rowcount: 30, columns: ['N', 'LABEL'], value: 1, updated: 0, error: null });
    expect((result.fields.row as Record<string, unknown>[])[2]).toEqual({ N: 3, LABEL: 'row 3' });
    expect(result.queryIds).toHaveLength(2);
    expect(events.filter((e) => e.type === 'query').map((e) => e.type === 'query' && e.queryId)).toEqual(result.queryIds);
    const statements = result.details!.statements as { kind: string; rows: number; updated?: number; queryId: string }[];
    expect(statements.map((s) => [s.kind, s.rows, s.updated])).toEqual([
      ['INSERT', 1, 5],
      ['SELECT', 30, undefined],
    ]);
    expect(result.excerpt).toMatch(/2 statements · 30 rows\nN +\| LABEL/);
    expect(result.excerpt).toMatch(/… 20 more rows/);
    // The same session: one login for both steps, and the role set in step 1 still holds.
    const open = sandbox.service.sessions.all().filter((s) => !s.closed);
    expect(open.map((s) => s.engine.role)).toEqual(['ANALYST']);
    const tag = JSON.parse(String(engine.executed.at(-1)!.parameters!.QUERY_TAG));
    expect(tag).toMatchObject({ app: 'baton', runbook: 'test-runbook', step: 'load', action: 'load/load', run: 'run-1', operator: 'tester' });
    // The full result as CSV beside the logs, and the log holds the statements and their ids.
    const csv = await readFile((result.details!.csv as string[])[1]!, 'utf8');
    expect(csv.split('\r\n').slice(0, 3)).toEqual(['N,LABEL', '1,row 1', '2,row 2']);
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(31);
    const log = await readFile(context.logFile, 'utf8');
    expect(log).toContain(`query ${result.queryIds![1]}`);
    await scope.close();
    // The run's end logs the session out.
    expect(engine.closedSessions).toContain(open[0]!.engine.id);
  });

  it('stops at the first failing statement and shows code, SQL state and query id', async () => {
    const scope = testScope();
    const before = engine.executed.length;
    const { result } = await collect(sqlExecutor.run(await contextFor(RUNBOOK, 3, { scope })));
    await scope.close();
    expect(result.ok).toBe(false);
    expect(result.error).toMatchObject({ code: '002003', sqlState: '42S02', queryId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(result.error!.message).toMatch(/^statement 2 of 3 \(FAIL\): 002003 \(42S02\): SQL compilation error: Object 'NOPE' does not exist/);
    expect(engine.executed.slice(before).map((s) => s.sql)).toHaveLength(2);
    expect(result.queryIds).toHaveLength(2);
    // `expect` reads the reason as Snowflake gave it.
    expect(result.fields.error).toEqual({ code: '002003', sqlState: '42S02', message: expect.stringMatching(/^SQL compilation error: Object 'NOPE' does not exist/) });
  });

  it('sends the statements of one action one after the other, each with its tag and nothing between them', async () => {
    const scope = testScope('run-tags');
    const before = engine.executed.length;
    const { result } = await collect(sqlExecutor.run(await contextFor(RUNBOOK, 1, { scope })));
    await scope.close();
    expect(result.ok).toBe(true);
    const sent = engine.executed.slice(before);
    // The login's own statements come first; the action's two follow with nothing in between.
    expect(sent.slice(-2).map((s) => s.sql)).toEqual(['insert 5', 'select rows 30']);
    expect(sent.filter((s) => /QUERY_TAG|alter session/i.test(s.sql))).toEqual([]);
    for (const statement of sent.slice(-2)) expect(JSON.parse(String(statement.parameters!.QUERY_TAG))).toMatchObject({ run: 'run-tags', action: 'load/load' });
  });

  it('keeps the session context in the run record, and a resumed run restores it before its first statement', async () => {
    const first = testScope('run-resume');
    await collect(sqlExecutor.run(await contextFor(RUNBOOK, 0, { scope: first })));
    // Running the same USE again changes nothing, so the record does not grow with it.
    await collect(sqlExecutor.run(await contextFor(RUNBOOK, 0, { scope: first })));
    await first.close();
    expect(first.record.get('snowflake:sandbox')).toEqual(['use role ANALYST']);

    // A new process: a new session, with the record of the first.
    const resumed = testScope('run-resume', first.record);
    const before = engine.executed.length;
    const { result, lines } = await collect(sqlExecutor.run(await contextFor(RUNBOOK, 4, { scope: resumed, variables: { N: '1' } })));
    expect(result.ok).toBe(true);
    expect(lines[0]).toBe("-- restored the run's session: use role ANALYST");
    const sent = engine.executed.slice(before).map((s) => s.sql);
    expect(sent.indexOf('use role ANALYST')).toBeGreaterThanOrEqual(0);
    expect(sent.indexOf('use role ANALYST')).toBeLessThan(sent.indexOf('select rows 1'));
    const open = sandbox.service.sessions.all().filter((s) => !s.closed);
    expect(open.map((s) => s.engine.role)).toEqual(['ANALYST']);
    await resumed.close();
  });

  it('fails the action, naming the statement, when the kept context no longer works', async () => {
    const scope = testScope('run-broken', new Map([['snowflake:sandbox', ['use role ANALYST', 'fail 003001 42501 Insufficient privileges to operate on warehouse']]]));
    const { result } = await collect(sqlExecutor.run(await contextFor(RUNBOOK, 4, { scope, variables: { N: '1' } })));
    await scope.close();
    expect(result.ok).toBe(false);
    expect(result.error!.message).toMatch(/restoring the run's session, replaying "fail 003001 .*" failed: 003001/);
    expect(result.retrySafe).toBe(true);
  });

  it('cancels a statement on the server when the attempt times out, and records it', async () => {
    const scope = testScope();
    const aborted = engine.aborted.length;
    const { result } = await collect(sqlExecutor.run(await contextFor(RUNBOOK, 2, { scope, timeoutMs: 300 })));
    await scope.close();
    expect(result).toMatchObject({ ok: false, interrupted: 'timeout' });
    expect(result.error!.message).toMatch(/cancelled on the server after its timeout/);
    await expect.poll(() => engine.aborted.length).toBeGreaterThan(aborted);
  });

  it('refuses a variable that is not a name where SQL expects one, without running anything', async () => {
    const scope = testScope();
    const before = engine.executed.length;
    const { result } = await collect(sqlExecutor.run(await contextFor(RUNBOOK, 4, { scope, variables: { N: '3; DROP TABLE y' } })));
    await scope.close();
    expect(result.ok).toBe(false);
    expect(result.error!.message).toMatch(/refused, nothing ran: \{\{N\}\} = "3; DROP TABLE y" sits where SQL expects a name or a number/);
    expect(engine.executed.length).toBe(before);
  });

  it('puts a good variable in place', async () => {
    const scope = testScope();
    const { result } = await collect(sqlExecutor.run(await contextFor(RUNBOOK, 4, { scope, variables: { N: '4' } })));
    await scope.close();
    expect(result.fields.rows).toBe(4);
  });

  it('says the sandbox is not running, and that trying again is safe', async () => {
    const saved = process.env.BATON_SANDBOX_URL;
    process.env.BATON_SANDBOX_URL = 'http://127.0.0.1:1';
    try {
      const scope = testScope();
      const { result } = await collect(sqlExecutor.run(await contextFor(RUNBOOK, 0, { scope })));
      expect(result).toMatchObject({ ok: false, retrySafe: true });
      expect(result.error!.message).toMatch(/the sandbox is not running at http:\/\/127\.0\.0\.1:1 \(\$BATON_SANDBOX_URL\): start it with `baton sandbox start`/);
    } finally {
      process.env.BATON_SANDBOX_URL = saved;
    }
  });

  it('names the known connections when the environment asks for an unknown one', async () => {
    const scope = testScope();
    const environment = { name: 'prod', protected: true, connection: 'prod_etl', variables: {} };
    const { result } = await collect(sqlExecutor.run(await contextFor(RUNBOOK, 0, { scope, environment })));
    expect(result.error!.message).toMatch(/unknown connection "prod_etl"; known: sandbox/);
  });

  it('classifies code for the guard', () => {
    expect(sqlExecutor.classify('SELECT 1; DROP TABLE t')).toEqual({ level: 'destructive', reasons: ['DROP TABLE T'] });
  });
});

// A network that fails mid-query, between the real driver and the real sandbox server: an HTTP
// relay that loses the answer to a statement the server did run. The driver sends the statement
// again with the same request id, so it runs once; with the network down for good, the action's
// timeout cancels it and the record says so.
import { mkdtempSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlExecutor } from '../../src/executors/sql.js';
import { collect, contextFor, runbookOf, testScope } from '../helpers/sql-context.js';
import { startTestSandbox, type TestSandbox } from '../sandbox/fixture.js';
import { memoryEngine, type MemoryEngine } from '../sandbox/memory-engine.js';

let sandbox: TestSandbox;
let engine: MemoryEngine;
let relay: Server;
/** Answers to statements still to be lost (the server runs them, the client never hears). */
let loseAnswers = 0;
/** Refuse every statement request outright: the network is down. */
let down = false;

beforeAll(async () => {
  process.env.SNOWFLAKE_HOME = mkdtempSync(path.join(os.tmpdir(), 'baton-sfhome-'));
  engine = memoryEngine();
  sandbox = await startTestSandbox({ engine });
  const target = new URL(sandbox.url);
  relay = createServer((incoming, outgoing) => {
    const statement = incoming.url?.startsWith('/queries/v1/query-request');
    if (statement && down) {
      incoming.socket.destroy();
      return;
    }
    const forward = request({ host: target.hostname, port: target.port, path: incoming.url, method: incoming.method, headers: incoming.headers }, (answer) => {
      if (statement && loseAnswers > 0) {
        loseAnswers--;
        answer.resume();
        answer.on('end', () => incoming.socket.destroy());
        return;
      }
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    incoming.pipe(forward);
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  process.env.BATON_SANDBOX_URL = `http://127.0.0.1:${(relay.address() as AddressInfo).port}`;
});
afterAll(async () => {
  relay?.closeAllConnections();
  await new Promise((resolve) => relay?.close(resolve));
  await sandbox?.stop();
});

const RUNBOOK = runbookOf(`---
title: Network
---
# Network

## Load

\`\`\`sql
insert 3
\`\`\`

## Count

\`\`\`sql {timeout=3s}
select rows 2
\`\`\`
`);

describe('a network failure mid-query', { timeout: 60_000 }, () => {
  it('does not run a write twice when its answer is lost: the driver resends the same request id', async () => {
    const scope = testScope();
    const before = engine.executed.filter((s) => s.sql === 'insert 3').length;
    loseAnswers = 1;
    const { result } = await collect(sqlExecutor.run(await contextFor(RUNBOOK, 0, { scope })));
    await scope.close();
    expect(loseAnswers).toBe(0);
    expect(result).toMatchObject({ ok: true, fields: { updated: 3 } });
    expect(engine.executed.filter((s) => s.sql === 'insert 3').length - before).toBe(1);
  });

  it('gives up when the network stays down past the action’s timeout, and records why', async () => {
    const scope = testScope();
    const context = await contextFor(RUNBOOK, 1, { scope, timeoutMs: 1000 });
    // Log in while the network works, then lose it.
    await sqlExecutor.describeTarget!(context).catch(() => undefined);
    down = true;
    try {
      const { result } = await collect(sqlExecutor.run(context));
      expect(result).toMatchObject({ ok: false, interrupted: 'timeout' });
      expect(result.error!.message).toMatch(/cancelled on the server after its timeout/);
    } finally {
      down = false;
      await scope.close();
    }
  }, 20_000);
});

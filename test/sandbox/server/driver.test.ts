// The wire protocol through the real snowflake-sdk, on the memory engine at the seam.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, destroy, run } from '../driver.js';
import { startTestSandbox, type TestSandbox } from '../fixture.js';
import { memoryEngine, type MemoryEngine } from '../memory-engine.js';

function keyPair(): { publicKey: string; privateKey: string } {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

const registered = keyPair();
const stranger = keyPair();
/** ALTER USER … SET RSA_PUBLIC_KEY takes the base64 body without the PEM armour. */
const registeredBody = registered.publicKey.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');

let sandbox: TestSandbox;
let engine: MemoryEngine;

beforeAll(async () => {
  engine = memoryEngine([
    { name: 'KEYPAIR_USER', rsaPublicKeys: [registeredBody] },
    { name: 'SERVICE_USER', tokens: ['oauth-access-token', 'pat-secret'] },
    { name: 'GONE_USER', password: 'x', disabled: true },
  ]);
  // 10,000 rows of two columns per chunk, so 100,000 rows make several chunks.
  sandbox = await startTestSandbox({ engine, chunkValues: 20_000 });
});

afterAll(async () => {
  await sandbox.stop();
});

describe('login', () => {
  it('accepts the default password and reports the session names', async () => {
    const connection = await connect(sandbox.url);
    const { rows, statement } = await run(connection, 'use role SYSADMIN');
    expect(rows[0]).toEqual({ status: 'Statement executed successfully.' });
    const state = statement.getSessionState() as { getCurrentRole(): string; getCurrentWarehouse(): string };
    expect(state.getCurrentRole()).toBe('SYSADMIN');
    expect(state.getCurrentWarehouse()).toBe('COMPUTE_WH');
    await destroy(connection);
  });

  it('refuses a wrong password with 390100', async () => {
    await expect(connect(sandbox.url, { password: 'wrong' })).rejects.toMatchObject({ code: '390100' });
  });

  it('refuses a disabled user', async () => {
    await expect(connect(sandbox.url, { username: 'gone_user', password: 'x' })).rejects.toMatchObject({ code: '390102' });
  });

  it('passes an engine refusal of the role through', async () => {
    await expect(connect(sandbox.url, { role: 'NOT_GRANTED' })).rejects.toMatchObject({ code: '390189' });
  });

  it('accepts a key pair whose public key is registered', async () => {
    const connection = await connect(sandbox.url, { username: 'keypair_user', authenticator: 'SNOWFLAKE_JWT', privateKey: registered.privateKey, password: undefined });
    const { error } = await run(connection, 'select rows 1');
    expect(error).toBeUndefined();
    await destroy(connection);
  });

  it('refuses a key pair whose public key is not registered', async () => {
    await expect(
      connect(sandbox.url, { username: 'keypair_user', authenticator: 'SNOWFLAKE_JWT', privateKey: stranger.privateKey, password: undefined }),
    ).rejects.toMatchObject({ code: '390144' });
    expect(sandbox.logLines.some((line) => line.includes('KEYPAIR_USER'.toLowerCase()) || line.includes('fingerprint'))).toBe(true);
  });

  it('accepts OAuth and programmatic access tokens registered for the user, and refuses others', async () => {
    const oauth = await connect(sandbox.url, { username: 'service_user', authenticator: 'OAUTH', token: 'oauth-access-token', password: undefined });
    await destroy(oauth);
    const pat = await connect(sandbox.url, { username: 'service_user', authenticator: 'PROGRAMMATIC_ACCESS_TOKEN', token: 'pat-secret', password: undefined });
    await destroy(pat);
    await expect(connect(sandbox.url, { username: 'service_user', authenticator: 'OAUTH', token: 'forged', password: undefined })).rejects.toMatchObject({
      code: '390303',
    });
  });
});

describe('results', () => {
  it('round-trips every wire type into the JavaScript value the driver makes of it', async () => {
    const connection = await connect(sandbox.url);
    const { rows, error } = await run(connection, 'select all types');
    expect(error).toBeUndefined();
    const row = rows[0]!;
    expect(row.FIXED).toBe(123.45);
    expect(row.REAL).toBe(1.5);
    expect(row.TEXT).toBe('héllo, wörld');
    expect(row.BOOL).toBe(true);
    expect((row.DATE as Date).toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect(row.TIME).toBe('12:34:56');
    expect((row.NTZ as Date).toISOString()).toBe('2024-01-01T12:34:56.789Z');
    expect((row.LTZ as Date).toISOString()).toBe('2024-01-01T12:34:56.789Z');
    expect((row.TZ as Date).getTime()).toBe(Date.UTC(2024, 0, 1, 12, 34, 56, 789));
    expect(row.VARIANT).toEqual({ a: [1, 2] });
    expect(row.OBJECT).toEqual({ k: 'v' });
    expect(row.ARRAY).toEqual([1, 'x']);
    expect(Buffer.isBuffer(row.BINARY) && (row.BINARY as Buffer).toString('hex')).toBe('deadbeef');
    expect(row.NOTHING).toBeNull();
    // Formats come from each answer's parameters: the driver renders dates with DATE_OUTPUT_FORMAT.
    expect(JSON.stringify(row.DATE)).toBe('"2024-01-01"');
    await destroy(connection);
  });

  it('gives BigInt integers when the connection asks for them at login', async () => {
    const connection = await connect(sandbox.url, { jsTreatIntegerAsBigInt: true });
    const { rows } = await run(connection, 'select rows 1');
    expect(typeof rows[0]!.N).not.toBe('number');
    expect(BigInt(String(rows[0]!.N))).toBe(1n);
    await destroy(connection);
  });

  it('reports updated rows from the statement type', async () => {
    const connection = await connect(sandbox.url);
    const { statement } = await run(connection, 'insert 7');
    expect(statement.getNumUpdatedRows()).toBe(7);
    await destroy(connection);
  });

  it('streams 100,000 rows in chunks', async () => {
    const connection = await connect(sandbox.url);
    const before = sandbox.requests.length;
    const statement = connection.execute({ sqlText: 'select rows 100000', streamResult: true });
    let count = 0;
    let last: Record<string, unknown> | undefined;
    for await (const row of statement.streamRows()) {
      count++;
      last = row as Record<string, unknown>;
    }
    expect(count).toBe(100_000);
    expect(last).toEqual({ N: 100_000, LABEL: 'row 100000' });
    // Chunks are fetched from the same server, not as part of the first answer.
    expect(sandbox.requests.slice(before).filter((request) => request.includes('/chunks/')).length).toBe(9);
    await destroy(connection);
  });
});

describe('errors', () => {
  it('carry code, SQL state and query id, and are not re-run by the driver', async () => {
    const connection = await connect(sandbox.url);
    const before = engine.executed.length;
    const { error, statement } = await run(connection, 'fail 002003 42S02 SQL compilation error: Object does not exist');
    expect(error).toMatchObject({ code: '002003', sqlState: '42S02', message: 'SQL compilation error: Object does not exist' });
    expect(statement.getQueryId()).toMatch(/^[0-9a-f-]{36}$/);
    expect(engine.executed.length - before).toBe(1);
    await destroy(connection);
  });

  it('turn an engine fault into an internal error with a query id, logged for the operator', async () => {
    const connection = await connect(sandbox.url);
    const { error, statement } = await run(connection, 'crash');
    expect(error).toMatchObject({ code: '000603', sqlState: 'XX000' });
    expect(statement.getQueryId()).toBeTruthy();
    expect(sandbox.logLines.some((line) => line.includes('the engine fell over'))).toBe(true);
    await destroy(connection);
  });

  it('refuse an empty statement', async () => {
    const connection = await connect(sandbox.url);
    const { error } = await run(connection, '   ');
    expect(error).toMatchObject({ code: '000900', sqlState: '42000' });
    await destroy(connection);
  });
});

describe('binds', () => {
  it('reach the engine as the driver typed them', async () => {
    const connection = await connect(sandbox.url);
    const { rows } = await run(connection, 'select binds', { binds: [42, 1.5, 'text', true, null] });
    expect(rows[0]).toEqual({ B1: 'FIXED:"42"', B2: 'REAL:"1.5"', B3: 'TEXT:"text"', B4: 'BOOLEAN:"true"', B5: 'TEXT:null' });
    await destroy(connection);
  });

  it('pass array binds as columns of values', async () => {
    const connection = await connect(sandbox.url);
    const { rows } = await run(connection, 'select binds', { binds: [[1, 'a'], [2, 'b']] });
    expect(rows[0]).toEqual({ B1: 'FIXED:["1","2"]', B2: 'TEXT:["a","b"]' });
    await destroy(connection);
  });
});

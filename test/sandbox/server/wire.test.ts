// The wire rules the driver depends on but does not show: checked on raw HTTP.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../fixture.js';
import { memoryEngine, type MemoryEngine } from '../memory-engine.js';

let sandbox: TestSandbox;
let engine: MemoryEngine;

beforeAll(async () => {
  engine = memoryEngine();
  sandbox = await startTestSandbox({ engine, chunkValues: 1000 });
});

afterAll(async () => {
  await sandbox.stop();
});

interface Answer {
  status: number;
  headers: Headers;
  body: { success: boolean; code: string | null; message: string | null; data: Record<string, any> };
}

async function post(path: string, body: unknown, token?: string, raw?: Buffer): Promise<Answer> {
  const response = await fetch(sandbox.url + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Snowflake Token="${token}"` } : {}) },
    body: raw ?? JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Answer['body'] };
}

async function get(path: string, token: string): Promise<Answer> {
  const response = await fetch(sandbox.url + path, { headers: { Authorization: `Snowflake Token="${token}"` } });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Answer['body'] };
}

const loginBody = { data: { ACCOUNT_NAME: 'sandbox', LOGIN_NAME: 'operator', PASSWORD: 'sandbox', CLIENT_APP_ID: 'JavaScript' } };

async function login(): Promise<string> {
  const { body } = await post('/session/v1/login-request?requestId=1', loginBody);
  return body.data.token as string;
}

describe('transport', () => {
  it('reads a gzip body by its magic bytes, whatever the headers say', async () => {
    const answer = await post('/session/v1/login-request', undefined, undefined, gzipSync(JSON.stringify(loginBody)));
    expect(answer.body.success).toBe(true);
    expect(answer.body.data.token).toBeTruthy();
  });

  it('answers failures with HTTP 200, a JSON content type, a string code and a SQL state', async () => {
    const answer = await post('/session/v1/login-request', { data: { ...loginBody.data, PASSWORD: 'no' } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toContain('application/json');
    expect(answer.body).toMatchObject({ success: false, code: '390100', data: { sqlState: '08004' } });
    const unknown = await post('/nowhere', {});
    expect(unknown.status).toBe(200);
    expect(unknown.body).toMatchObject({ success: false, code: '390400' });
  });

  it('keeps idle connections longer than the driver does', async () => {
    const answer = await post('/session/v1/login-request', loginBody);
    expect(answer.headers.get('keep-alive')).toBe('timeout=65');
  });

  it('refuses a request without a valid session token with 390104', async () => {
    const answer = await post('/queries/v1/query-request', { sqlText: 'select rows 1' }, 'made-up');
    expect(answer.body).toMatchObject({ success: false, code: '390104' });
  });

  it('accepts telemetry', async () => {
    const token = await login();
    const answer = await post('/telemetry/send', { logs: [{ timestamp: 1, message: { type: 'client_connection_identifier_shape' } }] }, token);
    expect(answer.body).toMatchObject({ success: true });
  });

  it('says what it is at /sandbox/status', async () => {
    const response = await fetch(`${sandbox.url}/sandbox/status`);
    const status = (await response.json()) as Record<string, any>;
    expect(status).toMatchObject({ product: 'baton-sandbox', account: 'sandbox', url: sandbox.url, pid: process.pid });
    expect(status.services).toEqual([{ name: 'snowflake', prefix: '/', state: 'up' }]);
  });
});

describe('login answer', () => {
  it('sets a stage-binding threshold no bind reaches, and the token validities', async () => {
    const { body } = await post('/session/v1/login-request', loginBody);
    const parameters = new Map((body.data.parameters as { name: string; value: unknown }[]).map(({ name, value }) => [name, value]));
    expect(parameters.get('CLIENT_STAGE_ARRAY_BINDING_THRESHOLD')).toBeGreaterThanOrEqual(2 ** 31 - 1);
    expect(body.data).toMatchObject({ validityInSeconds: 3600, masterValidityInSeconds: 14400 });
    expect(body.data.masterToken).toBeTruthy();
    expect(body.data.sessionInfo).toMatchObject({ roleName: 'ACCOUNTADMIN', warehouseName: 'COMPUTE_WH' });
  });
});

describe('query answer', () => {
  it('carries the formats, statement type and the session names', async () => {
    const token = await login();
    const { body } = await post('/queries/v1/query-request?requestId=q1', { sqlText: 'insert 2' }, token);
    const names = (body.data.parameters as { name: string }[]).map(({ name }) => name);
    expect(names).toEqual(expect.arrayContaining(['TIMEZONE', 'DATE_OUTPUT_FORMAT', 'TIME_OUTPUT_FORMAT', 'TIMESTAMP_OUTPUT_FORMAT', 'TIMESTAMP_NTZ_OUTPUT_FORMAT', 'BINARY_OUTPUT_FORMAT']));
    expect(body.data).toMatchObject({ statementTypeId: 0x3100, returned: 1, total: 1, finalRoleName: 'ACCOUNTADMIN', finalWarehouseName: 'COMPUTE_WH' });
    expect(body.data.queryId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a retried request id with the query it already ran', async () => {
    const token = await login();
    const before = engine.executed.length;
    const first = await post('/queries/v1/query-request?requestId=same', { sqlText: 'insert 5' }, token);
    const again = await post('/queries/v1/query-request?requestId=same&retryCount=1', { sqlText: 'insert 5' }, token);
    expect(again.body.data.queryId).toBe(first.body.data.queryId);
    expect(engine.executed.length - before).toBe(1);
  });

  it('cancels a query whose cancel arrived before it', async () => {
    const token = await login();
    await post('/queries/v1/abort-request', { requestId: 'early' }, token);
    const answer = await post('/queries/v1/query-request?requestId=early', { sqlText: 'wait 60000' }, token);
    expect(answer.body).toMatchObject({ success: false, code: '000604', data: { sqlState: '57014' } });
  });

  it('keeps results by query id, for the same user only', async () => {
    const token = await login();
    const first = await post('/queries/v1/query-request', { sqlText: 'select rows 3' }, token);
    const again = await get(`/queries/${first.body.data.queryId}/result`, token);
    expect(again.body.data.rowset).toEqual(first.body.data.rowset);
    const missing = await get('/queries/00000000-0000-0000-0000-000000000000/result', token);
    expect(missing.body).toMatchObject({ success: false, code: '000709', data: { sqlState: '02000' } });
  });
});

describe('chunks', () => {
  it('are served without the session token, as comma-joined rows that are not JSON-typed', async () => {
    const token = await login();
    // 1000 values per chunk with two columns: 500 rows inline, then chunks of 500.
    const { body } = await post('/queries/v1/query-request', { sqlText: 'select rows 1200' }, token);
    expect(body.data.rowset).toHaveLength(500);
    expect(body.data.returned).toBe(1200);
    const chunks = body.data.chunks as { url: string; rowCount: number }[];
    expect(chunks.map((chunk) => chunk.rowCount)).toEqual([500, 200]);
    const response = await fetch(chunks[1]!.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).not.toContain('json');
    const text = await response.text();
    expect(text.startsWith('["1001","row 1001"],["1002"')).toBe(true);
    expect(JSON.parse(`[${text}]`)).toHaveLength(200);
  });

  it('are refused with a wrong key', async () => {
    const token = await login();
    const { body } = await post('/queries/v1/query-request', { sqlText: 'select rows 1200' }, token);
    const url = new URL((body.data.chunks as { url: string }[])[0]!.url);
    url.searchParams.set('key', 'guessed');
    expect((await fetch(url)).status).toBe(404);
  });
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { probeSandbox, STATUS_PATH } from '../../src/sandbox/probe.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** An HTTP server on a free port that answers with `handle`; its URL. */
async function serve(handle: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handle);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('probeSandbox', () => {
  it('answers with the status a baton sandbox gives at its status path', async () => {
    const status = { product: 'baton-sandbox', version: '0.1.0', pid: 42, url: 'x', dataDir: '/d', account: 'sandbox', startedAt: 'now', services: [] };
    const url = await serve((request, response) => {
      if (request.url !== STATUS_PATH) return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(status));
    });
    expect(await probeSandbox(url)).toEqual(status);
  });

  it('is undefined for something else answering, an error page, a silent server or nothing at all', async () => {
    const other = await serve((_request, response) => response.writeHead(200).end(JSON.stringify({ product: 'something-else' })));
    const notJson = await serve((_request, response) => response.writeHead(200).end('<html>'));
    const missing = await serve((_request, response) => response.writeHead(404).end('{}'));
    const silent = await serve(() => undefined);
    expect(await probeSandbox(other)).toBeUndefined();
    expect(await probeSandbox(notJson)).toBeUndefined();
    expect(await probeSandbox(missing)).toBeUndefined();
    expect(await probeSandbox(silent, 200)).toBeUndefined();
    expect(await probeSandbox('http://127.0.0.1:1')).toBeUndefined();
    expect(await probeSandbox('not a url')).toBeUndefined();
  });
});

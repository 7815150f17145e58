// Small pieces of HTTP both scheduler fakes need: reading a body, answering JSON or text.
import type { IncomingMessage, ServerResponse } from 'node:http';

const MAX_BODY = 20 * 1024 * 1024;

/** The whole request body; rejects bodies over 20 MB. */
export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('request body over 20 MB');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Answer with a JSON body. */
export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/** Answer with a plain-text body. */
export function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/** The request's path after the service's prefix, and its query. */
export function routeOf(request: IncomingMessage, prefix: string): { path: string; query: URLSearchParams } {
  const url = new URL(request.url ?? '/', 'http://sandbox');
  const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) || '/' : url.pathname;
  return { path, query: url.searchParams };
}

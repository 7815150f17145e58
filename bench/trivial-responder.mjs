// The baseline for the sandbox benchmarks: the least a server can do and still satisfy
// snowflake-sdk — hard-coded answers, no engine, no bookkeeping. Run as its own process; prints
// its URL. `ROWS n` answers n rows of (N, LABEL) inline; anything else answers one row.
// Plain JavaScript so it starts under bare `node`, as fast as a server can: a fair start-up baseline.
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';

const columns = [
  { name: 'N', type: 'fixed', precision: 38, scale: 0, nullable: false },
  { name: 'LABEL', type: 'text', precision: null, scale: null, nullable: false },
];
const parameters = [
  { name: 'TIMEZONE', value: 'UTC' },
  { name: 'BINARY_OUTPUT_FORMAT', value: 'HEX' },
];

function answer(body) {
  return JSON.stringify(body);
}

const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const path = (request.url ?? '').split('?')[0];
    let body = { success: true, code: null, message: null, data: null };
    if (path === '/session/v1/login-request') {
      body = { success: true, data: { token: 'T', masterToken: 'M', validityInSeconds: 3600, masterValidityInSeconds: 14400, sessionId: 1, parameters } };
    } else if (path === '/queries/v1/query-request') {
      const sql = String(JSON.parse(Buffer.concat(chunks).toString() || '{}').sqlText ?? '');
      const count = /^ROWS (\d+)$/i.exec(sql.trim()) ? Number(sql.trim().slice(5)) : 1;
      const rowset = [];
      for (let i = 1; i <= count; i++) rowset.push([String(i), `row ${i}`]);
      body = { success: true, data: { rowtype: columns, rowset, returned: count, total: count, queryId: randomUUID(), parameters, statementTypeId: 4096, version: 1 } };
    }
    const text = answer(body);
    response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    response.end(text);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening on http://127.0.0.1:${address.port}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));

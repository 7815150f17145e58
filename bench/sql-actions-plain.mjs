// The baseline for bench/sql-actions.ts: the same statements through snowflake-sdk with nothing
// around them — import the quiet driver, log in, run each statement, log out. Plain JavaScript,
// run under bare node, so it pays no more start-up than it must.
// Usage: node bench/sql-actions-plain.mjs <url> <statements-file>
import { readFileSync } from 'node:fs';

process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION = 'true';
process.env.SF_TELEMETRY_DISABLE_CONNECTION_SHAPE = '1';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const [url, file] = process.argv.slice(2);
const statements = readFileSync(file, 'utf8').split('\n').filter(Boolean);
const module = await import('snowflake-sdk');
const sdk = module.default ?? module;
sdk.configure({ logLevel: 'ERROR' });
const connection = sdk.createConnection({ account: 'sandbox', username: 'OPERATOR', password: 'sandbox', accessUrl: url });
await new Promise((resolve, reject) => connection.connect((error) => (error ? reject(error) : resolve())));
let rows = 0;
for (const sqlText of statements) {
  rows += await new Promise((resolve, reject) =>
    connection.execute({ sqlText, complete: (error, _statement, result) => (error ? reject(error) : resolve(result?.length ?? 0)) }),
  );
}
await new Promise((resolve) => connection.destroy(resolve));
if (rows !== statements.length) throw new Error(`expected ${statements.length} rows, got ${rows}`);

// SYSTEM$SEND_EMAIL sends nothing: it checks the integration and recipients, records the message
// in NOTIFICATION_HISTORY and leaves it in the data folder's outbox for a trainee to read.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectFailure, objects, openFixture, type EngineFixture } from './engine-fixture.js';

let db: EngineFixture;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'baton-mail-'));
  db = await openFixture({ dataDir });
  await db.run("CREATE NOTIFICATION INTEGRATION IF NOT EXISTS NI_OPS TYPE = EMAIL ENABLED = TRUE ALLOWED_RECIPIENTS = ('oncall@example.com') COMMENT = 'on-call'");
  await db.run('GRANT USAGE ON INTEGRATION NI_OPS TO ROLE SYSADMIN');
});

afterAll(async () => {
  await db.close();
  await rm(dataDir, { recursive: true, force: true });
});

it('answers TRUE, records the message and writes it to the outbox; refuses a recipient not allowed', async () => {
  const sent = await db.run("CALL SYSTEM$SEND_EMAIL('NI_OPS', 'oncall@example.com', 'Stale orders', 'RAW.ORDERS has not loaded for 26 hours.', 'text/plain')");
  expect(objects(sent)).toEqual([{ SYSTEM$SEND_EMAIL: '1' }]);
  const [row] = objects(await db.run('SELECT INTEGRATION_NAME, MESSAGE:subject::STRING AS SUBJECT, STATUS FROM TABLE(SNOWFLAKE.INFORMATION_SCHEMA.NOTIFICATION_HISTORY())'));
  expect(row).toEqual({ INTEGRATION_NAME: 'NI_OPS', SUBJECT: 'Stale orders', STATUS: 'SUCCESS' });
  const files = await readdir(join(dataDir, 'outbox'));
  expect(files).toHaveLength(1);
  const mail = await readFile(join(dataDir, 'outbox', files[0]!), 'utf8');
  expect(mail).toContain('To: oncall@example.com\r\nSubject: Stale orders\r\n');
  expect(mail.endsWith('RAW.ORDERS has not loaded for 26 hours.\r\n')).toBe(true);
  await expectFailure(db.run("CALL SYSTEM$SEND_EMAIL('NI_OPS', 'someone@else.com', 's', 'b')"), '394209', '22023', /not allowed/);
  expect(await readdir(join(dataDir, 'outbox'))).toHaveLength(1);
});

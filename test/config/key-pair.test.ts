// Key-pair login end to end: a connections.toml written here, an RSA key made with node:crypto
// (encrypted with a passphrase), the real driver signing its JWT, the sandbox server checking it.
import { generateKeyPairSync } from 'node:crypto';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConnections, resolveConnection } from '../../src/config/connections.js';
import { SnowflakeSession } from '../../src/snowflake/session.js';
import { startTestSandbox, type TestSandbox } from '../sandbox/fixture.js';
import { memoryEngine } from '../sandbox/memory-engine.js';

let sandbox: TestSandbox;
let home: string;
const registered = generateKeyPairSync('rsa', { modulusLength: 2048 });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });

beforeAll(async () => {
  const publicPem = registered.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  sandbox = await startTestSandbox({ engine: memoryEngine([{ name: 'SVC_ETL', rsaPublicKeys: [publicPem] }]) });
  home = await mkdtemp(path.join(os.tmpdir(), 'baton-keypair-'));
  const key = (name: string, pair: typeof registered) =>
    writeFile(path.join(home, name), pair.privateKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'correct horse' }));
  await key('svc_etl.p8', registered);
  await key('stranger.p8', stranger);
  const url = new URL(sandbox.url);
  const connection = (name: string, file: string) =>
    `[${name}]\naccount = "sandbox"\nuser = "SVC_ETL"\nauthenticator = "SNOWFLAKE_JWT"\nprivate_key_file = "${path.join(home, file)}"\nprivate_key_file_pwd = "correct horse"\nhost = "${url.hostname}"\nport = ${url.port}\nprotocol = "http"\n`;
  await writeFile(path.join(home, 'connections.toml'), connection('etl', 'svc_etl.p8') + connection('wrong_key', 'stranger.p8'));
  await chmod(path.join(home, 'connections.toml'), 0o600);
});
afterAll(async () => {
  await sandbox?.stop();
});

describe('key-pair connections', { timeout: 60_000 }, () => {
  it('logs in with the encrypted key named in connections.toml', async () => {
    const catalog = await readConnections({ env: { SNOWFLAKE_HOME: home } });
    const session = await SnowflakeSession.open(resolveConnection(catalog, 'etl'));
    try {
      expect(session.summary).toMatch(/^account sandbox, user SVC_ETL, key pair, at http:\/\/127\.0\.0\.1:\d+$/);
      expect((await session.execute('select rows 2')).rows).toBe(2);
    } finally {
      await session.close();
    }
  });

  it('says the key was refused, with the fingerprint to compare, when the key is not registered', async () => {
    const catalog = await readConnections({ env: { SNOWFLAKE_HOME: home } });
    const error = await SnowflakeSession.open(resolveConnection(catalog, 'wrong_key')).catch((e: Error) => e);
    expect(String(error)).toMatch(/connection wrong_key: login refused .*390144.*register the public key with ALTER USER … SET RSA_PUBLIC_KEY.*this key's fingerprint: SHA256:[A-Za-z0-9+/=]+/);
  });

  it('names the passphrase’s source when it is wrong', async () => {
    const catalog = await readConnections({ env: { SNOWFLAKE_HOME: home, PRIVATE_KEY_PASSPHRASE: 'battery staple' } });
    await expect(SnowflakeSession.open(resolveConnection(catalog, 'etl'))).rejects.toThrow(/wrong passphrase for private key file .*svc_etl\.p8 \(passphrase from \$PRIVATE_KEY_PASSPHRASE\)/);
  });
});

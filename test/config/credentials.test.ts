import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Connection } from '../../src/config/connections.js';
import { driverLogin, tokenExpiry } from '../../src/config/credentials.js';

const connection = (settings: Connection['settings']): Connection => ({
  name: 'prod_etl',
  settings,
  origins: Object.fromEntries(Object.keys(settings).map((k) => [k, '/home/op/.snowflake/connections.toml'])),
  definedIn: '/home/op/.snowflake/connections.toml',
});

async function keyFiles() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'baton-key-'));
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const plain = path.join(dir, 'plain.p8');
  const encrypted = path.join(dir, 'encrypted.p8');
  await writeFile(plain, privateKey.export({ format: 'pem', type: 'pkcs8' }));
  await writeFile(encrypted, privateKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'open sesame' }));
  const fingerprint = `SHA256:${createHash('sha256').update(publicKey.export({ format: 'der', type: 'spki' })).digest('base64')}`;
  return { dir, plain, encrypted, fingerprint };
}

const jwt = (exp: number) => `e30.${Buffer.from(JSON.stringify({ exp })).toString('base64url')}.sig`;

describe('driver options from a connection', () => {
  it('maps the TOML keys to snowflake-sdk options and keeps the password out of the summary', async () => {
    const login = await driverLogin(connection({ account: 'acme-prod', user: 'ME', password: 'hunter2', role: 'R', warehouse: 'W', database: 'D', schema: 'S' }));
    expect(login.options).toEqual({
      account: 'acme-prod',
      application: 'baton',
      authenticator: 'SNOWFLAKE',
      username: 'ME',
      password: 'hunter2',
      role: 'R',
      warehouse: 'W',
      database: 'D',
      schema: 'S',
    });
    expect(login.summary).toBe('account acme-prod, user ME, password');
    expect(login.secrets).toEqual(['hunter2']);
  });

  it('builds the address from host, port and protocol', async () => {
    const login = await driverLogin(connection({ account: 'sandbox', user: 'U', password: 'p', host: '127.0.0.1', port: 8085, protocol: 'http' }));
    expect(login.options.accessUrl).toBe('http://127.0.0.1:8085');
  });

  it('decrypts an encrypted key with its passphrase and hands the driver a plain PKCS#8 key', async () => {
    const keys = await keyFiles();
    const login = await driverLogin(connection({ account: 'a', user: 'U', authenticator: 'snowflake_jwt', private_key_file: keys.encrypted, private_key_file_pwd: 'open sesame' }));
    expect(login.authenticator).toBe('SNOWFLAKE_JWT');
    expect(String(login.options.privateKey)).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(login.options).not.toHaveProperty('privateKeyPass');
    expect(login.publicKeyFingerprint).toBe(keys.fingerprint);
    expect(login.secrets).toContain(login.options.privateKey);
    expect(login.summary).not.toMatch(/open sesame/);
  });

  it('infers a key-pair login from private_key_path alone', async () => {
    const keys = await keyFiles();
    const login = await driverLogin(connection({ account: 'a', user: 'U', private_key_path: keys.plain }));
    expect(login.authenticator).toBe('SNOWFLAKE_JWT');
    expect(createPublicKey(String(login.options.privateKey)).asymmetricKeyType).toBe('rsa');
  });

  it.each([
    ['a missing key file', async () => ({ private_key_file: '/nowhere/key.p8' }), /private key file \/nowhere\/key\.p8 does not exist \(private_key_file from .*connections\.toml\)/],
    ['a wrong passphrase', async () => ({ private_key_file: (await keyFiles()).encrypted, private_key_file_pwd: 'wrong' }), /wrong passphrase for private key file .*encrypted\.p8/],
    ['no passphrase for an encrypted key', async () => ({ private_key_file: (await keyFiles()).encrypted }), /is encrypted: set \$PRIVATE_KEY_PASSPHRASE or private_key_file_pwd/],
    ['no password', async () => ({}), /uses password authentication but has no password/],
    ['an unknown authenticator', async () => ({ authenticator: 'kerberos' }), /unknown authenticator "kerberos".*use one of SNOWFLAKE, SNOWFLAKE_JWT/],
    ['an expired OAuth token', async () => ({ authenticator: 'oauth', token: jwt(Math.floor(Date.now() / 1000) - 60) }), /the token \(from .*\) expired at \d{4}-/],
  ])('refuses %s with a message saying what to do', async (_, settings, message) => {
    await expect(driverLogin(connection({ account: 'a', user: 'U', ...(await settings()) }))).rejects.toThrow(message);
  });

  it('reads an OAuth token from token_file_path and a programmatic access token from token', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'baton-token-'));
    const file = path.join(dir, 'token');
    await writeFile(file, 'opaque-token-value\n');
    const oauth = await driverLogin(connection({ account: 'a', authenticator: 'OAUTH', token_file_path: file }));
    expect(oauth.options).toMatchObject({ authenticator: 'OAUTH', token: 'opaque-token-value' });
    const pat = await driverLogin(connection({ account: 'a', user: 'U', authenticator: 'programmatic_access_token', token: 'pat-1' }));
    expect(pat.options).toMatchObject({ authenticator: 'PROGRAMMATIC_ACCESS_TOKEN', token: 'pat-1' });
    expect(pat.secrets).toEqual(['pat-1']);
  });

  it('asks for the browser for external browser logins', async () => {
    const login = await driverLogin(connection({ account: 'a', user: 'U', authenticator: 'externalbrowser' }));
    expect(login.needsBrowser).toBe(true);
    expect(login.options).not.toHaveProperty('password');
  });

  it('reads the expiry of JWT-shaped tokens in seconds or milliseconds, and none from opaque ones', () => {
    expect(tokenExpiry(jwt(2_000_000_000))?.toISOString()).toBe('2033-05-18T03:33:20.000Z');
    expect(tokenExpiry(jwt(2_000_000_000_000))?.toISOString()).toBe('2033-05-18T03:33:20.000Z');
    expect(tokenExpiry('opaque')).toBeUndefined();
  });
});

describe('the built-in sandbox login', () => {
  it('is not treated as a secret, so output mentioning the sandbox is not masked', async () => {
    const { builtInSandbox } = await import('../../src/config/connections.js');
    const login = await driverLogin(builtInSandbox(), 'http://127.0.0.1:8085');
    expect(login.options).toMatchObject({ username: 'OPERATOR', password: 'sandbox', accessUrl: 'http://127.0.0.1:8085' });
    expect(login.secrets).toEqual([]);
  });

  it('masks a password given for the sandbox by a variable', async () => {
    const { builtInSandbox } = await import('../../src/config/connections.js');
    const login = await driverLogin(builtInSandbox({ SNOWFLAKE_USER: 'ETL', SNOWFLAKE_PASSWORD: 'etl-night-pw' }), 'http://127.0.0.1:8085');
    expect(login.options).toMatchObject({ username: 'ETL', password: 'etl-night-pw' });
    expect(login.options.role).toBeUndefined();
    expect(login.secrets).toEqual(['etl-night-pw']);
  });
});

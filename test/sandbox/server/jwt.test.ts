import { createPublicKey, createSign, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkKeyPairToken, publicKeyFingerprint } from '../../../src/sandbox/server/jwt.js';

const { publicKey, privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const fingerprint = publicKeyFingerprint(createPublicKey(publicKey));
const now = 1_750_000_000_000;

function sign(payload: Record<string, unknown>, header: Record<string, unknown> = { alg: 'RS256', typ: 'JWT' }): string {
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const body = `${encode(header)}.${encode(payload)}`;
  const signature = createSign('RSA-SHA256').update(body).sign(privateKey).toString('base64url');
  return `${body}.${signature}`;
}

/** The claims this driver writes: times in milliseconds, two minutes apart. */
function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { iss: `SANDBOX.ETL_SVC.${fingerprint}`, sub: 'SANDBOX.ETL_SVC', iat: now, exp: now + 120_000, ...overrides };
}

describe('key-pair login token', () => {
  it('is accepted when signed by a registered key, with times in milliseconds', () => {
    expect(checkKeyPairToken(sign(claims()), 'sandbox', 'etl_svc', [publicKey], now)).toEqual({ ok: true });
  });

  it('finds the key by fingerprint among the user key slots, PEM or bare base64', () => {
    const other = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    }).publicKey;
    const bare = publicKey.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    expect(checkKeyPairToken(sign(claims()), 'sandbox', 'ETL_SVC', [other, bare], now)).toEqual({ ok: true });
    expect(checkKeyPairToken(sign(claims()), 'sandbox', 'ETL_SVC', [other], now)).toEqual({ ok: false, reason: 'unknown-key' });
    expect(checkKeyPairToken(sign(claims()), 'sandbox', 'ETL_SVC', [], now)).toEqual({ ok: false, reason: 'no-key' });
  });

  it('is refused when expired, even though seconds-based checks would pass it', () => {
    const stale = claims({ iat: now - 10 * 60_000, exp: now - 8 * 60_000 });
    expect(checkKeyPairToken(sign(stale), 'sandbox', 'ETL_SVC', [publicKey], now)).toEqual({ ok: false, reason: 'expired' });
  });

  it('is refused when issued in the future or living over an hour', () => {
    expect(checkKeyPairToken(sign(claims({ iat: now + 5 * 60_000, exp: now + 7 * 60_000 })), 'sandbox', 'ETL_SVC', [publicKey], now)).toMatchObject({
      reason: 'issued-in-future',
    });
    expect(checkKeyPairToken(sign(claims({ exp: now + 2 * 3600_000 })), 'sandbox', 'ETL_SVC', [publicKey], now)).toMatchObject({ reason: 'lifetime' });
  });

  it('is refused for another user or account, or with a fingerprint of another key', () => {
    expect(checkKeyPairToken(sign(claims()), 'sandbox', 'OPERATOR', [publicKey], now)).toMatchObject({ reason: 'subject' });
    expect(checkKeyPairToken(sign(claims()), 'prod', 'ETL_SVC', [publicKey], now)).toMatchObject({ reason: 'subject' });
    expect(checkKeyPairToken(sign(claims({ iss: 'SANDBOX.OTHER.' + fingerprint })), 'sandbox', 'ETL_SVC', [publicKey], now)).toMatchObject({
      reason: 'issuer',
    });
  });

  it('is refused when the signature does not match or the algorithm is not RS256', () => {
    const token = sign(claims());
    const [header, , signature] = token.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify(claims({ sub: 'SANDBOX.ETL_SVC', exp: now + 100_000 }))).toString('base64url')}.${signature}`;
    expect(checkKeyPairToken(forged, 'sandbox', 'ETL_SVC', [publicKey], now)).toMatchObject({ reason: 'signature' });
    expect(checkKeyPairToken(sign(claims(), { alg: 'none' }), 'sandbox', 'ETL_SVC', [publicKey], now)).toMatchObject({ reason: 'algorithm' });
    expect(checkKeyPairToken('not.a.jwt', 'sandbox', 'ETL_SVC', [publicKey], now)).toMatchObject({ reason: 'malformed' });
  });

  it('names the account without its region suffix', () => {
    expect(checkKeyPairToken(sign(claims()), 'sandbox.eu-west-1', 'ETL_SVC', [publicKey], now)).toEqual({ ok: true });
  });
});

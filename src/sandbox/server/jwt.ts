// Key-pair login: the driver signs an RS256 JWT with the user's private key. Snowflake finds the
// public key by the fingerprint in `iss` among the keys set with ALTER USER … SET RSA_PUBLIC_KEY,
// checks the signature with it, and checks the times — which this driver writes in MILLISECONDS
// (a stock JWT library would read them as seconds far in the future and accept a stale token).
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';

/** Longest lifetime Snowflake accepts for a key-pair JWT. */
const MAX_LIFETIME_MS = 60 * 60 * 1000;
/** Clock difference tolerated between the client and the sandbox. */
const CLOCK_SKEW_MS = 60 * 1000;

/** Why a key-pair token was refused, for the server's log; the client only sees "JWT token is invalid". */
export type JwtRefusal =
  | 'malformed'
  | 'algorithm'
  | 'subject'
  | 'issuer'
  | 'no-key'
  | 'unknown-key'
  | 'signature'
  | 'expired'
  | 'issued-in-future'
  | 'lifetime';

/** The outcome of checking a key-pair token. */
export type JwtCheck = { ok: true } | { ok: false; reason: JwtRefusal };

/** `SHA256:<base64 of the SHA-256 of the DER SPKI>`, the fingerprint Snowflake shows as RSA_PUBLIC_KEY_FP. */
export function publicKeyFingerprint(key: KeyObject): string {
  const der = key.export({ format: 'der', type: 'spki' });
  return 'SHA256:' + createHash('sha256').update(der).digest('base64');
}

/** A public key given as PEM or as the bare base64 DER body that ALTER USER takes. */
export function parsePublicKey(text: string): KeyObject | undefined {
  const trimmed = text.trim();
  try {
    if (trimmed.includes('-----BEGIN')) return createPublicKey(trimmed);
    const der = Buffer.from(trimmed.replace(/\s+/g, ''), 'base64');
    return createPublicKey({ key: der, format: 'der', type: 'spki' });
  } catch {
    return undefined;
  }
}

function decodePart(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Checks a key-pair login token for `account`.`user` against the user's registered public keys.
 * `now` is in milliseconds.
 */
export function checkKeyPairToken(token: string, account: string, user: string, publicKeys: readonly string[], now = Date.now()): JwtCheck {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed' };
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodePart(headerPart);
  const payload = decodePart(payloadPart);
  if (!header || !payload) return { ok: false, reason: 'malformed' };
  if (header.alg !== 'RS256') return { ok: false, reason: 'algorithm' };

  // Snowflake names the account without region or cloud suffix, upper-cased.
  const expectedSubject = `${accountLocator(account)}.${user.toUpperCase()}`;
  if (typeof payload.sub !== 'string' || payload.sub.toUpperCase() !== expectedSubject) return { ok: false, reason: 'subject' };
  const issuer = typeof payload.iss === 'string' ? payload.iss : '';
  const fingerprintAt = issuer.toUpperCase().indexOf('.SHA256:');
  if (fingerprintAt < 0 || issuer.slice(0, fingerprintAt).toUpperCase() !== expectedSubject) return { ok: false, reason: 'issuer' };
  const fingerprint = issuer.slice(fingerprintAt + 1);

  const keys = publicKeys.map(parsePublicKey).filter((key): key is KeyObject => key !== undefined);
  if (keys.length === 0) return { ok: false, reason: 'no-key' };
  const key = keys.find((candidate) => publicKeyFingerprint(candidate) === fingerprint);
  if (!key) return { ok: false, reason: 'unknown-key' };

  const signed = Buffer.from(`${headerPart}.${payloadPart}`);
  const signature = Buffer.from(signaturePart, 'base64url');
  if (!verify('RSA-SHA256', signed, key, signature)) return { ok: false, reason: 'signature' };

  const issuedAt = Number(payload.iat);
  const expiresAt = Number(payload.exp);
  if (!Number.isFinite(issuedAt) || !Number.isFinite(expiresAt)) return { ok: false, reason: 'malformed' };
  if (expiresAt <= now - CLOCK_SKEW_MS) return { ok: false, reason: 'expired' };
  if (issuedAt > now + CLOCK_SKEW_MS) return { ok: false, reason: 'issued-in-future' };
  if (expiresAt - issuedAt > MAX_LIFETIME_MS) return { ok: false, reason: 'lifetime' };
  return { ok: true };
}

/** `myorg-acct.eu-west-1` → `MYORG-ACCT`: the part of an account identifier a JWT names. */
export function accountLocator(account: string): string {
  return (account.split('.')[0] ?? account).toUpperCase();
}

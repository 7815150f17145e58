// Passwords are stored as scrypt hashes with a random salt, never as text.
import { randomUUID, scryptSync, timingSafeEqual } from 'node:crypto';

/** Hashes a password for the catalog: `salt:hash` in hex. */
export function hashPassword(password: string, salt = randomUUID().replace(/-/g, '')): string {
  return `${salt}:${scryptSync(password, salt, 32, { N: 1024 }).toString('hex')}`;
}

/** Whether a password matches a stored hash (false when there is none). */
export function checkPassword(password: string, stored: string | null): boolean {
  if (!stored) return false;
  const [salt, hash] = stored.split(':');
  if (!salt || !hash) return false;
  const candidate = scryptSync(password, salt, 32, { N: 1024 });
  const expected = Buffer.from(hash, 'hex');
  return expected.length === candidate.length && timingSafeEqual(candidate, expected);
}

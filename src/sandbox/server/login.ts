// Who is logging in, and with what (SNOWFLAKE-PROTOCOL.md §2.1). The authenticator names are the
// driver's; each maps to the authentication method LOGIN_HISTORY records.
import type { SandboxEngine, SandboxUser } from '../engine-api.js';
import { checkKeyPairToken, type JwtRefusal } from './jwt.js';
import { WIRE_ERRORS, WireRejection } from './wire.js';

/** An authenticated login: the user and how they proved it. */
export interface LoginIdentity {
  user: SandboxUser;
  /** PASSWORD, RSA_KEYPAIR, OAUTH_ACCESS_TOKEN or PROGRAMMATIC_ACCESS_TOKEN. */
  authentication: string;
}

/** Where a refused key-pair login's reason goes (the client only learns "JWT token is invalid"). */
export type RefusalLog = (line: string) => void;

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Checks the credentials of a login request's `data`; throws the Snowflake login error when wrong. */
export async function authenticate(engine: SandboxEngine, data: Record<string, unknown>, log: RefusalLog): Promise<LoginIdentity> {
  const loginName = text(data.LOGIN_NAME) ?? '';
  const authenticator = (text(data.AUTHENTICATOR) ?? 'SNOWFLAKE').toUpperCase();
  const user = loginName ? await engine.findUser(loginName) : undefined;

  switch (authenticator) {
    case 'SNOWFLAKE':
    case 'USERNAME_PASSWORD_MFA': {
      // The sandbox has no second factor: the password alone decides.
      const password = text(data.PASSWORD) ?? '';
      if (!user || !user.checkPassword(password)) throw new WireRejection(WIRE_ERRORS.incorrectLogin);
      return enabled({ user, authentication: 'PASSWORD' });
    }
    case 'SNOWFLAKE_JWT': {
      if (!user) {
        log(`key-pair login refused for ${loginName}: no such user`);
        throw new WireRejection(WIRE_ERRORS.jwtInvalid);
      }
      const account = text(data.ACCOUNT_NAME) ?? 'sandbox';
      const check = checkKeyPairToken(text(data.TOKEN) ?? '', account, loginName, user.rsaPublicKeys);
      if (!check.ok) {
        log(`key-pair login refused for ${loginName}: ${describeRefusal(check.reason)}`);
        throw new WireRejection(WIRE_ERRORS.jwtInvalid);
      }
      return enabled({ user, authentication: 'RSA_KEYPAIR' });
    }
    case 'OAUTH': {
      const token = text(data.TOKEN) ?? '';
      if (!user || !token || !user.checkToken(token)) throw new WireRejection(WIRE_ERRORS.oauthInvalid);
      return enabled({ user, authentication: 'OAUTH_ACCESS_TOKEN' });
    }
    case 'PROGRAMMATIC_ACCESS_TOKEN': {
      // The driver sends the token as TOKEN, or as the password when only a password was given.
      const token = text(data.TOKEN) ?? text(data.PASSWORD) ?? '';
      if (!user || !token || !user.checkToken(token)) throw new WireRejection(WIRE_ERRORS.patInvalid);
      return enabled({ user, authentication: 'PROGRAMMATIC_ACCESS_TOKEN' });
    }
    default:
      throw new WireRejection({
        code: '390106',
        sqlState: '08004',
        message:
          `The sandbox does not support the ${authenticator} authenticator. ` +
          'Use SNOWFLAKE (password), SNOWFLAKE_JWT (key pair), OAUTH or PROGRAMMATIC_ACCESS_TOKEN.',
      });
  }
}

function enabled(identity: LoginIdentity): LoginIdentity {
  if (identity.user.disabled) throw new WireRejection(WIRE_ERRORS.userDisabled);
  return identity;
}

function describeRefusal(reason: JwtRefusal): string {
  const reasons: Record<JwtRefusal, string> = {
    malformed: 'the token is not a well-formed JWT',
    algorithm: 'the token is not signed with RS256',
    subject: 'the token names another account or user (sub)',
    issuer: 'the token issuer (iss) does not name the account, user and key fingerprint',
    'no-key': 'the user has no RSA_PUBLIC_KEY set',
    'unknown-key': 'the key fingerprint matches neither RSA_PUBLIC_KEY nor RSA_PUBLIC_KEY_2 of the user',
    signature: 'the signature does not match the public key',
    expired: 'the token has expired',
    'issued-in-future': 'the token is issued in the future',
    lifetime: 'the token lives longer than one hour',
  };
  return reasons[reason];
}

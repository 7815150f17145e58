// From a connection's TOML-style settings to snowflake-sdk's createConnection options. baton maps
// the keys itself (the driver's own loader ignores most snake_case keys) and reads key files and
// token files here, so a missing file, a wrong passphrase or an expired token is reported in the
// operator's terms before any network call. The options hold credentials: they live in memory for
// the length of one login and are never logged or stored.
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { SANDBOX_DEFAULTS } from '../sandbox/engine-api.js';
import { ConnectionError, expandHome, type Connection, type SettingValue } from './connections.js';

const BUILT_IN_SANDBOX_PASSWORD: string = SANDBOX_DEFAULTS.password;

/** Authenticators baton knows, as the driver spells them. */
export const AUTHENTICATORS = [
  'SNOWFLAKE',
  'SNOWFLAKE_JWT',
  'OAUTH',
  'PROGRAMMATIC_ACCESS_TOKEN',
  'EXTERNALBROWSER',
  'USERNAME_PASSWORD_MFA',
  'OAUTH_AUTHORIZATION_CODE',
  'OAUTH_CLIENT_CREDENTIALS',
] as const;

/** The authenticator's name in the operator's words, for listings and errors. */
const AUTH_NAMES: Record<string, string> = {
  SNOWFLAKE: 'password',
  SNOWFLAKE_JWT: 'key pair',
  OAUTH: 'OAuth token',
  PROGRAMMATIC_ACCESS_TOKEN: 'programmatic access token',
  EXTERNALBROWSER: 'browser SSO',
  USERNAME_PASSWORD_MFA: 'password + MFA',
  OAUTH_AUTHORIZATION_CODE: 'OAuth authorization code',
  OAUTH_CLIENT_CREDENTIALS: 'OAuth client credentials',
};

/** Options ready for the driver, plus what may be shown about them. */
export interface DriverLogin {
  /** snowflake-sdk `createConnection` options. Hold credentials: never print or store. */
  options: Record<string, unknown>;
  /** Normalised authenticator, e.g. `SNOWFLAKE_JWT`. */
  authenticator: string;
  /** Safe one-line description: "account myorg-prod, user SVC_ETL, key pair". */
  summary: string;
  /** Secret values to mask in anything shown. */
  secrets: string[];
  /** SHA256 fingerprint of the public key for key-pair logins, as `DESC USER` shows it. */
  publicKeyFingerprint?: string;
  /** Browser SSO needs the driver's connectAsync(). */
  needsBrowser: boolean;
}

/** The authenticator a connection uses, inferred like the CLI when none is written. */
export function authenticatorOf(connection: Connection): string {
  const written = str(connection.settings.authenticator);
  if (written) {
    if (/^https:\/\//i.test(written)) return written; // native Okta URL: passed as written
    return written.toUpperCase();
  }
  if (str(connection.settings.private_key_file) || str(connection.settings.private_key_path)) return 'SNOWFLAKE_JWT';
  return 'SNOWFLAKE';
}

/** "key pair", "password", … for an authenticator. */
export function describeAuthenticator(authenticator: string): string {
  return AUTH_NAMES[authenticator] ?? authenticator;
}

/**
 * Build driver options for `connection`. `accessUrl` overrides the address (the sandbox's URL).
 * Throws {@link ConnectionError} with a message that names the setting and where it came from.
 */
export async function driverLogin(connection: Connection, accessUrl?: string): Promise<DriverLogin> {
  const s = connection.settings;
  const name = connection.name;
  const from = (key: string) => connection.origins[key] ?? 'nowhere';
  const authenticator = authenticatorOf(connection);
  if (!(AUTHENTICATORS as readonly string[]).includes(authenticator) && !/^https:\/\//i.test(authenticator)) {
    throw new ConnectionError(
      `connection ${name}: unknown authenticator "${str(s.authenticator)}" (from ${from('authenticator')}); use one of ${AUTHENTICATORS.join(', ')}`,
    );
  }
  const account = str(s.account);
  if (!account) {
    throw new ConnectionError(`connection ${name} has no account: set account = "myorg-myaccount" in ${connection.definedIn} or $SNOWFLAKE_CONNECTIONS_${name.toUpperCase()}_ACCOUNT`);
  }
  const user = str(s.user);
  const options: Record<string, unknown> = { account, application: 'baton', authenticator };
  const secrets: string[] = [];
  if (user) options.username = user;
  for (const key of ['role', 'warehouse', 'database', 'schema', 'region'] as const) {
    const value = str(s[key]);
    if (value) options[key] = value;
  }
  const url = accessUrl ?? addressOf(s);
  if (url) options.accessUrl = url;
  if (s.client_session_keep_alive !== undefined) options.clientSessionKeepAlive = bool(s.client_session_keep_alive);

  const needUser = () => {
    if (!user) throw new ConnectionError(`connection ${name} has no user: set user = "…" in ${connection.definedIn} (needed for ${describeAuthenticator(authenticator)})`);
  };
  const secret = (key: string, value: string) => {
    options[key] = value;
    // The built-in sandbox's login is documented, not secret: masking "sandbox" would blank out
    // every mention of the sandbox in output. A credential given for it by a variable is secret.
    if (!(connection.builtInSandbox && value === BUILT_IN_SANDBOX_PASSWORD)) secrets.push(value);
  };
  let publicKeyFingerprint: string | undefined;

  switch (authenticator) {
    case 'SNOWFLAKE':
    case 'USERNAME_PASSWORD_MFA': {
      needUser();
      const password = str(s.password);
      if (!password) {
        throw new ConnectionError(
          `connection ${name} uses password authentication but has no password: set password in ${connection.definedIn}, ` +
            `or $SNOWFLAKE_CONNECTIONS_${name.toUpperCase()}_PASSWORD, or use a key pair (private_key_file)`,
        );
      }
      secret('password', password);
      if (str(s.passcode)) secret('passcode', str(s.passcode)!);
      if (s.passcode_in_password !== undefined) options.passcodeInPassword = bool(s.passcode_in_password);
      break;
    }
    case 'SNOWFLAKE_JWT': {
      needUser();
      const key = await loadPrivateKey(connection);
      secret('privateKey', key.pem);
      publicKeyFingerprint = key.fingerprint;
      break;
    }
    case 'OAUTH':
    case 'PROGRAMMATIC_ACCESS_TOKEN': {
      if (authenticator === 'PROGRAMMATIC_ACCESS_TOKEN') needUser();
      const token = await loadToken(connection, authenticator === 'PROGRAMMATIC_ACCESS_TOKEN');
      secret('token', token);
      break;
    }
    case 'EXTERNALBROWSER':
      break;
    case 'OAUTH_AUTHORIZATION_CODE':
    case 'OAUTH_CLIENT_CREDENTIALS': {
      const map: Record<string, string> = {
        oauth_client_id: 'oauthClientId',
        oauth_authorization_url: 'oauthAuthorizationUrl',
        oauth_token_request_url: 'oauthTokenRequestUrl',
        oauth_redirect_uri: 'oauthRedirectUri',
        oauth_scope: 'oauthScope',
      };
      for (const [key, option] of Object.entries(map)) if (str(s[key])) options[option] = str(s[key]);
      if (str(s.oauth_client_secret)) secret('oauthClientSecret', str(s.oauth_client_secret)!);
      break;
    }
    default: // an Okta URL: the driver logs in with user and password through it
      needUser();
      if (str(s.password)) secret('password', str(s.password)!);
  }

  const summary = [`account ${account}`, user ? `user ${user}` : undefined, describeAuthenticator(authenticator), url ? `at ${url}` : undefined]
    .filter(Boolean)
    .join(', ');
  const login: DriverLogin = { options, authenticator, summary, secrets, needsBrowser: authenticator === 'EXTERNALBROWSER' };
  if (publicKeyFingerprint) login.publicKeyFingerprint = publicKeyFingerprint;
  return login;
}

/** `host`/`port`/`protocol` settings as one URL, when the connection does not use the account's default host. */
function addressOf(s: Record<string, SettingValue>): string | undefined {
  const host = str(s.host);
  if (!host) return undefined;
  if (/^https?:\/\//i.test(host)) return host.replace(/\/+$/, '');
  const protocol = str(s.protocol)?.toLowerCase() ?? 'https';
  const port = str(s.port);
  return `${protocol}://${host}${port ? `:${port}` : ''}`;
}

/** A private key decrypted in memory, re-encoded as unencrypted PKCS#8 PEM for the driver. */
async function loadPrivateKey(connection: Connection): Promise<{ pem: string; fingerprint: string }> {
  const s = connection.settings;
  const keyName = str(s.private_key_file) ? 'private_key_file' : 'private_key_path';
  const file = str(s[keyName]);
  if (!file) {
    throw new ConnectionError(
      `connection ${connection.name} uses a key pair but names no key file: set private_key_file = "/path/to/key.p8" in ${connection.definedIn}`,
    );
  }
  const keyFile = expandHome(file);
  let content: Buffer;
  try {
    content = await readFile(keyFile);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'cannot be read (permission denied)' : (error as Error).message;
    throw new ConnectionError(`connection ${connection.name}: private key file ${keyFile} ${why} (${keyName} from ${connection.origins[keyName]})`);
  }
  const passphraseKey = ['private_key_passphrase', 'private_key_file_pwd'].find((k) => str(s[k]));
  const passphrase = passphraseKey ? str(s[passphraseKey]) : undefined;
  const text = content.toString('utf8');
  const encrypted = /ENCRYPTED/.test(text);
  let key: KeyObject;
  try {
    key = text.includes('-----BEGIN')
      ? createPrivateKey({ key: text, format: 'pem', ...(passphrase ? { passphrase } : {}) })
      : createPrivateKey({ key: content, format: 'der', type: 'pkcs8', ...(passphrase ? { passphrase } : {}) });
  } catch (error) {
    if (encrypted && !passphrase) {
      throw new ConnectionError(
        `connection ${connection.name}: private key file ${keyFile} is encrypted: set $PRIVATE_KEY_PASSPHRASE or private_key_file_pwd in ${connection.definedIn}`,
      );
    }
    if (encrypted) {
      const origin = connection.origins[passphraseKey!];
      throw new ConnectionError(`connection ${connection.name}: wrong passphrase for private key file ${keyFile} (passphrase from ${origin})`);
    }
    throw new ConnectionError(`connection ${connection.name}: ${keyFile} is not a private key in PEM or DER (PKCS#8) form: ${(error as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw new ConnectionError(`connection ${connection.name}: ${keyFile} holds a ${key.asymmetricKeyType} key; Snowflake key-pair login needs an RSA key`);
  }
  const der = createPublicKey(key).export({ format: 'der', type: 'spki' });
  const fingerprint = `SHA256:${createHash('sha256').update(der).digest('base64')}`;
  return { pem: key.export({ format: 'pem', type: 'pkcs8' }).toString(), fingerprint };
}

/** The token from `token`, or read from `token_file_path`; an expired JWT-shaped token is refused here. */
async function loadToken(connection: Connection, passwordAllowed: boolean): Promise<string> {
  const s = connection.settings;
  let token = str(s.token);
  let origin = connection.origins.token;
  const file = str(s.token_file_path);
  if (!token && file) {
    const tokenFile = expandHome(file);
    try {
      token = (await readFile(tokenFile, 'utf8')).trim();
      origin = `token file ${tokenFile}`;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new ConnectionError(`connection ${connection.name}: token file ${tokenFile} ${code === 'ENOENT' ? 'does not exist' : 'cannot be read'} (token_file_path from ${connection.origins.token_file_path})`);
    }
  }
  if (!token && passwordAllowed && str(s.password)) {
    token = str(s.password);
    origin = connection.origins.password;
  }
  if (!token) {
    throw new ConnectionError(`connection ${connection.name} uses ${describeAuthenticator(authenticatorOf(connection))} but has no token: set token or token_file_path in ${connection.definedIn}`);
  }
  const expiry = tokenExpiry(token);
  if (expiry && expiry.getTime() <= Date.now()) {
    throw new ConnectionError(`connection ${connection.name}: the token (from ${origin}) expired at ${expiry.toISOString()}; get a fresh token and try again`);
  }
  return token;
}

/** When a JWT-shaped token expires (its `exp` claim), or undefined for opaque tokens. */
export function tokenExpiry(token: string): Date | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as { exp?: unknown };
    if (typeof claims.exp !== 'number') return undefined;
    // Seconds by the standard; Snowflake's own key-pair JWTs use milliseconds.
    return new Date(claims.exp > 1e12 ? claims.exp : claims.exp * 1000);
  } catch {
    return undefined;
  }
}

function str(value: SettingValue | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  return text === '' ? undefined : text;
}

function bool(value: SettingValue): boolean {
  return value === true || String(value).toLowerCase() === 'true' || value === 1;
}

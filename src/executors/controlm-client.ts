// A client of the Control-M Automation API (OPS-REFERENCE §2): logs in for a Bearer token and logs
// in again once when a call answers 401 (the token timed out mid-run), or sends an API key;
// accepts a self-signed certificate only when the environment says `insecure: true`. The password
// and token never leave this object except in the Authorization header.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Environment } from '../config/environment.js';
import { controlmSettingsOf, SANDBOX_CONTROLM_LOGIN } from '../scheduler/sandbox-endpoints.js';

/** How to reach and log in to one Control-M. */
export interface ControlmConnection {
  endpoint: string;
  /** Control-M/Server to order into, when configured. */
  server?: string;
  user?: string;
  password?: string;
  apiKey?: string;
  insecure: boolean;
  /** Where the credentials came from, for messages: `variable CTM_PASSWORD`. */
  credentialSource: string;
  /** The sandbox fake's documented login: its password is not a secret and is never masked. */
  sandboxLogin?: boolean;
}

/** A failed call, with what the operator should know. */
export class ControlmError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    /** The request never reached Control-M: trying again is safe. */
    readonly unreachable = false,
  ) {
    super(message);
  }
}

/** The answer of one call. */
export interface ApiAnswer {
  status: number;
  /** Parsed JSON, or the text for text/plain answers. */
  body: unknown;
}

const REQUEST_TIMEOUT_MS = 60_000;

/** The Control-M connection of an environment, or a message saying what to configure. */
export function controlmConnection(
  environment: Environment,
  variable: (name: string) => string | undefined,
  sandbox?: string,
): ControlmConnection | { error: string } {
  const settings = controlmSettingsOf(environment, sandbox);
  const where = `environment "${environment.name}" in baton.yaml`;
  if (!settings) return { error: `${where} has no Control-M settings: add "controlm:" with endpoint, user and passwordVariable (or tokenVariable)` };
  if (!/^https?:\/\//.test(settings.endpoint ?? '')) return { error: `controlm.endpoint of ${where} must be an http(s) URL such as https://em.example.com:8443/automation-api` };
  const lookup = (name: string): string | undefined => variable(name) ?? environment.variables[name] ?? process.env[name];
  const base: ControlmConnection = {
    endpoint: settings.endpoint.replace(/\/+$/, ''),
    ...(settings.server ? { server: settings.server } : {}),
    insecure: settings.insecure === true,
    credentialSource: '',
  };
  if (settings.tokenVariable) {
    const apiKey = lookup(settings.tokenVariable);
    if (!apiKey) return { error: `the Control-M API token variable ${settings.tokenVariable} (controlm.tokenVariable of ${where}) is not set: set it in the environment or as a variable` };
    return { ...base, apiKey, credentialSource: `variable ${settings.tokenVariable}` };
  }
  const user = settings.user ? lookup(settings.user) ?? settings.user : undefined;
  if (!user) return { error: `controlm.user of ${where} is missing: name the Control-M user (or a variable holding it)` };
  if (settings.passwordVariable) {
    const password = lookup(settings.passwordVariable);
    if (password === undefined || password === '') {
      return { error: `the Control-M password variable ${settings.passwordVariable} (controlm.passwordVariable of ${where}) is not set: set it in the environment (export ${settings.passwordVariable}=…) or as a secret runbook variable` };
    }
    return { ...base, user, password, credentialSource: `variable ${settings.passwordVariable}` };
  }
  if ('sandboxLogin' in settings && settings.sandboxLogin) {
    return { ...base, user, password: SANDBOX_CONTROLM_LOGIN.password, credentialSource: 'the sandbox login', sandboxLogin: true };
  }
  return { error: `${where} names no Control-M credentials: set controlm.passwordVariable (with user) or controlm.tokenVariable` };
}

/** One logged-in (or API-key) client; shared by the actions of a run. */
export class ControlmClient {
  private token: string | undefined;
  private logins = 0;

  /** Where the client says what it does (never credentials); each action points it at its own log. */
  note: (line: string) => void = () => {};

  constructor(readonly connection: ControlmConnection) {}

  /** Secrets this client holds, for masking anything that might echo them (not the sandbox's documented password). */
  secrets(): string[] {
    const password = this.connection.sandboxLogin ? undefined : this.connection.password;
    return [password, this.connection.apiKey, this.token].filter((s): s is string => !!s);
  }

  /** How many times it logged in (renewals included). */
  get loginCount(): number {
    return this.logins;
  }

  /** Call the API; a 401 with a session token logs in again once and repeats the call. */
  async call(method: string, path: string, options: { json?: unknown; form?: { field: string; filename: string; content: string }; signal?: AbortSignal } = {}): Promise<ApiAnswer> {
    if (!this.connection.apiKey && !this.token) await this.login(options.signal);
    let answer = await this.send(method, path, options);
    if (answer.status === 401 && !this.connection.apiKey) {
      this.note(`Control-M answered 401 to ${method} ${path}: logging in again`);
      this.token = undefined;
      await this.login(options.signal);
      answer = await this.send(method, path, options);
    }
    if (answer.status >= 400) throw new ControlmError(`${method} ${path}: ${apiMessage(answer)}`, answer.status);
    return answer;
  }

  /** End the session (best effort). */
  async logout(): Promise<void> {
    if (!this.token) return;
    try {
      await this.send('POST', '/session/logout', {});
    } catch {
      // the session times out by itself
    }
    this.token = undefined;
  }

  private async login(signal?: AbortSignal): Promise<void> {
    const { user, password } = this.connection;
    const answer = await this.send('POST', '/session/login', { json: { username: user, password }, signal }, false);
    const token = (answer.body as { token?: unknown } | undefined)?.token;
    if (answer.status >= 400 || typeof token !== 'string') {
      throw new ControlmError(
        `Control-M refused the login of user ${user} at ${this.connection.endpoint}: ${apiMessage(answer)}. Check the password in ${this.connection.credentialSource}.`,
        answer.status,
      );
    }
    this.token = token;
    this.logins++;
    this.note(`logged in to Control-M at ${this.connection.endpoint} as ${user}`);
  }

  private send(method: string, path: string, options: { json?: unknown; form?: { field: string; filename: string; content: string }; signal?: AbortSignal }, authorize = true): Promise<ApiAnswer> {
    const url = new URL(this.connection.endpoint + path);
    const headers: Record<string, string> = { accept: 'application/json, text/plain' };
    if (authorize && this.connection.apiKey) headers['x-api-key'] = this.connection.apiKey;
    else if (authorize && this.token) headers.authorization = `Bearer ${this.token}`;
    let body: Buffer | undefined;
    if (options.form) {
      const boundary = `----baton${Date.now().toString(16)}${Math.random().toString(16).slice(2)}`;
      headers['content-type'] = `multipart/form-data; boundary=${boundary}`;
      body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${options.form.field}"; filename="${options.form.filename.replace(/"/g, '')}"\r\nContent-Type: application/json\r\n\r\n`),
        Buffer.from(options.form.content),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
    } else if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = Buffer.from(JSON.stringify(options.json));
    }
    if (body) headers['content-length'] = String(body.length);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<ApiAnswer>((resolve, reject) => {
      const request = send(url, {
        method, headers, timeout: REQUEST_TIMEOUT_MS, signal: options.signal,
        ...(url.protocol === 'https:' ? { rejectUnauthorized: !this.connection.insecure } : {}),
      }, (response) => readAnswer(response).then(resolve, reject));
      request.on('timeout', () => request.destroy(Object.assign(new Error(`no answer within ${REQUEST_TIMEOUT_MS / 1000}s`), { code: 'ETIMEDOUT' })));
      request.on('error', (error: NodeJS.ErrnoException) => reject(this.unreachable(error)));
      request.end(body);
    });
  }

  private unreachable(error: NodeJS.ErrnoException): ControlmError {
    if (error.name === 'AbortError') return new ControlmError('stopped', undefined, false);
    const endpoint = this.connection.endpoint;
    const code = error.code ?? '';
    if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) {
      return new ControlmError(
        `the certificate of ${endpoint} is not trusted (${code}). If this Control-M uses a self-signed certificate you trust, set controlm.insecure: true for this environment in baton.yaml, or add its CA with NODE_EXTRA_CA_CERTS.`,
        undefined, true,
      );
    }
    return new ControlmError(
      `cannot reach Control-M at ${endpoint} (${code || error.message}). Check controlm.endpoint in baton.yaml and that the Automation API is up` +
        (/127\.0\.0\.1|localhost/.test(endpoint) ? ' (for the sandbox: start it with `baton sandbox` or sandbox/bin/scheduler-fakes)' : ''),
      undefined, true,
    );
  }
}

async function readAnswer(response: IncomingMessage): Promise<ApiAnswer> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const type = String(response.headers['content-type'] ?? '');
  let body: unknown = text;
  if (type.includes('json') || /^\s*[[{]/.test(text)) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: response.statusCode ?? 0, body };
}

/** The API's own message: `errors[].message` joined, else the text, else the HTTP status. */
export function apiMessage(answer: ApiAnswer): string {
  const errors = (answer.body as { errors?: unknown } | undefined)?.errors;
  if (Array.isArray(errors) && errors.length > 0) {
    return errors
      .map((e) => {
        const entry = e as { message?: unknown; file?: unknown; line?: unknown; col?: unknown; item?: unknown };
        const where = [entry.file, entry.line, entry.col].filter((p) => p !== undefined && p !== '').join(':');
        return `${String(entry.message ?? JSON.stringify(e))}${where ? ` (${where})` : entry.item ? ` (${String(entry.item)})` : ''}`;
      })
      .join('; ');
  }
  if (typeof answer.body === 'string' && answer.body.trim() !== '') return answer.body.trim().slice(0, 500);
  return `HTTP ${answer.status}`;
}

// Is a baton sandbox answering at this URL? Used before starting one (never two on a port or a
// data folder) and by `baton sandbox status`.
import { get } from 'node:http';

/** Path of the status endpoint every baton sandbox answers. */
export const STATUS_PATH = '/sandbox/status';

/** How one hosted service is doing. */
export interface ServiceState {
  name: string;
  prefix: string;
  state: 'up' | 'failed';
  /** Why it failed to start. */
  error?: string;
}

/** What `/sandbox/status` answers. */
export interface SandboxStatus {
  product: 'baton-sandbox';
  version: string;
  pid: number;
  url: string;
  dataDir: string;
  account: string;
  startedAt: string;
  services: ServiceState[];
}

/** The status of the baton sandbox at `url`, or undefined when nothing (or something else) answers. */
export async function probeSandbox(url: string, timeoutMs = 1500): Promise<SandboxStatus | undefined> {
  // node:http rather than fetch: the first fetch of a process loads and sets up undici, which
  // costs a run that talks to the sandbox more than the question itself.
  return new Promise((resolve) => {
    let request: ReturnType<typeof get>;
    // A deadline for the whole exchange, as a slow answer is as good as none.
    const timer = setTimeout(() => request?.destroy(), timeoutMs);
    const done = (status: SandboxStatus | undefined) => {
      clearTimeout(timer);
      resolve(status);
    };
    try {
      request = get(url + STATUS_PATH, (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          return done(undefined);
        }
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('error', () => done(undefined));
        response.on('close', () => done(undefined));
        response.on('end', () => {
          try {
            const status = JSON.parse(body) as Partial<SandboxStatus>;
            done(status.product === 'baton-sandbox' ? (status as SandboxStatus) : undefined);
          } catch {
            done(undefined);
          }
        });
      });
    } catch {
      // Not an http:// address.
      return done(undefined);
    }
    request.on('error', () => done(undefined));
  });
}

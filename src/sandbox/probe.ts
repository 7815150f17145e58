// Is a baton sandbox answering at this URL? Used before starting one (never two on a port or a
// data folder) and by `baton sandbox status`.

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
  try {
    const response = await fetch(url + STATUS_PATH, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return undefined;
    const status = (await response.json()) as Partial<SandboxStatus>;
    return status.product === 'baton-sandbox' ? (status as SandboxStatus) : undefined;
  } catch {
    return undefined;
  }
}

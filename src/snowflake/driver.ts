// snowflake-sdk, loaded on first use only: importing it costs 0.5–1.2 s, which a runbook without
// SQL (and the TUI's first frame) must never pay. Loaded the quiet way: no cloud-metadata probes,
// no connection-shape telemetry, no AWS SDK version banner, no INFO log lines on the console.

/** The snowflake-sdk module. */
export type SnowflakeSdk = typeof import('snowflake-sdk');

let loading: Promise<SnowflakeSdk> | undefined;

/** The driver's most recent error and warning lines (it masks secrets in them itself). */
export const driverMessages: string[] = [];

let keepDriverCode: (() => boolean) | undefined;

/**
 * Leave the driver's compiled code for the next start (once per process, when it was compiled
 * now). Called after the first statement has run, so the code of logging in and of running a
 * statement is kept too.
 */
export function keepDriverCodeSoon(): void {
  const keep = keepDriverCode;
  keepDriverCode = undefined;
  if (keep) setImmediate(keep);
}

/** The driver, imported and configured once per process. */
export function loadDriver(): Promise<SnowflakeSdk> {
  loading ??= (async () => {
    process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION = 'true';
    process.env.SF_TELEMETRY_DISABLE_CONNECTION_SHAPE = '1';
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    // Compiled code of the driver's files is kept between starts (code-cache.ts).
    const { loadWithKeptCode } = await import('./code-cache.js');
    const loaded = await loadWithKeptCode('snowflake-sdk', () => import('snowflake-sdk') as Promise<SnowflakeSdk & { default?: SnowflakeSdk }>);
    keepDriverCode = loaded.keep;
    const module = loaded.value;
    const sdk = module.default ?? module;
    // Its error lines would tear through the TUI's frame: keep the last few for diagnostics instead.
    const keep = (message: string) => {
      driverMessages.push(message);
      if (driverMessages.length > 50) driverMessages.shift();
    };
    sdk.configure({ logLevel: 'ERROR', customLogger: { error: keep, warn: keep, info: () => {}, debug: () => {}, trace: () => {} } });
    return sdk;
  })();
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

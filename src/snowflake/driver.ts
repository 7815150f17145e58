// snowflake-sdk, loaded on first use only: importing it costs 0.5–1.2 s, which a runbook without
// SQL (and the TUI's first frame) must never pay. Loaded the quiet way: no cloud-metadata probes,
// no connection-shape telemetry, no AWS SDK version banner, no INFO log lines on the console.

/** The snowflake-sdk module. */
export type SnowflakeSdk = typeof import('snowflake-sdk');

let loading: Promise<SnowflakeSdk> | undefined;

/** The driver's most recent error and warning lines (it masks secrets in them itself). */
export const driverMessages: string[] = [];

/** The driver, imported and configured once per process. */
export function loadDriver(): Promise<SnowflakeSdk> {
  loading ??= (async () => {
    process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION = 'true';
    process.env.SF_TELEMETRY_DISABLE_CONNECTION_SHAPE = '1';
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    const module = (await import('snowflake-sdk')) as SnowflakeSdk & { default?: SnowflakeSdk };
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

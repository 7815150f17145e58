// The live inventory, end to end: a real sandbox (DuckDB engine, AutoSys and Control-M fakes),
// a set-up runbook run into it by a headless `baton exec`, then `baton handover` as a child
// process reading the inventory back over snowflake-sdk and the scheduler fakes. A secret given to
// a run on its way appears in neither document.
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { tempDir } from '../helpers/context.js';
import { FIXTURES } from '../helpers/handover.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin', 'baton.js');
const CANARY = 'canary-tok-51d2c0ffee';

const SECRET_RUNBOOK = `---
title: Use a token
summary: Runs a command and a query with a secret, for the handover's masking test.
tags: [go-live]
environments: [sandbox]
variables:
  API_TOKEN: { secret: true, from-env: HANDOVER_TEST_TOKEN }
---
# Use a token

## Call the API

\`\`\`sh
echo "calling with {{API_TOKEN}}"
echo "and from the environment: $HANDOVER_TEST_TOKEN"
\`\`\`

## Query with it

\`\`\`sql
SELECT '{{API_TOKEN}}' AS TOKEN_USED;
\`\`\`
`;

describe.sequential('the handover of a sandbox after a set-up runbook', () => {
  const dir = tempDir('baton-handover-sandbox-');
  const runbooks = join(dir, 'runbooks');
  const stateDir = join(dir, 'state');
  let sandbox: SandboxHandle | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    sandbox = await ensureSandbox({ stateDir, port: 0 });
    env = { BATON_STATE_DIR: stateDir, BATON_SANDBOX_URL: sandbox.url, BATON_AUTOSYS_URL: `${sandbox.url}/autosys`, BATON_OPERATOR: 'tester', CI: 'true', TZ: 'UTC' };
    mkdirSync(runbooks, { recursive: true });
    copyFileSync(join(FIXTURES, 'inventory', 'setup-inventory.md'), join(runbooks, '01-setup-inventory.md'));
    writeFileSync(join(runbooks, '02-use-a-token.md'), SECRET_RUNBOOK);
  }, 120_000);

  afterAll(async () => {
    await sandbox?.stop();
  }, 60_000);

  const baton = (args: string[], extra: Record<string, string> = {}) =>
    execa('node', [bin, ...args], { cwd: dir, env: { ...env, ...extra }, reject: false, stdin: 'ignore', all: true, timeout: 240_000 });

  it('runs the set-up runbook and the one with a secret', async () => {
    const setup = await baton(['exec', join(runbooks, '01-setup-inventory.md'), '--env', 'sandbox', '--yes']);
    expect(setup.exitCode, setup.all).toBe(0);
    const secret = await baton(['exec', join(runbooks, '02-use-a-token.md'), '--env', 'sandbox', '--yes'], { HANDOVER_TEST_TOKEN: CANARY });
    expect(secret.exitCode, secret.all).toBe(0);
    expect(secret.all).not.toContain(CANARY);
  }, 300_000);

  it('writes both files with the live inventory read from the sandbox', async () => {
    // The token is not in this process's environment: only the record could leak it now.
    const result = await baton(['handover', '--env', 'sandbox', '--runbooks', 'runbooks']);
    expect(result.exitCode, result.all).toBe(0);
    const written = readdirSync(join(dir, 'docs', 'handover')).sort();
    expect(written).toEqual([expect.stringMatching(/^sandbox-\d{4}-\d{2}-\d{2}\.html$/), expect.stringMatching(/^sandbox-\d{4}-\d{2}-\d{2}\.md$/)]);
    expect(result.stdout).toContain(`wrote ${join(dir, 'docs', 'handover', written[1]!)}`);
    const markdown = readFileSync(join(dir, 'docs', 'handover', written[1]!), 'utf8');
    const section = (title: string) => {
      const start = markdown.indexOf(`### ${title}\n`);
      expect(start, title).toBeGreaterThan(0);
      return markdown.slice(start, markdown.indexOf('\n### ', start + 1));
    };
    expect(markdown).toMatch(/Read from Snowflake at .* as account SANDBOX, user OPERATOR, role \w+ \(connection sandbox\)/);
    expect(section('Warehouses')).toMatch(/\| `HX_WH` \| X-?Small \| SUSPENDED \| 120 s \| true \| HX_MONITOR \| handover inventory test \|/i);
    expect(section('Databases')).toContain('| `HX_DB` |');
    expect(section('Schemas')).toContain('| `HX_DB.RAW` |');
    const roles = section('Roles and grants');
    expect(roles).toMatch(/\| `HX_LOADER` \| — \| role SYSADMIN \| loads HX_DB \|/);
    expect(roles).toContain('USAGE on database `HX_DB`');
    expect(roles).toContain('INSERT, SELECT on table `HX_DB.RAW.ORDERS`');
    expect(roles).toContain('USAGE on warehouse `HX_WH`');
    expect(section('Tasks')).toMatch(/\| `HX_DB.RAW.PUBLISH_ORDERS` \| HX_WH \| 60 MINUTE \| — \| suspended \|/i);
    expect(section('Streams')).toContain('| `HX_DB.RAW.ORDERS_STREAM` | `HX_DB.RAW.ORDERS` |');
    expect(section('Resource monitors')).toMatch(/\| `HX_MONITOR` \| 5(\.00)? \|.*\| `HX_WH` \|/);
    expect(section('Alerts')).toContain('| `HX_DB.RAW.ORDERS_STALE` | HX_WH | 60 MINUTE |');
    const jobs = section('Scheduler jobs');
    expect(jobs).toMatch(/\| `HX_BOX` \| BOX \| — \|/);
    expect(jobs).toMatch(/\| `HX_LOAD` \| CMD \| `HX_BOX` \|/);
    expect(jobs).toContain('command: echo load');
    // Both runs are in the document, with their query ids.
    expect(markdown).toContain('### Set up objects for the inventory test');
    expect(markdown).toContain('### Use a token');
    expect(markdown).toMatch(/Queries: `[0-9a-f-]{36}`/);
  }, 300_000);

  it('reads the scheduler fakes of the state folder’s sandbox when nothing names its address', async () => {
    const out = join(dir, 'found');
    const result = await baton(['handover', '--env', 'sandbox', '--runbooks', 'runbooks', '--out', out], { BATON_SANDBOX_URL: '', BATON_AUTOSYS_URL: '' });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).not.toMatch(/cannot reach|could not be read/);
    const markdown = readFileSync(join(out, readdirSync(out).find((n) => n.endsWith('.md'))!), 'utf8');
    expect(markdown).toContain(`Control-M at ${sandbox!.url}/automation-api`);
    expect(markdown).toMatch(/\| `HX_LOAD` \| CMD \| `HX_BOX` \|/);
  }, 300_000);

  it('never shows the secret a run used, and names the variable that was masked', () => {
    const folder = join(dir, 'docs', 'handover');
    for (const name of readdirSync(folder)) expect(readFileSync(join(folder, name), 'utf8'), name).not.toContain(CANARY);
    const markdown = readFileSync(join(folder, readdirSync(folder).find((n) => n.endsWith('.md'))!), 'utf8');
    expect(markdown).toMatch(/\| `API_TOKEN` \| `02-use-a-token` \|/);
    expect(markdown).toContain('Secret, not recorded: `API_TOKEN`');
  });
});

// `baton sandbox status|stop|reset` when no sandbox runs, and reset's guards.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dataDirOf, sandboxReset, sandboxStatus, sandboxStop, type Output } from '../../src/commands/sandbox.js';
import { EXIT } from '../../src/exit-codes.js';
import { acquireLock } from '../../src/sandbox/lock.js';

let stateDir: string;
let lines: string[];
const output: Output = { out: (line) => lines.push(line), err: (line) => lines.push(`! ${line}`) };

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'baton-cmd-'));
  lines = [];
});

afterEach(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

describe('the sandbox data folder', () => {
  it('is under the state folder unless --data says otherwise', () => {
    expect(dataDirOf({ stateDir })).toBe(join(stateDir, 'sandbox'));
    expect(dataDirOf({ stateDir, data: join(stateDir, 'elsewhere') })).toBe(join(stateDir, 'elsewhere'));
  });
});

describe('baton sandbox status and stop, with nothing running', () => {
  it('status says so and exits 1', async () => {
    expect(await sandboxStatus({ stateDir, port: '0' }, output)).toBe(EXIT.failed);
    expect(lines.join('\n')).toContain('Sandbox not running');
  });

  it('status refuses a port that is not one', async () => {
    expect(await sandboxStatus({ stateDir, port: 'eighty' }, output)).toBe(EXIT.usage);
    expect(lines.join('\n')).toContain('--port eighty');
  });

  it('stop has nothing to do', async () => {
    expect(await sandboxStop({ stateDir }, output)).toBe(EXIT.ok);
    expect(lines.join('\n')).toContain('Sandbox not running');
  });
});

describe('baton sandbox reset', () => {
  async function sandboxData(): Promise<string> {
    const dataDir = join(stateDir, 'sandbox');
    await mkdir(join(dataDir, 'snowflake'), { recursive: true });
    await writeFile(join(dataDir, '.baton-sandbox'), '');
    await writeFile(join(dataDir, 'snowflake', 'sandbox.duckdb'), 'tables');
    return dataDir;
  }

  it('deletes the data folder with --yes', async () => {
    const dataDir = await sandboxData();
    expect(await sandboxReset({ stateDir, yes: true }, output)).toBe(EXIT.ok);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('asks for --yes when there is no terminal to confirm on', async () => {
    const dataDir = await sandboxData();
    expect(await sandboxReset({ stateDir }, output)).toBe(EXIT.inputNeeded);
    expect(lines.join('\n')).toContain('--yes');
    expect(existsSync(join(dataDir, 'snowflake', 'sandbox.duckdb'))).toBe(true);
  });

  it('refuses while a sandbox runs on the data', async () => {
    const dataDir = await sandboxData();
    const lock = await acquireLock(dataDir);
    try {
      expect(await sandboxReset({ stateDir, yes: true }, output)).toBe(EXIT.locked);
      expect(lines.join('\n')).toContain('baton sandbox stop');
      expect(existsSync(join(dataDir, 'snowflake', 'sandbox.duckdb'))).toBe(true);
    } finally {
      await lock.release();
    }
  });

  it('never deletes a folder the sandbox did not make', async () => {
    const precious = join(stateDir, 'precious');
    await mkdir(precious);
    await writeFile(join(precious, 'thesis.tex'), 'years of work');
    expect(await sandboxReset({ data: precious, yes: true }, output)).toBe(EXIT.invalid);
    expect(existsSync(join(precious, 'thesis.tex'))).toBe(true);
  });
});

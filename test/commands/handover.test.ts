// `baton handover` as a child process: where the files go, what the options do, and the message
// and exit code for each mistake an operator can make.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/exit-codes.js';
import { fixtureFolder } from '../helpers/handover.js';

const bin = fileURLToPath(new URL('../../bin/baton.js', import.meta.url));

function baton(dir: string, args: string[]) {
  return execa('node', [bin, ...args], { cwd: dir, env: { BATON_STATE_DIR: join(dir, 'state'), BATON_OPERATOR: 'lead', TZ: 'UTC', CI: 'true' }, reject: false, stdin: 'ignore', timeout: 120_000 });
}

describe('baton handover', () => {
  it('writes docs/handover/<env>-<date>.md and .html under the working directory by default', async () => {
    const dir = fixtureFolder();
    const result = await baton(dir, ['handover', '--no-inventory']);
    expect(result.exitCode, result.stderr).toBe(0);
    const today = new Date().toISOString().slice(0, 10);
    expect(readdirSync(join(dir, 'docs', 'handover')).sort()).toEqual([`prod-${today}.html`, `prod-${today}.md`]);
    expect(result.stdout.split('\n')).toEqual([
      `wrote ${join(dir, 'docs', 'handover', `prod-${today}.md`)}`,
      `wrote ${join(dir, 'docs', 'handover', `prod-${today}.html`)}`,
      'prod: 6 runs, 7 problems met, 5 open items',
    ]);
    // The corrupt record is a warning on stderr, not a failure.
    expect(result.stderr).toContain('warning: state/runs/20261121T120000-04-watch-loads-prod-dead.json: not valid JSON');
    expect(readFileSync(join(dir, 'docs', 'handover', `prod-${today}.md`), 'utf8')).toContain('Generated ');
  });

  it('documents another environment, from another folder, since a date', async () => {
    const dir = fixtureFolder();
    const result = await baton(dir, ['handover', '--env', 'sandbox', '--since', '2026-11-18T14:30:00Z', '--out', 'elsewhere', '--no-inventory']);
    expect(result.exitCode, result.stderr).toBe(0);
    const file = readdirSync(join(dir, 'elsewhere')).find((name) => name.endsWith('.md'))!;
    expect(file).toMatch(/^sandbox-/);
    const markdown = readFileSync(join(dir, 'elsewhere', file), 'utf8');
    // 06's drill began before the date; 05's failed drill after it.
    expect(markdown).toContain('### Fallback: load the orders by hand');
    expect(markdown).not.toContain('### Restore deleted rows');
    expect(markdown).toContain('- **Period:** 2026-11-18 14:30:00 to');
    expect(markdown).toContain('Runbooks not run in sandbox since 2026-11-18 14:30:00');
  });

  it('says which environments exist when the one asked for does not', async () => {
    const dir = fixtureFolder();
    const result = await baton(dir, ['handover', '--env', 'prd', '--no-inventory']);
    expect(result.exitCode).toBe(EXIT.usage);
    expect(result.stderr).toBe('baton handover: no environment prd (did you mean prod?); declared: sandbox, staging, prod');
    expect(existsSync(join(dir, 'docs'))).toBe(false);
  });

  it('refuses a --since that is neither a date nor a duration', async () => {
    const dir = fixtureFolder();
    const result = await baton(dir, ['handover', '--since', 'last tuesday', '--no-inventory']);
    expect(result.exitCode).toBe(EXIT.usage);
    expect(result.stderr).toContain('--since last tuesday: give a date (2026-11-25) or a duration ago (7d, 12h)');
  });

  it('names the line of a broken baton.yaml and writes nothing', async () => {
    const dir = fixtureFolder();
    writeFileSync(join(dir, 'runbooks', 'baton.yaml'), 'environments:\n  prod:\n    protectd: true\n');
    const result = await baton(dir, ['handover', '--no-inventory']);
    expect(result.exitCode).toBe(EXIT.invalid);
    expect(result.stderr).toMatch(/baton\.yaml:3:5: error: unknown setting "protectd" in environments\.prod \(did you mean protected\?\)/);
    expect(existsSync(join(dir, 'docs'))).toBe(false);
  });

  it('says where it could not write, without a stack trace', async () => {
    const dir = fixtureFolder();
    // A file where a folder should be: refused even to root.
    writeFileSync(join(dir, 'docs'), 'not a folder');
    const result = await baton(dir, ['handover', '--no-inventory']);
    expect(result.exitCode).toBe(EXIT.failed);
    expect(result.stderr).toMatch(/^baton handover: cannot write the handover into .*\/docs\/handover: ENOTDIR/m);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('has every option documented in docs/handover.md', async () => {
    const help = await execa('node', [bin, 'handover', '--help'], { reject: false, stdin: 'ignore' });
    const options = [...help.stdout.matchAll(/^\s+(--[a-z-]+)/gm)].map((m) => m[1]!).filter((o) => o !== '--help');
    expect(options).toEqual(['--env', '--since', '--runbooks', '--out', '--no-inventory', '--operator']);
    const page = readFileSync(fileURLToPath(new URL('../../docs/handover.md', import.meta.url)), 'utf8');
    for (const option of options) expect(page, option).toMatch(new RegExp(`^\\| \`${option}[ \`]`, 'm'));
  });
});

// Compiled code of a CommonJS dependency kept between starts: used only for the very same text,
// never when the file is damaged, switched off by BATON_CODE_CACHE=off; and the real driver,
// loaded by `baton sql` in its own processes, leaves its code and runs from it the next time.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { loadWithKeptCode } from '../../src/snowflake/code-cache.js';
import { ensureSandbox } from '../../src/sandbox/index.js';
import { tempDir } from '../helpers/context.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A small CommonJS package in a node_modules folder: index requires two files. */
function fakePackage(): { dir: string; load: () => Promise<{ answer: number; name: string }>; files: string[] } {
  const dir = tempDir('baton-code-cache-');
  const pkg = join(dir, 'node_modules', 'fake-driver');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'fake-driver', main: 'index.js' }));
  writeFileSync(join(pkg, 'index.js'), "const { answer } = require('./answer.js');\nmodule.exports = { answer: answer(), name: require('./name.js') };\n");
  writeFileSync(join(pkg, 'answer.js'), 'exports.answer = function () { return 41 + 1; };\n');
  writeFileSync(join(pkg, 'name.js'), "module.exports = 'fake';\n");
  const files = ['index.js', 'answer.js', 'name.js'].map((f) => join(pkg, f));
  const require = createRequire(join(dir, 'main.js'));
  return {
    dir,
    files,
    load: async () => {
      // A new start: nothing of the package in the module cache.
      for (const file of files) delete require.cache[file];
      return require('fake-driver') as { answer: number; name: string };
    },
  };
}

describe('kept compiled code', () => {
  it('compiles and keeps on the first start, runs from the kept code on the next', async () => {
    const fake = fakePackage();
    const cache = join(fake.dir, 'cache');
    const first = await loadWithKeptCode('fake-driver', fake.load, { dir: cache });
    expect(first.value).toEqual({ answer: 42, name: 'fake' });
    expect(first.stats).toMatchObject({ kept: 0, compiled: 3 });
    expect(first.keep()).toBe(true);
    expect(readdirSync(cache)).toEqual([expect.stringMatching(/^fake-driver-v8-.+\.bin$/)]);
    const second = await loadWithKeptCode('fake-driver', fake.load, { dir: cache });
    expect(second.value).toEqual({ answer: 42, name: 'fake' });
    expect(second.stats).toMatchObject({ kept: 3, compiled: 0 });
    // Nothing new to keep.
    expect(second.keep()).toBe(false);
  });

  it('compiles a file whose text changed, even at the same length, and keeps the new code', async () => {
    const fake = fakePackage();
    const cache = join(fake.dir, 'cache');
    (await loadWithKeptCode('fake-driver', fake.load, { dir: cache })).keep();
    const before = readFileSync(fake.files[1]!, 'utf8');
    const after = before.replace('41 + 1', '50 + 7');
    expect(after.length).toBe(before.length);
    writeFileSync(fake.files[1]!, after);
    const changed = await loadWithKeptCode('fake-driver', fake.load, { dir: cache });
    expect(changed.value.answer).toBe(57);
    expect(changed.stats).toMatchObject({ kept: 2, compiled: 1 });
    expect(changed.keep()).toBe(true);
    expect((await loadWithKeptCode('fake-driver', fake.load, { dir: cache })).stats).toMatchObject({ kept: 3, compiled: 0 });
  });

  it('ignores a damaged file and writes it again', async () => {
    const fake = fakePackage();
    const cache = join(fake.dir, 'cache');
    (await loadWithKeptCode('fake-driver', fake.load, { dir: cache })).keep();
    const file = join(cache, readdirSync(cache)[0]!);
    const data = readFileSync(file);
    data[data.length - 5] ^= 0xff;
    writeFileSync(file, data);
    const damaged = await loadWithKeptCode('fake-driver', fake.load, { dir: cache });
    expect(damaged.value).toEqual({ answer: 42, name: 'fake' });
    expect(damaged.stats).toMatchObject({ kept: 0, compiled: 3 });
    expect(damaged.keep()).toBe(true);
    expect((await loadWithKeptCode('fake-driver', fake.load, { dir: cache })).stats).toMatchObject({ kept: 3, compiled: 0 });
  });

  it('leaves Node to compile files that use import(), and does nothing with BATON_CODE_CACHE=off', async () => {
    const fake = fakePackage();
    const cache = join(fake.dir, 'cache');
    writeFileSync(fake.files[2]!, "module.exports = 'fake';\nvoid function later() { return import('node:path'); };\n");
    const mixed = await loadWithKeptCode('fake-driver', fake.load, { dir: cache });
    expect(mixed.stats).toMatchObject({ kept: 0, compiled: 2 });
    const off = await loadWithKeptCode('fake-driver', fake.load, { dir: join(fake.dir, 'unused'), env: { BATON_CODE_CACHE: 'off' } });
    expect(off.value.answer).toBe(42);
    expect(off.stats).toMatchObject({ kept: 0, compiled: 0 });
    expect(off.keep()).toBe(false);
    expect(existsSync(join(fake.dir, 'unused'))).toBe(false);
  });
});

describe('the driver’s kept code', () => {
  it('is left by a first `baton sql` and used by the next, with the same answer', async () => {
    const dir = tempDir('baton-driver-code-');
    const sandbox = await ensureSandbox({ stateDir: join(dir, 'state'), port: 0 });
    try {
      const cache = join(dir, 'code');
      const sql = () =>
        execa(process.execPath, [join(root, 'bin', 'baton.js'), 'sql', '--format', 'json', '-q', 'SELECT 6 * 7 AS ANSWER'], {
          cwd: dir,
          env: { BATON_SANDBOX_URL: sandbox.url, BATON_CODE_CACHE_DIR: cache, SNOWFLAKE_HOME: join(dir, 'snowflake') },
          stdin: 'ignore',
          reject: false,
        });
      const first = await sql();
      expect(first.exitCode, first.stderr).toBe(0);
      const kept = readdirSync(cache).filter((name) => name.startsWith('snowflake-sdk-'));
      expect(kept).toHaveLength(1);
      const size = readFileSync(join(cache, kept[0]!)).length;
      const written = statSync(join(cache, kept[0]!)).mtimeMs;
      expect(size).toBeGreaterThan(500_000);
      const second = await sql();
      expect(second.exitCode, second.stderr).toBe(0);
      expect(second.stdout).toBe(first.stdout);
      expect(JSON.parse(second.stdout.trim())).toEqual([{ ANSWER: 42 }]);
      // The second start had nothing new to keep: the file is the first one's.
      expect(readFileSync(join(cache, kept[0]!)).length).toBe(size);
      expect(statSync(join(cache, kept[0]!)).mtimeMs).toBe(written);
    } finally {
      await sandbox.stop();
    }
  }, 120_000);
});

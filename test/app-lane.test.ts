// The fast lanes: dist/app.cjs (the terminal app) and dist/cli.cjs (every other command line), from
// `npm run build` (which `npm test` runs first), loaded with V8's compiled code kept between starts
// in a cache folder, and every way that can go wrong ending in a plain compile or the ES module
// build, never in a broken start.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { codeCacheDir, laneWanted, loadAppLane, loadCliLane } from '../src/app-lane.js';
import { tempDir } from './helpers/context.js';

vi.setConfig({ testTimeout: 60_000 });

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');

/** Load a lane in a new process, as a start of baton would; `keep` leaves the compiled code. */
function load(cache: string, keep = false, name: 'app' | 'cli' = 'app'): { code: string; offers: string } {
  const child = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'test', 'fixtures', 'app-lane', 'load.ts'), name, dist, cache, ...(keep ? ['keep'] : [])], { cwd: root, encoding: 'utf8' });
  if (child.status !== 0) throw new Error(child.stderr);
  return JSON.parse(child.stdout);
}

/** The files of kept code in `dir`. */
const keptFiles = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.bin')) : []);

describe('the app lane', () => {
  it.each(['app', 'cli'] as const)('%s: compiles the first time, keeps the code, and runs from it the next time', (name) => {
    const cache = tempDir('baton-code-');
    expect(load(cache, true, name)).toEqual({ code: 'compiled', offers: 'function' });
    const files = keptFiles(cache);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(new RegExp(`^${name}-[0-9a-f]{16}-v8-${process.versions.v8.replace(/\./g, '\\.')}-${process.arch}\\.bin$`));
    const kept = join(cache, files[0]!);
    const written = readFileSync(kept);

    expect(load(cache, true, name)).toEqual({ code: 'kept', offers: 'function' });
    expect(readFileSync(kept).equals(written)).toBe(true);
  });

  it('compiles again over damaged code or code V8 refuses, and clears code of other builds', () => {
    const cache = tempDir('baton-code-');
    load(cache, true);
    const kept = join(cache, keptFiles(cache)[0]!);
    const good = readFileSync(kept);
    // Damaged past its header: V8 would run it (and crash) if the digest did not catch it.
    writeFileSync(kept, Buffer.concat([good.subarray(0, 200), Buffer.alloc(good.length - 200, 7)]));
    writeFileSync(join(cache, 'app-0000000000000000-v8-0-x.bin'), 'from an earlier build');
    expect(load(cache, true).code).toBe('compiled');
    expect(keptFiles(cache)).toEqual([kept.slice(cache.length + 1)]);
    expect(load(cache).code).toBe('kept');

    // Whole, but not code V8 made for this script: V8 refuses it.
    const junk = Buffer.from('not compiled code '.repeat(100));
    writeFileSync(kept, Buffer.concat([createHash('sha256').update(junk).digest(), junk]));
    expect(load(cache).code).toBe('compiled');
  });

  it('gives way to the ES module build when the script is missing or not the lane', () => {
    const empty = tempDir('baton-dist-');
    expect(loadAppLane(empty, tempDir())).toBeUndefined();
    writeFileSync(join(empty, 'app.cjs'), 'module.exports = { openApp() {} };');
    expect(loadAppLane(empty, tempDir())).toBeUndefined();
    const broken = tempDir('baton-dist-');
    mkdirSync(broken, { recursive: true });
    copyFileSync(join(dist, 'app.cjs'), join(broken, 'app.cjs'));
    writeFileSync(join(broken, 'app.cjs'), readFileSync(join(broken, 'app.cjs'), 'utf8').replace('"use strict";', '"use strict";throw new Error("no");'));
    expect(loadAppLane(broken, tempDir())).toBeUndefined();
    expect(loadCliLane(empty, tempDir())).toBeUndefined();
    writeFileSync(join(empty, 'cli.cjs'), 'module.exports = { runCli() {} };');
    expect(loadCliLane(empty, tempDir())).toBeUndefined();
  });

  it('runs baton exec through dist/cli.cjs: the first start leaves its code, the next one runs from it', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'two.md'), '# Two steps\n\n## One\n\n```bash\necho one\n```\n\n## Two\n\n```bash\necho "two in $(basename "$PWD")"\n```\n');
    const cache = tempDir('baton-code-');
    const exec = (env: NodeJS.ProcessEnv = {}) => {
      const child = spawnSync(process.execPath, [join(root, 'bin', 'baton.js'), '--state-dir', join(dir, 'state'), 'exec', 'two.md', '--yes', '--new'], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, BATON_CODE_CACHE_DIR: cache, ...env },
      });
      expect(child.status, child.stderr).toBe(0);
      return child.stdout;
    };
    expect(exec({ BATON_CODE_CACHE: 'off' })).toMatch(/two in baton-test-/);
    expect(keptFiles(cache)).toEqual([]);
    expect(exec()).toMatch(/two in baton-test-/);
    const [kept] = keptFiles(cache);
    expect(kept).toMatch(/^cli-[0-9a-f]{16}-/);
    const first = statSync(join(cache, kept!));
    // Used, so not written again (a new file would come through a rename: another inode).
    expect(exec()).toMatch(/DONE: 2\/2 steps done/);
    expect(statSync(join(cache, kept!)).ino).toBe(first.ino);
  });

  it('is switched off by BATON_CODE_CACHE=off and for React devtools, and keeps code under node_modules/.cache', () => {
    expect(laneWanted({})).toBe(true);
    expect(laneWanted({ BATON_CODE_CACHE: 'off' })).toBe(false);
    expect(laneWanted({ DEV: 'true' })).toBe(false);
    expect(codeCacheDir('/opt/baton/dist', {})).toBe(join('/opt/baton', 'node_modules', '.cache', 'baton'));
    expect(codeCacheDir('/opt/baton/dist', { BATON_CODE_CACHE_DIR: '/tmp/x' })).toBe('/tmp/x');
  });
});

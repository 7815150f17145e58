// Shared by the exec benches: the built CLI, temp folders, wall-clock timing of a child process,
// and the peak RSS a child reports about itself.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const root = fileURLToPath(new URL('..', import.meta.url));
/** The built CLI. */
export const bin = join(root, 'bin', 'baton.js');

/** Build baton when run alone (`npx tsx bench/exec-….ts`) before a build. */
export function ensureBuilt(): void {
  if (existsSync(join(root, 'dist', 'cli.js'))) return;
  const built = spawnSync(process.execPath, [join(root, 'scripts', 'build.js')], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('npm run build failed');
}

/** A fresh temp folder. */
export function scratch(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Milliseconds a command takes, start to exit. */
export function wallMs(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): { ms: number; status: number | null; stderr: string } {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, status: result.status, stderr: result.stderr.toString() };
}

/** A preload that makes a Node child print its own peak RSS (MB) to stderr when it exits. */
export function rssProbe(dir: string): string {
  const file = join(dir, 'rss-probe.mjs');
  writeFileSync(file, "process.on('exit', () => process.stderr.write(`\\npeak-rss-mb ${(process.resourceUsage().maxRSS / 1024).toFixed(1)}\\n`));\n");
  return file;
}

/** The median of some samples. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

// `npm run bench`: runs every bench/*.ts (but this file), one after another, each in its own
// process so one bench's warm caches do not flatter the next. Each bench is first bundled with
// esbuild the way scripts/build.js bundles baton, so the figures are those of the code that ships
// (tsx's on-the-fly transform adds a name-keeping helper to every closure, which costs time).
// Exits non-zero when any bench fails its budget. `npm run bench -- parse` runs only matching ones.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const folder = join(root, 'bench');
// Inside node_modules so the bundles find the project's packages, which stay external.
const out = join(root, 'node_modules', '.cache', 'baton-bench');
mkdirSync(out, { recursive: true });

const only = process.argv.slice(2);
const benches = readdirSync(folder)
  .filter((name) => name.endsWith('.ts') && name !== 'run.ts')
  .filter((name) => only.length === 0 || only.some((wanted) => name.includes(wanted)))
  .sort();

let failed = 0;
for (const name of benches) {
  process.stdout.write(`\n== bench/${name}\n`);
  const outfile = join(out, name.replace(/\.ts$/, '.mjs'));
  await build({
    absWorkingDir: root,
    entryPoints: [join(folder, name)],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const result = spawnSync(process.execPath, [outfile], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.stdout.write(`\n${benches.length - failed} of ${benches.length} benches within budget\n`);
process.exitCode = failed === 0 ? 0 : 1;

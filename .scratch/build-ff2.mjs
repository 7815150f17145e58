import { build } from 'esbuild';
import { bundleOptions } from '../scripts/bundle-options.js';
await build({ ...bundleOptions(process.cwd()), jsx: 'automatic', entryPoints: { hello: '.scratch/hello-exit.tsx' }, outdir: '.scratch/hellostock' });

import { build } from 'esbuild';
import { bundleOptions, inkStartup } from '../scripts/bundle-options.js';
const root = process.cwd();
await build({ ...bundleOptions(root), jsx: 'automatic', entryPoints: { ff: '.scratch/first-frame.ts' }, outdir: '.scratch/ffdist', plugins: [inkStartup] });
await build({ ...bundleOptions(root), jsx: 'automatic', entryPoints: { hello: '.scratch/hello-exit.tsx' }, outdir: '.scratch/hellodist', plugins: [inkStartup] });

import { build } from 'esbuild';
import { bundleOptions, inkStartup } from '../scripts/bundle-options.js';
await build({ ...bundleOptions(process.cwd()), jsx: 'automatic', entryPoints: { pff: '.scratch/pff.ts', pff2: '.scratch/pff2.ts' }, outdir: '.scratch/pdist2', plugins: [inkStartup] });

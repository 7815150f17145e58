import { build } from 'esbuild';
import { bundleOptions, inkStartup } from '../scripts/bundle-options.js';
await build({ ...bundleOptions(process.cwd()), jsx: 'automatic', entryPoints: { pff: '.scratch/pff.ts', phello: '.scratch/phello.tsx' }, outdir: '.scratch/pdist', plugins: [inkStartup] });

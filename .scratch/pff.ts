import './prof-head.js';
await import('../src/cli.js');

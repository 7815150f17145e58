import './prof-head.js';
await import('../src/main.js');

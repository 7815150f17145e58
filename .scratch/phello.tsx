import './prof-head.js';
await import('./hello-body.js');

import v8 from 'node:v8';
v8.setFlagsFromString('--max-semi-space-size=32');
v8.setFlagsFromString('--min-semi-space-size=16');
await import('./pff.js');

import { join } from 'node:path';
import { library, median, root, timeToScreen } from '../bench/tui-common.js';
const { runbooks, stateDir } = library(50);
const hello = join(root, 'node_modules/.cache/baton-bench/ink-hello/stock/hello.js');
const t: Record<string, number[]> = { shim: [], dot: [], hello: [] };
await timeToScreen(`node /tmp/ab/dot/main.js --runbooks ${runbooks} --state-dir ${stateDir}`, 'type to filter');
for (let i = 0; i < 13; i++) {
  for (const v of ['shim', 'dot']) t[v]!.push(await timeToScreen(`node /tmp/ab/${v}/main.js --runbooks ${runbooks} --state-dir ${stateDir}`, 'type to filter'));
  t.hello!.push(await timeToScreen(`node ${hello}`, 'Hello from Ink'));
}
console.log(Object.entries(t).map(([k, v]) => `${k} ${median(v).toFixed(0)}`).join('  '));

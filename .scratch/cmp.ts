import { join } from 'node:path';
import { library, median, root, timeToScreen } from '../bench/tui-common.js';
const { runbooks, stateDir } = library(50);
const hello = join(root, 'node_modules/.cache/baton-bench/ink-hello/stock/hello.js');
const t = { full: [] as number[], empty: [] as number[], hello: [] as number[] };
await timeToScreen(`node bin/baton.js --runbooks ${runbooks} --state-dir ${stateDir}`, 'type to filter');
for (let i = 0; i < 11; i++) {
  t.full.push(await timeToScreen(`node bin/baton.js --runbooks ${runbooks} --state-dir ${stateDir}`, 'type to filter'));
  t.empty.push(await timeToScreen(`node bin/baton.js --runbooks /tmp/empty-rb --state-dir ${stateDir}`, 'type to filter'));
  t.hello.push(await timeToScreen(`node ${hello}`, 'Hello from Ink'));
}
console.log(Object.entries(t).map(([k, v]) => `${k} ${median(v).toFixed(0)}`).join('  '));

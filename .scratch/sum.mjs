import fs from 'node:fs';
const f = fs.readdirSync('prof')[0]; const p = JSON.parse(fs.readFileSync('prof/'+f));
const byId = new Map(p.nodes.map(n => [n.id, n])); const self = new Map();
const dt = p.timeDeltas; for (let i = 0; i < p.samples.length; i++) { const n = byId.get(p.samples[i]); const key = (n.callFrame.url.split('/').slice(-1)[0]||'(native)') + ' ' + n.callFrame.functionName; self.set(key, (self.get(key)||0) + dt[i]); }
console.log('total ms', (p.endTime - p.startTime)/1000);
console.log([...self].sort((a,b)=>b[1]-a[1]).slice(0,25).map(([k,v])=>`${(v/1000).toFixed(1)} ${k}`).join('\n'));

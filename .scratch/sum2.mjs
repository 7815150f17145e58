import fs from 'node:fs';
const f = fs.readdirSync('prof')[0]; const p = JSON.parse(fs.readFileSync('prof/'+f));
const byId = new Map(p.nodes.map(n => [n.id, n]));
const parent = new Map(); for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map(), byFile = new Map(), total = new Map();
const dt = p.timeDeltas;
for (let i = 0; i < p.samples.length; i++) { const n = byId.get(p.samples[i]); const file = n.callFrame.url.split('/').slice(-1)[0] || '(native)'; const key = file + ' ' + n.callFrame.functionName + ':' + n.callFrame.lineNumber; self.set(key, (self.get(key)||0) + dt[i]); byFile.set(file, (byFile.get(file)||0)+dt[i]);
  // inclusive by function for top-level frames
  let id = n.id; const seen = new Set(); while (id !== undefined) { const m = byId.get(id); const k = (m.callFrame.url.split('/').slice(-1)[0]||'(native)') + ' ' + m.callFrame.functionName + ':' + m.callFrame.lineNumber; if (!seen.has(k)) { total.set(k, (total.get(k)||0)+dt[i]); seen.add(k);} id = parent.get(id); } }
console.log('total ms', (p.endTime - p.startTime)/1000);
console.log('--- by file'); console.log([...byFile].sort((a,b)=>b[1]-a[1]).slice(0,15).map(([k,v])=>`${(v/1000).toFixed(1)} ${k}`).join('\n'));
console.log('--- inclusive'); console.log([...total].sort((a,b)=>b[1]-a[1]).slice(0,40).map(([k,v])=>`${(v/1000).toFixed(1)} ${k}`).join('\n'));

import fs from 'node:fs';
const p = JSON.parse(fs.readFileSync(process.argv[2]));
const byId = new Map(p.nodes.map(n => [n.id, n]));
const parent = new Map(); for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const total = new Map(), selfm = new Map();
const dt = p.timeDeltas; let sum = 0;
for (let i = 0; i < p.samples.length; i++) { const n = byId.get(p.samples[i]); if (n.callFrame.functionName === '(idle)') continue; sum += dt[i];
  const sk = (n.callFrame.url.split('/').slice(-1)[0]||'(native)') + ' ' + n.callFrame.functionName; selfm.set(sk, (selfm.get(sk)||0)+dt[i]);
  let id = n.id; const seen = new Set(); while (id !== undefined) { const m = byId.get(id); const k = (m.callFrame.url.split('/').slice(-1)[0]||'(native)') + ' ' + m.callFrame.functionName + ':' + m.callFrame.lineNumber; if (!seen.has(k)) { total.set(k, (total.get(k)||0)+dt[i]); seen.add(k);} id = parent.get(id); } }
console.log('busy ms', (sum/1000).toFixed(1), 'wall', ((p.endTime-p.startTime)/1000).toFixed(1));
console.log([...total].sort((a,b)=>b[1]-a[1]).slice(0,+process.argv[3]||30).map(([k,v])=>`${(v/1000).toFixed(1)} ${k}`).join('\n'));
console.log('--- self'); console.log([...selfm].sort((a,b)=>b[1]-a[1]).slice(0,15).map(([k,v])=>`${(v/1000).toFixed(1)} ${k}`).join('\n'));

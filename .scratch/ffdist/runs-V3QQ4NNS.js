import { createRequire as __batonCreateRequire } from 'node:module'; const require = __batonCreateRequire(import.meta.url);
import{e as c}from"./chunk-XRQ2KNF2.js";import{a as o}from"./chunk-462BTH2S.js";import{a as d}from"./chunk-D5DXLWMU.js";import{a as m}from"./chunk-XED3GMBD.js";import"./chunk-JRJFCKEQ.js";var l=["running","paused","failed","aborted","done","abandoned"];async function T(e,a=new Date){let t=e.since===void 0?void 0:p(e.since,a);if(t===null)return process.stderr.write(`baton runs: --since ${e.since}: give a date (2026-11-25) or a duration ago (7d, 12h)
`),o.usage;let r=e.status?.split(",").map(u=>u.trim()).filter(Boolean),n=r?.find(u=>!l.includes(u));if(n)return process.stderr.write(`baton runs: --status ${n}: use ${l.join(", ")}
`),o.usage;if(e.limit!==void 0&&!(e.limit>0))return process.stderr.write(`baton runs: --limit needs a positive number
`),o.usage;let i=m(e.stateDir),s=await c(i,{...e.env?{environment:e.env}:{},...e.runbook?{runbookId:e.runbook}:{},...t?{since:t}:{},...r?{status:r}:{},...e.limit?{limit:e.limit}:{}});for(let u of s.problems)process.stderr.write(`baton runs: ${u}
`);return e.json?process.stdout.write(`${JSON.stringify(s.runs,null,2)}
`):s.runs.length===0?process.stdout.write(`no runs recorded in ${i}${e.env||e.runbook||t||r?" that match":""}
`):process.stdout.write(`${f(s.runs).join(`
`)}
`),o.ok}function f(e){let a=e.map(n=>[n.id,n.runbookId,n.environment+(n.protected?"*":""),n.status+(n.practice?" (practice)":"")+(n.parentRunId?" (fallback)":""),`${n.stepsDone}/${n.stepsTotal}`,n.operator,n.startedAt.slice(0,16).replace("T"," ")]),t=["RUN","RUNBOOK","ENV","STATUS","STEPS","OPERATOR","STARTED (UTC)"],r=t.map((n,i)=>Math.max(n.length,...a.map(s=>s[i].length)));return[t,...a].map(n=>n.map((i,s)=>s===n.length-1?i:i.padEnd(r[s])).join("  "))}function p(e,a){if(/^\d{4}-\d{2}-\d{2}/.test(e)){let r=new Date(e);return Number.isNaN(r.getTime())?null:r}let t=d(e);return"ms"in t?new Date(a.getTime()-t.ms):null}export{f as formatRuns,p as parseSince,T as runs};
//# sourceMappingURL=runs-V3QQ4NNS.js.map

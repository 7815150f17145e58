import { createRequire as __batonCreateRequire } from 'node:module'; const require = __batonCreateRequire(import.meta.url);
import{c as o}from"./chunk-6BIUP7OM.js";var p=200;function u(e){if(e.child&&e.child.phase!=="ended"){let n=u(e.child);if(n.length>0)return n}return e.questions}function g(e,n){let r=new Map(e.variables.map(t=>[t.name,t.shown]));return o(n,t=>{let i=r.get(t);if(i!==void 0)return{value:i};let[s,a]=t.split(".",2);return a==="value"&&r.has(s)?{value:r.get(s)}:void 0}).shown}export{p as a,u as b,g as c};
//# sourceMappingURL=chunk-LHQSHPLY.js.map

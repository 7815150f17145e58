import { createRequire as __batonCreateRequire } from 'node:module'; const require = __batonCreateRequire(import.meta.url);
import{join as n,resolve as o}from"node:path";function c(s,t=process.env,r=process.cwd()){let e=s??(t.BATON_STATE_DIR&&t.BATON_STATE_DIR.trim()!==""?t.BATON_STATE_DIR:"state");return o(r,e)}function g(s){let t=n(s,"runs");return{root:s,runs:t,logs:n(s,"logs"),locks:n(s,"locks"),index:n(t,"index.jsonl")}}export{c as a,g as b};
//# sourceMappingURL=chunk-AITXTQ3L.js.map

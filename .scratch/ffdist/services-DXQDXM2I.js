import { createRequire as __batonCreateRequire } from 'node:module'; const require = __batonCreateRequire(import.meta.url);
import"./chunk-JRJFCKEQ.js";function i(e,t={}){return{async readLibrary(){let{readLibrary:r}=await import("./summaries-N7UG3QXW.js");return r(e.runbooks,e.stateDir)},async readStandings(r){let{readStandings:n}=await import("./standing-C745OFLO.js");return n(e.stateDir,r)},async openRun(r){let{openRun:n}=await import("./open-run-GJDOVKVO.js");return n({...r,...t,stateDir:e.stateDir})}}}export{i as realServices};
//# sourceMappingURL=services-DXQDXM2I.js.map

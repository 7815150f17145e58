import { createRequire as __batonCreateRequire } from 'node:module'; const require = __batonCreateRequire(import.meta.url);
import"./chunk-JRJFCKEQ.js";function i(e,t={}){return{async readLibrary(){let{readLibrary:r}=await import("./summaries-KNPGHGPZ.js");return r(e.runbooks,e.stateDir)},async readStandings(r){let{readStandings:n}=await import("./standing-CIM2U2WM.js");return n(e.stateDir,r)},async openRun(r){let{openRun:n}=await import("./open-run-B56S4JSI.js");return n({...r,...t,stateDir:e.stateDir})}}}export{i as realServices};
//# sourceMappingURL=services-G7OOXZRC.js.map

import { createRequire as __batonCreateRequire } from 'node:module'; const require = __batonCreateRequire(import.meta.url);
import{a,b}from"./chunk-XED3GMBD.js";import"./chunk-JRJFCKEQ.js";export{a as resolveStateDir,b as statePaths};
//# sourceMappingURL=paths-I6YG2NFD.js.map

import { createRequire as __batonCreateRequire } from 'node:module'; const require = __batonCreateRequire(import.meta.url);
import{a,b}from"./chunk-52ELQRQK.js";import"./chunk-HYVLEQ4M.js";import"./chunk-JRJFCKEQ.js";export{a as SANDBOX,b as loadEnvironments};
//# sourceMappingURL=environments-AM2AHKXF.js.map

import { createRequire as __batonCreateRequire } from 'node:module'; const require = __batonCreateRequire(import.meta.url);
import{c as a,d as b,e as c,f as d}from"./chunk-OJVM7QGR.js";import"./chunk-D5DXLWMU.js";import"./chunk-2IMT3GZC.js";import"./chunk-HYVLEQ4M.js";import"./chunk-6BIUP7OM.js";import"./chunk-JRJFCKEQ.js";export{d as checkLibrary,b as loadLibrary,c as loadPaths,a as loadRunbook};
//# sourceMappingURL=library-IP352J5E.js.map

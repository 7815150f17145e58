import { createRequire as __batonCreateRequire } from 'node:module'; const require = __batonCreateRequire(import.meta.url);
import{a,b,c,d}from"./chunk-JVC6TKJE.js";import"./chunk-462BTH2S.js";import"./chunk-OJVM7QGR.js";import"./chunk-D5DXLWMU.js";import"./chunk-2IMT3GZC.js";import"./chunk-HYVLEQ4M.js";import"./chunk-6BIUP7OM.js";import"./chunk-JRJFCKEQ.js";export{a as DEFAULT_RUNBOOKS,c as formatReport,d as plural,b as validate};
//# sourceMappingURL=validate-6P4F3LM6.js.map

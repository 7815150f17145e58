import { createRequire as __batonCreateRequire } from 'node:module'; const require = __batonCreateRequire(import.meta.url);
import{a,b}from"./chunk-BMVHYSJC.js";import"./chunk-2EIXSNKZ.js";import"./chunk-XRQ2KNF2.js";import"./chunk-XED3GMBD.js";import"./chunk-JRJFCKEQ.js";export{b as isDone,a as readStandings};
//# sourceMappingURL=standing-C745OFLO.js.map

import { createRequire as __batonCreateRequire } from 'node:module'; const require = __batonCreateRequire(import.meta.url);
import{a,b}from"./chunk-GNIJKMHX.js";import"./chunk-YC7OLV6O.js";import"./chunk-FEHGGDYO.js";import"./chunk-AITXTQ3L.js";import"./chunk-JRJFCKEQ.js";export{b as isDone,a as readStandings};
//# sourceMappingURL=standing-CIM2U2WM.js.map

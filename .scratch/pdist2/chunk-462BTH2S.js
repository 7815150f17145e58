import { createRequire as __batonCreateRequire } from 'node:module'; const require = __batonCreateRequire(import.meta.url);
var e={ok:0,failed:1,usage:2,invalid:3,locked:4,inputNeeded:5,aborted:130};export{e as a};
//# sourceMappingURL=chunk-462BTH2S.js.map

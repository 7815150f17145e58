import { createRequire as __batonCreateRequire } from 'node:module'; const require = __batonCreateRequire(import.meta.url);
import"./chunk-EOJJCNH2.js";await import("./main-PQD5BAYY.js");
//# sourceMappingURL=pff.js.map

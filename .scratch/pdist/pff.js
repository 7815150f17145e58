import { createRequire as __batonCreateRequire } from 'node:module'; const require = __batonCreateRequire(import.meta.url);
import"./chunk-EOJJCNH2.js";await import("./cli-CEEAK4XD.js");
//# sourceMappingURL=pff.js.map

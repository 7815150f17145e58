import { createRequire as __batonCreateRequire } from 'node:module'; const require = __batonCreateRequire(import.meta.url);
import"./chunk-EOJJCNH2.js";await import("./hello-body-A22OXWLS.js");
//# sourceMappingURL=phello.js.map

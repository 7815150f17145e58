import { createRequire as __batonCreateRequire } from 'node:module'; const require = __batonCreateRequire(import.meta.url);
import i from"node:v8";i.setFlagsFromString("--max-semi-space-size=32");i.setFlagsFromString("--min-semi-space-size=16");await import("./pff.js");
//# sourceMappingURL=pff2.js.map

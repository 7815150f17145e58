import { createRequire as __batonCreateRequire } from 'node:module'; const require = __batonCreateRequire(import.meta.url);
var o=process.stdout.write.bind(process.stdout);process.stdout.write=(s,...t)=>{let r=o(s,...t);if(String(s).includes("Hello from Ink")){{let e=process.cpuUsage();process.stderr.write(`FIRST ${performance.now().toFixed(1)} cpu ${((e.user+e.system)/1e3).toFixed(1)}
`)}setImmediate(()=>process.exit(0))}return r};await import("./hello-body-Y37D55X5.js");
//# sourceMappingURL=hello.js.map

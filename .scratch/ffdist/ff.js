import { createRequire as __batonCreateRequire } from 'node:module'; const require = __batonCreateRequire(import.meta.url);
var o=process.stdout.write.bind(process.stdout);process.stdout.write=(e,...t)=>{let r=o(e,...t);if(String(e).includes(process.env.MARK??"type to filter")){{let s=process.cpuUsage();process.stderr.write(`FIRST ${performance.now().toFixed(1)} cpu ${((s.user+s.system)/1e3).toFixed(1)}
`)}setImmediate(()=>process.exit(0))}return r};await import("./cli-IBTJJY7H.js");
//# sourceMappingURL=ff.js.map

import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
const session = new Session(); session.connect();
session.post('Profiler.enable'); session.post('Profiler.setSamplingInterval', { interval: 100 }); session.post('Profiler.start');
const write = process.stdout.write.bind(process.stdout);
(process.stdout as any).write = (chunk: any, ...rest: any[]) => { const r = write(chunk, ...rest); if (String(chunk).includes(process.env.MARK!)) { session.post('Profiler.stop', (_e: any, res: any) => { writeFileSync(process.env.PROF_OUT!, JSON.stringify(res.profile)); process.exit(0); }); } return r; };

import { spawn } from 'node:child_process';
const [marker, ...cmd] = process.argv.slice(2);
async function once() {
  return new Promise((res) => {
    const env = { ...process.env, TERM: 'xterm-256color', COLUMNS: '100', LINES: '30' }; delete env.CI;
    const t0 = performance.now();
    const child = spawn('script', ['-qfec', cmd.join(' '), '/dev/null'], { env, stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; if (out.includes(marker)) { const t = performance.now() - t0; child.kill('SIGKILL'); res(t); } });
  });
}
const times = [];
for (let i = 0; i < 10; i++) times.push(await once());
times.sort((a,b)=>a-b);
console.log(cmd.join(' '), 'median', times[5].toFixed(0), 'min', times[0].toFixed(0));

// Entry of the AutoSys command-line fakes (`dist/autosys-cli.js PROGRAM ARGS…`), called by the
// small scripts in sandbox/bin. It forwards argv and stdin to the sandbox's AutoSys service and
// prints what comes back, so `sendevent`, `autorep`, `jil`, `autostatus` behave like commands.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { message } from './model.js';

const DEFAULT_URL = 'http://127.0.0.1:8085/autosys';

async function main(): Promise<number> {
  const [program, ...args] = process.argv.slice(2);
  if (!program) {
    process.stderr.write('usage: autosys-cli.js sendevent|autorep|autostatus|jil|autosyslog [args]\n');
    return 2;
  }
  const stdin = program === 'jil' ? await readStdin() : '';
  const base = (process.env.BATON_AUTOSYS_URL || DEFAULT_URL).replace(/\/+$/, '');
  try {
    const reply = await post(`${base}/cli`, JSON.stringify({ program, args, stdin }));
    process.stdout.write(reply.stdout);
    process.stderr.write(reply.stderr);
    return reply.exit;
  } catch (error) {
    const down = message('serverDown', { url: base, reason: (error as Error).message });
    process.stderr.write(down.text + '\n');
    return down.exit;
  }
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('jil> reading definitions until end of input (Ctrl-D)\n');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function post(url: string, body: string): Promise<{ stdout: string; stderr: string; exit: number }> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(target, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          const parsed = JSON.parse(text) as { stdout?: string; stderr?: string; exit?: number; error?: string };
          if (res.statusCode !== 200) reject(new Error(parsed.error ?? `HTTP ${res.statusCode}`));
          else resolve({ stdout: parsed.stdout ?? '', stderr: parsed.stderr ?? '', exit: parsed.exit ?? 0 });
        } catch {
          reject(new Error(`HTTP ${res.statusCode}: not an AutoSys sandbox answer`));
        }
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

process.exitCode = await main();

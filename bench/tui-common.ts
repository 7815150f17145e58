// Shared by the terminal app's benches: a library of runbooks to open, the built app, and timing
// a program under a real pseudo-terminal (`script`) from its start to a text on its screen.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The repository (benches run from it, alone or through bench/run.ts). */
export const root = process.cwd();

/** Build dist/ when it is not there (a bench run alone with `npx tsx`). */
export function ensureBuilt(): void {
  if (!existsSync(join(root, 'dist', 'cli.js'))) spawnSync(process.execPath, ['scripts/build.js'], { cwd: root, stdio: 'inherit' });
}

/** A folder of `count` runbooks (one of them a restore) with a baton.yaml, and a state folder. */
export function library(count: number): { runbooks: string; stateDir: string } {
  const base = mkdtempSync(join(tmpdir(), 'baton-bench-tui-'));
  const runbooks = join(base, 'runbooks');
  mkdirSync(runbooks);
  writeFileSync(join(runbooks, 'baton.yaml'), 'default: sandbox\nenvironments:\n  sandbox: {}\n  staging: {}\n  prod: { protected: true }\n');
  for (let i = 1; i <= count; i++) {
    const name = i === 7 ? 'restore-orders' : `procedure-${i}`;
    const steps = Array.from({ length: 6 }, (_, s) => `## Step ${s + 1} of ${name}\n\nDo the **thing** number ${s + 1}; see [the wiki](https://wiki.example/${name}).\n\n\`\`\`bash {timeout=1m}\necho "step ${s + 1} of {{TARGET}}"\n\`\`\`\n\n- [ ] The output says step ${s + 1}.\n`).join('\n');
    writeFileSync(
      join(runbooks, `${String(i).padStart(2, '0')}-${name}.md`),
      `---\ntitle: ${i === 7 ? 'Restore the orders table' : `Procedure ${i}`}\nsummary: What procedure ${i} is for, in one line.\ntags: [bench]\nvariables:\n  TARGET: { default: "x${i}" }\n---\n# ${name}\n\n${steps}`,
    );
  }
  return { runbooks, stateDir: join(base, 'state') };
}

/** CPU time (user + system, ms) a node process below `pid` has used so far, from /proc (Linux). */
function nodeCpuMs(pid: number): number | undefined {
  const read = (path: string) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return '';
    }
  };
  const queue = [pid];
  while (queue.length > 0) {
    const current = queue.shift()!;
    if (read(`/proc/${current}/comm`).trim() === 'node') {
      const fields = read(`/proc/${current}/stat`).replace(/^.*\) /, '').split(' ');
      // Fields 14 and 15 of stat (utime, stime) are the 12th and 13th after the command name.
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
    }
    queue.push(...read(`/proc/${current}/task/${current}/children`).split(' ').filter(Boolean).map(Number));
  }
  return undefined;
}

/** A time to the screen: wall-clock, and the CPU time the node process used to get there. */
export interface ScreenTime {
  ms: number;
  /** In 10 ms steps (the kernel's clock ticks); undefined where /proc cannot tell. */
  cpuMs?: number;
}

/** Milliseconds from starting `command` in a 100×30 pseudo-terminal until `marker` shows on it. */
export function timeToScreen(command: string, marker: string, env: NodeJS.ProcessEnv = {}): Promise<ScreenTime> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color', ...env };
  delete childEnv.CI;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('script', ['-qfec', `stty cols 100 rows 30; exec ${command}`, '/dev/null'], { env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    let seen = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`"${marker}" did not show within 20 s; the screen had: ${seen.slice(-500)}`));
    }, 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      if (seen.includes(marker)) {
        const ms = performance.now() - started;
        const cpuMs = nodeCpuMs(child.pid!);
        clearTimeout(timer);
        child.kill('SIGKILL');
        resolve(cpuMs === undefined ? { ms } : { ms, cpuMs });
      }
    });
  });
}

/** The median of some numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

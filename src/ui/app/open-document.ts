// Handing a document to the desktop: `$BATON_OPEN` when set (any program that takes a path, e.g.
// `firefox`), else the platform's opener. On a server without a desktop this fails, and the
// operator gets a line saying where the file is instead.
import { spawn } from 'node:child_process';

/** How long to wait for the opener to fail before taking its silence as success. */
const SETTLE_MS = 3000;

/** Open a file with the desktop's viewer; resolves with a problem line, or undefined when it was handed over. */
export function openDocument(path: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const chosen = env.BATON_OPEN?.trim();
  const [command, ...args] = chosen
    ? [...chosen.split(/\s+/), path]
    : process.platform === 'darwin'
      ? ['open', path]
      : process.platform === 'win32'
        ? ['cmd', '/c', 'start', '""', path]
        : ['xdg-open', path];
  const instead = `open ${path} in a browser`;
  return new Promise((resolve) => {
    let settled = false;
    const settle = (problem: string | undefined) => {
      if (settled) return;
      settled = true;
      resolve(problem);
    };
    const child = spawn(command!, args, { stdio: 'ignore', detached: true });
    child.on('error', (error: NodeJS.ErrnoException) =>
      settle(error.code === 'ENOENT' ? `${command} is not installed here (set BATON_OPEN to a viewer): ${instead}` : `${command}: ${error.message}: ${instead}`),
    );
    child.on('exit', (code) => settle(code === 0 ? undefined : `${command} exited ${code}: ${instead}`));
    setTimeout(() => settle(undefined), SETTLE_MS).unref();
    child.unref();
  });
}

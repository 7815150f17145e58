// Giving the terminal to an `interactive` action's child and taking it back, on the terminal's
// side (the app model has the screens draw nothing meanwhile):
// - Ink writes a change within a frame, erasing its last one: that is waited out, or the erase
//   would land on the child's first words. Then the child gets a clear screen and a cursor.
// - This process stops reading the keyboard. Node otherwise keeps polling it after Ink lets go,
//   and races the child for each line typed; worse, a shell's `read` turns the terminal blocking
//   (the child shares this process's open terminal), and Node's next read then blocks the whole
//   process, child exit included, until another key comes.
// - Ctrl-C is the child's: the terminal sends it to both, and only the child should stop.
// Taking it back undoes each, and clears what the child left before the app draws again.
import type { ScreenHandover } from './app/app-model.js';
import { FRAMES_PER_SECOND } from './mount.js';

/** The parts of Node's terminal stream used here (its handle is internal to Node, hence optional). */
interface TerminalInput {
  _handle?: { reading?: boolean; readStart?: () => number; readStop?: () => number; setBlocking?: (blocking: boolean) => number } | null;
}

const ignoreInterrupt = () => undefined;

/** The handover of the process's terminal (or the given streams). */
export function screenHandover(stdin: NodeJS.ReadStream = process.stdin, stdout: NodeJS.WriteStream = process.stdout): ScreenHandover {
  const handle = () => (stdin as unknown as TerminalInput)._handle ?? undefined;
  // Whether Node was waiting for keys when the child got the terminal: it waits again after.
  let stopped = false;
  return {
    async handOver() {
      await new Promise((resolve) => setTimeout(resolve, (2 * 1000) / FRAMES_PER_SECOND));
      const input = handle();
      if (input?.reading && input.readStop) {
        input.readStop();
        input.reading = false;
        stopped = true;
      }
      process.on('SIGINT', ignoreInterrupt);
      stdout.write('\x1b[2J\x1b[H\x1b[?25h');
    },
    takeBack() {
      process.off('SIGINT', ignoreInterrupt);
      const input = handle();
      input?.setBlocking?.(false);
      if (stopped && input?.readStart) {
        input.reading = true;
        input.readStart();
      }
      stopped = false;
      stdout.write('\x1b[2J\x1b[H\x1b[?25l');
    },
  };
}

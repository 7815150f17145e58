import { describe, expect, it } from 'vitest';
import { Printer, type StreamName } from '../../src/headless/printer.js';

/** A printer whose two streams write into one list, in the order the writes happen. */
function recorded(gather: boolean): { printer: Printer; writes: [StreamName, string][] } {
  const writes: [StreamName, string][] = [];
  const stream = (name: StreamName) => ({ write: (text: string | Uint8Array) => writes.push([name, String(text)]) > 0 });
  return { printer: new Printer({ gather, streams: { stdout: stream('stdout'), stderr: stream('stderr') } }), writes };
}

const macrotask = () => new Promise((resolve) => setImmediate(resolve));

describe('the printer of baton exec', () => {
  it('writes the lines of one burst together once it is over, keeping the order across stdout and stderr', async () => {
    const { printer, writes } = recorded(true);
    printer.line('stdout', '[1/2] Load');
    printer.line('stdout', '  ▸ action 1: true');
    expect(writes).toEqual([]);
    // A line for the other stream sends what waits first.
    printer.line('stderr', 'baton: warning: slow');
    printer.line('stdout', '  ✓ action 1 3ms');
    expect(writes).toHaveLength(2);
    await macrotask();
    expect(writes).toEqual([
      ['stdout', '[1/2] Load\n  ▸ action 1: true\n'],
      ['stderr', 'baton: warning: slow\n'],
      ['stdout', '  ✓ action 1 3ms\n'],
    ]);
  });

  it("writes a command's output at once, behind the lines already waiting", () => {
    const { printer, writes } = recorded(true);
    printer.line('stdout', '  ▸ action 1: seq 2');
    printer.write('stdout', '      1\n      2\n');
    expect(writes).toEqual([
      ['stdout', '  ▸ action 1: seq 2\n'],
      ['stdout', '      1\n      2\n'],
    ]);
  });

  it('writes every line at once when questions are typed on the terminal, and flush empties what waits', () => {
    const direct = recorded(false);
    direct.printer.line('stdout', 'now');
    expect(direct.writes).toEqual([['stdout', 'now\n']]);
    const gathered = recorded(true);
    gathered.printer.line('stderr', 'pending');
    gathered.printer.flush();
    gathered.printer.flush();
    expect(gathered.writes).toEqual([['stderr', 'pending\n']]);
  });
});

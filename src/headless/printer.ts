// The lines `baton exec` prints, gathered while one burst of events is handled and written together
// once it is over: a step that runs a quick command produces four or five lines in a millisecond,
// and one write costs what one line does. Order is kept (across stdout and stderr too), and a
// command's own output, which comes in large batches, is written at once behind what is pending.

/** Which of the process's streams a line goes to. */
export type StreamName = 'stdout' | 'stderr';

/** Where the lines go: the process's own streams unless told otherwise. */
export interface Streams {
  stdout: Pick<NodeJS.WritableStream, 'write'>;
  stderr: Pick<NodeJS.WritableStream, 'write'>;
}

/** Writes lines in order, gathering those that come together. */
export class Printer {
  readonly #gather: boolean;
  readonly #streams: Streams;
  #stream: StreamName = 'stdout';
  #pending = '';
  #scheduled = false;

  /** `gather: false` writes every line at once (a terminal where questions are typed). */
  constructor(options: { gather: boolean; streams?: Streams }) {
    this.#gather = options.gather;
    this.#streams = options.streams ?? process;
  }

  /** One line (without its line break), written with the others of this burst. */
  line(stream: StreamName, text: string): void {
    if (!this.#gather) {
      this.#streams[stream].write(`${text}\n`);
      return;
    }
    if (stream !== this.#stream) this.flush();
    this.#stream = stream;
    this.#pending += `${text}\n`;
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => {
        this.#scheduled = false;
        this.flush();
      });
    }
  }

  /** Text written now, after whatever is pending. */
  write(stream: StreamName, text: string): void {
    this.flush();
    this.#streams[stream].write(text);
  }

  /** Write what is pending. */
  flush(): void {
    if (this.#pending === '') return;
    const text = this.#pending;
    this.#pending = '';
    this.#streams[this.#stream].write(text);
  }
}

// A runbook's text with the offset of every line, so lines and runs of lines are cut out of the
// one string only when needed: a 5,000-step runbook has 70,000 lines, and keeping each as its own
// string costs more than reading it.

/** A range of 0-based lines, end exclusive. */
export type LineRange = [start: number, end: number];

/** The text of a file split into lines by offset (the text's line ends are already `\n`). */
export class SourceLines {
  /** Offset where each line starts, plus one past the end: line i is starts[i] … starts[i + 1] - 1. */
  private readonly starts: Int32Array;
  /** How many lines the text has (a text without `\n` has one). */
  readonly count: number;

  constructor(readonly text: string) {
    let count = 1;
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) count++;
    this.starts = new Int32Array(count + 1);
    let line = 1;
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) this.starts[line++] = at + 1;
    this.starts[count] = text.length + 1;
    this.count = count;
  }

  /** Line `index` (0-based) without its line end; '' past the end. */
  line(index: number): string {
    if (index < 0 || index >= this.count) return '';
    return this.text.slice(this.starts[index]!, this.starts[index + 1]! - 1);
  }

  /** Lines `from`..`to` (end exclusive) joined by `\n`. */
  slice(from: number, to: number): string {
    const start = Math.min(Math.max(from, 0), this.count);
    const end = Math.min(Math.max(to, start), this.count);
    return end === start ? '' : this.text.slice(this.starts[start]!, this.starts[end]! - 1);
  }

  /** Offset in the text where line `index` starts. */
  offset(index: number): number {
    return this.starts[Math.min(Math.max(index, 0), this.count)]!;
  }

  /** True when line `index` holds only spaces and tabs. */
  isBlank(index: number): boolean {
    const end = this.starts[index + 1]! - 1;
    for (let i = this.starts[index]!; i < end; i++) {
      const code = this.text.charCodeAt(i);
      if (code !== 32 && code !== 9) return false;
    }
    return true;
  }

  /** The 0-based line holding `offset`. */
  lineAt(offset: number): number {
    let low = 0;
    let high = this.count - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  }
}

/** True for the characters a regular expression's `\s` matches (and `trim()` removes). */
export function isWhitespace(code: number): boolean {
  if (code < 0x80) return code === 32 || (code >= 9 && code <= 13);
  return (
    code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 ||
    code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff
  );
}

import { describe, expect, it } from 'vitest';
import { isWhitespace, SourceLines } from '../../src/runbook/source-lines.js';

describe('SourceLines', () => {
  it('cuts lines and runs of lines out of one text', () => {
    const lines = new SourceLines('a\n  \nbc\n');
    expect(lines.count).toBe(4);
    expect([0, 1, 2, 3, 4].map((i) => lines.line(i))).toEqual(['a', '  ', 'bc', '', '']);
    expect(lines.slice(0, 3)).toBe('a\n  \nbc');
    expect(lines.slice(1, 1)).toBe('');
    expect(lines.slice(2, 99)).toBe('bc\n');
    expect([0, 1, 2, 3].map((i) => lines.isBlank(i))).toEqual([false, true, false, true]);
  });

  it('finds the line of an offset', () => {
    const lines = new SourceLines('ab\ncd\n\nef');
    expect([0, 2, 3, 5, 6, 7, 8].map((offset) => lines.lineAt(offset))).toEqual([0, 0, 1, 1, 2, 3, 3]);
    expect(lines.offset(3)).toBe(7);
  });

  it('treats an empty text as one empty line', () => {
    const lines = new SourceLines('');
    expect(lines.count).toBe(1);
    expect(lines.line(0)).toBe('');
    expect(lines.isBlank(0)).toBe(true);
  });

  it('calls whitespace exactly what \\s and trim() do, for every UTF-16 code unit', () => {
    const different: number[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      const char = String.fromCharCode(code);
      if (isWhitespace(code) !== /\s/.test(char) || isWhitespace(code) !== (char.trim() === '')) different.push(code);
    }
    expect(different).toEqual([]);
  });
});

// The per-character string-width the bundle gives Ink answers exactly as string-width does.
import fc from 'fast-check';
// string-width is Ink's dependency, read here only to compare with.
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript module of the build
import fastStringWidth from '../../scripts/shims/string-width.js';

const pieces = [
  'a', 'Z', ' ', '·', '›', '…', '✔', '✘', '⚠', '│', '─', '█', '░', 'é', 'ß', '中', '文', 'ｶ', 'ﾞ', 'ﾟ', '한', '\u1100', '\u1161', '\u11A8',
  '😀', '👍', '\u{1F3FD}', '\u200D', '\uFE0F', '\uFE0E', '\u0301', '\u20E3', '1', '#', '🇫', '🇷', '\u{E0067}', '\t', '\n', '\r', '\u0007',
  '\u001B[31m', '\u001B[0m', '\u001B[1;2m', '\u009B2K', '\u00AD', '\u200B', '\u0600', '\u0915', '\u094D', '\uD800', 'ﾀ', '∑', '→', '↑', '☐', '☑',
];

describe('the per-character string-width', () => {
  it('gives the width string-width gives, on generated text', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 30 }), (parts) => {
        const text = parts.join('');
        expect(fastStringWidth(text)).toBe(stringWidth(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('gives the same width on the app\'s own lines', () => {
    for (const line of ['› Restore the orders table 03-restore   1 step · ✘ failed 0/1', '\u001B[2m· id\u001B[22m ⚠ prod (protected)', '☑ The count is 3 or more. — confirmed by ana', '👩‍💻 on call', '🇫🇷 flag', 'e\u0301']) {
      expect(fastStringWidth(line)).toBe(stringWidth(line));
    }
    expect(fastStringWidth('x', { ambiguousIsNarrow: false })).toBe(stringWidth('x', { ambiguousIsNarrow: false }));
  });
});

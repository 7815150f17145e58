// The per-character string-width the bundle gives Ink answers exactly as string-width does.
import fc from 'fast-check';
// string-width is Ink's dependency, read here only to compare with.
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript module of the build
import fastStringWidth, { characterWidth } from '../../scripts/shims/string-width.js';
// @ts-expect-error plain JavaScript module of the build
import { standsAlone } from '../../scripts/shims/graphemes.js';

const pieces = [
  'a', 'Z', ' ', '·', '›', '…', '✔', '✘', '⚠', '│', '─', '█', '░', 'é', 'ß', '中', '文', 'ｶ', 'ﾞ', 'ﾟ', '한', '\u1100', '\u1161', '\u11A8',
  '😀', '👍', '\u{1F3FD}', '\u200D', '\uFE0F', '\uFE0E', '\u0301', '\u20E3', '1', '#', '🇫', '🇷', '\u{E0067}', '\t', '\n', '\r', '\u0007',
  '\u001B[31m', '\u001B[0m', '\u001B[1;2m', '\u009B2K', '\u00AD', '\u200B', '\u0600', '\u0915', '\u094D', '\uD800', 'ﾀ', '∑', '→', '↑', '☐', '☑',
  'ก', '\u0E33', 'ກ', '\u0EB3', '가', '©', '↔', '⌚', '\u2028', '\u00A0', '\u0085',
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

  it('gives each character of the planes a terminal shows the width string-width gives it', () => {
    // Every code point of the Basic Multilingual Plane (but surrogates and private use) and of the
    // emoji and symbol blocks: the answer per character the shim gives without string-width.
    const ranges = [[0x20, 0xd7ff], [0xf900, 0xffff], [0x1f000, 0x1faff]] as const;
    let checked = 0;
    for (const [from, to] of ranges) {
      for (let code = from; code <= to; code++) {
        const character = String.fromCodePoint(code);
        if (!standsAlone(character)) continue;
        if (characterWidth(character) !== stringWidth(character)) expect.fail(`U+${code.toString(16)}: ${characterWidth(character)}, string-width ${stringWidth(character)}`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(55_000);
  });
});

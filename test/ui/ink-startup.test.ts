// What the bundle gives Ink in place of its own start-up work (scripts/bundle-options.js) answers
// exactly as the originals do: the grapheme segmenter created on demand, the cheaper styled-line
// functions, and the patches themselves still matching the pinned packages.
import * as tokenizer from '@alcalzone/ansi-tokenize';
import { build } from 'esbuild';
import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript module of the build
import * as shim from '../../scripts/shims/ansi-tokenize.js';
// @ts-expect-error plain JavaScript module of the build
import { bundleOptions, inkStartup } from '../../scripts/bundle-options.js';
// @ts-expect-error plain JavaScript module of the build
import { StartupSegmenter, standsAlone } from '../../scripts/shims/graphemes.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

type Segment = { segment: string; index: number };
const segments = (segmenter: { segment(text: string): Iterable<Segment> }, text: string) => [...segmenter.segment(text)].map(({ segment, index }) => ({ segment, index }));

// Code points from the blocks where joining rules live (Thai, Lao, Indic, Hangul, emoji), from
// the whole range, and ASCII.
const codePoint = fc.oneof(
  fc.integer({ min: 0x20, max: 0x7e }),
  fc.integer({ min: 0x80, max: 0x10ffff }),
  fc.integer({ min: 0x0900, max: 0x0eff }),
  fc.integer({ min: 0x1100, max: 0x11ff }),
  fc.integer({ min: 0xac00, max: 0xd7ff }),
  fc.integer({ min: 0x1f1e0, max: 0x1faff }),
  fc.constantFrom(0x0d, 0x0a, 0x1b, 0x200d, 0xfe0f, 0x0301, 0xff9e, 0x0e33),
).filter((code) => code < 0xd800 || code > 0xdfff);
const text = fc.array(codePoint, { maxLength: 24 }).map((codes) => String.fromCodePoint(...codes));

describe('the start-up grapheme segmenter', () => {
  it('gives the segments Intl.Segmenter gives, on generated text', () => {
    const real = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    const startup = new StartupSegmenter(undefined, { granularity: 'grapheme' });
    fc.assert(
      fc.property(text, (input) => {
        expect(segments(startup, input)).toEqual(segments(real, input));
        const found = startup.segment(input);
        const expected = real.segment(input);
        for (let at = -1; at <= input.length; at++) {
          const mine = found.containing(at);
          const theirs = expected.containing(at);
          expect(mine && { segment: mine.segment, index: mine.index }).toEqual(theirs && { segment: theirs.segment, index: theirs.index });
        }
      }),
      { numRuns: 4000 },
    );
  });

  it('splits by code point only text whose every character stands alone beside any other', () => {
    // Every character of the Basic Multilingual Plane said to stand alone, each followed by a
    // neighbour of a kind the segmentation rules treat apart (and so preceded by one too):
    // Intl.Segmenter must give each code point a cluster of its own.
    const real = new Intl.Segmenter();
    const alone: string[] = [];
    for (let code = 0x20; code <= 0xffff; code++) {
      const character = String.fromCharCode(code);
      if ((code < 0xd800 || code > 0xdfff) && standsAlone(character)) alone.push(character);
    }
    expect(alone.length).toBeGreaterThan(55_000);
    // In slices: V8 copies the whole input into every segment it hands out.
    const joinedIn = (separator: string) => {
      for (let at = 0; at < alone.length; at += 200) {
        const found = [...real.segment(alone.slice(at, at + 201).join(separator))].find(({ segment }) => [...segment].length > 1);
        if (found) return found.segment;
      }
      return undefined;
    };
    for (const neighbour of ['', 'a', ' ', '\u0E01', '\uAC00', '\u0915', '\u{1F600}', '\u00A9', '\u231A']) {
      expect(joinedIn(neighbour), `next to ${JSON.stringify(neighbour)}`).toBeUndefined();
    }
  });

  it('leaves other granularities to Intl.Segmenter', () => {
    const words = segments(new StartupSegmenter('en', { granularity: 'word' }), 'two words');
    expect(words.map((w) => w.segment)).toEqual(['two', ' ', 'words']);
  });
});

// Lines as Ink writes them: text with SGR codes (colours, bold/dim, inverse, 256 and true colour,
// resets) and hyperlinks, in any order.
const piece = fc.constantFrom(
  'a', 'b', ' ', '·', '✔', '中', 'é', 'x y',
  '\u001B[1m', '\u001B[2m', '\u001B[22m', '\u001B[31m', '\u001B[36m', '\u001B[39m', '\u001B[90m', '\u001B[7m', '\u001B[27m', '\u001B[0m',
  '\u001B[1;31m', '\u001B[38;5;208m', '\u001B[48;2;1;2;3m', '\u001B[49m', '\u001B[4m', '\u001B[24m',
  '\u001B]8;;https://example.test\u0007', '\u001B]8;;\u0007',
);
const line = fc.array(piece, { maxLength: 40 }).map((parts) => parts.join(''));

describe('the cheaper styled lines', () => {
  it('give the characters and the text the package gives', () => {
    fc.assert(
      fc.property(line, (input) => {
        const tokens = tokenizer.tokenize(input);
        const chars = shim.styledCharsFromTokens(tokens);
        const expected = tokenizer.styledCharsFromTokens(tokens);
        expect(chars).toEqual(expected);
        expect(shim.styledCharsToString(chars)).toBe(tokenizer.styledCharsToString(expected));
        // Cells of different lines side by side, as on a row of the screen.
        const row = [...expected, ...tokenizer.styledCharsFromTokens(tokenizer.tokenize(`\u001B[2m${input}`))];
        expect(shim.styledCharsToString(row)).toBe(tokenizer.styledCharsToString(row));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('the Ink start-up trims in the bundle', () => {
  it('still match the pinned packages, and leave no grapheme segmenter created at load', async () => {
    const result = await build({
      ...bundleOptions(root),
      splitting: false,
      sourcemap: false,
      write: false,
      stdin: { contents: "import { render, Text } from 'ink'; export { render, Text };", resolveDir: root, loader: 'js' },
      outdir: 'unused',
      plugins: [inkStartup],
    });
    expect(result.warnings.map((w) => w.text)).toEqual([]);
    const code = result.outputFiles?.[0]?.text ?? '';
    // The one left is StartupSegmenter's own, made on demand.
    expect(code.match(/new Intl\.Segmenter\(/g)?.length).toBe(1);
    expect(/Buffer\.from\(\w+\.slice\(37\),"base64"\)/.test(code)).toBe(true);
    expect(/new RegExp\("\^\\\\p\{RGI_Emoji\}\$"/.test(code)).toBe(false);
    expect(code.includes('RGI_Emoji')).toBe(true);
  });
});

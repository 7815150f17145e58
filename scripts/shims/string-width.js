// string-width, answered per character from a cache when a text is made of characters that each
// stand alone (no combining marks, joiners, variation selectors, emoji modifiers, flags, Hangul
// jamo): then its width is the sum of its characters' widths, and each character's width is
// string-width's own answer for it, asked once. Anything else goes to string-width itself.
//
// Why: Ink measures and draws every line of every frame through string-width, and one character
// outside ASCII (a "·", a "✔") sends the whole line down string-width's grapheme-by-grapheme path;
// on the library's first frame that was a large part of the time to the first frame. The bundle
// routes Ink's and its helpers' `string-width` here (scripts/bundle-options.js); the answers are
// the same, which test/ui/text-width.test.ts checks against string-width on generated text.
import stripAnsi from 'strip-ansi';
import stringWidth from 'string-width';

// Characters that can join a neighbour into one grapheme, or change its width.
const JOINING =
  /[\p{M}\p{Cs}\u200C\u200D\uFE00-\uFE0F\u{E0100}-\u{E01EF}\u{1F3FB}-\u{1F3FF}\u{1F1E6}-\u{1F1FF}\u{E0020}-\u{E007F}\u1100-\u11FF\uA960-\uA97F\uD7B0-\uD7FF\uFF9E\uFF9F\u0600-\u0605\u06DD\u070F\u0890\u0891\u08E2\u0D4E\u{110BD}\u{110CD}\u{111C2}\u{111C3}\u{1193F}\u{11941}\u{11A3A}\u{11A84}-\u{11A89}\u{11D46}\u{11F02}\u000D\u000A]/u;

const widths = new Map();

/** The width string-width gives `input`, faster for texts of stand-alone characters. */
export default function fastStringWidth(input, options) {
  if (options !== undefined || typeof input !== 'string') return stringWidth(input, options);
  let text = input;
  if (text.includes('\u001B') || text.includes('\u009B')) text = stripAnsi(text);
  if (/^[\u0020-\u007E]*$/.test(text)) return text.length;
  if (JOINING.test(text)) return stringWidth(text);
  let width = 0;
  for (const character of text) {
    const code = character.codePointAt(0);
    if (code >= 0x20 && code <= 0x7e) {
      width += 1;
      continue;
    }
    let known = widths.get(code);
    if (known === undefined) {
      known = stringWidth(character);
      widths.set(code, known);
    }
    width += known;
  }
  return width;
}

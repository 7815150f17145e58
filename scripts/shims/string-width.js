// string-width, answered per character when a text is made of characters that each stand alone
// (see graphemes.js): then its width is the sum of its characters' widths. A character on its
// own is 0 columns when it does not print (default-ignorable, control, format), 2 when it shows as
// an emoji by default, else its East Asian Width: what string-width answers for it, without the
// Unicode emoji-sequence set string-width compiles on its first character outside ASCII (tens of
// ms). Anything else goes to string-width itself.
//
// Why: Ink measures and draws every line of every frame through string-width, and one character
// outside ASCII (a "·", a "✔") sends the whole line down string-width's grapheme-by-grapheme path;
// on the library's first frame that was a large part of the time to the first frame. The bundle
// routes Ink's and its helpers' `string-width` here (scripts/bundle-options.js); the answers are
// the same, which test/ui/text-width.test.ts checks against string-width on generated text and on
// every character of the planes a terminal shows.
import { eastAsianWidth } from 'get-east-asian-width';
import stripAnsi from 'strip-ansi';
import stringWidth from 'string-width';
import { standsAlone } from './graphemes.js';

const NOT_PRINTED = /[\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cf}]/u;
const EMOJI = /\p{Emoji_Presentation}/u;

const widths = new Map();

/** The width of one character that stands alone, as string-width gives it. */
export function characterWidth(character) {
  if (NOT_PRINTED.test(character)) return 0;
  if (EMOJI.test(character)) return 2;
  return eastAsianWidth(character.codePointAt(0));
}

/** The width string-width gives `input`, faster for texts of stand-alone characters. */
export default function fastStringWidth(input, options) {
  if (options !== undefined || typeof input !== 'string') return stringWidth(input, options);
  let text = input;
  if (text.includes('\u001B') || text.includes('\u009B')) text = stripAnsi(text);
  if (/^[\u0020-\u007E]*$/.test(text)) return text.length;
  if (!standsAlone(text)) return stringWidth(text);
  let width = 0;
  for (const character of text) {
    const code = character.codePointAt(0);
    if (code >= 0x20 && code <= 0x7e) {
      width += 1;
      continue;
    }
    let known = widths.get(code);
    if (known === undefined) {
      known = characterWidth(character);
      widths.set(code, known);
    }
    width += known;
  }
  return width;
}

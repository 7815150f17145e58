// @alcalzone/ansi-tokenize, with the two functions Ink's output calls for every cell of a frame
// doing less where the answer is already known. Same answers (test/ui/text-width.test.ts checks
// them against the package's own on generated lines):
// - styledCharsToString asks for the codes that change between two neighbouring cells only when
//   their styles differ: the difference between equal styles is always empty, and on a screen
//   nearly every cell is styled like the one before it.
// - styledCharsFromTokens gives the characters between two escape codes one shared styles array
//   instead of a copy each (nothing writes to it), which also makes "styled like the one before"
//   a comparison of references.
// Why: a full screen is thousands of cells, and each difference built sets and arrays: the
// largest part of Ink's first drawing of the library, and most of its garbage.
import { ansiCodesToString, diffAnsiCodes, reduceAnsiCodesIncremental } from '@alcalzone/ansi-tokenize';

export * from '@alcalzone/ansi-tokenize';

function sameCodes(a, b) {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i].code !== b[i].code || a[i].endCode !== b[i].endCode) return false;
  }
  return true;
}

/** Characters with the codes in effect for each, from a line's tokens. */
export function styledCharsFromTokens(tokens) {
  let codes = [];
  const chars = [];
  for (const token of tokens) {
    if (token.type === 'ansi') codes = reduceAnsiCodesIncremental(codes, [token]);
    else if (token.type === 'char') chars.push({ ...token, styles: codes });
  }
  return chars;
}

/** A line of styled characters as text with the fewest escape codes between them. */
export function styledCharsToString(chars) {
  let text = '';
  let before = [];
  for (const char of chars) {
    if (!sameCodes(before, char.styles)) text += ansiCodesToString(diffAnsiCodes(before, char.styles));
    text += char.value;
    before = char.styles;
  }
  if (before.length > 0) text += ansiCodesToString(diffAnsiCodes(before, []));
  return text;
}

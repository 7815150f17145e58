// Grapheme clusters without ICU for the text a terminal screen is mostly made of.
//
// When no code point of a text can join a neighbour into one grapheme cluster (no combining or
// spacing marks, joiners, variation selectors, emoji modifiers, regional indicators, tag
// characters, Hangul jamo, prepended concatenation marks, CR/LF), every code point is a cluster
// of its own: Unicode's segmentation rules (UAX #29) only ever join a pair when one side is one of
// those. Such text is split by code point here; anything else goes to Intl.Segmenter.
//
// Why: the first `new Intl.Segmenter()` of a process loads ICU's break rules (tens of ms), and
// Ink's text helpers each create one when they load, before anything is drawn. The bundle gives
// them a StartupSegmenter instead (scripts/bundle-options.js), which creates the real one only
// for text that needs it. test/ui/text-width.test.ts checks both against Intl.Segmenter.

/** Code points that can join a neighbour into one grapheme cluster (or are lone surrogates). */
export const JOINING =
  /[\p{M}\p{Cs}\u200C\u200D\uFE00-\uFE0F\u{E0100}-\u{E01EF}\u{1F3FB}-\u{1F3FF}\u{1F1E6}-\u{1F1FF}\u{E0020}-\u{E007F}\u1100-\u11FF\uA960-\uA97F\uD7B0-\uD7FF\uFF9E\uFF9F\u0E33\u0EB3\u0600-\u0605\u06DD\u070F\u0890\u0891\u08E2\u0D4E\u{110BD}\u{110CD}\u{111C2}\u{111C3}\u{1193F}\u{11941}\u{11A3A}\u{11A84}-\u{11A89}\u{11D46}\u{11F02}\u000D\u000A]/u;

/** Whether each code point of `text` is a grapheme cluster of its own. */
export function standsAlone(text) {
  return !JOINING.test(text);
}

// What Intl.Segmenter#segment returns, for text where every code point stands alone.
class CodePointSegments {
  constructor(input) {
    this.input = input;
  }

  containing(position = 0) {
    const input = this.input;
    const at = Math.trunc(Number(position)) || 0;
    if (at < 0 || at >= input.length) return undefined;
    const low = input.charCodeAt(at);
    const start = low >= 0xdc00 && low <= 0xdfff && at > 0 ? at - 1 : at;
    return { segment: String.fromCodePoint(input.codePointAt(start)), index: start, input };
  }

  *[Symbol.iterator]() {
    const input = this.input;
    for (let index = 0; index < input.length; ) {
      const segment = String.fromCodePoint(input.codePointAt(index));
      yield { segment, index, input };
      index += segment.length;
    }
  }
}

/** An Intl.Segmenter for graphemes that is only created for text that needs it. */
export class StartupSegmenter {
  #args;
  #real;

  constructor(...args) {
    this.#args = args;
  }

  segment(input) {
    const text = String(input);
    const granularity = this.#args[1]?.granularity ?? 'grapheme';
    if (granularity === 'grapheme' && standsAlone(text)) return new CodePointSegments(text);
    this.#real ??= new Intl.Segmenter(...this.#args);
    return this.#real.segment(text);
  }
}

/** A regular expression compiled on its first test (some Unicode property sets take long to build). */
export function lazyRegExp(source, flags) {
  let real;
  return {
    test(text) {
      real ??= new RegExp(source, flags);
      return real.test(text);
    },
  };
}

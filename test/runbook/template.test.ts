import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findReferences, referenceAt } from '../../src/runbook/template.js';

describe('referenceAt', () => {
  it('finds at an offset exactly what findReferences finds there, and nothing elsewhere', () => {
    const text = 'a {{WH}} {{ DB }} {{{X}}} {{1X}} {{a.b}}}} {{ NOPE\n}} {{ {{Y}} {{\u00a0Z\u00a0}}';
    const found = findReferences(text);
    expect(found.map((ref) => ref.name)).toEqual(['WH', 'DB', 'X', 'a.b', 'NOPE', 'Y', 'Z']);
    const starts = new Set(found.map((ref) => ref.offset));
    for (let offset = 0; offset < text.length; offset++) {
      const ref = referenceAt(text, offset);
      if (starts.has(offset)) expect(ref).toEqual(found.find((f) => f.offset === offset));
      else if (ref) expect(found.some((f) => f.offset < offset && offset < f.offset + f.length)).toBe(true);
    }
    expect(referenceAt(text, 0)).toBeUndefined();
  });

  it('agrees with findReferences on the text from the same offset, for any text', () => {
    const unit = fc.constantFrom('{', '}', ' ', '\t', '\n', '\u00a0', '\u2028', 'a', 'Z', '_', '1', '.', 'é', '-');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 30 }), (text) => {
        for (let offset = 0; offset <= text.length; offset++) {
          const first = findReferences(text.slice(offset))[0];
          const expected = first?.offset === 0 ? { name: first.name, offset, length: first.length } : undefined;
          expect(referenceAt(text, offset)).toEqual(expected);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

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
});

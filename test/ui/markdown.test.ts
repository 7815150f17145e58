// Runbook instructions rendered for the terminal, from markdown-it tokens.
import { describe, expect, it } from 'vitest';
import { markdownBlocks } from '../../src/ui/markdown/markdown-blocks.js';
import { fitColumns, tableLines } from '../../src/ui/table-text.js';

describe('markdownBlocks', () => {
  it('renders headings, emphasis, inline code and links with their address', () => {
    const blocks = markdownBlocks('### Before you start\n\nRun **only** after *the* `LOAD` job; see [the wiki](https://wiki/x).', 80);
    expect(blocks[0]).toMatchObject({ kind: 'heading', level: 3, spans: [{ text: 'Before you start' }] });
    expect(blocks[1]!.spans).toEqual([
      { text: 'Run ' },
      { text: 'only', bold: true },
      { text: ' after ' },
      { text: 'the', italic: true },
      { text: ' ' },
      { text: 'LOAD', code: true },
      { text: ' job; see ' },
      { text: 'the wiki', link: true },
      { text: ' <https://wiki/x>' },
      { text: '.' },
    ]);
  });

  it('numbers ordered lists, bullets the others, and indents nested ones', () => {
    const blocks = markdownBlocks('1. Stop the job\n2. Check\n   - the log\n   - the table\n', 80);
    expect(blocks.map((b) => [b.prefix, b.indent, b.spans.map((s) => s.text).join('')])).toEqual([
      ['1.', 0, 'Stop the job'],
      ['2.', 0, 'Check'],
      ['•', 2, 'the log'],
      ['•', 2, 'the table'],
    ]);
  });

  it('keeps fenced code line by line and fits tables to the width', () => {
    const blocks = markdownBlocks('```\nautorep -J X\nsendevent\n```\n\n| job | meaning |\n|---|---|\n| SU | success, the load finished and the files were archived |\n', 40);
    expect(blocks.filter((b) => b.kind === 'code').map((b) => b.spans[0]!.text)).toEqual(['autorep -J X', 'sendevent']);
    const table = blocks.filter((b) => b.kind === 'table').map((b) => b.spans[0]!.text);
    expect(table[0]).toMatch(/^job │ meaning/);
    expect(table[2]).toMatch(/^SU  │ success, the load.*…$/);
    expect(Math.max(...table.map((l) => l.length))).toBeLessThanOrEqual(40);
  });

  it('shows quotes and rules', () => {
    const blocks = markdownBlocks('> Never on a Friday.\n\n---\n', 30);
    expect(blocks.map((b) => b.kind)).toEqual(['quote', 'rule']);
  });
});

describe('tables fitted to the width', () => {
  it('keeps a table that fits as it is', () => {
    expect(fitColumns([3, 5], 20)).toEqual([3, 5]);
  });

  it('narrows the widest columns first', () => {
    expect(fitColumns([3, 30, 40], 40)).toEqual([3, 15, 15]);
  });

  it('leaves out the last columns, and says how many, when even narrowed they do not fit', () => {
    const columns = Array.from({ length: 12 }, (_, i) => `COLUMN_${i}`);
    const { lines, hidden } = tableLines(columns, [columns.map(() => 'value')], 40);
    expect(hidden).toBeGreaterThan(0);
    expect(lines[0]).toMatch(new RegExp(` \\+${hidden}$`));
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(40);
  });
});

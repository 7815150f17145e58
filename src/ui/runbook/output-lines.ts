// The output tail as lines that fit the pane: control sequences removed (a command's colours or
// cursor moves must not break the layout), cut to the width, scrolled from the end.
import { stripVTControlCharacters } from 'node:util';
import type { OutputTail } from '../../engine/state.js';
import { cut } from '../format.js';

/** The lines to show: `height` lines ending `scroll` lines before the end. */
export function outputWindow(tail: OutputTail | undefined, height: number, width: number, scroll: number): { lines: { text: string; stderr: boolean }[]; above: number } {
  const all = tail?.lines ?? [];
  const end = Math.max(0, all.length - scroll);
  const start = Math.max(0, end - height);
  const lines = all.slice(start, end).map((line) => ({ text: cut(stripVTControlCharacters(line.text).replace(/\t/g, '  '), width), stderr: line.stream === 'stderr' }));
  return { lines, above: start + (tail?.dropped ?? 0) };
}

import { stripVTControlCharacters } from 'node:util';

/** A terminal frame without colours or cursor movement, for assertions. */
export function plain(frame: string | undefined): string {
  return stripVTControlCharacters(frame ?? '');
}

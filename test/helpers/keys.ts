// Key sequences as a terminal sends them, for driving Ink apps through stdin.

/** Named keys. */
export const KEY = {
  enter: '\r',
  escape: '\x1b',
  tab: '\t',
  backspace: '\x7f',
  up: '\x1b[A',
  down: '\x1b[B',
  pageUp: '\x1b[5~',
  pageDown: '\x1b[6~',
  ctrlC: '\x03',
  ctrlD: '\x04',
} as const;

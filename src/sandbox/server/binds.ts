// Binds of a multi-statement request are numbered across the whole text: the third `?` takes
// bind "3" even when it is the first `?` of the second statement. Each statement is run alone, so
// its `?` binds are handed over renumbered from "1". Statements using `:N` keep the full set,
// since `:N` names the bind's number in the whole request.
import type { WireBind } from '../engine-api.js';

/** Number of `?` placeholders in a statement, outside strings, quoted names and comments. */
export function countPlaceholders(sql: string): number {
  let count = 0;
  let i = 0;
  while (i < sql.length) {
    const char = sql[i]!;
    const next = sql[i + 1];
    if (char === "'" || char === '"') {
      i = skipQuoted(sql, i, char);
    } else if (char === '$' && next === '$') {
      const end = sql.indexOf('$$', i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else if ((char === '-' && next === '-') || (char === '/' && next === '/')) {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end + 1;
    } else if (char === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else {
      if (char === '?') count++;
      i++;
    }
  }
  return count;
}

function skipQuoted(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === '\\' && quote === "'") {
      i += 2;
    } else if (sql[i] === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else {
      i++;
    }
  }
  return sql.length;
}

/** The binds for each statement of a multi-statement request, in order. */
export function bindsPerStatement(statements: readonly string[], binds: Record<string, WireBind> | undefined): (Record<string, WireBind> | undefined)[] {
  if (!binds || Object.keys(binds).length === 0) return statements.map(() => undefined);
  let taken = 0;
  return statements.map((statement) => {
    const placeholders = countPlaceholders(statement);
    if (placeholders === 0) return binds;
    const own: Record<string, WireBind> = {};
    for (let n = 1; n <= placeholders; n++) {
      const bind = binds[String(taken + n)];
      if (bind) own[String(n)] = bind;
    }
    taken += placeholders;
    return own;
  });
}

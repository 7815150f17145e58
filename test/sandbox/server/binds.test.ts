import { describe, expect, it } from 'vitest';
import { bindsPerStatement, countPlaceholders } from '../../../src/sandbox/server/binds.js';

describe('placeholders', () => {
  it('are counted outside strings, quoted names and comments', () => {
    expect(countPlaceholders('select ?, ? from t where a = ?')).toBe(3);
    expect(countPlaceholders("select '?', 'it''s ?', \"col?\", ? -- why?\n/* or ? */ from t")).toBe(1);
    expect(countPlaceholders('select $$ ? $$, ? // trailing ?')).toBe(1);
  });
});

describe('binds of a multi-statement request', () => {
  it('are handed to each statement renumbered from 1', () => {
    const binds = { '1': { type: 'FIXED', value: '1' }, '2': { type: 'TEXT', value: 'a' }, '3': { type: 'FIXED', value: '3' } };
    const split = bindsPerStatement(['insert into t values (?, ?)', 'delete from t where id = ?'], binds);
    expect(split).toEqual([{ '1': binds['1'], '2': binds['2'] }, { '1': binds['3'] }]);
  });

  it('are all given to a statement naming them by number', () => {
    const binds = { '1': { type: 'FIXED', value: '1' } };
    expect(bindsPerStatement(['select :1', 'select 2'], binds)).toEqual([binds, binds]);
    expect(bindsPerStatement(['select 1'], undefined)).toEqual([undefined]);
  });
});

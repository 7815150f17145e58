import { describe, expect, it } from 'vitest';
import { decideGuard } from '../../src/engine/guard.js';

const prod = { name: 'prod', protected: true };
const sandbox = { name: 'sandbox', protected: false };
const read = { level: 'read' as const, reasons: [] };
const write = { level: 'write' as const, reasons: ['writes /tmp/x'] };
const destructive = { level: 'destructive' as const, reasons: ['rm -rf /data'] };

describe('the guard', () => {
  it('in a protected environment asks to confirm a write and to type the name for a destructive action', () => {
    expect(decideGuard({ classification: read, attrs: {}, environment: prod, override: false }).ask).toBe('none');
    expect(decideGuard({ classification: write, attrs: {}, environment: prod, override: false })).toMatchObject({ ask: 'confirm', yesMayAnswer: false });
    expect(decideGuard({ classification: destructive, attrs: {}, environment: prod, override: false })).toMatchObject({ ask: 'type-name', yesMayAnswer: false });
  });

  it('treats danger as destructive and confirm as a question, in any environment', () => {
    expect(decideGuard({ classification: read, attrs: { danger: true }, environment: prod, override: false })).toMatchObject({ ask: 'type-name', level: 'destructive' });
    expect(decideGuard({ classification: read, attrs: { danger: true }, environment: sandbox, override: false })).toMatchObject({ ask: 'confirm', yesMayAnswer: true });
    expect(decideGuard({ classification: read, attrs: { confirm: true }, environment: sandbox, override: false }).ask).toBe('confirm');
    expect(decideGuard({ classification: read, attrs: { confirm: true }, environment: prod, override: false })).toMatchObject({ ask: 'confirm', yesMayAnswer: false });
  });

  it('asks for alwaysConfirm everywhere and leaves other writes alone outside protected environments', () => {
    expect(decideGuard({ classification: { ...write, alwaysConfirm: true }, attrs: {}, environment: sandbox, override: false }).ask).toBe('confirm');
    expect(decideGuard({ classification: destructive, attrs: {}, environment: sandbox, override: false }).ask).toBe('none');
  });

  it('lets only the override flag skip the protected questions, and says so', () => {
    expect(decideGuard({ classification: destructive, attrs: {}, environment: prod, override: true })).toMatchObject({ ask: 'none', overridden: true });
    expect(decideGuard({ classification: read, attrs: {}, environment: prod, override: true })).toMatchObject({ ask: 'none', overridden: false });
    expect(decideGuard({ classification: read, attrs: { confirm: true }, environment: sandbox, override: true })).toMatchObject({ ask: 'confirm', overridden: false });
  });
});

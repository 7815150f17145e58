// The app fits the terminal it is in: 80×24 and wider, resizes, and SQL results as a table fitted
// to the width (a recording executor stands in for Snowflake at the executor seam).
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ExecutionContext, Executor, ExecutorEvent } from '../../src/executors/types.js';
import { executorFor } from '../../src/executors/index.js';
import { startApp, workspace, type AppUnderTest } from '../helpers/app.js';
import { KEY } from '../helpers/keys.js';
import { runbookText, sh } from '../helpers/runbooks.js';

vi.setConfig({ testTimeout: 30_000 });

let app: AppUnderTest | undefined;
afterEach(() => app?.unmount());

function resize(target: AppUnderTest, columns: number, rows: number) {
  Object.defineProperty(target.stdout, 'columns', { value: columns, configurable: true });
  Object.defineProperty(target.stdout, 'rows', { value: rows, configurable: true });
  target.stdout.emit('resize');
}

const lines = (frame: string) => frame.split('\n');

/** A stand-in for the SQL executor: records what it was asked to run, answers with rows. */
function recordingSql(ran: string[]): Executor {
  return {
    kinds: ['sql'],
    classify: () => ({ level: 'read', reasons: [] }),
    async *run(context: ExecutionContext): AsyncIterable<ExecutorEvent> {
      ran.push(context.code);
      yield { type: 'output', stream: 'stdout', line: '-- SELECT · 3 rows' };
      const row = (id: number, name: string, note: string) => ({ ID: id, NAME: name, NOTE: note });
      yield {
        type: 'result',
        result: {
          ok: true,
          excerpt: '3 rows',
          fields: {
            columns: ['ID', 'NAME', 'NOTE'],
            row: [row(1, 'ORDERS', 'loaded from the nightly extract at 02:10, 1,204,332 rows, no rejects'), row(2, 'CUSTOMERS', 'unchanged'), row(3, 'ITEMS', null as unknown as string)],
            rows: 3,
          },
        },
      };
    },
  };
}

describe('fitting the terminal', () => {
  const library = () =>
    workspace({
      'one.md': runbookText('Warehouse setup', ['summary: Create the warehouse, the database and the landing table, then smoke-test a load end to end.'], {
        'A step with a rather long title that will not fit in the step list': `Some **instructions** that are long enough to wrap on a narrow terminal, and then some more words.\n\n${sh('echo "hello from step $((1+1))"')}`,
        'Second': sh('echo second'),
      }),
    });

  it('lays the library and the runbook screen out in 80×24, and again when the terminal grows', async () => {
    app = await startApp(library());
    await app.waitFor('Warehouse setup');
    resize(app, 80, 24);
    let frame = await app.waitFor((f) => Math.max(...lines(f).map((l) => l.length)) <= 80, 'a frame 80 columns wide');
    expect(frame).toContain('Create the warehouse, the database and the landing table, then smoke-test a…');
    await app.press(KEY.enter);
    await app.waitFor('enter run');
    await app.press(KEY.enter);
    frame = await app.waitFor('hello from step 2');
    expect(lines(frame).length).toBeLessThanOrEqual(23);
    expect(Math.max(...lines(frame).map((l) => l.length))).toBeLessThanOrEqual(80);
    expect(frame).toMatch(/1\. A step with …/);
    resize(app, 140, 40);
    frame = await app.waitFor((f) => lines(f).some((l) => l.length > 100));
    expect(frame).toMatch(/1\. A step with a rather long t…/);
    expect(Math.max(...lines(frame).map((l) => l.length))).toBeLessThanOrEqual(140);
  });

  it('shows SQL results as a table fitted to the width', async () => {
    const ran: string[] = [];
    const sql = recordingSql(ran);
    const ws = workspace({
      'tables.md': runbookText('Tables', ['variables:', '  DB: { default: ANALYTICS }'], { 'List the tables': '```sql\nSELECT ID, NAME, NOTE FROM {{DB}}.RAW.TABLES;\n```\n' }),
    });
    app = await startApp(ws, { runbook: 'tables', services: { executors: (kind) => (kind === 'sql' ? Promise.resolve(sql) : executorFor(kind)) } });
    resize(app, 80, 24);
    await app.waitFor('enter run');
    await app.press(KEY.enter);
    const frame = await app.waitFor('3 rows');
    expect(ran).toEqual(['SELECT ID, NAME, NOTE FROM ANALYTICS.RAW.TABLES;']);
    const table = lines(frame).filter((l) => l.includes('│') && !l.includes('│ SELECT'));
    expect(table[0]).toMatch(/ID │ NAME\s+│ NOTE/);
    expect(table.find((l) => l.includes('ORDERS'))).toMatch(/1\s+│ ORDERS\s+│ loaded from the nightly.*…$/);
    expect(table.find((l) => l.includes('ITEMS'))).toMatch(/3\s+│ ITEMS\s+│ NULL/);
    expect(Math.max(...lines(frame).map((l) => l.length))).toBeLessThanOrEqual(80);
  });
});

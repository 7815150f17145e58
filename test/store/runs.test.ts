import { existsSync, readdirSync, readFileSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { newRecord } from '../../src/engine/resume.js';
import { RECORD_VERSION, type RunRecord } from '../../src/store/record.js';
import { newRunId, runIdTime } from '../../src/store/run-id.js';
import { resolveStateDir } from '../../src/store/paths.js';
import { latestRuns, listRuns, openStore, readRun } from '../../src/store/runs.js';
import { tempDir } from '../helpers/context.js';
import { makeRunbook } from '../helpers/runbook.js';

// Real processes on a shared machine: give them time; nothing here asserts on timing.
vi.setConfig({ testTimeout: 60_000 });

const runbook = (id: string) => makeRunbook({ id, path: `/rb/${id}.md`, steps: [{ title: 'One', actions: ['true'] }, { title: 'Two' }] });

function record(id: string, runbookId: string, env: string, at: string, status: RunRecord['status'] = 'done'): RunRecord {
  const base = newRecord({ id, runbook: runbook(runbookId), environment: { name: env, protected: env === 'prod' }, operator: 'ana', practice: false, at, session: { operator: 'ana', host: 'h', pid: 1, startedAt: at } });
  return { ...base, status, steps: base.steps.map((s) => ({ ...s, status: status === 'done' ? 'done' : s.status })) };
}

describe('run ids', () => {
  it('are readable, sortable and carry their start time', () => {
    const early = newRunId('go-live setup', 'Sandbox', new Date('2026-11-25T21:40:12Z'), '3f2a');
    const late = newRunId('go-live setup', 'Sandbox', new Date('2026-11-25T21:41:00Z'), '0000');
    expect(early).toBe('20261125T214012-go-live-setup-sandbox-3f2a');
    expect([late, early].sort()).toEqual([early, late]);
    expect(runIdTime(early)?.toISOString()).toBe('2026-11-25T21:40:12.000Z');
  });
});

describe('the record store', () => {
  it('writes records atomically and reads them back', async () => {
    const dir = tempDir();
    const store = openStore(dir);
    const r = record('20261125T210000-a-sandbox-0001', 'a', 'sandbox', '2026-11-25T21:00:00.000Z');
    await store.save(r);
    await store.save({ ...r, status: 'failed' });
    expect(readdirSync(join(dir, 'runs')).sort()).toEqual(['20261125T210000-a-sandbox-0001.json', 'index.jsonl']);
    const read = await readRun(dir, r.id);
    expect(read).toMatchObject({ ok: true, record: { id: r.id, status: 'failed', version: RECORD_VERSION } });
    expect(await readRun(dir, '../../etc/passwd')).toMatchObject({ ok: false, reason: 'missing' });
  });

  it('lists by environment, runbook and time, newest first, from the index', async () => {
    const dir = tempDir();
    const store = openStore(dir);
    await store.save(record('20261120T100000-a-prod-0001', 'a', 'prod', '2026-11-20T10:00:00.000Z'));
    await store.save(record('20261124T100000-a-sandbox-0002', 'a', 'sandbox', '2026-11-24T10:00:00.000Z', 'failed'));
    await store.save(record('20261125T100000-b-prod-0003', 'b', 'prod', '2026-11-25T10:00:00.000Z'));
    expect((await listRuns(dir)).runs.map((r) => r.id)).toEqual(['20261125T100000-b-prod-0003', '20261124T100000-a-sandbox-0002', '20261120T100000-a-prod-0001']);
    expect((await listRuns(dir, { environment: 'prod' })).runs.map((r) => r.runbookId)).toEqual(['b', 'a']);
    expect((await listRuns(dir, { runbookId: 'a', since: new Date('2026-11-22T00:00:00Z') })).runs.map((r) => r.id)).toEqual(['20261124T100000-a-sandbox-0002']);
    expect((await listRuns(dir, { status: ['failed'] })).runs).toHaveLength(1);
    const latest = await latestRuns(dir);
    expect([...latest.keys()].sort()).toEqual(['a@prod', 'a@sandbox', 'b@prod']);
    expect(latest.get('a@sandbox')).toMatchObject({ status: 'failed', stepsDone: 0, stepsTotal: 2 });
  });

  it('heals a missing or stale index from the records themselves', async () => {
    const dir = tempDir();
    const store = openStore(dir);
    await store.save(record('20261125T100000-a-sandbox-0001', 'a', 'sandbox', '2026-11-25T10:00:00.000Z', 'running'));
    // Another process finished the run but died before its index line was written.
    const finished = record('20261125T100000-a-sandbox-0001', 'a', 'sandbox', '2026-11-25T10:00:00.000Z', 'done');
    writeFileSync(join(dir, 'runs', `${finished.id}.json`), JSON.stringify(finished));
    expect((await listRuns(dir)).runs[0]!.status).toBe('done');
    unlinkSync(join(dir, 'runs', 'index.jsonl'));
    writeFileSync(join(dir, 'runs', '20261125T110000-b-sandbox-0002.json'), JSON.stringify(record('20261125T110000-b-sandbox-0002', 'b', 'sandbox', '2026-11-25T11:00:00.000Z')));
    expect((await listRuns(dir)).runs.map((r) => r.runbookId)).toEqual(['b', 'a']);
    expect(readFileSync(join(dir, 'runs', 'index.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('reports a record corrupted by hand, and sets it aside without overwriting it', async () => {
    const dir = tempDir();
    const store = openStore(dir);
    await store.save(record('20261125T100000-a-sandbox-0001', 'a', 'sandbox', '2026-11-25T10:00:00.000Z'));
    const path = join(dir, 'runs', '20261125T100000-a-sandbox-0001.json');
    writeFileSync(path, '{"version": 1, "id": "20261125T100000-a-sandbox-0001", "steps": [');
    const read = await store.read('20261125T100000-a-sandbox-0001');
    expect(read).toMatchObject({ ok: false, reason: 'corrupt' });
    if (!read.ok) expect(read.message).toContain(path);
    // A record the index does not know yet is read while listing: its problem is reported.
    writeFileSync(join(dir, 'runs', '20261125T110000-b-sandbox-0002.json'), 'not json');
    const listed = await store.list();
    expect(listed.runs.map((r) => r.id)).toEqual(['20261125T100000-a-sandbox-0001']);
    expect(listed.problems).toHaveLength(1);
    expect(listed.problems[0]).toContain('20261125T110000-b-sandbox-0002.json: not valid JSON');
    const aside = await store.setAside('20261125T100000-a-sandbox-0001');
    expect(aside).toBe(`${path}.corrupt`);
    expect(readFileSync(aside, 'utf8')).toContain('"steps": [');
    expect(existsSync(path)).toBe(false);
    expect((await store.list()).runs).toHaveLength(0);
  });

  it('refuses records from a newer baton instead of guessing', async () => {
    const dir = tempDir();
    const store = openStore(dir);
    const r = record('20261125T100000-a-sandbox-0001', 'a', 'sandbox', '2026-11-25T10:00:00.000Z');
    await store.save({ ...r, version: RECORD_VERSION + 1 });
    expect(await store.read(r.id)).toMatchObject({ ok: false, reason: 'unreadable' });
  });

  it('says what to do when the state folder cannot be written', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'state'), 'a file where the folder should be');
    const store = openStore(join(dir, 'state'));
    await expect(store.save(record('20261125T100000-a-sandbox-0001', 'a', 'sandbox', '2026-11-25T10:00:00.000Z'))).rejects.toThrow(
      /part of that path is not a folder \(use --state-dir or BATON_STATE_DIR/,
    );
  });

  it('says so when the disk is full, and leaves the previous record intact', async () => {
    const dir = tempDir();
    const store = openStore(dir);
    const r = record('20261125T100000-a-sandbox-0001', 'a', 'sandbox', '2026-11-25T10:00:00.000Z', 'running');
    await store.save(r);
    // The atomic write goes through a temp file first: point it at a device that is always full.
    symlinkSync('/dev/full', join(dir, 'runs', `.${r.id}.json.tmp`));
    await expect(openStore(dir).save({ ...r, status: 'done' })).rejects.toThrow(/no space left on the device/);
    expect(await readRun(dir, r.id)).toMatchObject({ ok: true, record: { status: 'running' } });
  });

  it('finds the state folder from the option, then BATON_STATE_DIR, then ./state', () => {
    expect(resolveStateDir('/x/y', { BATON_STATE_DIR: '/z' }, '/cwd')).toBe('/x/y');
    expect(resolveStateDir(undefined, { BATON_STATE_DIR: 'rel' }, '/cwd')).toBe('/cwd/rel');
    expect(resolveStateDir(undefined, {}, '/cwd')).toBe('/cwd/state');
  });
});

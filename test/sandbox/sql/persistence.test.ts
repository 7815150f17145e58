// A trainee's work survives a restart; a long query can be cancelled.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SandboxError } from '../../../src/sandbox/engine-api.js';
import { expectFailure, objects, openFixture } from './engine-fixture.js';

const dataDir = mkdtempSync(join(tmpdir(), 'baton-sandbox-sql-'));

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('persistence across restarts', () => {
  it('keeps tables, history, catalog, users, stage files and the query log', async () => {
    let db = await openFixture({ dataDir });
    await db.run('CREATE DATABASE KEEP');
    await db.run('CREATE TABLE KEEP.PUBLIC.T (ID INT)');
    await db.run('INSERT INTO KEEP.PUBLIC.T VALUES (1), (2), (3)');
    const { queryId } = await db.run('DELETE FROM KEEP.PUBLIC.T WHERE ID > 1');
    await db.run("CREATE USER TRAINEE PASSWORD = 'practice' DEFAULT_ROLE = PUBLIC");
    await db.run('CREATE STAGE KEEP.PUBLIC.DROPBOX');
    await db.run("CALL SYSTEM$SANDBOX_PUT('@KEEP.PUBLIC.DROPBOX', 'note.txt', 'hello')");
    await db.close();

    expect(existsSync(join(dataDir, 'snowflake.duckdb'))).toBe(true);
    expect(readFileSync(join(dataDir, 'stages', 'KEEP', 'PUBLIC', 'DROPBOX', 'note.txt'), 'utf8')).toBe('hello');
    expect(readFileSync(join(dataDir, 'snowflake.duckdb')).includes(Buffer.from('practice'))).toBe(false);

    db = await openFixture({ dataDir });
    try {
      expect(await db.value('SELECT COUNT(*) FROM KEEP.PUBLIC.T')).toBe('1');
      expect(await db.value(`SELECT COUNT(*) FROM KEEP.PUBLIC.T BEFORE(STATEMENT => '${queryId}')`)).toBe('3');
      expect(await db.value(`SELECT QUERY_TYPE FROM SNOWFLAKE.ACCOUNT_USAGE.QUERY_HISTORY WHERE QUERY_ID = '${queryId}'`)).toBe('DELETE');
      const user = await db.engine.findUser('trainee');
      expect(user?.checkPassword('practice')).toBe(true);
      expect(user?.checkPassword('wrong')).toBe(false);
      expect(objects(await db.run('LIST @KEEP.PUBLIC.DROPBOX')).map((f) => f.name)).toEqual(['dropbox/note.txt']);
      // Changes after the restart get new, later versions.
      const { queryId: later } = await db.run('INSERT INTO KEEP.PUBLIC.T VALUES (9)');
      expect(await db.value(`SELECT COUNT(*) FROM KEEP.PUBLIC.T BEFORE(STATEMENT => '${later}')`)).toBe('1');
    } finally {
      await db.close();
    }
  });
});

describe('cancellation', () => {
  it('interrupts a long query when the signal aborts, and the session stays usable', async () => {
    const db = await openFixture();
    try {
      const controller = new AbortController();
      const long = db.engine.execute(
        db.session,
        { sql: 'SELECT COUNT(*) FROM TABLE(GENERATOR(ROWCOUNT => 100000)) a, TABLE(GENERATOR(ROWCOUNT => 100000)) b WHERE UNIFORM(1, 10, RANDOM()) > 11', queryId: randomUUID() },
        controller.signal,
      );
      setTimeout(() => controller.abort(), 300);
      const error = await expectFailure(long, '000604', '57014', /SQL execution canceled/);
      expect(error).toBeInstanceOf(SandboxError);
      expect(await db.value('SELECT 42')).toBe('42');
    } finally {
      await db.close();
    }
  });

  it('refuses a statement whose signal is already aborted', async () => {
    const db = await openFixture();
    try {
      const controller = new AbortController();
      controller.abort();
      await expectFailure(db.engine.execute(db.session, { sql: 'SELECT 1', queryId: randomUUID() }, controller.signal), '000604', '57014');
    } finally {
      await db.close();
    }
  });
});

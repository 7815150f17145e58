import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyShell } from '../../src/executors/shell-classify.js';

const runbooks = join(import.meta.dirname, '..', '..', 'runbooks');

describe('shell classification for the guard', () => {
  it.each([
    ['rm -rf /var/lib/etl/staging', 'rm -rf /var/lib/etl/staging'],
    ['sudo rm -fr build', 'rm -fr build'],
    ['cd /data && rm -r old', 'rm -r old'],
    ['rm --recursive dir', 'rm --recursive dir'],
    ['truncate -s 0 /var/log/etl.log', 'truncate -s 0 /var/log/etl.log'],
    ['dd if=/dev/zero of=/dev/sdb bs=1M', 'dd if=/dev/zero of=/dev/sdb bs=1M'],
    ['mkfs.ext4 /dev/sdc1', 'mkfs.ext4 /dev/sdc1'],
    ['kill -9 4242', 'kill -9 4242'],
    ['kill -KILL $(cat etl.pid)', 'kill -KILL $(cat etl.pid)'],
    ['pkill -f nightly_load', 'pkill -f nightly_load'],
    ['snowsql -q "DROP TABLE ANALYTICS.RAW.ORDERS"', 'DROP TABLE ANALYTICS.RAW.ORDERS'],
    ['snowsql -q "truncate table orders"', 'truncate table orders'],
    ['snowsql -q \'DROP TABLE IF EXISTS "Raw"."Orders Old"\'', 'DROP TABLE IF EXISTS "Raw"."Orders Old"'],
    ["psql -c 'DELETE FROM orders'", 'DELETE FROM orders'],
    ['sendevent -E KILLJOB -J ETL_NIGHTLY_LOAD', 'sendevent -E KILLJOB -J ETL_NIGHTLY_LOAD'],
    ['find /tmp/etl -name "*.csv" -delete', 'find /tmp/etl -name "*.csv" -delete'],
    ['git push --force origin main', 'git push --force origin main'],
    ['kubectl delete pod etl-0', 'kubectl delete pod etl-0'],
    ['systemctl stop etl-agent', 'systemctl stop etl-agent'],
  ])('%s is destructive', (code, reason) => {
    const result = classifyShell(code);
    expect(result.level).toBe('destructive');
    expect(result.reasons).toContain(reason);
  });

  it.each([
    ['echo done > /tmp/marker', 'writes /tmp/marker'],
    ['date >> run.log', 'writes run.log'],
    ['mv staged.csv loaded/', 'mv staged.csv loaded/'],
    ['mkdir -p /srv/etl/in', 'mkdir -p /srv/etl/in'],
    ['rm old.csv', 'rm old.csv'],
    ["sed -i 's/a/b/' conf.ini", "sed -i 's/a/b/' conf.ini"],
    ['curl -X POST https://hooks.example.com/x -d @body.json', 'curl -X POST https://hooks.example.com/x -d @body.json'],
    ['sendevent -E STARTJOB -J ETL_NIGHTLY_LOAD', 'sendevent -E STARTJOB -J ETL_NIGHTLY_LOAD'],
    ['snowsql -q "INSERT INTO t VALUES (1)"', 'INSERT INTO t VALUES (1)'],
    ["psql -c 'DELETE FROM orders WHERE id = 3'", 'DELETE FROM orders WHERE id = 3'],
  ])('%s is a write', (code, reason) => {
    const result = classifyShell(code);
    expect(result.level).toBe('write');
    expect(result.reasons).toContain(reason);
  });

  it.each([
    'echo hello',
    'ls -la /srv/etl',
    'df -P .',
    'grep ERROR etl.log 2>&1 | tail -n 20',
    'cat big.log > /dev/null',
    'autorep -J ETL_NIGHTLY_LOAD',
    'curl -s https://status.example.com/health',
    '# rm -rf / is what we never do\necho safe',
    'echo "rm -rf is only text here" # not a command',
    'test -f done.flag || echo missing >&2',
  ])('%s only reads', (code) => {
    expect(classifyShell(code)).toEqual({ level: 'read', reasons: [] });
  });

  it('keeps the most serious level when a script does several things', () => {
    const result = classifyShell('mkdir -p out\ncp a.csv out/\nrm -rf out/tmp');
    expect(result.level).toBe('destructive');
    expect(result.reasons).toEqual(['rm -rf out/tmp']);
  });

  it('runs a pattern only when the text holds one of its words, and that never changes the answer', () => {
    // This file's examples, every shell block of the bundled runbooks, and the same in other cases.
    const examples = [...readFileSync(import.meta.filename, 'utf8').matchAll(/\[\s*(['"])(.+?)\1,/g)].map((m) => m[2]!.replace(/\\n/g, '\n'));
    const blocks = readdirSync(runbooks)
      .filter((name) => name.endsWith('.md'))
      .flatMap((name) => [...readFileSync(join(runbooks, name), 'utf8').matchAll(/```(?:bash|sh|shell)[^\n]*\n([\s\S]*?)```/g)].map((m) => m[1]!));
    expect(examples.length).toBeGreaterThan(25);
    expect(blocks.length).toBeGreaterThan(10);
    const corpus = [...examples, ...blocks].flatMap((code) => [code, code.toUpperCase(), code.toLowerCase()]);
    let seen = 0;
    for (const code of corpus) {
      const answer = classifyShell(code);
      expect(answer, code).toEqual(classifyShell(code, { everyRule: true }));
      if (answer.level !== 'read') seen++;
    }
    // Not a corpus of harmless text: most of it has something for the guard to say.
    expect(seen).toBeGreaterThan(corpus.length / 3);
  });
});

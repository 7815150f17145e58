import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadLibrary, loadPaths, loadRunbook } from '../../src/runbook/library.js';
import { formatProblem } from '../../src/runbook/problems.js';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'baton-library-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function write(name: string, ...lines: string[]): Promise<void> {
  await writeFile(join(folder, name), lines.join('\n'));
}

describe('loadLibrary', () => {
  it('reads the *.md files sorted by name, skipping README.md and other files', async () => {
    await write('02-load.md', '# Load', '## Run it');
    await write('01-setup.md', '# Setup', '## Create');
    await write('README.md', '# About these runbooks');
    await write('notes.txt', 'not a runbook');
    const library = await loadLibrary(folder);
    expect(library.runbooks.map((r) => [r.id, r.title])).toEqual([
      ['01-setup', 'Setup'],
      ['02-load', 'Load'],
    ]);
    expect(library.problems).toEqual([]);
  });

  it('checks that requires and on-fail name runbooks that exist', async () => {
    await write('01-setup.md', '# Setup', '## Create');
    await write('recover.md', '# Recover', '## Fix');
    await write(
      '02-load.md',
      '---',
      'requires: [01-setup.md, 01-stup]',
      '---',
      '# Load',
      '## Run',
      '```sh {on-fail=runbook:recover}',
      'true',
      '```',
      '```sh {on-fail=runbook:recovr}',
      'true',
      '```',
    );
    const library = await loadLibrary(folder);
    expect(library.problems.map((p) => formatProblem(p).slice(folder.length + 1))).toEqual([
      '02-load.md:2:25: error: requires 01-stup, but there is no runbook 01-stup.md (did you mean 01-setup?)',
      '02-load.md:9:8: error: on-fail=runbook:recovr, but there is no runbook recovr.md (did you mean recover?)',
    ]);
    // The runbook itself is fine; the library is what is wrong.
    expect(library.runbooks.map((r) => r.id)).toEqual(['01-setup', '02-load', 'recover']);
  });

  it('reports a circle of requires once', async () => {
    await write('a.md', '---', 'requires: [b]', '---', '# A', '## S');
    await write('b.md', '---', 'requires: [a]', '---', '# B', '## S');
    const library = await loadLibrary(folder);
    expect(library.problems.map((p) => p.message)).toEqual(['requires go round in a circle: a → b → a']);
  });

  it('reports a missing folder as a problem instead of throwing', async () => {
    const library = await loadLibrary(join(folder, 'nope'));
    expect(library.problems).toHaveLength(1);
    expect(library.problems[0]!.message).toBe('cannot read the runbooks folder: it does not exist');
  });
});

describe('loadRunbook and loadPaths', () => {
  it('reads one file; an unreadable one is a problem', async () => {
    await write('a.md', '# A', '## S');
    expect((await loadRunbook(join(folder, 'a.md'))).runbook?.title).toBe('A');
    const missing = await loadRunbook(join(folder, 'missing.md'));
    expect(missing.runbook).toBeUndefined();
    expect(missing.problems[0]!.message).toBe('cannot read this file: it does not exist');
  });

  it('lets a single file require its neighbours without reading them', async () => {
    await write('01-setup.md', '# Setup', '## S');
    await write('02-load.md', '---', 'requires: [01-setup]', '---', '# Load', '## S');
    const library = await loadPaths([join(folder, '02-load.md')]);
    expect(library.problems).toEqual([]);
    expect(library.entries.map((e) => e.id)).toEqual(['02-load']);
  });
});

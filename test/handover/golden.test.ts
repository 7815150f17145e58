// Golden documents: the fixture records of a prod go-live through the real generator (records read
// from a state folder, runbooks from a folder, files written), compared with the committed Markdown
// after the generation time is normalised. `UPDATE_GOLDEN=1` rewrites the golden files after a
// deliberate change; read the diff before committing it.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateHandover } from '../../src/handover/generate.js';
import { inventorySection } from '../../src/handover/inventory-section.js';
import { clockIn } from '../../src/handover/times.js';
import { writerFor } from '../../src/handover/writer.js';
import { FIXTURES, fixtureFolder, fixtureInventory } from '../helpers/handover.js';

const GOLDEN = join(FIXTURES, 'golden');

/** The generation time is the only thing that changes between two runs of the same records. */
function normalise(markdown: string): string {
  return markdown.replace(/^Generated \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} by/m, 'Generated <now> by');
}

function compare(name: string, actual: string): void {
  const path = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN) writeFileSync(path, actual);
  // A missing golden file fails: write it on purpose with UPDATE_GOLDEN=1 and read it before committing.
  expect(existsSync(path), `${path} is missing (UPDATE_GOLDEN=1 writes it)`).toBe(true);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

describe('the handover document of the fixture go-live', () => {
  it('matches the golden Markdown', async () => {
    const dir = fixtureFolder();
    const result = await generateHandover({
      env: 'prod',
      runbooksDir: join(dir, 'runbooks'),
      stateDir: join(dir, 'state'),
      outDir: join(dir, 'docs', 'handover'),
      inventory: false,
      operator: 'lead',
      timeZone: 'UTC',
      cwd: dir,
    });
    if (!result.ok) throw new Error(result.message);
    const today = new Date().toISOString().slice(0, 10);
    expect(readdirSync(join(dir, 'docs', 'handover')).sort()).toEqual([`prod-${today}.html`, `prod-${today}.md`]);
    expect(result).toMatchObject({ environment: 'prod', runs: 6, openItems: 5, incidents: 7 });
    // The corrupt record is left out, said in the document and returned as a warning.
    expect(result.warnings).toEqual([expect.stringContaining('20261121T120000-04-watch-loads-prod-dead.json: not valid JSON')]);
    compare('prod.md', normalise(readFileSync(result.markdownPath, 'utf8')));
  });

  it('renders the live inventory section as golden', () => {
    const w = writerFor(clockIn('UTC'), []);
    compare('inventory.md', inventorySection(fixtureInventory(), w, 'prod').join('\n'));
  });
});

// The HTML handover as a reader gets it: opened from disk in headless Chromium, it shows no console
// error, asks the network for nothing, draws each run's timeline, and prints to PDF. A secret that
// leaked into a record (as an old build might have left it) is masked in both files, because the
// runbook's `from-env` variable names it while the document is written.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateHandover, type HandoverResult } from '../../src/handover/generate.js';
import type { RunRecord } from '../../src/store/record.js';
import { openInChromium, type OpenedPage } from '../helpers/chromium.js';
import { fixtureFolder } from '../helpers/handover.js';

const CANARY = 'canary-s3cr3t-9b1e';

describe('the handover HTML in Chromium', () => {
  const dir = fixtureFolder('baton-handover-html-');
  let result: HandoverResult;
  let opened: OpenedPage;

  beforeAll(async () => {
    // A record that holds the secret in clear: the document must still never show it.
    const file = join(dir, 'state', 'runs', '20261120T090000-01-setup-warehouse-prod-a1b2.json');
    const record = JSON.parse(readFileSync(file, 'utf8')) as RunRecord;
    record.notes.push({ at: record.startedAt, by: 'ana', text: `temporary password ${CANARY}, rotate after go-live` });
    record.steps[1]!.actions[0]!.code = `CREATE USER IF NOT EXISTS SVC_LOAD PASSWORD = '${CANARY}';`;
    writeFileSync(file, JSON.stringify(record));
    process.env.HANDOVER_FIXTURE_SVC_PASSWORD = CANARY;
    try {
      const generated = await generateHandover({ env: 'prod', runbooksDir: join(dir, 'runbooks'), stateDir: join(dir, 'state'), outDir: join(dir, 'out'), inventory: false, operator: 'lead', timeZone: 'UTC', cwd: dir });
      if (!generated.ok) throw new Error(generated.message);
      result = generated;
    } finally {
      delete process.env.HANDOVER_FIXTURE_SVC_PASSWORD;
    }
    opened = await openInChromium(result.htmlPath);
  }, 60_000);

  afterAll(async () => {
    await opened?.close();
  });

  it('never shows the secret, in either file, and says that values were masked', () => {
    const markdown = readFileSync(result.markdownPath, 'utf8');
    const html = readFileSync(result.htmlPath, 'utf8');
    expect(markdown).not.toContain(CANARY);
    expect(html).not.toContain(CANARY);
    expect(markdown).toContain('temporary password ••••••, rotate after go-live');
    expect(markdown).toMatch(/While writing this document, \d+ texts? held a secret value/);
  });

  it('loads with no console error and no request but the file itself', () => {
    expect(opened.errors).toEqual([]);
    expect(opened.requests).toEqual([pathToFileURL(result.htmlPath).href]);
  });

  it('draws a timeline for every run of the environment, with a bar per step that ran', async () => {
    const page = opened.page;
    expect(await page.locator('figure.timeline svg').count()).toBe(result.runs);
    const first = page.locator('figure.timeline svg').first();
    const box = await first.boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    expect(box!.height).toBeGreaterThan(40);
    // The first run (01, two steps that ran) has two bars in the done colour.
    expect(await first.locator('rect[height="12"][fill="#2e7d32"]').count()).toBe(2);
    const labels = await first.locator('text').allTextContents();
    expect(labels).toContain('1. Create the warehouse');
  });

  it('reads as a document: title, headings, tables, and a screenshot to look at', async () => {
    const page = opened.page;
    expect(await page.title()).toBe('Handover: the prod environment');
    expect(await page.locator('h2').allTextContents()).toContain('Open items');
    expect(await page.locator('table').count()).toBeGreaterThan(10);
    // A link in the summary lands on its section.
    await page.locator('a[href="#open-items"]').first().click();
    expect(new URL(page.url()).hash).toBe('#open-items');
    const shot = join(dir, 'handover.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(50_000);
  });

  it('prints to PDF', async () => {
    const pdf = join(dir, 'handover.pdf');
    await opened.page.pdf({ path: pdf, format: 'A4', printBackground: true });
    const bytes = readFileSync(pdf);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    // Each main section starts a page: more than a handful of pages.
    expect(bytes.toString('latin1').match(/\/Type\s*\/Page[^s]/g)!.length).toBeGreaterThan(5);
  });
});

// Rendering, pure: record text stays text, anchors link up between the Markdown and the HTML,
// secrets known at generation time are masked, and each run's timeline is drawn from its steps.
import markdownit from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { renderHandoverHtml } from '../../src/handover/html.js';
import { handoverTitle, renderHandoverMarkdown } from '../../src/handover/markdown.js';
import { code, escapeText, headingSlug, table } from '../../src/handover/markdown-text.js';
import { timelineSvg, timeScale, STEP_COLOURS } from '../../src/handover/timeline-svg.js';
import { clockIn } from '../../src/handover/times.js';
import type { RunRecord } from '../../src/store/record.js';
import { fixtureInput, fixtureRecords } from '../helpers/handover.js';

const md = markdownit({ html: false });

describe('record text in Markdown', () => {
  it('renders exactly as written: no tags, emphasis, links, images or list markers', () => {
    const cases = ['<script>alert(1)</script>', '*not bold* and __not bold__', '[a link](http://example.com)', '![x](http://example.com/x.png)', '1. not a list', '- not a list', '&copy; stays', '# not a heading', 'back\\slash and \\_'];
    for (const text of cases) {
      const html = md.renderInline(escapeText(text));
      const decoded = html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
      expect(decoded, text).toBe(text);
    }
  });

  it('keeps identifiers readable in the Markdown file itself', () => {
    expect(escapeText('SALES_DW_ORDERS_LOAD failed')).toBe('SALES_DW_ORDERS_LOAD failed');
  });

  it('keeps a pipe inside one table cell, in text and in code', () => {
    const html = md.render(table(['a', 'b'], [[escapeText('x | y'), code('p|q`r')]]).join('\n'));
    expect(html.match(/<td>/g)).toHaveLength(2);
    expect(html).toContain('<td>x | y</td>');
    expect(html).toContain('<code>p|q`r</code>');
  });

  it('numbers repeated headings the way GitHub does', () => {
    const taken = new Map<string, number>();
    expect(['Run — 2026-11-20 09:00:00, done', 'Summary', 'Summary', 'Summary'].map((t) => headingSlug(t, taken))).toEqual([
      'run--2026-11-20-090000-done',
      'summary',
      'summary-1',
      'summary-2',
    ]);
  });
});

describe('the document', () => {
  const markdown = renderHandoverMarkdown(fixtureInput());

  it('has every section the handover needs, in order', () => {
    const headings = markdown.split('\n').filter((line) => /^## /.test(line));
    expect(headings).toEqual([
      '## Summary',
      '## Runbooks and runs',
      '## Problems and how they were resolved',
      '## Open items',
      '## Live inventory',
      '## Operations guide',
      '## Training log',
      '## Masked values',
      '## Sign-off',
    ]);
  });

  it('links every query id to the account\'s query history', () => {
    expect(markdown).toContain('[01b8a1c0-0000-4b21-0000-000100010002](<https://app.snowflake.com/acme/prod/#/compute/history/queries/01b8a1c0-0000-4b21-0000-000100010002/detail>)');
    const plain = renderHandoverMarkdown(fixtureInput({ environment: { name: 'prod', protected: true, variables: {} } }));
    expect(plain).toContain('`01b8a1c0-0000-4b21-0000-000100010002`');
    expect(plain).not.toContain('compute/history');
  });

  it('resolves every link inside the HTML to a heading of the page', () => {
    const html = renderHandoverHtml(markdown, { title: 't', timelines: new Map() });
    const ids = new Set([...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]));
    const targets = [...html.matchAll(/href="#([^"]*)"/g)].map((m) => decodeURIComponent(m[1]!));
    expect(targets.length).toBeGreaterThan(20);
    for (const target of targets) expect(ids.has(target), `#${target}`).toBe(true);
  });

  it('masks a secret value known while generating wherever a record holds it, and says so', () => {
    const canary = 'canary-5ecret-7f3a';
    const runs = fixtureRecords();
    const leaky = structuredClone(runs.find((r) => r.id.startsWith('20261120T090000'))!) as RunRecord;
    leaky.notes.push({ at: leaky.startedAt, by: 'ana', text: `the password was ${canary}` });
    leaky.steps[0]!.actions[0]!.attempts[0]!.error!.message = `login failed for ${canary}`;
    const input = fixtureInput({ runs: runs.map((r) => (r.id === leaky.id ? leaky : r)), secrets: [canary] });
    const masked = renderHandoverMarkdown(input);
    const html = renderHandoverHtml(masked, { title: handoverTitle('prod'), timelines: new Map() });
    expect(masked).not.toContain(canary);
    expect(html).not.toContain(canary);
    expect(masked).toContain('the password was ••••••');
    expect(masked).toMatch(/While writing this document, \d+ texts held a secret value known on this machine; each was masked\./);
  });
});

describe('a step’s attempts', () => {
  it('says how many actions the tries were spread over, so one try of each is not read as retries', () => {
    const runs = fixtureRecords();
    const run = structuredClone(runs.find((r) => r.id.startsWith('20261120T090000'))!) as RunRecord;
    const step = run.steps[0]!;
    const first = step.actions[0]!;
    const tried = { ...first.attempts[0]!, status: 'succeeded' as const };
    delete tried.error;
    step.actions = [
      { ...first, id: 'one', attempts: [tried] },
      { ...first, id: 'two', attempts: [tried] },
    ];
    const markdown = renderHandoverMarkdown(fixtureInput({ runs: runs.map((r) => (r.id === run.id ? run : r)) }));
    const row = markdown.split('\n').find((line) => line.startsWith(`| 1 | ${step.title} |`));
    expect(row?.split(' | ')[3]).toBe('2 for 2 actions');
    step.actions[1]!.attempts = [{ ...tried, status: 'failed' }, tried];
    const again = renderHandoverMarkdown(fixtureInput({ runs: runs.map((r) => (r.id === run.id ? run : r)) }));
    expect(again.split('\n').find((line) => line.startsWith(`| 1 | ${step.title} |`))?.split(' | ')[3]).toBe('3 for 2 actions (1 failed)');
  });
});

describe('the HTML page', () => {
  it('keeps a fenced block whole, even when a line in it looks like a heading', () => {
    const html = renderHandoverHtml('## One\n\n````jil\n## not a heading\n```\n## still not\n````\n\n## Two\n', { title: 't', timelines: new Map() });
    expect(html).toContain('<pre><code class="language-jil">## not a heading\n```\n## still not\n</code></pre>');
    expect(html.match(/<h2 id="[^"]+">/g)).toEqual(['<h2 id="one">', '<h2 id="two">']);
  });

  const run = fixtureRecords().find((r) => r.id.startsWith('20261120T090000'))!;
  const markdown = renderHandoverMarkdown(fixtureInput());
  const html = renderHandoverHtml(markdown, { title: handoverTitle('prod'), timelines: new Map([[run.id, timelineSvg(run, clockIn('UTC'))]]) });

  it('loads nothing from anywhere: no scripts, no images, a policy that forbids fetches', () => {
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'`);
    expect(html).not.toMatch(/<script|<img|<link|<iframe|@import|url\(/i);
  });

  it('draws the timeline where the run\'s marker stands, and nothing where no timeline was given', () => {
    expect(html.match(/<figure class="timeline"><svg/g)).toHaveLength(1);
    const at = html.indexOf('<figure class="timeline">');
    expect(html.lastIndexOf('Run — 2026-11-20 09:00:00, done', at)).toBeGreaterThan(0);
    expect(html).not.toContain('baton:timeline');
  });
});

describe('the timeline picture', () => {
  const clock = clockIn('UTC');

  it('draws one bar per step that started, coloured by its status', () => {
    const run = fixtureRecords().find((r) => r.id.startsWith('20261122T210000-03'))!;
    const svg = timelineSvg(run, clock);
    const bars = [...svg.matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="12" rx="2" fill="(#[0-9a-f]+)"><title>([^<]+)<\/title>/g)];
    expect(bars.map((b) => [b[4]!.split(' — ')[0], b[3]])).toEqual([
      ['2. Load the orders', STEP_COLOURS.done],
      ['3. Compare the counts', STEP_COLOURS.done],
      ['4. Tell the business', STEP_COLOURS.done],
    ]);
    expect(svg).toContain('>skipped</text>');
    // Bars follow each other in time, and none is wider than the chart.
    const xs = bars.map((b) => Number(b[1]));
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    for (const b of bars) expect(Number(b[1]) + Number(b[2])).toBeLessThanOrEqual(800);
    // The failed attempt of the load is marked.
    expect(svg).toContain('<title>attempt 1 failed</title>');
  });

  it('colours a failed step red', () => {
    const run = fixtureRecords().find((r) => r.status === 'abandoned')!;
    expect(timelineSvg(run, clock)).toContain(`fill="${STEP_COLOURS.failed}"><title>2. Release the box — failed`);
  });

  it('squeezes a long pause into a short break, and says how long it was', () => {
    const h = 3_600_000;
    const scale = timeScale([[0, h], [25 * h, 26 * h]], 0, 26 * h, 100, 700);
    expect(scale.breaks).toHaveLength(1);
    expect(scale.breaks[0]!.ms).toBe(24 * h);
    // Each hour of work gets nearly half the chart; the day between them a few pixels.
    expect(scale.x(h) - scale.x(0)).toBeGreaterThan(280);
    expect(scale.x(25 * h) - scale.x(h)).toBeLessThan(20);
    expect(scale.x(26 * h)).toBeCloseTo(700, 5);
  });

  it('keeps time linear when nothing pauses', () => {
    const scale = timeScale([[0, 60_000], [60_000, 120_000]], 0, 120_000, 0, 600);
    expect(scale.breaks).toEqual([]);
    expect(scale.x(60_000)).toBeCloseTo(300, 5);
  });
});

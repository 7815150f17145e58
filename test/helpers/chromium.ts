// Opening a page in Debian's headless Chromium through playwright-core, with a fresh profile and
// every background service off, recording console errors and every request the page makes.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { tempDir } from './context.js';

/** Where Debian installs Chromium (`apt-get install chromium`; `.ci/run` does it in CI). */
export const CHROMIUM = '/usr/bin/chromium';

/** A page opened from a file, with what happened while it loaded. */
export interface OpenedPage {
  page: Page;
  /** Console errors and uncaught page errors. */
  errors: string[];
  /** Every URL the page asked for, the page itself included. */
  requests: string[];
  close(): Promise<void>;
}

/** Open a local HTML file in headless Chromium. */
export async function openInChromium(file: string): Promise<OpenedPage> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install it with \`apt-get install -y chromium\``);
  const context: BrowserContext = await chromium.launchPersistentContext(join(tempDir('baton-chromium-'), 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1200, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  context.on('request', (request) => requests.push(request.url()));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, errors, requests, close: () => context.close() };
}

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium: playwright-core drives it and downloads no browser of its own. */
export const CHROMIUM = '/usr/bin/chromium';

/** Why a browser test is skipped here (chromium missing outside CI), or undefined; under CI=true it must run. */
export function browserSkipReason(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  if (process.env.CI === 'true') return undefined; // let the launch fail loudly: .ci/run installs chromium
  return `${CHROMIUM} is missing (apt-get install chromium); CI installs it and runs this test`;
}

/** `describe` when chromium is here, else `describe.skip` with the reason printed for `name`. */
export function describeWithBrowser(name: string): jest.Describe {
  const reason = browserSkipReason();
  if (reason) console.warn(`[browser] ${name} skipped: ${reason}`);
  return reason ? describe.skip : describe;
}

/**
 * Run in the page: what sticks out sideways. The page itself must not scroll sideways, and no element may be wider
 * than the window or reach past either edge (a table scrolling inside its panel would be cut off on a phone). A
 * string, since this project's TypeScript has no DOM types.
 */
export const OVERFLOW_CHECK = `(() => {
  const width = window.innerWidth;
  const found = [];
  const scrolling = document.scrollingElement.scrollWidth;
  if (scrolling > width) found.push('the page is ' + scrolling + ' px wide');
  for (const element of document.querySelectorAll('body *')) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.width > width + 0.5 || box.right > width + 0.5 || box.left < -0.5) {
      const classes = typeof element.className === 'string' && element.className ? '.' + element.className.trim().split(/\\s+/).join('.') : '';
      const name = element.tagName.toLowerCase() + (element.id ? '#' + element.id : '') + classes;
      found.push(name + ' spans ' + Math.round(box.left) + '..' + Math.round(box.right) + ' px: "' + (element.textContent || '').trim().slice(0, 40) + '"');
    }
  }
  return found.slice(0, 8);
})()`;

export interface HeadlessBrowser {
  context: BrowserContext;
  page: Page;
  /** Script errors, and anything the Content-Security-Policy blocked: a page with either fails its test. */
  pageErrors: string[];
  close(): Promise<void>;
}

/** Headless chromium with a fresh profile of its own (a persistent context is how playwright takes --user-data-dir). */
export async function openHeadlessChromium(viewport: { width: number; height: number }): Promise<HeadlessBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'pool-chromium-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  // The dashboard is served with a Content-Security-Policy (dashboard.static.ts): anything it blocks is a failure.
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) pageErrors.push(message.text());
  });
  return {
    context,
    page,
    pageErrors,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

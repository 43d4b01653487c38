import { test as base, expect } from '@grafana/plugin-e2e';
import type { Locator, Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { basicAuth, type UserName } from './users';

/** Screenshots the tests check and keep (CI artifacts; some are in the README). */
export const SHOTS = join(__dirname, '..', '..', 'test-artifacts', 'e2e');

export type Theme = 'light' | 'dark';

export interface Covenant {
  /** A page of a browser of its own, outside the admin's session: it acts as the user `open` names. */
  page: Page;
  /**
   * Opens a Grafana URL in Grafana's own UI as a user (signed in by basic auth; the editor unless
   * said) in a theme (dark unless said).
   */
  open: (path: string, opts?: { user?: UserName; theme?: Theme }) => Promise<Page>;
  /** Saves a screenshot of the page (or an element) under test-artifacts/e2e and returns it decoded. */
  shot: (name: string, target?: Locator) => Promise<PNG>;
}

/**
 * plugin-e2e's test (its page is the admin's, signed in by the auth project) with `covenant`: a page
 * that acts as the editor, the viewer or the admin, whose uncaught errors fail the test.
 */
export const test = base.extend<{ covenant: Covenant }>({
  covenant: async ({ browser, locale }, use) => {
    const errors: string[] = [];
    // The browser's language (a spec's test.use({ locale })): Grafana and the app take the user's regional format from it.
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale });
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    mkdirSync(SHOTS, { recursive: true });
    await use({
      page,
      open: async (path, opts = {}) => {
        await context.setExtraHTTPHeaders({ Authorization: basicAuth(opts.user ?? 'editor') });
        await page.goto(`${path}${path.includes('?') ? '&' : '?'}theme=${opts.theme ?? 'dark'}`);
        return page;
      },
      shot: async (name, target) => {
        const path = join(SHOTS, `${name}.png`);
        const buf = target
          ? await target.first().screenshot({ path })
          : await page.screenshot({ path, fullPage: true });
        return PNG.sync.read(buf);
      },
    });
    await context.close();
    expect(errors, 'uncaught errors in the page').toEqual([]);
  },
});

export { expect };

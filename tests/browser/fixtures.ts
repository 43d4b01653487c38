import { test as base, expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { basicAuth, type UserName } from './users';

const BUILD = join(__dirname, '.build');
/** Screenshots the tests check and keep (CI artifacts; one is in the README). */
export const SHOTS = join(__dirname, '..', '..', 'test-artifacts', 'browser');

export type Theme = 'light' | 'dark';

/**
 * Serves the host page for app URLs and its bundle; everything else (the plugin's module.js, the
 * API, fonts, icons) comes from the real Grafana server.
 */
async function useHost(page: Page) {
  await page.route(
    (u) => u.pathname.startsWith('/covenant-harness/'),
    (r) => r.fulfill({ path: join(BUILD, new URL(r.request().url()).pathname.split('/').pop()!) })
  );
  // @grafana/ui asks for icons under public/build (Grafana's webpack output); the server keeps them in public/img.
  await page.route(
    (u) => u.pathname.startsWith('/public/build/img/icons/'),
    (r) => r.continue({ url: r.request().url().replace('/public/build/img/icons/', '/public/img/icons/') })
  );
  await page.route(
    (u) => u.pathname.startsWith('/a/'),
    (r) => (r.request().resourceType() === 'document' ? r.fulfill({ path: join(BUILD, 'index.html') }) : r.continue())
  );
}

export interface Covenant {
  /** Opens an app URL as a user in a theme and waits for the plugin to render. */
  open: (path: string, opts?: { user?: UserName; theme?: Theme }) => Promise<void>;
  /** Saves a screenshot of the page (or an element) under test-artifacts/browser and returns it decoded. */
  shot: (name: string, selector?: string) => Promise<PNG>;
}

export const test = base.extend<{ covenant: Covenant }>({
  covenant: async ({ page, context }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await useHost(page);
    mkdirSync(SHOTS, { recursive: true });
    await use({
      open: async (path, opts = {}) => {
        await context.setExtraHTTPHeaders({ Authorization: basicAuth(opts.user ?? 'editor') });
        await page.goto(`${path}${path.includes('?') ? '&' : '?'}theme=${opts.theme ?? 'dark'}`);
        await page.waitForFunction(() => {
          const w = window as unknown as { covenantHostReady?: boolean; covenantHostError?: string };
          return w.covenantHostReady || w.covenantHostError;
        });
        const hostError = await page.evaluate(
          () => (window as unknown as { covenantHostError?: string }).covenantHostError
        );
        expect(hostError, 'the host page failed').toBeUndefined();
      },
      shot: async (name, selector) => {
        const path = join(SHOTS, `${name}.png`);
        const buf = selector
          ? await page.locator(selector).first().screenshot({ path })
          : await page.screenshot({ path, fullPage: true });
        return PNG.sync.read(buf);
      },
    });
    expect(errors, 'uncaught errors in the page').toEqual([]);
  },
});

export { expect };

/** The colour at a pixel. */
export function pixel(png: PNG, x: number, y: number): [number, number, number] {
  const i = (png.width * Math.floor(y) + Math.floor(x)) * 4;
  return [png.data[i], png.data[i + 1], png.data[i + 2]];
}

/** Relative luminance 0 (black) to 1 (white). */
export function luminance([r, g, b]: [number, number, number]): number {
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

/** How many pixels of an image are within `tol` of a colour (per channel). */
export function countColour(png: PNG, [r, g, b]: [number, number, number], tol = 24): number {
  let n = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    if (
      Math.abs(png.data[i] - r) <= tol &&
      Math.abs(png.data[i + 1] - g) <= tol &&
      Math.abs(png.data[i + 2] - b) <= tol
    ) {
      n++;
    }
  }
  return n;
}

/** Parses a CSS colour "rgb(r, g, b)" as the browser reports computed styles. */
export function rgb(css: string): [number, number, number] {
  const m = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(css);
  if (!m) {
    throw new Error(`not an rgb colour: ${css}`);
  }
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

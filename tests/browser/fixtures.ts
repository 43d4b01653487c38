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
  // The host's files, and its pages for the panel alone (/covenant-harness/panel, /covenant-harness/bench).
  await page.route(
    (u) => u.pathname.startsWith('/covenant-harness/'),
    (r) => {
      const name = new URL(r.request().url()).pathname.split('/').pop()!;
      return r.fulfill({ path: join(BUILD, name.includes('.') ? name : 'index.html') });
    }
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

/** A colour of the page's Grafana theme, by name ("green") or path ("colors.background.canvas"), as rgb and alpha. */
export async function themeColour(page: Page, name: string): Promise<{ rgb: [number, number, number]; alpha: number }> {
  const css = await page.evaluate((n) => {
    const theme = (
      window as unknown as {
        covenantTheme: Record<string, unknown> & { visualization: { getColorByName: (c: string) => string } };
      }
    ).covenantTheme;
    if (!n.includes('.')) {
      return theme.visualization.getColorByName(n);
    }
    return n.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], theme) as string;
  }, name);
  const hex = /^#([0-9a-f]{6})$/i.exec(css);
  if (hex) {
    const v = parseInt(hex[1], 16);
    return { rgb: [(v >> 16) & 255, (v >> 8) & 255, v & 255], alpha: 1 };
  }
  const m = /rgba?\((\d+),\s*(\d+),\s*(\d+)(?:,\s*([\d.]+))?/.exec(css);
  if (!m) {
    throw new Error(`${name} is not a colour: ${css}`);
  }
  return { rgb: [Number(m[1]), Number(m[2]), Number(m[3])], alpha: m[4] === undefined ? 1 : Number(m[4]) };
}

/** A colour drawn with an alpha over a background, as the canvas composes it. */
export function blend(
  bg: [number, number, number],
  fg: [number, number, number],
  alpha: number
): [number, number, number] {
  return [0, 1, 2].map((i) => Math.round(bg[i] * (1 - alpha) + fg[i] * alpha)) as [number, number, number];
}

/** How many pixels of a rectangle of an image are within `tol` of a colour. */
export function countIn(
  png: PNG,
  colour: [number, number, number],
  box: { x: number; y: number; width: number; height: number },
  tol = 6
): number {
  let n = 0;
  for (let y = Math.max(0, Math.floor(box.y)); y < Math.min(png.height, box.y + box.height); y++) {
    for (let x = Math.max(0, Math.floor(box.x)); x < Math.min(png.width, box.x + box.width); x++) {
      const i = (png.width * y + x) * 4;
      if (
        Math.abs(png.data[i] - colour[0]) <= tol &&
        Math.abs(png.data[i + 1] - colour[1]) <= tol &&
        Math.abs(png.data[i + 2] - colour[2]) <= tol
      ) {
        n++;
      }
    }
  }
  return n;
}

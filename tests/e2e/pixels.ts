import type { Page } from '@playwright/test';
import type { PNG } from 'pngjs';

export type RGB = [number, number, number];

/** The colour at a pixel. */
export function pixel(png: PNG, x: number, y: number): RGB {
  const i = (png.width * Math.floor(y) + Math.floor(x)) * 4;
  return [png.data[i], png.data[i + 1], png.data[i + 2]];
}

/** Relative luminance 0 (black) to 1 (white). */
export function luminance([r, g, b]: RGB): number {
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

/** How many pixels of a rectangle of an image (all of it by default) are within `tol` of a colour, per channel. */
export function countIn(
  png: PNG,
  colour: RGB,
  box: { x: number; y: number; width: number; height: number } = { x: 0, y: 0, width: png.width, height: png.height },
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

/** A colour drawn with an alpha over a background, as the canvas composes it. */
export function blend(bg: RGB, fg: RGB, alpha: number): RGB {
  return [0, 1, 2].map((i) => Math.round(bg[i] * (1 - alpha) + fg[i] * alpha)) as RGB;
}

/**
 * A colour of the theme the page shows, by name ("green") or path ("colors.background.canvas"), as
 * rgb and alpha: read from Grafana's own runtime config in the page, as a plugin reads it.
 */
export async function themeColour(page: Page, name: string): Promise<{ rgb: RGB; alpha: number }> {
  const css = await page.evaluate(async (n) => {
    const system = (window as unknown as { System: { import: (m: string) => Promise<unknown> } }).System;
    const runtime = (await system.import('@grafana/runtime')) as {
      config: { theme2: Record<string, unknown> & { visualization: { getColorByName: (c: string) => string } } };
    };
    const theme = runtime.config.theme2;
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

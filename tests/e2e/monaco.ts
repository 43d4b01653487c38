import { expect, type Locator, type Page } from '@playwright/test';

/**
 * Covenant's SQL editors are Grafana's CodeEditor (Monaco). Monaco reads the keyboard, not an input's
 * value, so tests click into it and type, as a user does; Playwright's fill would not reach its model.
 */

/** The Monaco editor inside a SqlEditor's frame (its test id), once it has loaded. */
export async function monacoIn(frame: Locator): Promise<Locator> {
  // The first: Monaco nests widgets of its own (the rename box) that are .monaco-editor too.
  const editor = frame.locator('.monaco-editor').first();
  await expect(editor).toBeVisible();
  return editor;
}

/** Replaces the editor's text by typing `text` (Monaco closes brackets and quotes and types over them). */
export async function typeSql(page: Page, frame: Locator, text: string) {
  const editor = await monacoIn(frame);
  await editor.locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(text);
}

/** The editor's text as Monaco draws it (its lines, spaces as spaces). */
export async function sqlText(frame: Locator): Promise<string> {
  const lines = await (await monacoIn(frame)).locator('.view-lines .view-line').allTextContents();
  return lines.join('\n').replace(/\u00a0/g, ' ');
}

/** The suggestion widget Monaco shows (one at a time on a page). */
export function suggestWidget(page: Page): Locator {
  return page.locator('.suggest-widget.visible');
}

/** A suggestion of the open widget, by its whole label. */
export function suggestion(page: Page, label: string): Locator {
  const exact = new RegExp(`^${label.replace(/[$^.*+?()[\]{}|\\]/g, '\\$&')}$`);
  return suggestWidget(page)
    .locator('.monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: exact }) });
}

/** Waits for the suggestion widget; asks for it with Ctrl+Space if typing did not open it. */
export async function openSuggestions(page: Page) {
  try {
    await expect(suggestWidget(page)).toBeVisible({ timeout: 5_000 });
  } catch {
    await page.keyboard.press('Control+Space');
    await expect(suggestWidget(page)).toBeVisible();
  }
}

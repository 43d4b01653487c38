import type { Locator, Page } from '@playwright/test';
import { expect } from '@grafana/plugin-e2e';

/** Opens a picker (a Grafana Select under testId, inside `within`) and clicks the option shown as `label`. */
export async function pickOption(page: Page, within: Locator, testId: string, label: string) {
  await within.getByTestId(testId).getByRole('combobox').click();
  await page
    .getByTestId('data-testid Select option')
    .filter({ has: page.getByText(label, { exact: true }) })
    .first()
    .click();
  await expect(within.getByTestId(testId)).toContainText(label);
}

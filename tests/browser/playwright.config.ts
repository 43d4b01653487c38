import { defineConfig } from '@playwright/test';
import { chromiumLaunch, grafanaURL } from '../chromium';

/**
 * Browser tests: Covenant's built plugin in Debian's Chromium, against the real Grafana server that
 * scripts/test.sh starts (GRAFANA_URL). The pages run inside the host in harness/ (see host.tsx).
 */
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: '../../test-artifacts/browser/results',
  globalSetup: './global-setup.ts',
  workers: 1,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    baseURL: grafanaURL,
    viewport: { width: 1400, height: 900 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: chromiumLaunch,
  },
});

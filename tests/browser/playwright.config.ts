import { defineConfig } from '@playwright/test';

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
    baseURL: process.env.GRAFANA_URL ?? 'http://127.0.0.1:3000',
    viewport: { width: 1400, height: 900 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      // Chromium as root, headless, with nothing that reaches out of this closed network.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--font-render-hinting=none',
      ],
    },
  },
});

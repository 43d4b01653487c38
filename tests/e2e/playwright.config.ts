import { dirname } from 'node:path';
import { defineConfig } from '@playwright/test';
import { chromiumLaunch, grafanaURL } from '../chromium';
import type { PluginOptions } from '@grafana/plugin-e2e';

/**
 * Covenant in Grafana's own UI, with @grafana/plugin-e2e: the real Grafana that scripts/test.sh
 * starts (GRAFANA_URL), its front end built from the same source as the server
 * (docs/grafana-server.md), driven in Debian's Chromium.
 */
const pluginE2eAuth = `${dirname(require.resolve('@grafana/plugin-e2e'))}/auth`;

export default defineConfig<PluginOptions>({
  testDir: '.',
  globalSetup: './global-setup.ts',
  outputDir: '../../test-artifacts/e2e/results',
  workers: 1,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
  use: {
    baseURL: grafanaURL,
    user: { user: 'admin', password: 'admin' },
    viewport: { width: 1400, height: 1000 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: chromiumLaunch,
  },
  projects: [
    { name: 'auth', testDir: pluginE2eAuth, testMatch: [/.*\.js/] },
    {
      name: 'covenant',
      testMatch: '*.spec.ts',
      use: { storageState: 'playwright/.auth/admin.json' },
      dependencies: ['auth'],
    },
  ],
});

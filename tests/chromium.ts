/**
 * What every Playwright suite here shares: Debian's Chromium (CHROMIUM_PATH to change it), run as root
 * and headless, with nothing that reaches out of this closed network, against the Grafana that
 * scripts/test.sh starts (GRAFANA_URL).
 */
export const grafanaURL = process.env.GRAFANA_URL ?? 'http://127.0.0.1:3000';

export const chromiumLaunch = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
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
};

import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { testIds } from '../../src/shared/testIds';
import { paths } from '../../src/shared/paths';
import { SHOTS, expect, test } from './fixtures';
import { countIn, themeColour } from './pixels';
import { api, oneDecimal } from './users';

interface ReportJSON {
  financial: { impactCost: number; agreements: Array<{ name: string; result: { compliance: number | null } }> };
  obligations: Array<{ tracker: string; met: number; missed: number }>;
  renewal: { signal: string; noticeBy?: string };
  issues: Array<{ milestone: string }>;
}

const euro = (v: number) =>
  new Intl.NumberFormat('en', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 }).format(v);

// A manager in the UK: the report's dates and amounts in the British format ("1 Jul – 30 Sept 2026").
test.use({ locale: 'en-GB' });

/**
 * A contract manager prints a quarter's report: the page shows the six sections with the figures
 * of GET /report (the Agreements issue's figures, checked against the ledger in the Go tests), and
 * Chromium's PDF of it holds every section, the figures and the charts.
 */
test('the contract performance report for a quarter, printed to PDF', async ({ covenant }) => {
  const { page } = covenant;
  const from = '2026-07-01';
  const to = '2026-10-01';
  await covenant.open(paths.report('acme-it', from, to), { theme: 'light' });
  const doc = page.getByTestId(testIds.report.page);
  await expect(doc).toContainText('Acme IT managed services');
  const r = await api<ReportJSON>(
    'viewer',
    'GET',
    `/api/datasources/uid/covenant/resources/report?contractId=acme-it&from=${from}&to=${to}`
  );

  const section = (name: string) => page.getByTestId(testIds.report.section(name));
  await expect(section('overview')).toContainText('Acme Corp');
  await expect(section('overview')).toContainText('€1,800,000');
  for (const o of r.obligations) {
    await expect(section('obligations')).toContainText(o.tracker);
    await expect(section('obligations')).toContainText(`(${o.met}/${o.met + o.missed})`);
  }
  await expect(section('obligations').locator('canvas').first()).toBeVisible();
  await expect(section('financial')).toContainText(`Impact cost of misses${euro(r.financial.impactCost)}`);
  const sla = r.financial.agreements.find((a) => a.name === 'Service levels')!;
  await expect(section('financial')).toContainText(`${oneDecimal(sla.result.compliance!)} %`);
  await expect(section('financial')).toContainText('(final)');
  // Its monthly periods are in Europe/London: the quarter's last month, dated in that zone.
  // (final, or with its state on the ledger when another test signed it off or disputed it).
  await expect(section('financial')).toContainText(/Service levels2026-09-01 – 2026-09-30 \(final(, [a-z ]+)?\)/);
  await expect(section('risk')).toContainText('Requests open and past their goal');
  for (const i of r.issues) {
    await expect(section('issues')).toContainText(i.milestone);
  }
  await expect(section('renewal')).toContainText(r.renewal.signal);
  await expect(section('renewal')).toContainText(`notice must be given by ${r.renewal.noticeBy}`);
  await covenant.shot('40-report-light');

  // The browser's "save as PDF": the report alone, every section, its figures and charts.
  const pdf = join(SHOTS, 'report-acme-it-2026-Q3.pdf');
  await page.pdf({ path: pdf, format: 'A4', printBackground: true });
  const text = execFileSync('pdftotext', ['-layout', pdf, '-']).toString();
  for (const heading of [
    '1. Contract and party overview',
    '2. Obligation and KPI status',
    '3. Financial performance',
    '4. Risk and compliance indicators',
    '5. Issues and escalations',
    '6. Renewal and decision implications',
  ]) {
    expect(text, heading).toContain(heading);
  }
  expect(text).toContain('1 Jul – 30 Sept 2026');
  expect(text).toContain(euro(r.financial.impactCost));
  expect(text).toContain(`${oneDecimal(sla.result.compliance!)} %`);
  expect(text).not.toContain('Print or save as PDF'); // the app's controls are not printed
  expect(text).not.toContain('Search or jump to'); // nor Grafana's own top bar and menu
  execFileSync('pdftoppm', ['-r', '80', '-png', pdf, join(SHOTS, 'report-page')]);
  const pages = readdirSync(SHOTS).filter((f) => f.startsWith('report-page') && f.endsWith('.png'));
  expect(pages.length).toBeGreaterThanOrEqual(2);
  // The charts are in the PDF: the first page holds the RAG strips' green.
  const first = PNG.sync.read(readFileSync(join(SHOTS, pages.sort()[0])));
  expect(
    countIn(first, (await themeColour(page, 'green')).rgb, undefined, 10),
    'green chart pixels on page 1'
  ).toBeGreaterThan(100);
});

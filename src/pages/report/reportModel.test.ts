import { netFinancial, obligationCounts, periodLabel, quarters, renewalRationale } from './reportModel';
import type { ContractReport, ReportObligation } from '../../shared/types';

describe('the report model', () => {
  it('offers the current quarter and those before it', () => {
    expect(quarters(Date.UTC(2026, 10, 22), 3)).toEqual([
      { label: '2026 Q4 (current)', from: '2026-10-01', to: '2027-01-01' },
      { label: '2026 Q3', from: '2026-07-01', to: '2026-10-01' },
      { label: '2026 Q2', from: '2026-04-01', to: '2026-07-01' },
    ]);
    expect(quarters(Date.UTC(2026, 1, 3), 2)[1]).toEqual({ label: '2025 Q4', from: '2025-10-01', to: '2026-01-01' });
  });

  it('names a period by its first and last days', () => {
    expect(periodLabel('2026-01-01', '2026-04-01', 'en-GB')).toBe('1 Jan – 31 Mar 2026');
    expect(periodLabel('2025-10-01', '2026-01-01', 'en-GB')).toBe('1 Oct – 31 Dec 2025');
    expect(periodLabel('2025-12-01', '2026-02-01', 'en-GB')).toBe('1 Dec 2025 – 31 Jan 2026');
    // In the user's regional format.
    expect(periodLabel('2026-01-01', '2026-04-01', 'en-US')).toBe('Jan 1 – Mar 31, 2026');
    expect(periodLabel('2026-01-01', '2026-04-01', 'de-DE')).toBe('1. Jan. – 31. März 2026');
  });

  it('explains the renewal recommendation with its evidence', () => {
    const r = (status: string) => ({ status }) as never;
    expect(
      renewalRationale({
        signal: 'renegotiate',
        evidence: [r('compliant'), r('breached'), r('compliant')],
        compliant: 2,
        window: 'open',
      })
    ).toBe('2 of the last 3 closed review periods were compliant: some missed their compliance target.');
    expect(renewalRationale({ signal: 'insufficient history', evidence: [], compliant: 0, window: 'open' })).toMatch(
      /No review period has closed yet/
    );
  });

  it('sums the money and counts the obligations', () => {
    const f = { credits: 2000, penalties: -5000, impactCost: 750 } as ContractReport['financial'];
    expect(netFinancial(f)).toBe(-3750);
    const o = (status: ReportObligation['status']) => ({ status }) as ReportObligation;
    expect(obligationCounts([o('on_track'), o('missed'), o('on_track')])).toEqual({
      on_track: 2,
      at_risk: 0,
      missed: 1,
      no_data: 0,
    });
  });
});

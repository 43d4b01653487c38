import { contractDashboard, contractDashboardUid } from './share';
import type { Contract } from './types';

const bundled = {
  id: 7,
  uid: 'covenant-contract-performance',
  title: 'Contract performance',
  templating: { list: [{ name: 'datasource' }, { name: 'contract' }, { name: 'tracker' }] },
  links: [{ title: 'Contract in Covenant', url: '/a/covenant-contracts-app/contracts/${contract}' }],
  panels: [
    {
      id: 2,
      title: 'Trackers of $contract',
      datasource: { type: 'covenant-kpi-datasource', uid: '${datasource}' },
      targets: [
        {
          refId: 'A',
          queryType: 'trackerSeries',
          contract: '$contract',
          trackerIds: ['$tracker'],
          datasource: { uid: '${datasource}' },
        },
      ],
    },
  ],
};

const contract = { id: 'acme-it', name: 'Acme IT', counterparty: 'Acme', status: 'active', version: 1 } as Contract;

describe('a contract dashboard to share', () => {
  it('resolves the variables and keeps none, since public dashboards take none', () => {
    const d = contractDashboard(bundled, contract, 'covenant') as typeof bundled & { links: Array<{ url: string }> };
    expect(d.id).toBeUndefined();
    expect(d.uid).toBe(contractDashboardUid('acme-it'));
    expect(d.title).toBe('Contract performance — Acme IT');
    expect(d.templating.list).toEqual([]);
    expect(d.panels[0].title).toBe('Trackers of Acme IT');
    expect(d.panels[0].datasource.uid).toBe('covenant');
    expect(d.panels[0].targets[0]).toEqual({
      refId: 'A',
      queryType: 'trackerSeries',
      contract: 'acme-it',
      datasource: { uid: 'covenant' },
    });
    expect(d.links[0].url).toBe('/a/covenant-contracts-app/contracts/acme-it');
    expect(JSON.stringify(d)).not.toContain('$');
    // The bundled dashboard is left as it was.
    expect(bundled.panels[0].targets[0].contract).toBe('$contract');
    expect(bundled.panels[0].targets[0].trackerIds).toEqual(['$tracker']);
  });

  it('makes uids of at most 40 characters, different for long ids that share a start', () => {
    const a = contractDashboardUid('x'.repeat(60) + 'a');
    const b = contractDashboardUid('x'.repeat(60) + 'b');
    expect(a.length).toBeLessThanOrEqual(40);
    expect(a).not.toBe(b);
  });
});

import type { DataSourceInstanceSettings } from '@grafana/data';
import { DataSource } from './datasource';
import type { CovenantOptions } from '../shared/types';

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getTemplateSrv: () => ({ replace: (s: string) => s.replace('$contract', 'acme-it') }),
}));

const ds = new DataSource({ uid: 'covenant', jsonData: {} } as DataSourceInstanceSettings<CovenantOptions>);

describe('DataSource', () => {
  it('replaces dashboard variables in the SQL and the key', () => {
    const q = ds.applyTemplateVariables(
      { refId: 'A', rawSql: "SELECT * FROM t WHERE k = '$contract'", key: '$contract' },
      {}
    );
    expect(q.rawSql).toBe("SELECT * FROM t WHERE k = 'acme-it'");
    expect(q.key).toBe('acme-it');
  });

  it('skips preview queries without SQL and hidden queries', () => {
    expect(ds.filterQuery({ refId: 'A', queryType: 'connectorPreview', rawSql: '  ' })).toBe(false);
    expect(ds.filterQuery({ refId: 'A', queryType: 'connectorPreview', rawSql: 'SELECT 1', hide: true })).toBe(false);
    expect(ds.filterQuery({ refId: 'A', queryType: 'connectorPreview', rawSql: 'SELECT 1' })).toBe(true);
  });

  it('replaces dashboard variables in the contract and skips tracker queries without trackers', () => {
    const q = ds.applyTemplateVariables({ refId: 'A', queryType: 'trackerSeries', contract: '$contract' }, {});
    expect(q.contract).toBe('acme-it');
    expect(ds.filterQuery({ refId: 'A', queryType: 'trackerSeries', contract: 'acme-it' })).toBe(false);
    expect(
      ds.filterQuery({ refId: 'A', queryType: 'trackerSeries', contract: 'acme-it', trackers: [{} as never] })
    ).toBe(true);
  });

  it('starts new queries as a demo connector preview', () => {
    expect(ds.getDefaultQuery('explore' as never)).toEqual(
      expect.objectContaining({ queryType: 'connectorPreview', connector: 'demo' })
    );
  });
});

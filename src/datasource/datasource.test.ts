import type { DataSourceInstanceSettings } from '@grafana/data';
import { DataSource } from './datasource';
import type { CovenantOptions } from '../shared/types';

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getTemplateSrv: () => ({
    replace: (s: string, _vars: unknown, format?: string) =>
      s.replace('$contract', format === 'csv' ? 'acme-it,globex' : 'acme-it'),
  }),
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

  it('sends a multi-value $contract as ids separated by commas, and runs tracker queries that name a contract', () => {
    const q = ds.applyTemplateVariables({ refId: 'A', queryType: 'trackerSeries', contract: '$contract' }, {});
    expect(q.contract).toBe('acme-it,globex');
    expect(ds.filterQuery({ refId: 'A', queryType: 'trackerSeries', contract: 'acme-it' })).toBe(true);
    expect(ds.filterQuery({ refId: 'A', queryType: 'trackerSeries', contract: ' ' })).toBe(false);
  });

  it('has template variables that list the registry', () => {
    expect(ds.variables).toBeDefined();
    expect(ds.filterQuery({ refId: 'A', queryType: 'variables', kind: 'contracts' })).toBe(true);
  });

  it('starts new queries as a demo connector preview', () => {
    expect(ds.getDefaultQuery('explore' as never)).toEqual(
      expect.objectContaining({ queryType: 'connectorPreview', connector: 'demo' })
    );
  });
});

describe('the registry query types', () => {
  it('run when they have what they need', () => {
    const ds = new DataSource({ jsonData: {} } as never);
    expect(ds.filterQuery({ refId: 'A', queryType: 'portfolio' })).toBe(true);
    expect(ds.filterQuery({ refId: 'A', queryType: 'ledger', agreement: 'sla' })).toBe(true);
    expect(ds.filterQuery({ refId: 'A', queryType: 'agreementCompliance' })).toBe(false);
    expect(ds.filterQuery({ refId: 'A', queryType: 'contractScorecard', contract: 'acme-it' })).toBe(true);
  });
});

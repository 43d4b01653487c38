import { of } from 'rxjs';
import type { DataSourceInstanceSettings } from '@grafana/data';
import { CovenantVariableSupport, DataSource } from './datasource';
import type { CovenantOptions } from '../shared/types';

jest.mock('@grafana/runtime', () =>
  jest.requireActual('../test/runtime').mockRuntime({
    replace: (...a: Parameters<typeof mockReplace>) => mockReplace(...a),
    variables: () => mockVariables,
  })
);

/** The dashboard's variables, as getTemplateSrv().getVariables() lists them. */
let mockVariables: Array<{ name: string }> = [];

/** Like Grafana's templateSrv.replace: $contract is one value, $sites several, $evil a crafted link's. */
function mockReplace(s: string, _vars: unknown, format?: string | ((v: unknown) => string)): string {
  const values: Record<string, unknown> = {
    contract: 'acme-it',
    sites: ['north', "o'hare"],
    evil: "x' OR '1'='1' --",
    slash: "a\\' OR 1=1 -- ",
    chain: '$contract',
    tracker: ['daily-availability', 'weekly-on-time'],
  };
  return s.replace(/\$\{?(\w+)\}?/g, (m, name: string) => {
    if (!(name in values)) {
      return m;
    }
    const v = name === 'contract' && format === 'csv' ? 'acme-it,globex' : values[name];
    return typeof format === 'function' ? format(v) : String(v);
  });
}

const ds = new DataSource({ uid: 'covenant', jsonData: {} } as DataSourceInstanceSettings<CovenantOptions>);

describe('DataSource', () => {
  it('replaces dashboard variables in the SQL as quoted literals, and in the key', () => {
    const q = ds.applyTemplateVariables(
      { refId: 'A', rawSql: "SELECT * FROM t WHERE k = '$contract' AND c = ${contract}", key: '$contract' },
      {}
    );
    expect(q.rawSql).toBe("SELECT * FROM t WHERE k = 'acme-it' AND c = 'acme-it'");
    expect(q.key).toBe('acme-it');
  });

  it('never lets a variable add SQL (a crafted ?var- link)', () => {
    const sql = (rawSql: string, d = ds) => d.applyTemplateVariables({ refId: 'A', rawSql }, {}).rawSql;
    expect(sql('SELECT * FROM t WHERE k = $evil')).toBe("SELECT * FROM t WHERE k = 'x'' OR ''1''=''1'' --'");
    expect(sql("SELECT * FROM t WHERE k = '$evil'")).toBe("SELECT * FROM t WHERE k = 'x'' OR ''1''=''1'' --'");
    expect(sql('SELECT * FROM t WHERE site IN ($sites)')).toBe("SELECT * FROM t WHERE site IN ('north','o''hare')");
    // A value that names another variable stays text: one pass only.
    expect(sql('SELECT $chain')).toBe("SELECT '$contract'");
    // On MySQL a backslash would escape the closing quote: it is doubled.
    const mysql = new DataSource({
      uid: 'm',
      jsonData: { connectors: [{ name: 'wh', type: 'mysql' }] },
    } as unknown as DataSourceInstanceSettings<CovenantOptions>);
    expect(mysql.applyTemplateVariables({ refId: 'A', connector: 'wh', rawSql: 'SELECT $slash' }, {}).rawSql).toBe(
      "SELECT 'a\\\\'' OR 1=1 -- '"
    );
    expect(sql('SELECT $slash')).toBe("SELECT 'a\\'' OR 1=1 -- '");
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

  it('gives a variable query without a refId one, so its response is kept', () => {
    const query = jest.spyOn(ds, 'query').mockReturnValue(of({ data: [] }));
    new CovenantVariableSupport(ds).query({ targets: [{ kind: 'trackers' }] } as never);
    expect(query.mock.calls[0][0].targets).toEqual([{ refId: 'variables', queryType: 'variables', kind: 'trackers' }]);
    query.mockRestore();
  });

  it("starts new queries as a contract's trackers: $contract when the dashboard has it", () => {
    mockVariables = [];
    expect(ds.getDefaultQuery('explore' as never)).toEqual({ queryType: 'trackerSeries' });
    mockVariables = [{ name: 'datasource' }, { name: 'contract' }];
    expect(ds.getDefaultQuery('dashboard' as never)).toEqual({ queryType: 'trackerSeries', contract: '$contract' });
  });

  it('turns $tracker into the tracker ids it holds, each once', () => {
    const q = ds.applyTemplateVariables(
      { refId: 'A', queryType: 'trackerSeries', contract: '$contract', trackerIds: ['$tracker', 'daily-availability'] },
      {}
    );
    expect(q.trackerIds).toEqual(['daily-availability', 'weekly-on-time']);
  });

  it('reads a query saved without a type as a preview when it has SQL, else as tracker series', () => {
    expect(ds.filterQuery({ refId: 'A', rawSql: 'SELECT 1' })).toBe(true);
    expect(ds.filterQuery({ refId: 'A', contract: 'acme-it' })).toBe(true);
    expect(ds.filterQuery({ refId: 'A' })).toBe(false);
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

describe('annotations', () => {
  const ds = new DataSource({ uid: 'covenant', jsonData: {} } as DataSourceInstanceSettings<CovenantOptions>);

  it('are annotations queries run in the backend, for $contract unless the annotation says', () => {
    const support = ds.annotations!;
    expect(support.QueryEditor).toBeDefined();
    expect(support.getDefaultQuery!()).toEqual({ refId: 'Anno', queryType: 'annotations', contract: '$contract' });
    expect(support.prepareQuery!({ name: 'Ledger', enable: true, iconColor: 'purple' } as never)).toEqual({
      refId: 'Anno',
      queryType: 'annotations',
      contract: '$contract',
    });
    expect(
      support.prepareQuery!({ target: { refId: 'Anno', contract: 'acme-it', kinds: ['closes'] } } as never)
    ).toEqual({ refId: 'Anno', queryType: 'annotations', contract: 'acme-it', kinds: ['closes'] });
  });

  it('send a multi-value $contract as ids separated by commas, and need a contract', () => {
    const q = ds.applyTemplateVariables({ refId: 'Anno', queryType: 'annotations', contract: '$contract' }, {});
    expect(q.contract).toBe('acme-it,globex');
    expect(ds.filterQuery({ refId: 'Anno', queryType: 'annotations', contract: ' ' })).toBe(false);
    expect(ds.filterQuery({ refId: 'Anno', queryType: 'annotations', contract: '*' })).toBe(true);
  });
});

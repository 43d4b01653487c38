import { quoteName, sqlCompletions, SQL_MACROS, type SqlCompletion } from './sqlCompletion';
import type { ConnectorSchema } from '../shared/types';

const demo: ConnectorSchema = {
  name: 'demo',
  type: 'demo',
  truncated: false,
  tables: [
    {
      name: 'tickets',
      description: 'Service desk tickets',
      columns: [
        { name: 'id', type: 'INTEGER' },
        { name: 'contract', type: 'TEXT' },
        { name: 'time', type: 'INTEGER' },
        { name: 'response_minutes', type: 'REAL' },
      ],
    },
    {
      name: 'uptime',
      description: 'Hourly availability in percent',
      columns: [
        { name: 'contract', type: 'TEXT' },
        { name: 'time', type: 'INTEGER' },
        { name: 'uptime_pct', type: 'REAL' },
      ],
    },
  ],
};

/** Completes at the | in the text. */
function at(text: string, schema: ConnectorSchema | null = demo): SqlCompletion {
  const offset = text.indexOf('|');
  return sqlCompletions(text.replace('|', ''), offset, schema ?? undefined);
}

const labels = (c: SqlCompletion, kind?: string) =>
  c.suggestions.filter((s) => !kind || s.kind === kind).map((s) => s.label);

describe('sqlCompletions', () => {
  it('offers the macros after $, each with its doc, replacing from the $', () => {
    const c = at('SELECT time FROM uptime WHERE $__|');
    expect(labels(c)).toEqual(['$__timeFilter', '$__timeFrom', '$__timeTo', '$__key']);
    expect(c.from).toBe('SELECT time FROM uptime WHERE '.length);
    expect(c.to).toBe('SELECT time FROM uptime WHERE $__'.length);
    for (const s of c.suggestions) {
      expect(s.documentation).toBeTruthy();
      expect(s.snippet).toBe(true);
    }
    expect(c.suggestions[0].insertText).toBe('\\$__timeFilter(${1:time})');
    expect(labels(at('SELECT $|'))).toHaveLength(SQL_MACROS.length);
  });

  it('offers the tables after FROM, JOIN and a comma of a FROM list', () => {
    for (const text of [
      'SELECT * FROM upt|',
      'SELECT * FROM |',
      'SELECT * FROM tickets t JOIN u|',
      'SELECT 1 FROM tickets, |',
    ]) {
      const c = at(text);
      expect(labels(c)).toEqual(['tickets', 'uptime']);
    }
    const c = at('select * from upt|');
    expect(c.from).toBe('select * from '.length);
    expect(c.suggestions[1]).toMatchObject({ kind: 'table', insertText: 'uptime' });
    expect(c.suggestions[1].documentation).toContain('Hourly availability in percent');
    expect(c.suggestions[1].documentation).toContain('Columns: contract, time, uptime_pct');
  });

  it('offers the columns of the tables the statement names, before the FROM too', () => {
    const c = at('SELECT time, u| FROM uptime WHERE $__timeFilter(time)');
    expect(labels(c, 'column')).toEqual(['contract', 'time', 'uptime_pct']);
    expect(c.suggestions.find((s) => s.label === 'uptime_pct')?.detail).toBe('REAL · uptime');
    // Tables, macros and keywords follow the columns.
    expect(labels(c, 'table')).toEqual(['tickets', 'uptime']);
    expect(labels(c, 'macro')).toContain('$__timeFilter');
    expect(labels(c, 'keyword')).toContain('WHERE');
    const ranks = c.suggestions.map((s) => s.sortText);
    expect([...ranks].sort()).toEqual(ranks);
  });

  it('offers every column, once, when the statement names no known table', () => {
    const c = at('SELECT |');
    expect(labels(c, 'column')).toEqual(['id', 'contract', 'time', 'response_minutes', 'uptime_pct']);
    expect(c.suggestions.find((s) => s.label === 'contract')?.detail).toBe('TEXT · tickets, uptime');
    expect(labels(at('SELECT | FROM elsewhere'), 'column')).toHaveLength(5);
  });

  it('offers the columns of a table or alias after a dot', () => {
    expect(labels(at('SELECT t.| FROM tickets t'))).toEqual(['id', 'contract', 'time', 'response_minutes']);
    expect(labels(at('SELECT u.up| FROM tickets AS t JOIN uptime AS u ON u.contract = t.contract'))).toEqual([
      'contract',
      'time',
      'uptime_pct',
    ]);
    expect(labels(at('SELECT uptime.| FROM uptime'))).toEqual(['contract', 'time', 'uptime_pct']);
    expect(at('SELECT x.| FROM uptime').suggestions).toEqual([]);
  });

  it('resolves schema-qualified names, and offers a schema’s tables after its name', () => {
    const pg: ConnectorSchema = {
      name: 'wh',
      type: 'postgres',
      truncated: false,
      tables: [
        { name: 'sales', schema: 'public', columns: [{ name: 'amount', type: 'numeric' }] },
        { name: 'Odd Name', schema: 'ops', columns: [{ name: 'Weird col' }] },
      ],
    };
    expect(labels(at('SELECT s.| FROM public.sales s', pg))).toEqual(['amount']);
    expect(labels(at('SELECT * FROM ops.|', pg))).toEqual(['Odd Name']);
    expect(at('SELECT * FROM ops.|', pg).suggestions[0]).toMatchObject({
      insertText: '"Odd Name"',
      detail: 'table in ops',
    });
    expect(at('SELECT | FROM "Odd Name"', pg).suggestions[0]).toMatchObject({
      label: 'Weird col',
      insertText: '"Weird col"',
    });
  });

  it('offers nothing inside strings and comments', () => {
    expect(at("SELECT * FROM uptime WHERE contract = 'upt|'").suggestions).toEqual([]);
    expect(at("SELECT * FROM uptime WHERE contract = 'upt|").suggestions).toEqual([]);
    expect(at('SELECT 1 -- from upt|').suggestions).toEqual([]);
    expect(at('SELECT 1 /* from upt| */').suggestions).toEqual([]);
    expect(labels(at("SELECT 'a', u| FROM uptime -- note\n"), 'column')).toEqual(['contract', 'time', 'uptime_pct']);
  });

  it('still offers the macros and keywords without a schema', () => {
    expect(labels(at('SELECT * FROM x WHERE $|', null))).toHaveLength(4);
    const c = at('SEL|', null);
    expect(labels(c, 'keyword')).toContain('SELECT');
    expect(labels(c, 'column')).toEqual([]);
  });

  it('quotes names that are not plain identifiers, with backticks on MySQL', () => {
    expect(quoteName('uptime')).toBe('uptime');
    expect(quoteName('odd "name"')).toBe('"odd ""name"""');
    expect(quoteName('odd `name`', 'mysql')).toBe('`odd ``name```');
  });
});

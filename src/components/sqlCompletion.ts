import { t } from '@grafana/i18n';
import { unescaped } from '../shared/i18n';
import type { ConnectorSchema, SchemaTable } from '../shared/types';

/**
 * Completion for KPI SQL, without the editor: from the text, the cursor's offset and the connector's
 * schema, what may be typed at the cursor. The SQL editor (SqlEditor) hands it to Monaco, which
 * filters the suggestions by what is typed and ranks them.
 */

/** What a suggestion is: Covenant's macros, the connector's tables and columns, SQL keywords. */
export type SuggestionKind = 'macro' | 'table' | 'column' | 'keyword';

export interface SqlSuggestion {
  label: string;
  kind: SuggestionKind;
  /** What is inserted; a snippet (Monaco's $1 placeholders, \$ for a dollar) when snippet is set. */
  insertText: string;
  snippet?: boolean;
  /** One line beside the label: a column's type and table, a macro's form. */
  detail?: string;
  documentation?: string;
  /** Ties in Monaco's ranking are broken by this: what fits the place first. */
  sortText: string;
}

/** The suggestions for the text from `from` to the cursor (`to`), which they replace. */
export interface SqlCompletion {
  from: number;
  to: number;
  suggestions: SqlSuggestion[];
}

/**
 * Covenant's SQL macros (docs/connectors.md), each with what it becomes; detail and documentation
 * give that in the user's language.
 */
export const SQL_MACROS: ReadonlyArray<{
  name: string;
  insertText: string;
  detail: () => string;
  documentation: () => string;
}> = [
  {
    name: '$__timeFilter',
    insertText: '\\$__timeFilter(${1:time})',
    detail: () => '$__timeFilter(column)',
    documentation: () =>
      t(
        'components.sql-macros.time-filter-documentation',
        "(column >= start AND column < end): the rows in the query's time range. Both bounds are bound as parameters."
      ),
  },
  {
    name: '$__timeFrom',
    insertText: '\\$__timeFrom',
    detail: () => t('components.sql-macros.time-from-detail', 'start of the range'),
    documentation: () =>
      t(
        'components.sql-macros.time-from-documentation',
        "The start of the query's range, bound as a parameter: a timestamp on PostgreSQL and MySQL, the connector's timeFormat on SQLite (Unix seconds on the demo)."
      ),
  },
  {
    name: '$__timeTo',
    insertText: '\\$__timeTo',
    detail: () => t('components.sql-macros.time-to-detail', 'end of the range (exclusive)'),
    documentation: () =>
      t(
        'components.sql-macros.time-to-documentation',
        "The end of the query's range, not included, bound as a parameter like $__timeFrom."
      ),
  },
  {
    name: '$__key',
    insertText: '\\$__key',
    detail: () => t('components.sql-macros.key-detail', 'the contract key'),
    documentation: () =>
      t(
        'components.sql-macros.key-documentation',
        "The contract key: the assignment's key for a registry tracker, the query's key in a preview. Bound as a parameter, never spliced."
      ),
  },
];

const KEYWORDS = [
  'SELECT',
  'FROM',
  'WHERE',
  'AND',
  'OR',
  'NOT',
  'IN',
  'IS',
  'NULL',
  'AS',
  'ON',
  'JOIN',
  'LEFT JOIN',
  'INNER JOIN',
  'GROUP BY',
  'ORDER BY',
  'HAVING',
  'LIMIT',
  'DISTINCT',
  'CASE',
  'WHEN',
  'THEN',
  'ELSE',
  'END',
  'WITH',
  'UNION ALL',
  'BETWEEN',
  'LIKE',
  'ASC',
  'DESC',
  'COUNT',
  'SUM',
  'AVG',
  'MIN',
  'MAX',
  'COALESCE',
  'CAST',
];

/** Words after which a name is not a table's alias. */
const NOT_ALIAS = new Set([
  'WHERE',
  'JOIN',
  'LEFT',
  'RIGHT',
  'INNER',
  'OUTER',
  'FULL',
  'CROSS',
  'NATURAL',
  'ON',
  'USING',
  'GROUP',
  'ORDER',
  'HAVING',
  'LIMIT',
  'OFFSET',
  'FETCH',
  'UNION',
  'EXCEPT',
  'INTERSECT',
  'WINDOW',
  'FOR',
  'AS',
  'SELECT',
  'FROM',
  'AND',
  'OR',
  'LATERAL',
  'WITH',
  'VALUES',
]);

/** Keywords that start a clause: after FROM or JOIN (or a comma in a FROM list) a table is expected. */
const CLAUSES = new Set([
  'SELECT',
  'FROM',
  'JOIN',
  'WHERE',
  'GROUP',
  'ORDER',
  'BY',
  'HAVING',
  'ON',
  'LIMIT',
  'VALUES',
  'SET',
]);
const TABLE_AFTER = new Set(['FROM', 'JOIN', 'TABLE']);

type TokenKind = 'word' | 'quoted' | 'string' | 'comment' | 'number' | 'punct';

interface Token {
  kind: TokenKind;
  /** A word as written, a quoted name without its quotes, a punctuation mark. */
  text: string;
  upper: string;
  start: number;
  end: number;
  /** A string, quoted name or comment that ends (else it runs to the end of the text). */
  closed: boolean;
  /** A line comment, which a cursor at its end is still in. */
  line?: boolean;
}

const WORD_START = /[A-Za-z_$]/;
const WORD = /[A-Za-z0-9_$]/;
const CLOSERS: Record<string, string> = { '"': '"', '`': '`', '[': ']' };

/** Splits SQL into words, quoted names, strings, comments, numbers and punctuation. */
function tokens(sql: string): Token[] {
  const out: Token[] = [];
  const push = (kind: TokenKind, start: number, end: number, text: string, closed = true, line = false) =>
    out.push({ kind, text, upper: text.toUpperCase(), start, end, closed, line });
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      const end = nl < 0 ? sql.length : nl;
      push('comment', i, end, sql.slice(i, end), nl >= 0, true);
      i = end;
    } else if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      const end = close < 0 ? sql.length : close + 2;
      push('comment', i, end, sql.slice(i, end), close >= 0);
      i = end;
    } else if (c === "'") {
      let j = i + 1;
      let closed = false;
      while (j < sql.length) {
        if (sql[j] === "'" && sql[j + 1] === "'") {
          j += 2;
        } else if (sql[j] === "'") {
          closed = true;
          j++;
          break;
        } else {
          j++;
        }
      }
      push('string', i, j, sql.slice(i, j), closed);
      i = j;
    } else if (CLOSERS[c]) {
      const close = sql.indexOf(CLOSERS[c], i + 1);
      const end = close < 0 ? sql.length : close + 1;
      push('quoted', i, end, sql.slice(i + 1, close < 0 ? sql.length : close), close >= 0);
      i = end;
    } else if (WORD_START.test(c)) {
      let j = i + 1;
      while (j < sql.length && WORD.test(sql[j])) {
        j++;
      }
      push('word', i, j, sql.slice(i, j));
      i = j;
    } else if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < sql.length && /[0-9.eE]/.test(sql[j])) {
        j++;
      }
      push('number', i, j, sql.slice(i, j));
      i = j;
    } else {
      push('punct', i, i + 1, c);
      i++;
    }
  }
  return out;
}

const isName = (t?: Token) =>
  t !== undefined && (t.kind === 'quoted' || (t.kind === 'word' && !t.text.startsWith('$')));

/** A table the statement reads, with the alias it goes by (its own name when it has none). */
interface TableRef {
  name: string;
  alias?: string;
}

/** The tables named after FROM and JOIN (and in a FROM list), with their aliases. */
function tableRefs(toks: Token[]): TableRef[] {
  const refs: TableRef[] = [];
  for (let i = 0; i < toks.length; i++) {
    const kw = toks[i].kind === 'word' ? toks[i].upper : '';
    if (kw !== 'FROM' && kw !== 'JOIN') {
      continue;
    }
    let j = i + 1;
    for (;;) {
      let name: string | undefined;
      if (toks[j]?.text === '(' && toks[j].kind === 'punct') {
        // A subquery: skip to its closing parenthesis; its alias names no table of the schema.
        let depth = 0;
        for (; j < toks.length; j++) {
          if (toks[j].kind === 'punct' && toks[j].text === '(') {
            depth++;
          } else if (toks[j].kind === 'punct' && toks[j].text === ')' && --depth === 0) {
            break;
          }
        }
      } else if (isName(toks[j]) && !NOT_ALIAS.has(toks[j].upper)) {
        name = toks[j].text;
        while (toks[j + 1]?.text === '.' && isName(toks[j + 2])) {
          name += '.' + toks[j + 2].text;
          j += 2;
        }
      } else {
        break;
      }
      let alias: string | undefined;
      if (toks[j + 1]?.upper === 'AS' && isName(toks[j + 2])) {
        alias = toks[j + 2].text;
        j += 2;
      } else if (isName(toks[j + 1]) && !NOT_ALIAS.has(toks[j + 1].upper)) {
        alias = toks[j + 1].text;
        j += 1;
      }
      if (name) {
        refs.push({ name, alias });
      }
      if (kw === 'FROM' && toks[j + 1]?.text === ',') {
        j += 2;
        continue;
      }
      break;
    }
  }
  return refs;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The schema's table a name in the SQL means: by name, schema.name, or the last part of a dotted name. */
function findTable(schema: ConnectorSchema | undefined, name: string): SchemaTable | undefined {
  const tables = schema?.tables ?? [];
  const last = name.split('.').pop() ?? name;
  return (
    tables.find((t) => same(t.name, name)) ??
    tables.find((t) => t.schema !== undefined && same(`${t.schema}.${t.name}`, name)) ??
    tables.find((t) => same(t.name, last))
  );
}

/** A name as SQL must write it: quoted when it is not a plain identifier (backticks on MySQL). */
export function quoteName(name: string, type?: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    return name;
  }
  return type === 'mysql' ? '`' + name.replace(/`/g, '``') + '`' : '"' + name.replace(/"/g, '""') + '"';
}

function tableSuggestion(table: SchemaTable, type: string | undefined, sortText: string): SqlSuggestion {
  const cols = table.columns.map((c) => c.name).join(', ');
  return {
    label: table.name,
    kind: 'table',
    insertText: quoteName(table.name, type),
    detail: table.schema
      ? t('components.sql-completion.table-in-schema', 'table in {{schema}}', { schema: table.schema, ...unescaped })
      : t('components.sql-completion.table', 'table'),
    documentation: [
      table.description,
      cols && t('components.sql-completion.columns', 'Columns: {{cols}}', { cols, ...unescaped }),
    ]
      .filter(Boolean)
      .join('\n\n'),
    sortText,
  };
}

/** One suggestion per column name, its type and tables in the detail. */
function columnSuggestions(tables: SchemaTable[], type: string | undefined, sortText: string): SqlSuggestion[] {
  const byName = new Map<string, { types: Set<string>; tables: string[] }>();
  for (const t of tables) {
    for (const c of t.columns) {
      const e = byName.get(c.name) ?? { types: new Set<string>(), tables: [] };
      if (c.type) {
        e.types.add(c.type);
      }
      e.tables.push(t.name);
      byName.set(c.name, e);
    }
  }
  return [...byName].map(([name, e]) => ({
    label: name,
    kind: 'column' as const,
    insertText: quoteName(name, type),
    detail: [[...e.types].join(' | '), e.tables.join(', ')].filter(Boolean).join(' · '),
    sortText,
  }));
}

/** The macros in SQL_MACROS's order ($__timeFilter first), not alphabetical. */
function macroSuggestions(rank: string): SqlSuggestion[] {
  return SQL_MACROS.map((m, i) => ({
    label: m.name,
    kind: 'macro' as const,
    insertText: m.insertText,
    snippet: true,
    detail: m.detail(),
    documentation: m.documentation(),
    sortText: `${rank}${i}`,
  }));
}

const keywordSuggestions = (sortText: string): SqlSuggestion[] =>
  KEYWORDS.map((k) => ({ label: k, kind: 'keyword' as const, insertText: k, sortText }));

/**
 * What may be typed at `offset` in `sql`: after `$` the macros; after FROM or JOIN the tables; after
 * `name.` the columns of the table (or alias) `name`; elsewhere the columns of the tables the statement
 * names (all columns when it names none the schema knows), then the tables, the macros and keywords.
 * Nothing inside a string or a comment. Monaco filters the list by the text from `from` to `offset`.
 */
export function sqlCompletions(sql: string, offset: number, schema?: ConnectorSchema): SqlCompletion {
  const toks = tokens(sql);
  let from = offset;
  while (from > 0 && WORD.test(sql[from - 1])) {
    from--;
  }
  const none = { from, to: offset, suggestions: [] };
  const inside = toks.find(
    (t) =>
      (t.kind === 'string' || t.kind === 'comment' || t.kind === 'quoted') &&
      t.start < offset &&
      (offset < t.end || (offset === t.end && (!t.closed || t.line)))
  );
  if (inside) {
    return none;
  }
  const type = schema?.type;
  const tables = schema?.tables ?? [];
  const prefix = sql.slice(from, offset);
  if (prefix.startsWith('$')) {
    return { from, to: offset, suggestions: macroSuggestions('0') };
  }
  const code = toks.filter((t) => t.kind !== 'comment');
  const before = code.filter((t) => t.end <= from);
  const prev = before[before.length - 1];

  // name.| — the columns of that table or alias, or the tables of that schema.
  if (prev?.kind === 'punct' && prev.text === '.' && prev.end === from) {
    const q = before[before.length - 2];
    if (!isName(q) || q.end !== prev.start) {
      return none;
    }
    const ref = tableRefs(code).find((r) => (r.alias && same(r.alias, q.text)) || same(r.name, q.text));
    const table = findTable(schema, ref?.name ?? q.text);
    if (table) {
      return { from, to: offset, suggestions: columnSuggestions([table], type, '0') };
    }
    const inSchema = tables.filter((t) => t.schema !== undefined && same(t.schema, q.text));
    return { from, to: offset, suggestions: inSchema.map((t) => tableSuggestion(t, type, '0')) };
  }

  // FROM | , JOIN | — a table.
  const lastClause = [...before].reverse().find((t) => t.kind === 'word' && CLAUSES.has(t.upper));
  const afterComma = prev?.kind === 'punct' && prev.text === ',' && lastClause?.upper === 'FROM';
  if ((prev?.kind === 'word' && TABLE_AFTER.has(prev.upper)) || afterComma) {
    return { from, to: offset, suggestions: tables.map((t) => tableSuggestion(t, type, '0')) };
  }

  // Elsewhere: the columns of the tables named, else all columns; then tables, macros, keywords.
  const named = tableRefs(code)
    .map((r) => findTable(schema, r.name))
    .filter((t): t is SchemaTable => t !== undefined);
  const columnsOf = named.length ? [...new Set(named)] : tables;
  return {
    from,
    to: offset,
    suggestions: [
      ...columnSuggestions(columnsOf, type, '1'),
      ...tables.map((t) => tableSuggestion(t, type, '2')),
      ...macroSuggestions('3'),
      ...keywordSuggestions('4'),
    ],
  };
}

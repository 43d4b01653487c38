/**
 * Dashboard variables in a KPI's SQL become SQL string literals, never raw text: a
 * crafted `?var-x=` link cannot add SQL to a query. A value is quoted with its quotes
 * doubled (and, on MySQL, its backslashes too); a multi-value variable becomes a list
 * `'a','b'` for `IN (…)`. A reference already written between quotes (`'$contract'`,
 * as Grafana's SQL datasources teach) loses those quotes, so it is quoted once.
 */

/** Replaces variables in text with each value formatted by format (Grafana's templateSrv.replace). */
export type Replace = (text: string, format: (value: unknown) => string) => string;

/** A reference to a variable written between single quotes: '$x', '${x}', '${x:raw}', '[[x]]'. */
const QUOTED_REF = /'(\$[A-Za-z_]\w*|\$\{[^}'\s]+\}|\[\[[^\]'\s]+\]\])'/g;

/** One value as a SQL string literal. NUL characters are dropped: no SQL database keeps them in text. */
export function sqlString(value: unknown, backslashEscapes: boolean): string {
  let s = String(value ?? '').replace(/\u0000/g, '');
  s = s.replace(/'/g, "''");
  if (backslashEscapes) {
    s = s.replace(/\\/g, '\\\\');
  }
  return `'${s}'`;
}

/** A variable's value (one or several) as SQL: a literal, or literals separated by commas. */
export function sqlLiteral(value: unknown, backslashEscapes: boolean): string {
  if (Array.isArray(value)) {
    return value.length === 0 ? 'NULL' : value.map((v) => sqlString(v, backslashEscapes)).join(',');
  }
  return sqlString(value, backslashEscapes);
}

/** Interpolates sql in one pass of replace, every value as SQL literals. */
export function interpolateSql(sql: string, replace: Replace, backslashEscapes: boolean): string {
  const unquoted = sql.replace(QUOTED_REF, (_m, ref: string) => ref);
  return replace(unquoted, (v) => sqlLiteral(v, backslashEscapes));
}

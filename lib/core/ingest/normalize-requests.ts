/**
 * Shared SQL (DuckDB and Athena): the parse layer's rows into the canonical `requests` columns
 * (REQUEST_COLUMNS): absolute ALB URLs and relative request targets both become host, path and raw
 * query; methods are upper-cased; a path is never empty.
 *
 * Locally the parse query ends with this projection (`passThrough` keeps its `reason` and rejected
 * line text), so the requests are materialised once, already normalised: every later scan (templates,
 * parameters, user agents, sessions) reads plain columns instead of re-splitting every URL.
 */
import type { Dialect } from '../sql/dialect';
import { REQUEST_COLUMNS } from '../types';

/**
 * An absolute URL starts with a scheme. A relative one can hold `://` further on, in a query value
 * (`/login?next=https://idp.example/cb`) or a scanner's junk path: it keeps its own path and no host.
 */
const ABSOLUTE_URL = '^[A-Za-z][A-Za-z0-9+.-]*://';

/** Every row of `source` with its URL normalised; `passThrough` columns are kept as they are. */
export function normalizeSql(d: Dialect, source: string, passThrough: readonly string[] = []): string {
  const extra = passThrough.map((c) => `, ${c}`).join('');
  return `
SELECT t_start, t_end, client_ip, user_agent, session_key,
  COALESCE(host, CASE WHEN scheme_at > 0 THEN split_part(split_part(after_scheme, '/', 1), ':', 1) END) AS host,
  method,
  CASE WHEN split_part(target, '?', 1) = '' THEN '/' ELSE split_part(target, '?', 1) END AS path,
  CASE WHEN strpos(target, '?') > 0 THEN substr(target, strpos(target, '?') + 1) ELSE '' END AS query,
  status, response_ms${extra}
FROM (
  SELECT *,
    CASE WHEN scheme_at > 0
         THEN CASE WHEN strpos(after_scheme, '/') > 0 THEN substr(after_scheme, strpos(after_scheme, '/')) ELSE '/' END
         ELSE split_part(url, '#', 1) END AS target
  FROM (
    SELECT t_start, t_end, client_ip, user_agent, session_key, host, upper(method) AS method, url, status, response_ms${extra},
      CASE WHEN ${d.regexpLike('url', ABSOLUTE_URL)} THEN strpos(url, '://') ELSE 0 END AS scheme_at,
      substr(url, strpos(url, '://') + 3) AS after_scheme
    FROM ${source}
  ) a
) b`;
}

/** The good lines of a parse-layer relation (its `reason` is NULL) as requests. */
export function normalizeRequestsSql(d: Dialect, source: string): string {
  return normalizeSql(d, `(SELECT * FROM ${source} WHERE reason IS NULL) parsed`);
}

/** Requests from a table that `normalizeSql` already produced with its `reason` passed through. */
export function goodRequestsSql(normalized: string, columns: readonly string[] = REQUEST_COLUMNS): string {
  return `SELECT ${columns.join(', ')} FROM ${normalized} WHERE reason IS NULL`;
}

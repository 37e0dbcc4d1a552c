/**
 * Shared SQL (DuckDB and Athena): the parse layer's rows, good lines only, into the canonical
 * `requests` relation (REQUEST_COLUMNS): absolute ALB URLs and relative request targets both become
 * host, path and raw query; methods are upper-cased; a path is never empty.
 */
import type { Dialect } from '../sql/dialect';

export function normalizeRequestsSql(_d: Dialect, source: string): string {
  return `
SELECT t_start, t_end, client_ip, user_agent, session_key,
  COALESCE(host, CASE WHEN scheme_at > 0 THEN split_part(split_part(after_scheme, '/', 1), ':', 1) END) AS host,
  method,
  CASE WHEN split_part(target, '?', 1) = '' THEN '/' ELSE split_part(target, '?', 1) END AS path,
  CASE WHEN strpos(target, '?') > 0 THEN substr(target, strpos(target, '?') + 1) ELSE '' END AS query,
  status, response_ms
FROM (
  SELECT *,
    CASE WHEN scheme_at > 0
         THEN CASE WHEN strpos(after_scheme, '/') > 0 THEN substr(after_scheme, strpos(after_scheme, '/')) ELSE '/' END
         ELSE split_part(url, '#', 1) END AS target
  FROM (
    SELECT t_start, t_end, client_ip, user_agent, session_key, host, upper(method) AS method, url, status, response_ms,
      strpos(url, '://') AS scheme_at,
      substr(url, strpos(url, '://') + 3) AS after_scheme
    FROM ${source}
    WHERE reason IS NULL
  ) a
) b`;
}

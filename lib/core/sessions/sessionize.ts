/**
 * Shared SQL: requests into sessions. A session is keyed by an explicit session id or session cookie
 * when the logs carry one, otherwise by client IP + user agent (so clients behind one NAT with
 * different browsers stay apart), and ends after an inactivity gap. Produces one `events` row per
 * request with its session id, endpoint template and, for pages, the think time before it: from the
 * end of the previous page's response to this page's request (for ALB, request_creation_time of this
 * request minus `time` of the previous one). Assets are kept (they are resources of pages) but never
 * count as pages.
 */
import type { Dialect } from '../sql/dialect';

export interface SessionizeOptions {
  /** Inactivity gap in seconds; `Infinity` when session ids are authoritative (JSON/CSV session_id). */
  gapSeconds: number;
}

/** Seconds large enough to never split a session. */
const NEVER = 1e12;

export function sessionizeSql(
  d: Dialect,
  t: { requests: string; pathTemplates: string; queryTemplates: string },
  o: SessionizeOptions,
): string {
  const gap = Number.isFinite(o.gapSeconds) ? o.gapSeconds : NEVER;
  return `
WITH r AS (
  SELECT q.t_start, q.t_end, q.client_ip, q.user_agent, q.method, q.path, q.query, q.status, q.response_ms,
    COALESCE(pt.template, q.path) || COALESCE(qt.suffix, '') AS template,
    COALESCE(pt.is_asset, false) AS is_asset,
    -- Hashed: partitioning and sorting a million 8-byte keys is far cheaper than IP + agent strings.
    ${d.hash64(`COALESCE(q.session_key, q.client_ip || '|' || q.user_agent)`)} AS actor
  FROM ${t.requests} q
  LEFT JOIN ${t.pathTemplates} pt ON pt.path = q.path
  LEFT JOIN ${t.queryTemplates} qt ON qt.query = q.query
),
gaps AS (
  SELECT *, CASE WHEN t_start - lag(t_end) OVER (PARTITION BY actor ORDER BY t_start, t_end) <= ${gap} THEN 0 ELSE 1 END AS is_new
  FROM r
),
numbered AS (
  SELECT *, sum(is_new) OVER (PARTITION BY actor ORDER BY t_start, t_end ROWS UNBOUNDED PRECEDING) AS seq FROM gaps
),
keyed AS (
  SELECT *, ${d.hash64(`CAST(actor AS VARCHAR) || '#' || CAST(seq AS VARCHAR)`)} AS sid FROM numbered
),
promoted AS (
  -- A session of assets only (hotlinked images, a feed reader's enclosures) has no page to hang them
  -- on: its assets are what the client came for, so they count as its pages.
  SELECT sid, t_start, t_end, client_ip, user_agent, method, path, query, template, status, response_ms,
    is_asset AND max(CASE WHEN is_asset THEN 0 ELSE 1 END) OVER (PARTITION BY sid) = 1 AS is_asset
  FROM keyed
)
SELECT sid, t_start, t_end, client_ip, user_agent, method, path, query, template, endpoint, is_asset, status,
  response_ms,
  -- Explicit NULL for a session's first page: DuckDB's greatest() would turn NULL into 0.
  CASE WHEN prev_page_end IS NULL THEN NULL ELSE greatest(0, t_start - prev_page_end) END AS think_s
FROM (
  SELECT *, method || ' ' || template AS endpoint,
    CASE WHEN NOT is_asset THEN lag(t_end) OVER (PARTITION BY sid, is_asset ORDER BY t_start, t_end) END AS prev_page_end
  FROM promoted
) pages`;
}

/**
 * Shared SQL: requests into sessions. A session is keyed by an explicit session id or session cookie
 * when the logs carry one, otherwise by client IP + user agent (so clients behind one NAT with
 * different browsers stay apart), and ends after an inactivity gap. Produces one `events` row per
 * request with its session id, endpoint template, `page_no` (a page's position in its session; for an
 * asset, the page that loaded it: the last page started before it, 0 before the first page) and, for
 * pages, the think time before it: from the end of the previous page's response to this page's request
 * (for ALB, request_creation_time of this request minus `time` of the previous one). Assets are kept
 * (they are resources of pages) but never count as pages.
 *
 * Every window runs over one order (actor, then time), and the rows carry every request's strings,
 * so a window pass is a full sort of the requests: there is one. It numbers each actor's requests and
 * finds where sessions start. The sessions (one row per start, a few per actor) then go back to their
 * requests by a join on the actor and the request's number, which names each request's session
 * (actor + start) and tells whether the previous page belongs to it. (A second window pass that carried
 * the start forward did the same with a second full sort: at 10M lines, 25 s where this takes 16 s.)
 * Requests that start at the same instant (second-resolution logs) put pages before assets, then the
 * rest of the row, so the order (and every count that depends on it) is the same on every run.
 */
import type { Dialect } from '../sql/dialect';
import { clientIdSql } from './clients';

export interface SessionizeOptions {
  /** Inactivity gap in seconds; `Infinity` when session ids are authoritative (JSON/CSV session_id). */
  gapSeconds: number;
  /** Request columns passed through to the events as they are (the refresh cache keeps host, file id...). */
  carry?: readonly string[];
}

/** Columns of the events relation, in order (`carry` columns follow them). */
export const EVENT_COLUMNS = [
  'sid', 'actor', 't_start', 't_end', 'client_id', 'method', 'path', 'query', 'template', 'endpoint',
  'is_asset', 'status', 'response_ms', 'page_no', 'think_s',
] as const;

/** Who a session belongs to: its explicit session key, else client IP + user agent, hashed. */
export function actorSql(d: Dialect, q = ''): string {
  const c = (name: string) => (q ? `${q}.${name}` : name);
  // Hashed: partitioning and sorting a million 8-byte keys is far cheaper than IP + agent strings.
  return d.hash64(`COALESCE(${c('session_key')}, ${c('client_ip')} || '|' || ${c('user_agent')})`);
}

/**
 * Which of `parts` parts a request's actor falls in. Sessions never span actors, so the parts can be
 * sessionized one at a time. Keyed by session key or client IP alone: cheaper to hash than IP + user
 * agent, and still a function of the actor (every request of one actor lands in one part).
 */
export function actorPartSql(d: Dialect, parts: number): string {
  return `${d.hash64("COALESCE(session_key, client_ip, '')")} % ${parts}`;
}

/** A request's endpoint template: its path's (joined as `pt`) and its query string's (`qt`) templates. */
export function templateSql(q: string): string {
  return `COALESCE(pt.template, ${q}.path) || COALESCE(qt.suffix, '')`;
}

/** Seconds large enough to never split a session. */
const NEVER = 1e12;

/**
 * Sessions meet their requests in blocks of this many consecutive requests of an actor. A request is
 * compared with the sessions that overlap its block, at most this many, however many sessions its
 * actor has (a crawler polling every hour for a week has hundreds); each session is repeated once per
 * block it covers, a few more rows than there are sessions.
 */
const JOIN_BLOCK_ROWS = 64;

export function sessionizeSql(
  d: Dialect,
  t: { requests: string; pathTemplates: string; queryTemplates: string },
  o: SessionizeOptions,
): string {
  const gap = Number.isFinite(o.gapSeconds) ? o.gapSeconds : NEVER;
  const byActor = 'PARTITION BY actor ORDER BY t_start, is_asset, t_end, method, path, query, status';
  const running = `${byActor} ROWS UNBOUNDED PRECEDING`;
  const wholeActor = `${byActor} ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING`;
  const pageOnly = (x: string) => `CASE WHEN NOT is_asset THEN ${x} END`;
  const isPage = 'CASE WHEN is_asset THEN 0 ELSE 1 END';
  const block = (row: string) => `CAST(floor((${row}) / ${JOIN_BLOCK_ROWS}) AS BIGINT)`;
  const carried = (o.carry ?? []).map((c) => `, q.${c}`).join('');
  const carriedOut = (o.carry ?? []).map((c) => `, k.${c}`).join('');
  return `
WITH r AS (
  SELECT q.t_start, q.t_end, ${clientIdSql(d, 'q')} AS client_id, q.method, q.path, q.query, q.status, q.response_ms,
    ${templateSql('q')} AS template,
    COALESCE(pt.is_asset, false) AS is_asset,
    ${actorSql(d, 'q')} AS actor${carried}
  FROM ${t.requests} q
  LEFT JOIN ${t.pathTemplates} pt ON pt.path = q.path
  LEFT JOIN ${t.queryTemplates} qt ON qt.query = q.query
),
starts AS (
  SELECT *,
    CASE WHEN t_start - lag(t_end) OVER (${byActor}) <= ${gap} THEN 0 ELSE 1 END AS is_new,
    lag(t_end) OVER (${byActor}) AS prev_end,
    ${d.lagIgnoringNulls(pageOnly('t_start'), byActor)} AS prev_page_start,
    ${d.lagIgnoringNulls(pageOnly('t_end'), byActor)} AS prev_page_end,
    row_number() OVER (${byActor}) AS actor_row,
    -- count(), not sum(): a BIGINT, where DuckDB would sum into a HUGEINT (slow to store and scan).
    count(${pageOnly('1')}) OVER (${running}) AS actor_pages,
    count(*) OVER (${wholeActor}) AS actor_rows,
    count(${pageOnly('1')}) OVER (${wholeActor}) AS actor_total_pages
  FROM r
),
sessions AS (
  -- One row per session: its actor's requests from first_row up to, not including, next_row, and the
  -- actor's page count before it (page numbers within it are differences).
  SELECT actor, first_row, session_start, pages_before, sid,
    COALESCE(lead(first_row) OVER (PARTITION BY actor ORDER BY first_row), actor_rows + 1) AS next_row,
    -- A session of assets only (hotlinked images, a feed reader's enclosures) has no page to hang them
    -- on: its assets are what the client came for, so they count as its pages.
    COALESCE(lead(pages_before) OVER (PARTITION BY actor ORDER BY first_row), actor_total_pages) = pages_before AS asset_only
  FROM (
    -- Start times are strictly increasing between an actor's sessions, so actor + start names one.
    SELECT actor, actor_row AS first_row, t_start AS session_start, actor_pages - ${isPage} AS pages_before,
      actor_rows, actor_total_pages,
      ${d.hash64(`CAST(actor AS VARCHAR) || '#' || CAST(t_start AS VARCHAR)`)} AS sid
    FROM starts
    WHERE is_new = 1
  ) n
),
session_blocks AS (
  SELECT s.*, u.block
  FROM sessions s
  CROSS JOIN UNNEST(${d.series(block('s.first_row'), block('s.next_row - 1'))}) AS u(block)
)
SELECT s.sid, k.actor, k.t_start, k.t_end, k.client_id, k.method, k.path, k.query, k.template,
  k.method || ' ' || k.template AS endpoint,
  k.is_asset AND NOT s.asset_only AS is_asset, k.status, k.response_ms,
  CASE WHEN s.asset_only THEN k.actor_row - s.first_row + 1 ELSE k.actor_pages - s.pages_before END AS page_no,
  -- An earlier page belongs to this session when it started at or after the session did (earlier
  -- sessions ended a whole gap before). DuckDB's greatest() would turn a NULL into 0: guarded by CASE.
  CASE WHEN s.asset_only THEN CASE WHEN k.is_new = 0 THEN greatest(0, k.t_start - k.prev_end) END
       WHEN NOT k.is_asset AND k.prev_page_start >= s.session_start THEN greatest(0, k.t_start - k.prev_page_end) END AS think_s${carriedOut}
FROM starts k
JOIN session_blocks s
  ON s.actor = k.actor AND s.block = ${block('k.actor_row')} AND k.actor_row >= s.first_row AND k.actor_row < s.next_row`;
}

/**
 * Shared SQL (DuckDB and Athena): per-persona statistics of the traffic model, over the sessionized
 * events and the session -> persona assignment. Every query returns aggregates only (one row per
 * persona x state, persona x bucket, ...), never per-request rows: this is what lets the AWS pipeline
 * pass only aggregates through Lambda.
 *
 * Pages are Markov states; an asset is a resource of the page that loaded it (the last page before it
 * in its session), never a state. States with too little support merge into `other` (reads) or
 * `other_write` (writes). Means of DOUBLEs are exact (sql/stable-aggregates.ts): the same logs give the
 * same model.json on every run.
 */
import type { Dialect } from '../sql/dialect';
import { stableAvg } from '../sql/stable-aggregates';
import { OTHER_STATE, OTHER_WRITE_STATE } from '../types';

export interface StatsTables {
  events: string;
  /** Pages with their persona and Markov state: a table made from `pagesSql` (built once, read by every page statistic). */
  pages: string;
  sessions: string;
  personas: string; // sid, persona
  pathParams: string;
  queryParams: string;
}

export interface StatsOptions {
  minStateSupport: number;
  minStateThinkSamples: number;
  arrivalBucketSeconds: number;
  paramPoolSize: number;
  /** Share of a page's visits an asset must appear in to count as one of its resources. */
  minResourceShare: number;
}

/** 21 quantile points 0, 0.05, ..., 1 (Distribution.quantiles). */
export const QUANTILE_POINTS = Array.from({ length: 21 }, (_, i) => Math.round(i * 5) / 100);

/**
 * Pages with persona, the state they map to (`other` for rare ones), the state that follows them
 * (NULL after the last page) and the think time after them. Page numbers run 1, 2, ... within a
 * session (sessionize.ts). Materialised once per run: the state, transition and resource statistics
 * all read it.
 */
export function pagesSql(_d: Dialect, t: Pick<StatsTables, 'events' | 'personas'>, o: Pick<StatsOptions, 'minStateSupport'>): string {
  // Rare reads merge into 'other', rare writes into 'other_write': a merged write replayed as a GET
  // would change the write ratio the load test sends.
  const stateOf = (endpoint: string, method: string, support: string) => `CASE
    WHEN ${support} >= ${o.minStateSupport} THEN ${endpoint}
    WHEN ${method} IN ('GET', 'HEAD', 'OPTIONS') THEN '${OTHER_STATE}'
    ELSE '${OTHER_WRITE_STATE}' END`;
  // The page after this one is (sid, page_no + 1): a join on two BIGINTs, where reading it with
  // lead() sorted every page with its strings (a third of the step, more once it spills).
  return `
WITH pages AS (
  SELECT e.sid, p.persona, e.endpoint, e.method, e.status, e.response_ms, e.page_no
  FROM ${t.events} e JOIN ${t.personas} p ON p.sid = e.sid
  WHERE NOT e.is_asset
),
support AS (
  SELECT persona, endpoint, count(*) AS n FROM pages GROUP BY persona, endpoint
)
SELECT pg.sid, pg.persona, pg.endpoint, pg.status, pg.response_ms, pg.page_no, nx.think_s AS think_after,
  ${stateOf('pg.endpoint', 'pg.method', 's.n')} AS state,
  CASE WHEN nx.endpoint IS NOT NULL THEN ${stateOf('nx.endpoint', 'nx.method', 'COALESCE(ns.n, 0)')} END AS next_state
FROM pages pg
JOIN support s ON s.persona = pg.persona AND s.endpoint = pg.endpoint
LEFT JOIN (SELECT sid, page_no, endpoint, method, think_s FROM ${t.events} WHERE NOT is_asset) nx
  ON nx.sid = pg.sid AND nx.page_no = pg.page_no + 1
LEFT JOIN support ns ON ns.persona = pg.persona AND ns.endpoint = nx.endpoint`;
}

/** persona, state, endpoint, n, share, rt quantiles, error rate, think-after quantiles when supported. */
export function stateStatsSql(d: Dialect, t: StatsTables): string {
  // One quantile aggregate for the three response-time points: each keeps every value of its group
  // in memory, outside the engine's buffer pool, so three of them tripled the peak on large runs.
  return `
WITH states AS (SELECT * FROM ${t.pages}),
totals AS (SELECT persona, count(*) AS pages FROM states GROUP BY persona)
SELECT persona, state, endpoint, n, share, rt_q[1] AS rt_p50, rt_q[2] AS rt_p90, rt_q[3] AS rt_p99, error_rate, think_n, think_mean, think_q
FROM (
  SELECT s.persona, s.state, s.endpoint, count(*) AS n, count(*) * 1.0 / max(tt.pages) AS share,
    ${d.quantiles('s.response_ms', [0.5, 0.9, 0.99])} AS rt_q,
    avg(CASE WHEN s.status >= 400 THEN 1.0 ELSE 0.0 END) AS error_rate,
    count(s.think_after) AS think_n,
    ${stableAvg('s.think_after')} AS think_mean,
    ${d.quantiles('s.think_after', QUANTILE_POINTS)} AS think_q
  FROM states s JOIN totals tt ON tt.persona = s.persona
  GROUP BY s.persona, s.state, s.endpoint
) g`;
}

/** persona, from_state, to_state, n: entries (from `$entry`) and transitions (to `$exit` at the end). */
export function transitionsSql(_d: Dialect, t: StatsTables): string {
  return `
WITH states AS (SELECT * FROM ${t.pages})
SELECT persona, '$entry' AS from_state, state AS to_state, count(*) AS n FROM states WHERE page_no = 1 GROUP BY persona, state
UNION ALL
SELECT persona, state AS from_state, COALESCE(next_state, '$exit') AS to_state, count(*) AS n
FROM states GROUP BY persona, state, COALESCE(next_state, '$exit')`;
}

/**
 * persona, state, resource, share: assets loaded with a page in at least minResourceShare of its
 * visits. An asset's `page_no` (sessionize.ts) is the page that loaded it.
 */
export function resourcesSql(_d: Dialect, t: StatsTables, o: StatsOptions): string {
  return `
WITH states AS (SELECT * FROM ${t.pages}),
loaded AS (SELECT DISTINCT sid, page_no, template FROM ${t.events} WHERE is_asset AND page_no > 0),
loads AS (
  SELECT st.persona, st.state, a.template AS resource, count(*) AS visits
  FROM loaded a JOIN states st ON st.sid = a.sid AND st.page_no = a.page_no
  GROUP BY st.persona, st.state, a.template
),
visits AS (SELECT persona, state, count(*) AS n FROM states GROUP BY persona, state)
SELECT l.persona, l.state, l.resource, l.visits * 1.0 / v.n AS share
FROM loads l JOIN visits v ON v.persona = l.persona AND v.state = l.state
WHERE l.visits * 1.0 / v.n >= ${o.minResourceShare}`;
}

/**
 * persona-level figures: sessions, think-time and session-shape distributions, error and write rates.
 * `requestsPerSession` counts page requests (Markov steps), as the scenarios replay them; assets come
 * with their pages.
 *
 * Every think time before a page is the think time after the page before it, so the pages table holds
 * them all (as `think_after`): reading it spares a join of every request with its persona.
 */
export function personaStatsSql(d: Dialect, t: StatsTables): string {
  return `
WITH think AS (
  SELECT persona, ${d.quantiles('think_after', QUANTILE_POINTS)} AS think_q, ${stableAvg('think_after')} AS think_mean, count(think_after) AS think_n
  FROM ${t.pages}
  WHERE think_after IS NOT NULL
  GROUP BY persona
),
shape AS (
  SELECT p.persona, count(*) AS sessions,
    ${d.quantiles('CAST(s.pages AS DOUBLE)', QUANTILE_POINTS)} AS requests_q, avg(s.pages) AS requests_mean,
    ${d.quantiles('s.duration_s', QUANTILE_POINTS)} AS duration_q, ${stableAvg('s.duration_s')} AS duration_mean,
    -- Rates times counts are whole numbers of requests: rounded, their sums are exact in any order.
    sum(round(s.error_rate * s.requests)) / sum(s.requests) AS error_rate,
    sum(round(s.write_ratio * s.pages)) / NULLIF(sum(s.pages), 0) AS write_ratio
  FROM ${t.sessions} s JOIN ${t.personas} p ON p.sid = s.sid
  GROUP BY p.persona
)
SELECT shape.*, think.think_q, think.think_mean, COALESCE(think.think_n, 0) AS think_n
FROM shape LEFT JOIN think ON think.persona = shape.persona`;
}

/** persona, bucket (index from the window start), n: session starts per arrival bucket. */
export function arrivalsSql(_d: Dialect, t: StatsTables, o: StatsOptions, windowStart: number): string {
  return `
SELECT p.persona, CAST(floor((s.start - ${windowStart}) / ${o.arrivalBucketSeconds}) AS BIGINT) AS bucket, count(*) AS n
FROM ${t.sessions} s JOIN ${t.personas} p ON p.sid = s.sid
GROUP BY p.persona, CAST(floor((s.start - ${windowStart}) / ${o.arrivalBucketSeconds}) AS BIGINT)`;
}

/** persona, hour_of_week (0 = Monday 00:00 UTC), n: session starts per hour of week. */
export function hourOfWeekSql(d: Dialect, t: StatsTables): string {
  return `
SELECT p.persona, (${d.isoDayOfWeek('s.start')} - 1) * 24 + ${d.hourOfDay('s.start')} AS hour_of_week, count(*) AS n
FROM ${t.sessions} s JOIN ${t.personas} p ON p.sid = s.sid
GROUP BY p.persona, (${d.isoDayOfWeek('s.start')} - 1) * 24 + ${d.hourOfDay('s.start')}`;
}

/**
 * persona, param, value, n: the most frequent values per template parameter, over-fetched (3x the pool)
 * so that redaction, which drops values, still leaves a full pool.
 */
export function paramValuesSql(_d: Dialect, t: StatsTables, o: StatsOptions): string {
  const limit = o.paramPoolSize * 3;
  return `
WITH observed AS (
  SELECT p.persona, pp.param, pp.value
  FROM ${t.events} e JOIN ${t.personas} p ON p.sid = e.sid JOIN ${t.pathParams} pp ON pp.path = e.path
  UNION ALL
  SELECT p.persona, qp.param, qp.value
  FROM ${t.events} e JOIN ${t.personas} p ON p.sid = e.sid JOIN ${t.queryParams} qp ON qp.query = e.query
  WHERE NOT e.is_asset
),
counted AS (
  SELECT persona, param, value, count(*) AS n,
    row_number() OVER (PARTITION BY persona, param ORDER BY count(*) DESC, value) AS rank
  FROM observed GROUP BY persona, param, value
)
SELECT persona, param, value, n FROM counted WHERE rank <= ${limit}`;
}

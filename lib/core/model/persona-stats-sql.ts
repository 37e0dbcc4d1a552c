/**
 * Shared SQL (DuckDB and Athena): per-persona statistics of the traffic model, over the sessionized
 * events and the session -> persona assignment. Every query returns aggregates only (one row per
 * persona x state, persona x bucket, ...), never per-request rows: this is what lets the AWS pipeline
 * pass only aggregates through Lambda.
 *
 * Sizes, shares and arrival curves count every session. Everything else (states, transitions, think
 * and response times, resources, parameter pools, session lengths and durations, error and write
 * rates) reads each persona's sessions up to `maxSessionsPerPersona`, and past it a uniform sample of
 * that many (`modelSessionsSql`): distributions need a sample, not every page, and so the model's time
 * and memory stay flat as the logs grow.
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
  /** One row per persona x endpoint: its page count, Markov state and integer code (`endpointStatesSql`). */
  endpointStates: string;
  /** Pages by endpoint code, with the next page's code and the think time after them (`pagesSql`). */
  pages: string;
  sessions: string;
  personas: string; // sid, persona
  /** sid, persona of the sessions the statistics read: all, or a sample past the cap (`modelSessionsSql`). */
  modelSessions: string;
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
  /** Sessions per persona the statistics (all but sizes and arrivals) read at most; a uniform sample past it. */
  maxSessionsPerPersona: number;
}

/** 21 quantile points 0, 0.05, ..., 1 (Distribution.quantiles). */
export const QUANTILE_POINTS = Array.from({ length: 21 }, (_, i) => Math.round(i * 5) / 100);

/**
 * The tables every page statistic reads, in the order they are made: the sessions they read, the
 * endpoint states, then the pages that refer to them. Materialised once per run (DuckDB tables; CTEs
 * in Athena's one statement).
 */
export function pageTablesSql(
  d: Dialect, t: StatsTables, o: Pick<StatsOptions, 'minStateSupport' | 'maxSessionsPerPersona'>,
): { name: string; sql: string }[] {
  return [
    { name: t.modelSessions, sql: modelSessionsSql(d, t, o) },
    { name: t.endpointStates, sql: endpointStatesSql(d, t, o) },
    { name: t.pages, sql: pagesSql(d, t) },
  ];
}

/**
 * sid, persona: every session of a persona with at most `maxSessionsPerPersona`; of a larger one,
 * that many: those with the smallest session ids. A session id is a 63-bit hash of the actor and the
 * start (sessionize.ts), so these are a uniform random sample, and the same one on every run. An
 * infinite cap reads every session.
 */
export function modelSessionsSql(_d: Dialect, t: Pick<StatsTables, 'personas'>, o: Pick<StatsOptions, 'maxSessionsPerPersona'>): string {
  if (!Number.isFinite(o.maxSessionsPerPersona)) return `SELECT sid, persona FROM ${t.personas}`;
  return `
SELECT sid, persona FROM (
  SELECT sid, persona, row_number() OVER (PARTITION BY persona ORDER BY sid) AS nth FROM ${t.personas}
) ranked
WHERE nth <= ${o.maxSessionsPerPersona}`;
}

/**
 * persona, endpoint, n, state, code: every endpoint a persona's pages hit, the Markov state it maps to
 * (`other` for rare ones) and a dense integer code. The pages carry the code instead of the persona,
 * endpoint and state strings: the pages table is most of the model's time at scale, and writing,
 * joining and grouping strings was most of that.
 */
export function endpointStatesSql(_d: Dialect, t: Pick<StatsTables, 'events' | 'modelSessions'>, o: Pick<StatsOptions, 'minStateSupport'>): string {
  // Rare reads merge into 'other', rare writes into 'other_write': a merged write replayed as a GET
  // would change the write ratio the load test sends. An endpoint is "METHOD template": one method.
  return `
SELECT persona, endpoint, n,
  CASE WHEN n >= ${o.minStateSupport} THEN endpoint
       WHEN method IN ('GET', 'HEAD', 'OPTIONS') THEN '${OTHER_STATE}'
       ELSE '${OTHER_WRITE_STATE}' END AS state,
  CAST(row_number() OVER (ORDER BY persona, endpoint) AS INTEGER) AS code
FROM (
  SELECT p.persona, e.endpoint, min(e.method) AS method, count(*) AS n
  FROM ${t.events} e JOIN ${t.modelSessions} p ON p.sid = e.sid
  WHERE NOT e.is_asset
  GROUP BY p.persona, e.endpoint
) support`;
}

/**
 * Pages: session, page number (1, 2, ... within a session: sessionize.ts), endpoint code, the next
 * page's code (NULL after the last page), the think time after the page, status and response time.
 */
export function pagesSql(_d: Dialect, t: Pick<StatsTables, 'events' | 'modelSessions' | 'endpointStates'>): string {
  // Page numbers run 1, 2, ... without gaps, so the next row of the session is the next page. The
  // window sorts the pages with integers only (code, think time): with the endpoint strings in the
  // sort, a join on (sid, page_no + 1) was faster; without them the window is (3.8 s against 6.3 s
  // at a million sessions).
  const next = (x: string) => `lead(${x}) OVER (PARTITION BY e.sid ORDER BY e.page_no)`;
  return `
SELECT e.sid, e.page_no, s.code, ${next('s.code')} AS next_code, ${next('e.think_s')} AS think_after, e.status, e.response_ms
FROM ${t.events} e
JOIN ${t.modelSessions} p ON p.sid = e.sid
JOIN ${t.endpointStates} s ON s.persona = p.persona AND s.endpoint = e.endpoint
WHERE NOT e.is_asset`;
}

/** persona, state, endpoint, n, share, rt quantiles, error rate, think-after quantiles when supported. */
export function stateStatsSql(d: Dialect, t: StatsTables): string {
  // One quantile aggregate for the three response-time points: each keeps every value of its group
  // in memory, outside the engine's buffer pool, so three of them tripled the peak on large runs.
  // A code is one persona x endpoint, so grouping by it groups by persona, state and endpoint.
  return `
SELECT s.persona, s.state, s.endpoint, g.n, g.n * 1.0 / sum(g.n) OVER (PARTITION BY s.persona) AS share,
  g.rt_q[1] AS rt_p50, g.rt_q[2] AS rt_p90, g.rt_q[3] AS rt_p99, g.error_rate, g.think_n, g.think_mean, g.think_q
FROM (
  SELECT code, count(*) AS n,
    ${d.quantiles('response_ms', [0.5, 0.9, 0.99])} AS rt_q,
    avg(CASE WHEN status >= 400 THEN 1.0 ELSE 0.0 END) AS error_rate,
    count(think_after) AS think_n,
    ${stableAvg('think_after')} AS think_mean,
    ${d.quantiles('think_after', QUANTILE_POINTS)} AS think_q
  FROM ${t.pages}
  GROUP BY code
) g
JOIN ${t.endpointStates} s ON s.code = g.code`;
}

/** persona, from_state, to_state, n: entries (from `$entry`) and transitions (to `$exit` at the end). */
export function transitionsSql(_d: Dialect, t: StatsTables): string {
  // Counted by code first (integers), then named: several rare endpoints share the state `other`.
  return `
WITH steps AS (
  SELECT CASE WHEN page_no = 1 THEN 1 ELSE 0 END AS entry, code, next_code, count(*) AS n
  FROM ${t.pages}
  GROUP BY CASE WHEN page_no = 1 THEN 1 ELSE 0 END, code, next_code
)
SELECT s.persona, '$entry' AS from_state, s.state AS to_state, sum(st.n) AS n
FROM steps st JOIN ${t.endpointStates} s ON s.code = st.code
WHERE st.entry = 1
GROUP BY s.persona, s.state
UNION ALL
SELECT s.persona, s.state AS from_state, COALESCE(ns.state, '$exit') AS to_state, sum(st.n) AS n
FROM steps st JOIN ${t.endpointStates} s ON s.code = st.code LEFT JOIN ${t.endpointStates} ns ON ns.code = st.next_code
GROUP BY s.persona, s.state, COALESCE(ns.state, '$exit')`;
}

/**
 * persona, state, resource, share: assets loaded with a page in at least minResourceShare of its
 * visits. An asset's `page_no` (sessionize.ts) is the page that loaded it.
 */
export function resourcesSql(d: Dialect, t: StatsTables, o: StatsOptions): string {
  // A page that loads an asset twice loaded it once. The asset rows are made distinct on integers (the
  // template's 63-bit hash, as sessions and clients are keyed) and named afterwards: distinct over the
  // template strings was a third of the model's time at a million sessions.
  const assets = `${t.events} a JOIN ${t.modelSessions} m ON m.sid = a.sid WHERE a.is_asset AND a.page_no > 0`;
  return `
WITH loaded AS (SELECT DISTINCT a.sid, a.page_no, ${d.hash64('a.template')} AS th FROM ${assets}),
names AS (SELECT DISTINCT ${d.hash64('a.template')} AS th, a.template FROM ${assets}),
loads AS (
  SELECT s.persona, s.state, n.template AS resource, sum(l.visits) AS visits
  FROM (
    SELECT pg.code, a.th, count(*) AS visits
    FROM loaded a JOIN ${t.pages} pg ON pg.sid = a.sid AND pg.page_no = a.page_no
    GROUP BY pg.code, a.th
  ) l JOIN ${t.endpointStates} s ON s.code = l.code JOIN names n ON n.th = l.th
  GROUP BY s.persona, s.state, n.template
),
visits AS (SELECT persona, state, sum(n) AS n FROM ${t.endpointStates} GROUP BY persona, state)
SELECT l.persona, l.state, l.resource, l.visits * 1.0 / v.n AS share
FROM loads l JOIN visits v ON v.persona = l.persona AND v.state = l.state
WHERE l.visits * 1.0 / v.n >= ${o.minResourceShare}`;
}

/**
 * persona-level figures: sessions (all of them), and over the sessions the statistics read (the sample):
 * think-time and session-shape distributions, error and write rates. `requestsPerSession` counts page
 * requests (Markov steps), as the scenarios replay them; assets come with their pages.
 *
 * Every think time before a page is the think time after the page before it, so the pages table holds
 * them all (as `think_after`): reading it spares a join of every request with its persona.
 */
export function personaStatsSql(d: Dialect, t: StatsTables): string {
  return `
WITH think AS (
  SELECT s.persona, ${d.quantiles('pg.think_after', QUANTILE_POINTS)} AS think_q, ${stableAvg('pg.think_after')} AS think_mean, count(pg.think_after) AS think_n
  FROM ${t.pages} pg JOIN ${t.endpointStates} s ON s.code = pg.code
  WHERE pg.think_after IS NOT NULL
  GROUP BY s.persona
),
sizes AS (SELECT persona, count(*) AS sessions FROM ${t.personas} GROUP BY persona),
shape AS (
  SELECT m.persona, count(*) AS sampled_sessions,
    ${d.quantiles('CAST(s.pages AS DOUBLE)', QUANTILE_POINTS)} AS requests_q, avg(s.pages) AS requests_mean,
    ${d.quantiles('s.duration_s', QUANTILE_POINTS)} AS duration_q, ${stableAvg('s.duration_s')} AS duration_mean,
    -- Rates times counts are whole numbers of requests: rounded, their sums are exact in any order.
    sum(round(s.error_rate * s.requests)) / sum(s.requests) AS error_rate,
    sum(round(s.write_ratio * s.pages)) / NULLIF(sum(s.pages), 0) AS write_ratio
  FROM ${t.sessions} s JOIN ${t.modelSessions} m ON m.sid = s.sid
  GROUP BY m.persona
)
SELECT sizes.persona, sizes.sessions, shape.sampled_sessions, shape.requests_q, shape.requests_mean, shape.duration_q,
  shape.duration_mean, shape.error_rate, shape.write_ratio, think.think_q, think.think_mean, COALESCE(think.think_n, 0) AS think_n
FROM sizes JOIN shape ON shape.persona = sizes.persona LEFT JOIN think ON think.persona = sizes.persona`;
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
  FROM ${t.events} e JOIN ${t.modelSessions} p ON p.sid = e.sid JOIN ${t.pathParams} pp ON pp.path = e.path
  UNION ALL
  SELECT p.persona, qp.param, qp.value
  FROM ${t.events} e JOIN ${t.modelSessions} p ON p.sid = e.sid JOIN ${t.queryParams} qp ON qp.query = e.query
  WHERE NOT e.is_asset
),
counted AS (
  SELECT persona, param, value, count(*) AS n,
    row_number() OVER (PARTITION BY persona, param ORDER BY count(*) DESC, value) AS rank
  FROM observed GROUP BY persona, param, value
)
SELECT persona, param, value, n FROM counted WHERE rank <= ${limit}`;
}

/**
 * Shared SQL: one row of behavioural features per session (SessionFeatures in types.ts), the input of
 * clustering. Rates are shares of pages (not assets) where the question is about what the user did,
 * and of all requests where it is about what the server saw (errors, assets).
 *
 * Means of DOUBLE values are exact DECIMAL sums (sql/stable-aggregates.ts), so the features, and the
 * personas fitted on them, are the same on every run. Counts are count(), never sum() of 0/1: DuckDB
 * sums integers into HUGEINT, which its on-disk tables scan about fifty times slower than BIGINT
 * (0.2 s per million rows per column).
 */
import type { Dialect } from '../sql/dialect';
import { stableAvg, stableStddevPop } from '../sql/stable-aggregates';

export interface FeatureOptions {
  apiPrefixes: readonly string[];
  checkoutWords: readonly string[];
}

const SAFE_METHODS = `('GET', 'HEAD', 'OPTIONS')`;
/** UTC hours counted as night for `night_share`. */
const NIGHT_UNTIL_HOUR = 6;

export function sessionFeaturesSql(d: Dialect, t: { events: string; clients: string }, o: FeatureOptions): string {
  const page = `CASE WHEN is_asset THEN 0 ELSE 1 END`;
  const isApi = o.apiPrefixes.map((p) => `template LIKE '${p.replace(/'/g, "''")}%'`).join(' OR ') || 'false';
  const checkout = `(^|/)(${o.checkoutWords.map((w) => w.replace(/[^a-z]/gi, '')).join('|')})s?(/|$|\\?|\\{)`;
  // Per-session measures, in the order of the sessions table: computed in the one big aggregate and
  // selected from it by name.
  const measures: [name: string, sql: string][] = [
    ['mean_response_ms', `COALESCE(${stableAvg('response_ms')}, 0)`],
    ['duration_s', 'max(t_end) - min(t_start)'],
    ['error_rate', 'avg(CASE WHEN status >= 400 THEN 1.0 ELSE 0.0 END)'],
    ['write_ratio', `COALESCE(sum(CASE WHEN NOT is_asset AND method NOT IN ${SAFE_METHODS} THEN 1.0 ELSE 0.0 END) / NULLIF(sum(${page}), 0), 0)`],
    ['think_mean_s', `COALESCE(${stableAvg('think_s')}, 0)`],
    ['think_median_s', `COALESCE(${d.quantile('think_s', 0.5)}, 0)`],
    ['think_cv', `COALESCE(${stableStddevPop('think_s')} / NULLIF(${stableAvg('think_s')}, 0), 0)`],
    ['asset_ratio', 'avg(CASE WHEN is_asset THEN 1.0 ELSE 0.0 END)'],
    ['requests_per_minute', 'count(*) * 60.0 / greatest(max(t_end) - min(t_start), 60)'],
    ['api_share', `COALESCE(sum(CASE WHEN NOT is_asset AND (${isApi}) THEN 1.0 ELSE 0.0 END) / NULLIF(sum(${page}), 0), 0)`],
    ['checkout_share', `COALESCE(sum(CASE WHEN NOT is_asset AND ${d.regexpLike('lower(template)', checkout)} THEN 1.0 ELSE 0.0 END) / NULLIF(sum(${page}), 0), 0)`],
    ['robots_hits', `count(CASE WHEN path = '/robots.txt' OR (path LIKE '/sitemap%' AND path LIKE '%.xml') THEN 1 END)`],
    ['night_share', `avg(CASE WHEN ${d.hourOfDay('t_start')} < ${NIGHT_UNTIL_HOUR} THEN 1.0 ELSE 0.0 END)`],
  ];
  // The client's strings and flags, and the distinct endpoints, are gathered apart and joined per
  // session: carried through the one big aggregate (strings per request, a set per session) they
  // made it spill, at 10M lines 4.2 s where the three statements together take 2.6 s.
  return `
WITH per_session AS (
  SELECT sid,
    min(t_start) AS start,
    max(t_end) AS "end",
    count(*) AS requests,
    count(CASE WHEN NOT is_asset THEN 1 END) AS pages,
    ${measures.map(([name, sql]) => `${sql} AS ${name}`).join(',\n    ')}
  FROM ${t.events}
  GROUP BY sid
),
session_clients AS (
  SELECT k.sid, min(c.client_ip) AS client_ip, min(c.user_agent) AS user_agent,
    max(CASE WHEN c.is_bot_ua THEN 1 ELSE 0 END) = 1 AS is_bot_ua,
    max(CASE WHEN c.machine_ua THEN 1 ELSE 0 END) = 1 AS machine_ua
  FROM (SELECT DISTINCT sid, client_id FROM ${t.events}) k
  LEFT JOIN ${t.clients} c ON c.client_id = k.client_id
  GROUP BY k.sid
),
session_endpoints AS (
  SELECT sid, count(*) AS unique_endpoints
  FROM (SELECT DISTINCT sid, endpoint FROM ${t.events} WHERE NOT is_asset) pe
  GROUP BY sid
)
SELECT f.sid, ${d.hex64('f.sid')} AS session_id, c.client_ip, c.user_agent, f.start, f."end", f.requests, f.pages,
  COALESCE(u.unique_endpoints, 0) AS unique_endpoints,
  ${measures.map(([name]) => `f.${name}`).join(', ')},
  c.is_bot_ua, c.machine_ua
FROM per_session f
JOIN session_clients c ON c.sid = f.sid
LEFT JOIN session_endpoints u ON u.sid = f.sid`;
}

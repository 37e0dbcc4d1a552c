/**
 * Shared SQL: the clients behind the requests. A client is a client IP + user agent pair, named by a
 * BIGINT id. Events carry the id instead of the two strings, which would otherwise ride through every
 * window pass of sessionizing (a third of its time); the clients table maps the id back to the strings
 * and to the user-agent flags that session features need.
 */
import type { Dialect } from '../sql/dialect';

/** A request's client id; NULL parts hash as empty strings, so every request has one. */
export function clientIdSql(d: Dialect, q = ''): string {
  const c = (name: string) => `COALESCE(${q ? `${q}.${name}` : name}, '')`;
  return d.hash64(`${c('client_ip')} || '|' || ${c('user_agent')}`);
}

/**
 * One row per client id: its IP, user agent and user-agent flags. Grouped by the id, so that a hash
 * collision (or a NULL next to an empty string) can never duplicate the events that join it.
 */
export function clientsSql(d: Dialect, t: { requests: string; uaFlags: string }): string {
  return `
SELECT client_id, min(client_ip) AS client_ip, min(c.user_agent) AS user_agent,
  max(CASE WHEN f.is_bot_ua THEN 1 ELSE 0 END) = 1 AS is_bot_ua,
  max(CASE WHEN f.machine_ua THEN 1 ELSE 0 END) = 1 AS machine_ua
FROM (SELECT DISTINCT client_ip, user_agent, ${clientIdSql(d)} AS client_id FROM ${t.requests}) c
LEFT JOIN ${t.uaFlags} f ON f.user_agent = c.user_agent
GROUP BY client_id`;
}

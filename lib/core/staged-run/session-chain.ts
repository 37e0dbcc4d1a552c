/**
 * The local session-building stages (build-sessions.ts) as ONE statement: a chain of common table
 * expressions from a request source to per-session features, for engines where the pipeline cannot
 * materialise tables between steps (Athena from Step Functions may write query results only, not
 * tables). The CTEs carry the same names as the local tables (TABLES), so every later query written
 * against those names (model statistics, figures) runs unchanged on top of the chain.
 *
 * User-agent flags: locally they come from isbot in JavaScript. Here they are SQL: isbot's own
 * pattern (`getPattern()`, with lookarounds, which Trino's Java-syntax regular expressions accept) and
 * the machine-client pattern of user-agent-flags.ts, so both engines use the same lists. DuckDB's RE2
 * has no lookarounds, so a DuckDB rendering takes the flags from a table the caller fills (as the
 * local pipeline does).
 */
import { getPattern } from 'isbot';
import { DEFAULTS } from '../config';
import { TABLES } from '../sessions/build-sessions';
import { normalizeRequestsSql } from '../ingest/normalize-requests';
import { clientsSql } from '../sessions/clients';
import { sessionFeaturesSql } from '../sessions/session-features';
import { sessionizeSql } from '../sessions/sessionize';
import { pathParamsSql, pathTemplatesSql, queryParamsSql, queryTemplatesSql } from '../sessions/template-paths';
import { MACHINE_CLIENTS } from '../sessions/user-agent-flags';
import type { Dialect } from '../sql/dialect';

export const SOURCE_CTE = 'lp_source';

/** The session key before sessionization (as sessionize.ts forms it): what the cost plan samples by. */
export const ACTOR_SQL = `COALESCE(session_key, client_ip || '|' || user_agent)`;

export interface ChainOptions {
  /** The request-columns SELECT (logSourceSql). */
  readonly source: string;
  /** Keeps whole sessions of a sample (the cost plan's predicate over ACTOR_SQL); 'TRUE' keeps all. */
  readonly samplePredicate: string;
  /** Table with (user_agent, is_bot_ua, machine_ua) when the engine cannot run isbot's pattern. */
  readonly uaFlagsTable?: string;
  readonly gapSeconds?: number;
}

/** Java/JS regex flags are not SQL: case-insensitivity goes inline. */
function caseInsensitive(pattern: RegExp): string {
  return `(?i)${pattern.source}`;
}

/** (user_agent, is_bot_ua, machine_ua) per distinct user agent, as classifyUserAgent decides them. */
export function userAgentFlagsSql(d: Dialect, requests: string): string {
  const machine = d.regexpLike('trim(user_agent)', caseInsensitive(MACHINE_CLIENTS));
  const bot = d.regexpLike('user_agent', caseInsensitive(getPattern()));
  return `
SELECT user_agent, NOT blank AND NOT machine AND ${bot} AS is_bot_ua, machine AS machine_ua
FROM (
  SELECT user_agent, user_agent IN ('', '-') AS blank, user_agent NOT IN ('', '-') AND ${machine} AS machine
  FROM (SELECT DISTINCT user_agent FROM ${requests} WHERE user_agent IS NOT NULL) u
) f`;
}

/** `name AS (select)` for every stage, source to sessions, in dependency order. */
export function sessionChainCtes(d: Dialect, o: ChainOptions): string[] {
  const i = DEFAULTS.ingest;
  const template = { maxLiteralValues: i.maxLiteralSegmentValues, assetExtensions: i.assetExtensions };
  const features = { apiPrefixes: i.apiPrefixes, checkoutWords: i.checkoutWords };
  const uaFlags = o.uaFlagsTable ? `SELECT user_agent, is_bot_ua, machine_ua FROM ${o.uaFlagsTable}` : userAgentFlagsSql(d, TABLES.requests);
  const stages: [string, string][] = [
    [SOURCE_CTE, o.source],
    [TABLES.requests, `SELECT * FROM (${normalizeRequestsSql(d, SOURCE_CTE)}) n WHERE ${o.samplePredicate}`],
    [TABLES.pathTemplates, pathTemplatesSql(d, TABLES.requests, template)],
    [TABLES.queryTemplates, queryTemplatesSql(d, TABLES.requests)],
    [TABLES.pathParams, pathParamsSql(d, TABLES.pathTemplates)],
    [TABLES.queryParams, queryParamsSql(d, TABLES.requests)],
    [TABLES.uaFlags, uaFlags],
    [TABLES.clients, clientsSql(d, TABLES)],
    [TABLES.events, sessionizeSql(d, TABLES, { gapSeconds: o.gapSeconds ?? i.sessionGapSeconds })],
    [TABLES.sessions, sessionFeaturesSql(d, TABLES, features)],
  ];
  return stages.map(([name, select]) => `${name} AS (${select}\n)`);
}

/** WITH <chain>, <more> <final select>. */
export function withChain(ctes: readonly string[], select: string): string {
  return `WITH ${ctes.join(',\n')}\n${select}`;
}


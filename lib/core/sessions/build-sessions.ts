/**
 * Step 1b (shared by both engines): parsed (already normalised) requests -> endpoint templates -> sessionized
 * events -> per-session features. Each stage is one set-based SQL statement materialised as a table;
 * the only per-row JavaScript is the user-agent classification, done once per distinct user agent.
 */
import { DEFAULTS } from '../config';
import { goodRequestsSql } from '../ingest/normalize-requests';
import { dialectFor } from '../sql/dialect';
import type { SqlEngine } from '../types';
import { sessionFeaturesSql, type FeatureOptions } from './session-features';
import { sessionizeSql } from './sessionize';
import { pathParamsSql, pathTemplatesSql, queryParamsSql, queryTemplatesSql, type TemplateOptions } from './template-paths';
import { classifyUserAgent } from './user-agent-flags';

/** Tables this step creates; later steps (model statistics) read them. */
export const TABLES = {
  requests: 'lp_requests',
  pathTemplates: 'lp_path_templates',
  queryTemplates: 'lp_query_templates',
  pathParams: 'lp_path_params',
  queryParams: 'lp_query_params',
  uaFlags: 'lp_ua_flags',
  events: 'lp_events',
  sessions: 'lp_sessions',
} as const;

export interface BuildSessionsOptions extends TemplateOptions, FeatureOptions {
  gapSeconds: number;
}

/** The configured templating and feature settings, with the given inactivity gap. */
export function sessionOptions(gapSeconds: number = DEFAULTS.ingest.sessionGapSeconds): BuildSessionsOptions {
  return {
    gapSeconds,
    maxLiteralValues: DEFAULTS.ingest.maxLiteralSegmentValues,
    assetExtensions: DEFAULTS.ingest.assetExtensions,
    apiPrefixes: DEFAULTS.ingest.apiPrefixes,
    checkoutWords: DEFAULTS.ingest.checkoutWords,
  };
}

export async function buildSessions(engine: SqlEngine, parsedTable: string, o: BuildSessionsOptions): Promise<{ sessions: number; requests: number }> {
  const d = dialectFor(engine.dialect);
  const run = (name: string, select: string) => engine.exec(d.createTableAs(name, select));
  // A view, not a table: the parsed table is already normalised, only its rejected lines are left out.
  await engine.exec(`CREATE OR REPLACE VIEW ${TABLES.requests} AS ${goodRequestsSql(parsedTable)}`);
  await run(TABLES.pathTemplates, pathTemplatesSql(d, TABLES.requests, o));
  await run(TABLES.queryTemplates, queryTemplatesSql(d, TABLES.requests));
  await run(TABLES.pathParams, pathParamsSql(d, TABLES.pathTemplates));
  await run(TABLES.queryParams, queryParamsSql(d, TABLES.requests));
  await classifyUserAgents(engine);
  await run(TABLES.events, sessionizeSql(d, TABLES, { gapSeconds: o.gapSeconds }));
  await run(TABLES.sessions, sessionFeaturesSql(d, TABLES, o));
  const [counts] = await engine.query<{ sessions: number; requests: number }>(
    `SELECT count(*) AS sessions, COALESCE(sum(requests), 0) AS requests FROM ${TABLES.sessions}`,
  );
  return counts ?? { sessions: 0, requests: 0 };
}

/** Distinct user agents out, flags back in, as one VALUES insert per batch. */
async function classifyUserAgents(engine: SqlEngine): Promise<void> {
  const uas = await engine.query<{ user_agent: string }>(
    `SELECT DISTINCT user_agent FROM ${TABLES.requests} WHERE user_agent IS NOT NULL`,
  );
  await engine.exec(`CREATE OR REPLACE TABLE ${TABLES.uaFlags} (user_agent VARCHAR, is_bot_ua BOOLEAN, machine_ua BOOLEAN)`);
  const BATCH = 1000;
  for (let i = 0; i < uas.length; i += BATCH) {
    const values = uas
      .slice(i, i + BATCH)
      .map((r) => classifyUserAgent(r.user_agent))
      .map((f) => `('${f.user_agent.replace(/'/g, "''")}', ${f.is_bot_ua}, ${f.machine_ua})`);
    await engine.exec(`INSERT INTO ${TABLES.uaFlags} VALUES ${values.join(', ')}`);
  }
}

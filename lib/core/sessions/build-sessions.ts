/**
 * Step 1b (shared by both engines): parsed (already normalised) requests -> endpoint templates -> sessionized
 * events -> per-session features. Each stage is one set-based SQL statement materialised as a table
 * (sessionizing, past `partRows` requests, one statement per part of the actors); the only JavaScript
 * over the data is the user-agent classification, done once per distinct user agent.
 */
import { DEFAULTS } from '../config';
import { goodRequestsSql } from '../ingest/normalize-requests';
import { dialectFor, type Dialect } from '../sql/dialect';
import { REQUEST_COLUMNS, type SqlEngine } from '../types';
import { resessionizeRequestsSql, reusedEventsSql, touchedSessionsSql } from './incremental-sessions';
import { clientsSql } from './clients';
import { sessionFeaturesSql, type FeatureOptions } from './session-features';
import { actorPartSql, EVENT_COLUMNS, sessionizeSql, type SessionizeOptions } from './sessionize';
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
  clients: 'lp_clients',
  events: 'lp_events',
  sessions: 'lp_sessions',
} as const;

/** Intermediate tables of an incremental run. */
const REFRESH = {
  fresh: 'lp_fresh_requests',
  touched: 'lp_touched_sessions',
  resessionize: 'lp_resessionize',
  resessionized: 'lp_events_resessionized',
} as const;

/** The previous run's sessionized rows, read back from the refresh cache (ingest/refresh-cache.ts). */
export interface CachedSessionRows {
  /** Table of the cached rows of the files this run reads again (EVENT_COLUMNS plus `carry`). */
  rows: string;
  /** Table of (sid): sessions that held rows of files this run no longer reads. */
  dropped: string;
  /** The gap the cached rows were sessionized with. */
  gapSeconds: number;
}

export interface BuildSessionsOptions extends TemplateOptions, FeatureOptions {
  gapSeconds: number;
  /** Requests sessionized in one statement; more are split into parts by actor (`sessionizeParts`, config.ts). */
  partRows: number;
  /** Requests in one part at most. */
  maxPartRows: number;
  /** Request columns the events keep as they are (the refresh cache needs host, session key, file id). */
  carry?: readonly string[];
  /** Sessionize incrementally on top of these cached rows. */
  cached?: CachedSessionRows;
}

/** The configured templating and feature settings, with the given inactivity gap. */
export function sessionOptions(gapSeconds: number = DEFAULTS.ingest.sessionGapSeconds): BuildSessionsOptions {
  return {
    gapSeconds,
    partRows: DEFAULTS.ingest.sessionizePartRows,
    maxPartRows: DEFAULTS.ingest.sessionizeMaxPartRows,
    maxLiteralValues: DEFAULTS.ingest.maxLiteralSegmentValues,
    assetExtensions: DEFAULTS.ingest.assetExtensions,
    apiPrefixes: DEFAULTS.ingest.apiPrefixes,
    checkoutWords: DEFAULTS.ingest.checkoutWords,
  };
}

export interface SessionCounts {
  sessions: number;
  requests: number;
  /** Refresh only: cached sessions kept as they were, and cached sessions sessionized again. */
  reused?: number;
  resessionized?: number;
  /** Refresh only: the events sessionized anew and (sid) of the cached sessions they replace. */
  delta?: { rows: string; replaces: string };
}

export async function buildSessions(engine: SqlEngine, parsedTable: string, o: BuildSessionsOptions): Promise<SessionCounts> {
  const d = dialectFor(engine.dialect);
  const run = (name: string, select: string) => engine.exec(d.createTableAs(name, select));
  const carry = o.carry ?? [];
  const requestColumns = [...REQUEST_COLUMNS, ...carry.filter((c) => !(REQUEST_COLUMNS as readonly string[]).includes(c))];
  // Views, not tables: the parsed table is already normalised, only its rejected lines are left out;
  // on a refresh, the requests are the new ones plus the cached ones.
  await engine.exec(`CREATE OR REPLACE VIEW ${REFRESH.fresh} AS ${goodRequestsSql(parsedTable, requestColumns)}`);
  await engine.exec(`CREATE OR REPLACE VIEW ${TABLES.requests} AS SELECT ${requestColumns.join(', ')} FROM ${REFRESH.fresh}${
    o.cached ? ` UNION ALL SELECT ${requestColumns.join(', ')} FROM ${o.cached.rows}` : ''
  }`);
  await run(TABLES.pathTemplates, pathTemplatesSql(d, TABLES.requests, o));
  await run(TABLES.queryTemplates, queryTemplatesSql(d, TABLES.requests));
  await run(TABLES.pathParams, pathParamsSql(d, TABLES.pathTemplates));
  await run(TABLES.queryParams, queryParamsSql(d, TABLES.requests));
  await classifyUserAgents(engine);
  await run(TABLES.clients, clientsSql(d, TABLES));
  if (o.cached) {
    const t = { cached: o.cached.rows, dropped: o.cached.dropped, fresh: REFRESH.fresh, touched: REFRESH.touched, ...TABLES };
    await run(REFRESH.touched, touchedSessionsSql(d, t, o.gapSeconds, o.cached.gapSeconds !== o.gapSeconds));
    await engine.exec(`CREATE OR REPLACE VIEW ${REFRESH.resessionize} AS ${resessionizeRequestsSql(t, requestColumns)}`);
    await sessionize(engine, d, REFRESH.resessionized, REFRESH.resessionize, { gapSeconds: o.gapSeconds, carry }, o);
    await run(TABLES.events, `SELECT ${[...EVENT_COLUMNS, ...carry].join(', ')} FROM ${REFRESH.resessionized} UNION ALL ${reusedEventsSql(t, carry)}`);
  } else {
    await sessionize(engine, d, TABLES.events, TABLES.requests, { gapSeconds: o.gapSeconds, carry }, o);
  }
  await run(TABLES.sessions, sessionFeaturesSql(d, TABLES, o));
  const [counts] = await engine.query<{ sessions: number; requests: number }>(
    `SELECT count(*) AS sessions, COALESCE(sum(requests), 0) AS requests FROM ${TABLES.sessions}`,
  );
  const totals = counts ?? { sessions: 0, requests: 0 };
  if (!o.cached) return totals;
  const [reuse] = await engine.query<{ reused: number; resessionized: number }>(
    `SELECT count(DISTINCT CASE WHEN t.sid IS NULL THEN c.sid END) AS reused, count(DISTINCT t.sid) AS resessionized
     FROM ${o.cached.rows} c LEFT JOIN ${REFRESH.touched} t ON t.sid = c.sid`,
  );
  return {
    ...totals,
    reused: reuse?.reused ?? 0,
    resessionized: reuse?.resessionized ?? 0,
    delta: { rows: REFRESH.resessionized, replaces: REFRESH.touched },
  };
}

/** How many requests sessionizing takes in one statement, and in one part at most. */
type PartSizes = Pick<BuildSessionsOptions, 'partRows' | 'maxPartRows'>;

/**
 * How many parts `requests` requests are sessionized in: one up to `partRows` (or when it is 0), past
 * it 2 sqrt(requests / partRows), rounded, and never parts of more than `maxPartRows`. Each part
 * re-reads every request to find its own, so parts of a fixed size would make the re-reading grow
 * with the square of the logs (at 30M lines, 25 parts of 1.2M re-read about 11 s); parts growing
 * with the square root balance it against their sorts, which cost more per request as they grow;
 * the cap keeps each sort within the sizes measured (config.ts).
 */
export function sessionizeParts(requests: number, o: PartSizes): number {
  if (o.partRows <= 0 || requests <= o.partRows) return 1;
  return Math.max(Math.round(2 * Math.sqrt(requests / o.partRows)), Math.ceil(requests / o.maxPartRows));
}

/** `requests` sessionized into table `name`: in one statement, or part by part when they are many. */
async function sessionize(engine: SqlEngine, d: Dialect, name: string, requests: string, o: SessionizeOptions, sizes: PartSizes): Promise<void> {
  const [row] = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM ${requests}`);
  const parts = sessionizeParts(row?.n ?? 0, sizes);
  for (let i = 0; i < parts; i++) {
    const part = parts === 1 ? requests : `(SELECT * FROM ${requests} WHERE ${actorPartSql(d, parts)} = ${i})`;
    const select = sessionizeSql(d, { ...TABLES, requests: part }, o);
    await engine.exec(i === 0 ? d.createTableAs(name, select) : `INSERT INTO ${name} ${select}`);
  }
}

/** Columns of `rowsToCacheSql`: the events plus their client's strings, from which a refresh rebuilds requests. */
export const CACHED_EVENT_COLUMNS = [...EVENT_COLUMNS, 'client_ip', 'user_agent'] as const;

/** `events` with their client's IP and user agent: the rows the refresh cache keeps. */
export function rowsToCacheSql(events: string): string {
  return `(SELECT e.*, c.client_ip, c.user_agent FROM ${events} e JOIN ${TABLES.clients} c ON c.client_id = e.client_id) cached`;
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

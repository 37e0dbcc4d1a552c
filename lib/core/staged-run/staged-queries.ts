/**
 * The pipeline's two SQL steps as single statements for an engine driven from outside (Athena under
 * Step Functions), and the decoding of their results back into what run-pipeline.ts computes:
 *
 * 1. features: the session chain, ending in the fit sample (ordered by session id, as
 *    clusterSessions samples) plus the window and totals as window aggregates (one pass).
 * 2. statistics: the same chain plus the persona assignment and the page tables, ending in one
 *    tagged result: personas.json's counts and centroids, every model statistic (buildModel's
 *    queries, verbatim), every production figure (productionFigures' queries, verbatim), the
 *    production hosts and sessions.csv's rows.
 *
 * The model and figures are then computed by the real buildModel / productionFigures over a
 * ReplayEngine holding these rows, so the arithmetic is the local pipeline's, not a copy of it.
 */
import { DEFAULTS } from '../config';
import { buildModel, statsOptions } from '../model/build-model';
import {
  arrivalsSql, hourOfWeekSql, pageTablesSql, paramValuesSql, personaStatsSql, resourcesSql, stateStatsSql, transitionsSql,
  type StatsTables,
} from '../model/persona-stats-sql';
import {
  assignPersonasSql, FEATURE_SPECS, OUTLIER_PERSONA, personaStatsFromRows, personaStatsSql as personaSizesSql,
  summarisePersonas, type FeatureColumns, type PersonaFit,
} from '../personas';
import { BOT_COLUMNS } from '../personas/label-bots';
import { TABLES } from '../sessions/build-sessions';
import { sqlString, type Dialect } from '../sql/dialect';
import type { PersonasFile, SqlRow, TrafficModel } from '../types';
import type { TrafficFigures } from '../validation/figures';
import { figureQueries, productionFigures } from '../validation/figures-sql';
import { ReplayEngine } from './replay-engine';
import { jsonRowSql, taggedUnionSql, untag, type TaggedPart, type TaggedRow } from './tagged-rows';
import { withChain } from './session-chain';

export const PERSONAS_CTE = 'lp_session_personas';
export const MODEL_SESSIONS_CTE = 'lp_model_sessions';
export const ENDPOINT_STATES_CTE = 'lp_endpoint_states';
export const PAGES_CTE = 'lp_pages';
/** How many production hosts the model keeps (scenarios refuse to target them). */
const MAX_PRODUCTION_HOSTS = 20;
/** DBSCAN noise sessions named in personas.json as examples. */
const OUTLIER_EXAMPLES = 5;

/** Columns of the fit sample: features and the bot rule's inputs (clusterSessions' set). */
export const SAMPLE_COLUMNS: readonly string[] = [...new Set([...FEATURE_SPECS.map((f) => f.column), ...BOT_COLUMNS])];

// ---------------------------------------------------------------------------------------------
// 1. features
// ---------------------------------------------------------------------------------------------

export function featuresQuerySql(d: Dialect, chain: readonly string[], sampleSize = DEFAULTS.personas.fitSampleSize): string {
  const columns = ['session_id', ...SAMPLE_COLUMNS, 'window_start', 'window_end', 'total_sessions', 'total_requests'];
  const inner = `SELECT session_id, ${SAMPLE_COLUMNS.map((c) => `"${c}"`).join(', ')},
    min(start) OVER () AS window_start, max("end") OVER () AS window_end,
    count(*) OVER () AS total_sessions, sum(requests) OVER () AS total_requests
  FROM ${TABLES.sessions}`;
  return withChain(chain, `SELECT ${jsonRowSql(d, columns, 's')} AS payload FROM (${inner}) s ORDER BY s.session_id LIMIT ${Math.floor(sampleSize)}`);
}

export interface FeatureSample {
  readonly sample: FeatureColumns;
  readonly rows: number;
  readonly window: { start: number; end: number };
  readonly sessions: number;
  readonly requests: number;
}

/** The features query's rows (payload texts) as the columns fitPersonas takes. */
export function decodeFeatureSample(payloads: readonly string[]): FeatureSample {
  const rows = payloads.map((p) => JSON.parse(p) as Record<string, unknown>);
  const first = rows[0];
  if (!first) throw new Error('the window holds no sessions: no log lines were read for it');
  const sample: FeatureColumns = Object.fromEntries(SAMPLE_COLUMNS.map((c) => [c, Float64Array.from(rows, (r) => toNumber(r[c]))]));
  return {
    sample,
    rows: rows.length,
    window: { start: toNumber(first['window_start']), end: toNumber(first['window_end']) },
    sessions: toNumber(first['total_sessions']),
    requests: toNumber(first['total_requests']),
  };
}

function toNumber(v: unknown): number {
  if (typeof v === 'boolean') return v ? 1 : 0;
  const n = Number(v ?? 0);
  return Number.isFinite(n) ? n : 0;
}

// ---------------------------------------------------------------------------------------------
// 2. statistics
// ---------------------------------------------------------------------------------------------

export const STATS_TABLES: StatsTables = {
  events: TABLES.events, modelSessions: MODEL_SESSIONS_CTE, endpointStates: ENDPOINT_STATES_CTE, pages: PAGES_CTE,
  sessions: TABLES.sessions, personas: PERSONAS_CTE, pathParams: TABLES.pathParams, queryParams: TABLES.queryParams,
};

export interface StatisticsPlan {
  readonly fit: PersonaFit;
  /** Epoch seconds, from the features query (the model's and figures' window). */
  readonly window: { start: number; end: number };
}

const SESSION_COLUMNS = ['session_id', 'client_ip', 'user_agent', 'start', 'end', 'requests', 'persona'] as const;

function modelParts(d: Dialect, window: { start: number }): TaggedPart[] {
  const t = STATS_TABLES;
  const o = statsOptions();
  return [
    { kind: 'model.states', sql: stateStatsSql(d, t), columns: ['persona', 'state', 'endpoint', 'n', 'share', 'rt_p50', 'rt_p90', 'rt_p99', 'error_rate', 'think_n', 'think_mean', 'think_q'] },
    { kind: 'model.transitions', sql: transitionsSql(d, t), columns: ['persona', 'from_state', 'to_state', 'n'] },
    { kind: 'model.resources', sql: resourcesSql(d, t, o), columns: ['persona', 'state', 'resource', 'share'] },
    { kind: 'model.personas', sql: personaStatsSql(d, t), columns: ['persona', 'sessions', 'sampled_sessions', 'requests_q', 'requests_mean', 'duration_q', 'duration_mean', 'error_rate', 'write_ratio', 'think_q', 'think_mean', 'think_n'] },
    { kind: 'model.arrivals', sql: arrivalsSql(d, t, o, window.start), columns: ['persona', 'bucket', 'n'] },
    { kind: 'model.hourOfWeek', sql: hourOfWeekSql(d, t), columns: ['persona', 'hour_of_week', 'n'] },
    { kind: 'model.params', sql: paramValuesSql(d, t, o), columns: ['persona', 'param', 'value', 'n'] },
  ];
}

const FIGURE_COLUMNS: Readonly<Record<keyof ReturnType<typeof figureQueries>, readonly string[]>> = {
  endpoints: ['persona', 'endpoint', 'n'],
  rates: ['persona', 'pages', 'error_rate', 'write_ratio'],
  sessions: ['persona', 'sessions'],
  sessionSketch: ['persona', 'step', 'v', 'top'],
  thinkSketch: ['persona', 'step', 'v', 'top'],
  arrivals: ['persona', 'how', 'n'],
  peak: ['persona', 'peak'],
};

function figureParts(d: Dialect, window: { start: number; end: number }): TaggedPart[] {
  const q = figureQueries(d, { events: TABLES.events, sessions: TABLES.sessions, personas: PERSONAS_CTE }, window);
  return (Object.keys(FIGURE_COLUMNS) as (keyof typeof FIGURE_COLUMNS)[]).map((k) => ({ kind: `figures.${k}`, sql: q[k], columns: FIGURE_COLUMNS[k] }));
}

function statisticsParts(d: Dialect, p: StatisticsPlan): TaggedPart[] {
  const personaColumns = ['persona', 'sessions', ...p.fit.transform.features.map((f) => f.column)];
  const parts: TaggedPart[] = [
    { kind: 'personas.sizes', sql: personaSizesSql(p.fit, TABLES.sessions), columns: personaColumns },
    {
      kind: 'hosts',
      sql: `SELECT host, count(*) AS n FROM ${TABLES.requests} WHERE host IS NOT NULL AND host <> '' GROUP BY host ORDER BY count(*) DESC, host LIMIT ${MAX_PRODUCTION_HOSTS}`,
      columns: ['host', 'n'],
    },
    {
      kind: 'sessions',
      sql: `SELECT s.session_id, s.client_ip, s.user_agent, ${d.isoTime('s.start')} AS "start", ${d.isoTime('s."end"')} AS "end", s.requests, p.persona
  FROM ${TABLES.sessions} s LEFT JOIN ${PERSONAS_CTE} p ON p.sid = s.sid`,
      columns: SESSION_COLUMNS,
    },
    ...modelParts(d, p.window),
    ...figureParts(d, p.window),
  ];
  if (p.fit.algorithm === 'dbscan') {
    parts.push({
      kind: 'personas.outliers',
      sql: `SELECT session_id FROM ${PERSONAS_CTE} WHERE persona = ${sqlString(OUTLIER_PERSONA)} ORDER BY session_id LIMIT ${OUTLIER_EXAMPLES}`,
      columns: ['session_id'],
    });
  }
  return parts;
}

/** The statistics statement: chain, persona assignment, page tables (model sessions, endpoint states, pages), then every part tagged. */
export function statisticsQuerySql(d: Dialect, chain: readonly string[], p: StatisticsPlan): string {
  const extra = [
    `${PERSONAS_CTE} AS (${assignPersonasSql(p.fit, TABLES.sessions, ['sid', 'session_id'])})`,
    ...pageTablesSql(d, STATS_TABLES, statsOptions()).map((t) => `${t.name} AS (${t.sql}\n)`),
  ];
  return withChain([...chain, ...extra], taggedUnionSql(d, statisticsParts(d, p)));
}

export interface RunStatistics {
  readonly personas: PersonasFile;
  readonly model: TrafficModel;
  readonly figures: TrafficFigures;
  /** sessions.csv, as the local pipeline writes it (header, comma-separated, ordered by start). */
  readonly sessionsCsv: string;
  readonly sessions: number;
}

/** Decodes the statistics result with the local pipeline's own runners (buildModel, productionFigures). */
export async function decodeStatistics(
  d: Dialect,
  p: StatisticsPlan,
  rows: Iterable<TaggedRow>,
  generatedAt: string,
): Promise<RunStatistics> {
  const parts = statisticsParts(d, p);
  const byKind = untag(rows, parts.map((x) => x.kind));
  const answers = new Map<string, SqlRow[]>(parts.map((x) => [x.sql, byKind.get(x.kind) ?? []]));
  const pageTables = pageTablesSql(d, STATS_TABLES, statsOptions()).map((t) => d.createTableAs(t.name, t.sql));
  const replay = new ReplayEngine(d.name, answers, new Set(pageTables));

  const stats = personaStatsFromRows(byKind.get('personas.sizes') ?? []);
  const outliers = (byKind.get('personas.outliers') ?? []).map((r) => String(r['session_id']));
  const personas = summarisePersonas(p.fit, stats.counts, stats.centroids, outliers);
  const model = await buildModel(replay, {
    tables: STATS_TABLES,
    personas: personas.personas.map((x) => ({ name: x.name, isBot: x.isBot })),
    window: p.window,
    productionHosts: (byKind.get('hosts') ?? []).map((r) => String(r['host'])),
    generatedAt,
  });
  const figures = await productionFigures(replay, { events: TABLES.events, sessions: TABLES.sessions, personas: PERSONAS_CTE }, p.window);
  const sessionRows = byKind.get('sessions') ?? [];
  return { personas, model, figures, sessionsCsv: sessionsCsv(sessionRows), sessions: sessionRows.length };
}

/** Quotes a CSV field only when it needs it (DuckDB COPY's rule, so both pipelines write the same file). */
function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function sessionsCsv(rows: readonly SqlRow[]): string {
  const sorted = [...rows].sort((a, b) => {
    const sa = String(a['start']);
    const sb = String(b['start']);
    return sa < sb ? -1 : sa > sb ? 1 : String(a['session_id']).localeCompare(String(b['session_id']));
  });
  const lines = [SESSION_COLUMNS.join(','), ...sorted.map((r) => SESSION_COLUMNS.map((c) => csvField(r[c])).join(','))];
  return `${lines.join('\n')}\n`;
}

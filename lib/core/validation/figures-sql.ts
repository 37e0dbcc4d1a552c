/**
 * Production figures (TrafficFigures) computed in SQL over the sessionized tables, shared by DuckDB
 * and Athena, following the contract of figures.ts: pages only, think times from the end of the
 * previous page to the start of the next, peak over the model's arrival bucket.
 *
 * Distributions come back as 501 quantile points rather than raw samples: a Kolmogorov-Smirnov
 * distance between empirical quantile functions is within 0.002 of the one between the full samples,
 * and the result stays the same small size for a thousand sessions or a hundred million.
 */
import { DEFAULTS } from '../config';
import type { Dialect } from '../sql/dialect';
import { dialectFor, sqlString } from '../sql/dialect';
import type { SqlEngine } from '../types';
import { HOURS_PER_WEEK, type SliceFigures, type TrafficFigures } from './figures';

export interface FigureTables {
  events: string;
  sessions: string;
  personas: string;
}

/** 0, 0.002, ..., 1: the quantile points a distribution is summarised by. */
const POINTS = Array.from({ length: 501 }, (_, i) => i / 500);
/** Slice name of the whole traffic in the queries' `persona` column. */
const ALL = '$all';

function perSlice(inner: string, select: string, groupBy: string): string {
  return `
SELECT ${sqlString(ALL)} AS persona, ${select} FROM (${inner}) x ${groupBy ? `GROUP BY ${groupBy}` : ''}
UNION ALL
SELECT persona, ${select} FROM (${inner}) x GROUP BY persona${groupBy ? `, ${groupBy}` : ''}`;
}

export function figureQueries(d: Dialect, t: FigureTables, window: { start: number; end: number }) {
  const v = DEFAULTS.validation;
  const writes = `(${v.writeMethods.map(sqlString).join(', ')})`;
  const pages = `SELECT e.*, p.persona FROM ${t.events} e JOIN ${t.personas} p ON p.session_id = e.sid WHERE NOT e.is_asset`;
  const sessions = `SELECT s.*, p.persona FROM ${t.sessions} s JOIN ${t.personas} p ON p.session_id = s.session_id`;
  const bucket = `CAST(floor((t_start - ${window.start}) / ${v.peakBucketSeconds}) AS BIGINT)`;
  return {
    endpoints: perSlice(pages, 'endpoint, count(*) AS n', 'endpoint'),
    rates: perSlice(
      pages,
      `count(*) AS pages,
       avg(CASE WHEN status >= ${v.errorStatusMin} THEN 1.0 ELSE 0.0 END) AS error_rate,
       avg(CASE WHEN method IN ${writes} THEN 1.0 ELSE 0.0 END) AS write_ratio`,
      '',
    ),
    sessions: perSlice(sessions, `count(*) AS sessions, ${d.quantiles('CAST(pages AS DOUBLE)', POINTS)} AS q`, ''),
    think: perSlice(
      `${pages} AND e.think_s IS NOT NULL AND e.think_s <= ${DEFAULTS.model.maxThinkSeconds}`,
      `${d.quantiles('think_s', POINTS)} AS q`,
      '',
    ),
    arrivals: perSlice(
      sessions,
      `(${d.isoDayOfWeek('start')} - 1) * 24 + ${d.hourOfDay('start')} AS how, count(*) AS n`,
      `(${d.isoDayOfWeek('start')} - 1) * 24 + ${d.hourOfDay('start')}`,
    ),
    peak: `
SELECT persona, max(n) AS peak FROM (
  SELECT ${sqlString(ALL)} AS persona, ${bucket} AS b, count(*) AS n FROM (${pages}) x GROUP BY ${bucket}
  UNION ALL
  SELECT persona, ${bucket} AS b, count(*) AS n FROM (${pages}) x GROUP BY persona, ${bucket}
) y GROUP BY persona`,
  };
}

interface Row {
  persona: string;
  [k: string]: unknown;
}

export async function productionFigures(engine: SqlEngine, t: FigureTables, window: { start: number; end: number }): Promise<TrafficFigures> {
  const d = dialectFor(engine.dialect);
  const q = figureQueries(d, t, window);
  const endpoints = await engine.query<Row & { endpoint: string; n: number }>(q.endpoints);
  const rates = await engine.query<Row & { pages: number; error_rate: number; write_ratio: number }>(q.rates);
  const sessions = await engine.query<Row & { sessions: number; q: number[] }>(q.sessions);
  const think = await engine.query<Row & { q: number[] }>(q.think);
  const arrivals = await engine.query<Row & { how: number; n: number }>(q.arrivals);
  const peak = await engine.query<Row & { peak: number }>(q.peak);

  const slice = (persona: string): SliceFigures => {
    const rate = rates.find((r) => r.persona === persona);
    const how = new Array<number>(HOURS_PER_WEEK).fill(0);
    for (const a of arrivals) if (a.persona === persona) how[a.how] = (how[a.how] ?? 0) + a.n;
    return {
      endpointCounts: Object.fromEntries(endpoints.filter((e) => e.persona === persona).map((e) => [e.endpoint, e.n])),
      requestsPerSession: sessions.find((s) => s.persona === persona)?.q ?? [],
      thinkTimes: think.find((s) => s.persona === persona)?.q ?? [],
      arrivalsByHourOfWeek: how,
      errorRate: rate?.error_rate ?? 0,
      writeRatio: rate?.write_ratio ?? 0,
      peakRps: (peak.find((p) => p.persona === persona)?.peak ?? 0) / DEFAULTS.validation.peakBucketSeconds,
      sessions: sessions.find((s) => s.persona === persona)?.sessions ?? 0,
      pages: rate?.pages ?? 0,
      windowSeconds: window.end - window.start,
    };
  };
  const personas = [...new Set(sessions.map((s) => s.persona))].filter((p) => p !== ALL).sort();
  return { ...slice(ALL), perPersona: Object.fromEntries(personas.map((p) => [p, slice(p)])) };
}

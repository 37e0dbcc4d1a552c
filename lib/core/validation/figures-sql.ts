/**
 * Production figures (TrafficFigures) computed in SQL over the sessionized tables, shared by DuckDB
 * and Athena, following the contract of figures.ts: pages only, think times from the end of the
 * previous page to the start of the next, peak over the model's arrival bucket.
 *
 * Distributions come back as 201 quantile points rather than raw samples: a Kolmogorov-Smirnov
 * distance between empirical quantile functions is within 0.005 of the one between the full samples,
 * and the result stays the same small size for a thousand sessions or a hundred million. The points
 * come from one sort per slice (rank -> step); a list-quantile aggregate of 201 points is twice as slow.
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

/** A distribution is summarised by this many equal-count steps (201 points from min to max). */
const STEPS = 200;
/** Slice name of the whole traffic in the queries' `persona` column. */
const ALL = '$all';

/**
 * persona, step, v, top: each slice's values cut into STEPS equal-count steps, with the smallest (v) and
 * largest (top) value of each: the sketch is every step's smallest value, then the last step's largest
 * (the maximum). Steps follow the rank exactly (ntile() would be cheaper, but gives its extra rows to the
 * first steps, shifting the middle of a small slice by up to 50 ranks).
 */
function sketchSql(inner: string, x: string): string {
  const ranked = (slice: string) => `
  SELECT ${slice} AS persona, v,
    CAST(floor(${STEPS}.0 * (row_number() OVER (PARTITION BY ${slice} ORDER BY v) - 1) / count(*) OVER (PARTITION BY ${slice})) AS INTEGER) AS step
  FROM (SELECT persona, ${x} AS v FROM (${inner}) i) x`;
  return `
SELECT persona, step, min(v) AS v, max(v) AS top
FROM (${ranked(sqlString(ALL))} UNION ALL ${ranked('persona')}) r
GROUP BY persona, step`;
}

/**
 * `select` over `inner` for the whole traffic and for each persona, from one read of `inner`: the
 * grouping set without the persona is the whole traffic (UNION ALL would join every page with its
 * persona twice, and Athena would scan the events twice).
 */
function perSlice(inner: string, select: string, groupBy: string): string {
  const keys = (...k: string[]) => `(${k.filter((x) => x !== '').join(', ')})`;
  return `
SELECT CASE WHEN grouping(persona) = 1 THEN ${sqlString(ALL)} ELSE persona END AS persona, ${select}
FROM (${inner}) x
GROUP BY GROUPING SETS (${keys('persona', groupBy)}, ${keys(groupBy)})`;
}

export function figureQueries(d: Dialect, t: FigureTables, window: { start: number; end: number }) {
  const v = DEFAULTS.validation;
  const writes = `(${v.writeMethods.map(sqlString).join(', ')})`;
  const pages = `SELECT e.*, p.persona FROM ${t.events} e JOIN ${t.personas} p ON p.sid = e.sid WHERE NOT e.is_asset`;
  const sessions = `SELECT s.*, p.persona FROM ${t.sessions} s JOIN ${t.personas} p ON p.sid = s.sid`;
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
    sessions: perSlice(sessions, 'count(*) AS sessions', ''),
    sessionSketch: sketchSql(sessions, 'CAST(pages AS DOUBLE)'),
    thinkSketch: sketchSql(`${pages} AND e.think_s IS NOT NULL AND e.think_s <= ${DEFAULTS.model.maxThinkSeconds}`, 'think_s'),
    arrivals: perSlice(
      sessions,
      `(${d.isoDayOfWeek('start')} - 1) * 24 + ${d.hourOfDay('start')} AS how, count(*) AS n`,
      `(${d.isoDayOfWeek('start')} - 1) * 24 + ${d.hourOfDay('start')}`,
    ),
    peak: `
SELECT persona, max(n) AS peak FROM (${perSlice(pages, `${bucket} AS b, count(*) AS n`, bucket)}) y GROUP BY persona`,
  };
}

interface Row {
  persona: string;
  [k: string]: unknown;
}

type SketchRow = Row & { step: number; v: number; top: number };

/**
 * The queries are sent together: an engine runs them one after another in its own threads, so a
 * caller can do other work (the model's simulation) until it awaits the figures.
 */
export async function productionFigures(engine: SqlEngine, t: FigureTables, window: { start: number; end: number }): Promise<TrafficFigures> {
  const d = dialectFor(engine.dialect);
  const q = figureQueries(d, t, window);
  const [endpoints, rates, sessions, sessionSketch, thinkSketch, arrivals, peak] = await Promise.all([
    engine.query<Row & { endpoint: string; n: number }>(q.endpoints),
    engine.query<Row & { pages: number; error_rate: number; write_ratio: number }>(q.rates),
    engine.query<Row & { sessions: number }>(q.sessions),
    engine.query<SketchRow>(q.sessionSketch),
    engine.query<SketchRow>(q.thinkSketch),
    engine.query<Row & { how: number; n: number }>(q.arrivals),
    engine.query<Row & { peak: number }>(q.peak),
  ]);
  const points = (rows: SketchRow[], persona: string): number[] => {
    const steps = rows.filter((r) => r.persona === persona).sort((a, b) => a.step - b.step);
    return steps.length === 0 ? [] : [...steps.map((r) => r.v), steps[steps.length - 1]!.top];
  };

  const slice = (persona: string): SliceFigures => {
    const rate = rates.find((r) => r.persona === persona);
    const how = new Array<number>(HOURS_PER_WEEK).fill(0);
    for (const a of arrivals) if (a.persona === persona) how[a.how] = (how[a.how] ?? 0) + a.n;
    return {
      endpointCounts: Object.fromEntries(endpoints.filter((e) => e.persona === persona).map((e) => [e.endpoint, e.n])),
      requestsPerSession: points(sessionSketch, persona),
      thinkTimes: points(thinkSketch, persona),
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

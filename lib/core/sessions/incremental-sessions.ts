/**
 * Incremental sessionizing, for a refresh (ingest/refresh-cache.ts): the previous run's sessionized
 * requests come back from the cache, and only the sessions a change can reach are sessionized again.
 *
 * A new request can only join, or bridge, sessions of its own actor that come within one inactivity
 * gap of it; a removed file can only shorten or split the sessions it held rows of. Those sessions are
 * `touched`: their cached rows and the new requests go through sessionize.ts again. Every other
 * session keeps its rows as they were (session id, page numbers, think times), only their endpoint
 * templates are recomputed, because new paths can turn a literal segment into a parameter.
 *
 * This gives exactly what sessionizing everything would: sessions only merge when their requests come
 * within a gap of each other, and a session more than a gap away from every change keeps its
 * boundaries, its order and so every value derived from it.
 */
import type { Dialect } from '../sql/dialect';
import { actorSql, EVENT_COLUMNS, templateSql } from './sessionize';

export interface IncrementalTables {
  /** Cached sessionized rows of the files still read (EVENT_COLUMNS plus the carried columns). */
  cached: string;
  /** Sessions that held rows of files no longer read: (sid). */
  dropped: string;
  /** New requests (REQUEST_COLUMNS). */
  fresh: string;
}

/** (sid) of the cached sessions to sessionize again. `gapChanged`: the cache used another gap. */
export function touchedSessionsSql(d: Dialect, t: IncrementalTables, gapSeconds: number, gapChanged: boolean): string {
  if (gapChanged) return `SELECT DISTINCT sid FROM ${t.cached}`;
  const gap = Number.isFinite(gapSeconds) ? gapSeconds : Number.MAX_SAFE_INTEGER;
  return `
WITH reach AS (
  SELECT ${actorSql(d)} AS actor, min(t_start) - ${gap} AS lo, max(t_end) + ${gap} AS hi
  FROM ${t.fresh} GROUP BY ${actorSql(d)}
),
spans AS (SELECT sid, min(actor) AS actor, min(t_start) AS s, max(t_end) AS e FROM ${t.cached} GROUP BY sid)
SELECT sp.sid FROM spans sp JOIN reach r ON r.actor = sp.actor AND sp.e >= r.lo AND sp.s <= r.hi
UNION
SELECT sid FROM ${t.dropped}`;
}

/** Requests to sessionize again: the touched sessions' cached rows and the new requests. */
export function resessionizeRequestsSql(t: IncrementalTables & { touched: string }, requestColumns: readonly string[]): string {
  const columns = requestColumns.join(', ');
  return `
SELECT ${columns} FROM ${t.cached} WHERE sid IN (SELECT sid FROM ${t.touched})
UNION ALL
SELECT ${columns} FROM ${t.fresh}`;
}

/** Events of the untouched sessions, as cached, with their templates recomputed. */
export function reusedEventsSql(t: IncrementalTables & { touched: string; pathTemplates: string; queryTemplates: string }, carry: readonly string[]): string {
  const template = templateSql('c');
  const select = EVENT_COLUMNS.map((col) =>
    col === 'template' ? `${template} AS template` : col === 'endpoint' ? `c.method || ' ' || ${template} AS endpoint` : `c.${col}`,
  );
  return `
SELECT ${[...select, ...carry.map((col) => `c.${col}`)].join(', ')}
FROM ${t.cached} c
LEFT JOIN ${t.pathTemplates} pt ON pt.path = c.path
LEFT JOIN ${t.queryTemplates} qt ON qt.query = c.query
WHERE c.sid NOT IN (SELECT sid FROM ${t.touched})`;
}

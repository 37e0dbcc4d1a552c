/**
 * Incremental refresh (`--cache <dir>`): what a run learnt from each input file, kept for the next
 * run over the same files plus a new drop. Under the cache folder:
 *
 * - `index.json`: one entry per input file, keyed by its path, size and modification time: its format,
 *   its line counts by outcome, a few rejected-line samples (masked), truncation; and the segments.
 * - segments (Parquet) of sessionized requests, every row tagged with its file's id: the events (session,
 *   template, page number, think time) plus the request columns the events do not carry (host,
 *   session key). A refresh appends one segment with the sessions it sessionized again (and the new
 *   lines), plus the list of session ids that segment replaces; a cached row is live unless a later
 *   segment replaces its session. Segments are compacted into one when they grow many or large.
 *
 * A run then parses only the files the index does not know, and re-sessionizes only the sessions a
 * new line can touch (sessions/incremental-sessions.ts): everything else is read back as it was.
 * Segments are written under new names and only then listed in the index (written to a temporary name,
 * then renamed), so a crash mid-write leaves the previous cache intact.
 */
import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { DEFAULTS } from '../config';
import { sqlString } from '../sql/dialect';
import type { LogFormat, RejectedSample, SqlEngine } from '../types';
import type { DiscoveredFile } from './discover-inputs';
import { fileIdSql, readerPath } from './parse-sql';

/**
 * Bumped whenever the index or segment columns change, or what a file's lines read as (7: Latin-1
 * files are read, not rejected; 8: `no_request`, ingress-nginx's request times, nginx `main`'s
 * forwarded client, stamps with fractions of a second, Caddy's and pino-http's nested keys, header-less
 * CSV columns by their values; 9: nginx's request time before more fields, keyed, or after the
 * forwarded-for, Traefik's duration, Envoy's JSON keys, JSON and CSV client addresses without their
 * port): an older cache is then ignored, never misread.
 */
const LAYOUT = 9;
const INDEX = 'index.json';

export interface CachedFile {
  /** The path as it was read (the segments' `file_id` column holds its fileIdSql). */
  path: string;
  format: LogFormat;
  parsed: number;
  rejectedByReason: Record<string, number>;
  samples: RejectedSample[];
  truncated: boolean;
}

interface Segment {
  /** Rows (Parquet), relative to the cache folder. */
  rows: string;
  rowCount: number;
  /** (sid) of the sessions whose rows in earlier segments this one replaces; absent for a full one. */
  replaces?: string;
}

interface CacheIndex {
  layout: number;
  /** How lines were read (`readingKey`): rows read another way are not reused. */
  reading: string;
  /** Inactivity gap the rows were sessionized with; null for none (authoritative session ids). */
  gapSeconds: number | null;
  segments: Segment[];
  files: Record<string, CachedFile>;
}

export interface CacheHit {
  file: DiscoveredFile;
  cached: CachedFile;
}

/** What a run reads back from the cache. */
export interface CacheLookup {
  hits: CacheHit[];
  misses: DiscoveredFile[];
  /** The live cached rows (a SELECT), absent on a cold cache. */
  rows?: { sql: string; gapSeconds: number };
  /** Paths the cache holds rows of that this run does not read (removed or changed files). */
  dropped: string[];
}

/** Where a run's sessionized rows are, for `save`. */
export interface SessionizedRows {
  /** Every event of the run. */
  all: string;
  /** A refresh: the events it sessionized anew, and (sid) of the cached sessions they replace. */
  delta?: { rows: string; replaces: string };
}

export class RefreshCache {
  private index: CacheIndex | undefined;

  /** `reading`: how this run reads lines (format, column map, layout); a cache written otherwise is cold. */
  constructor(readonly dir: string, private readonly reading: string) {}

  key(file: DiscoveredFile): string {
    return createHash('sha1').update(`${path.resolve(file.path)}\0${file.bytes}\0${Math.floor(file.mtimeMs)}`).digest('hex').slice(0, 20);
  }

  async lookup(files: readonly DiscoveredFile[]): Promise<CacheLookup> {
    this.index = await this.readIndex();
    const index = this.index;
    if (!index || index.segments.some((s) => ![s.rows, ...(s.replaces ? [s.replaces] : [])].every((f) => existsSync(path.join(this.dir, f))))) {
      this.index = undefined;
      return { hits: [], misses: [...files], dropped: [] };
    }
    const hits: CacheHit[] = [];
    const misses: DiscoveredFile[] = [];
    for (const file of files) {
      const cached = index.files[this.key(file)];
      if (cached) hits.push({ file, cached });
      else misses.push(file);
    }
    const kept = new Set(hits.map((h) => h.cached.path));
    const dropped = Object.values(index.files).map((f) => f.path).filter((p) => !kept.has(p));
    return { hits, misses, rows: { sql: this.liveRowsSql(index), gapSeconds: index.gapSeconds ?? Infinity }, dropped };
  }

  /**
   * Stores this run for the next one: a refresh appends its delta as a segment, anything else (a cold
   * cache, many or large segments) writes all rows as one. `columns` are written from the tables.
   */
  async save(engine: SqlEngine, events: SessionizedRows, columns: readonly string[], gapSeconds: number, files: readonly CacheHit[]): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    const previous = this.index;
    const cachedRows = previous?.segments.reduce((a, s) => a + s.rowCount, 0) ?? 0;
    const deltaRows = events.delta ? await count(engine, events.delta.rows) : 0;
    const append =
      previous !== undefined && events.delta !== undefined &&
      previous.segments.length < DEFAULTS.ingest.refreshMaxSegments &&
      deltaRows <= DEFAULTS.ingest.refreshCompactShare * cachedRows;
    const name = `segment-${Date.now().toString(36)}-${process.pid}`;
    const write = async (select: string, file: string) => {
      const target = path.join(this.dir, file);
      await engine.exec(`COPY (${select}) TO ${sqlString(`${target}.tmp`)} (FORMAT PARQUET)`);
      await fs.rename(`${target}.tmp`, target);
    };
    let segments: Segment[];
    if (append && events.delta) {
      await write(`SELECT ${columns.join(', ')} FROM ${events.delta.rows}`, `${name}.parquet`);
      await write(`SELECT DISTINCT sid FROM ${events.delta.replaces}`, `${name}-replaces.parquet`);
      segments = [...previous!.segments, { rows: `${name}.parquet`, rowCount: deltaRows, replaces: `${name}-replaces.parquet` }];
    } else {
      await write(`SELECT ${columns.join(', ')} FROM ${events.all}`, `${name}.parquet`);
      segments = [{ rows: `${name}.parquet`, rowCount: await count(engine, events.all) }];
    }
    const index: CacheIndex = {
      layout: LAYOUT,
      reading: this.reading,
      gapSeconds: Number.isFinite(gapSeconds) ? gapSeconds : null,
      segments,
      files: Object.fromEntries(files.map((f) => [this.key(f.file), f.cached])),
    };
    const indexFile = path.join(this.dir, INDEX);
    await fs.writeFile(`${indexFile}.tmp`, JSON.stringify(index));
    await fs.rename(`${indexFile}.tmp`, indexFile);
    this.index = index;
    const live = new Set(segments.flatMap((s) => [s.rows, ...(s.replaces ? [s.replaces] : [])]));
    const stale = (previous?.segments ?? []).flatMap((s) => [s.rows, ...(s.replaces ? [s.replaces] : [])]).filter((f) => !live.has(f));
    await Promise.all(stale.map((f) => fs.rm(path.join(this.dir, f), { force: true })));
  }

  /** Rows of each segment whose session no later segment replaces. */
  private liveRowsSql(index: CacheIndex): string {
    const file = (f: string) => readerPath(path.join(this.dir, f));
    return index.segments
      .map((s, i) => {
        const later = index.segments.slice(i + 1).flatMap((l) => (l.replaces ? [file(l.replaces)] : []));
        const replaced = later.length > 0 ? ` WHERE sid NOT IN (SELECT sid FROM read_parquet([${later.join(', ')}]))` : '';
        return `SELECT * FROM read_parquet(${file(s.rows)})${replaced}`;
      })
      .join('\nUNION ALL\n');
  }

  private async readIndex(): Promise<CacheIndex | undefined> {
    const text = await fs.readFile(path.join(this.dir, INDEX), 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    try {
      const index = JSON.parse(text) as CacheIndex;
      return index.layout === LAYOUT && index.reading === this.reading && Array.isArray(index.segments) ? index : undefined;
    } catch {
      // A damaged index is a cold cache, not an error: the run parses everything and rewrites it.
      return undefined;
    }
  }
}

async function count(engine: SqlEngine, table: string): Promise<number> {
  const [row] = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`);
  return row?.n ?? 0;
}

/** The rows of `live` (a SELECT) that come from the given files (by the path they were read under). */
export function rowsOfFilesSql(live: string, paths: readonly string[]): string {
  const ids = paths.length > 0 ? `SELECT ${fileIdSql('p')} FROM (VALUES ${paths.map((p) => `(${sqlString(p)})`).join(', ')}) v(p)` : 'SELECT NULL';
  return `SELECT * FROM (${live}) live WHERE file_id IN (${ids})`;
}

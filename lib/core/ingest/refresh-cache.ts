/**
 * Incremental refresh (`--cache <dir>`): what a run learnt from each input file, kept for the next
 * run over the same files plus a new drop. Two parts, both under the cache folder:
 *
 * - `index.json`: one entry per input file, keyed by its path, size and modification time: its format,
 *   its line counts by outcome, a few rejected-line samples (masked), truncation and decoding errors.
 * - a snapshot (Parquet) of the last run's sessionized requests, every row tagged with its file:
 *   the events (session, template, page number, think time) plus the request columns the events do
 *   not carry (host, session key).
 *
 * A run then parses only the files the index does not know, and re-sessionizes only the sessions a
 * new line can touch (sessions/incremental-sessions.ts): everything else is read back as it was. The
 * snapshot is replaced by every cached run (written under a new name, then the index points at it), so
 * a crash mid-write leaves the previous cache intact.
 */
import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { sqlString } from '../sql/dialect';
import type { LogFormat, RejectedSample, SqlEngine } from '../types';
import type { DiscoveredFile } from './discover-inputs';

/** Bumped whenever the index or snapshot columns change: an older cache is then ignored, never misread. */
const LAYOUT = 3;
const INDEX = 'index.json';

export interface CachedFile {
  /** The path as it was read (the snapshot's `file` column holds it). */
  path: string;
  format: LogFormat;
  parsed: number;
  rejectedByReason: Record<string, number>;
  samples: RejectedSample[];
  truncated: boolean;
}

interface CacheIndex {
  layout: number;
  /** Snapshot file name, relative to the cache folder. */
  snapshot: string;
  /** Inactivity gap the snapshot was sessionized with; null for none (authoritative session ids). */
  gapSeconds: number | null;
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
  /** Snapshot of the last cached run, absent on the first one. */
  snapshot?: { file: string; gapSeconds: number };
  /** Paths the snapshot holds rows of that this run does not read (removed or changed files). */
  dropped: string[];
}

export class RefreshCache {
  constructor(readonly dir: string) {}

  key(file: DiscoveredFile): string {
    return createHash('sha1').update(`${path.resolve(file.path)}\0${file.bytes}\0${Math.floor(file.mtimeMs)}`).digest('hex').slice(0, 20);
  }

  async lookup(files: readonly DiscoveredFile[]): Promise<CacheLookup> {
    const index = await this.readIndex();
    const snapshotFile = index ? path.join(this.dir, index.snapshot) : undefined;
    if (!index || !snapshotFile || !existsSync(snapshotFile)) return { hits: [], misses: [...files], dropped: [] };
    const hits: CacheHit[] = [];
    const misses: DiscoveredFile[] = [];
    for (const file of files) {
      const cached = index.files[this.key(file)];
      if (cached) hits.push({ file, cached });
      else misses.push(file);
    }
    const kept = new Set(hits.map((h) => h.cached.path));
    const dropped = Object.values(index.files).map((f) => f.path).filter((p) => !kept.has(p));
    return { hits, misses, snapshot: { file: snapshotFile, gapSeconds: index.gapSeconds ?? Infinity }, dropped };
  }

  /**
   * Replaces the cache with this run's: `events` must carry the snapshot columns (see
   * SNAPSHOT_EXTRA_COLUMNS) and a `file` column naming each row's input file.
   */
  async save(engine: SqlEngine, events: string, columns: readonly string[], gapSeconds: number, files: readonly { file: DiscoveredFile; cached: CachedFile }[]): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    const previous = await this.readIndex();
    const snapshot = `snapshot-${Date.now().toString(36)}-${process.pid}.parquet`;
    const target = path.join(this.dir, snapshot);
    await engine.exec(`COPY (SELECT ${columns.join(', ')} FROM ${events}) TO ${sqlString(`${target}.tmp`)} (FORMAT PARQUET)`);
    await fs.rename(`${target}.tmp`, target);
    const index: CacheIndex = { layout: LAYOUT, snapshot, gapSeconds: Number.isFinite(gapSeconds) ? gapSeconds : null, files: Object.fromEntries(files.map((f) => [this.key(f.file), f.cached])) };
    const indexFile = path.join(this.dir, INDEX);
    await fs.writeFile(`${indexFile}.tmp`, JSON.stringify(index));
    await fs.rename(`${indexFile}.tmp`, indexFile);
    if (previous && previous.snapshot !== snapshot) await fs.rm(path.join(this.dir, previous.snapshot), { force: true });
  }

  private async readIndex(): Promise<CacheIndex | undefined> {
    const text = await fs.readFile(path.join(this.dir, INDEX), 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    try {
      const index = JSON.parse(text) as CacheIndex;
      return index.layout === LAYOUT ? index : undefined;
    } catch {
      // A damaged index is a cold cache, not an error: the run parses everything and rewrites it.
      return undefined;
    }
  }
}

/** SELECT of the snapshot rows of the given files (by the path they were read under). */
export function snapshotRowsSql(snapshotFile: string, paths: readonly string[]): string {
  const list = paths.length > 0 ? paths.map(sqlString).join(', ') : 'NULL';
  return `SELECT * FROM read_parquet(${sqlString(snapshotFile)}) WHERE file IN (${list})`;
}

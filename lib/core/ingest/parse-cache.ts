/**
 * Incremental refresh: the parsed rows of every input file are cached as Parquet, one partition per
 * file, keyed by the file's path, size and modification time. A new drop then parses only the files
 * it has not seen; the rest is read back from Parquet. Sessions are rebuilt from all rows every
 * time, so a session that straddles a file boundary still comes out whole.
 *
 * Layout: <cacheDir>/parsed-v2/file_key=<key>/*.parquet plus <cacheDir>/meta-v2/<key>.json (the file's
 * format and the counts that live outside the rows: lines DuckDB could not decode, truncation).
 */
import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { sqlString } from '../sql/dialect';
import type { LogFormat, SqlEngine } from '../types';
import type { DiscoveredFile } from './discover-inputs';

/** Bumped whenever the cached columns change: an older cache is then ignored, never misread. */
const LAYOUT = 'v2';
const MAX_OPEN_PARTITIONS = 32;
const PARTITION_FLUSH_ROWS = 10_000;

export interface CachedFileMeta {
  path: string;
  format: LogFormat;
  invalidEncoding: number;
  truncated: boolean;
}

export class ParseCache {
  private readonly rowsDir = `parsed-${LAYOUT}`;
  private readonly metaDir = `meta-${LAYOUT}`;

  constructor(readonly dir: string) {}

  key(file: DiscoveredFile): string {
    return createHash('sha1').update(`${path.resolve(file.path)}\0${file.bytes}\0${Math.floor(file.mtimeMs)}`).digest('hex').slice(0, 20);
  }

  private partition(key: string): string {
    return path.join(this.dir, this.rowsDir, `file_key=${key}`);
  }

  private metaFile(key: string): string {
    return path.join(this.dir, this.metaDir, `${key}.json`);
  }

  /** Files whose parsed rows are cached (with their meta), and the rest. */
  async split(files: readonly DiscoveredFile[]): Promise<{ hits: { file: DiscoveredFile; meta: CachedFileMeta }[]; misses: DiscoveredFile[] }> {
    const hits: { file: DiscoveredFile; meta: CachedFileMeta }[] = [];
    const misses: DiscoveredFile[] = [];
    for (const file of files) {
      const key = this.key(file);
      const meta = existsSync(this.partition(key))
        ? await fs.readFile(this.metaFile(key), 'utf8').then((t) => JSON.parse(t) as CachedFileMeta).catch(() => undefined)
        : undefined;
      if (meta) hits.push({ file, meta });
      else misses.push(file);
    }
    return { hits, misses };
  }

  /** SELECT over the cached rows of `files` (without the partition column). */
  readSql(files: readonly DiscoveredFile[], columns: readonly string[]): string {
    const globs = files.map((f) => sqlString(path.join(this.partition(this.key(f)), '*.parquet')));
    return `SELECT ${columns.join(', ')} FROM read_parquet([${globs.join(', ')}], hive_partitioning = false)`;
  }

  /**
   * Writes the rows of `table` (which has a `file` column) into one partition per file, then the
   * meta files. A partition is complete before its meta exists, and only a meta makes a hit.
   */
  async store(engine: SqlEngine, table: string, columns: readonly string[], metas: readonly CachedFileMeta[], files: readonly DiscoveredFile[]): Promise<void> {
    if (files.length === 0) return;
    const keys = files.map((f) => `(${sqlString(f.path)}, ${sqlString(this.key(f))})`).join(', ');
    await fs.mkdir(path.join(this.dir, this.metaDir), { recursive: true });
    // ALB writes thousands of small files: a partition writer per file would hold a buffer each, so
    // few are kept open at a time and each is flushed early.
    await engine.exec(`SET partitioned_write_max_open_files = ${MAX_OPEN_PARTITIONS}`);
    await engine.exec(`SET partitioned_write_flush_threshold = ${PARTITION_FLUSH_ROWS}`);
    await engine.exec(`COPY (
      SELECT ${columns.map((c) => `t.${c}`).join(', ')}, k.file_key
      FROM ${table} t JOIN (VALUES ${keys}) k(path, file_key) ON k.path = t.file
    ) TO ${sqlString(path.join(this.dir, this.rowsDir))} (FORMAT PARQUET, PARTITION_BY (file_key), OVERWRITE_OR_IGNORE)`);
    for (const [i, file] of files.entries()) {
      const target = this.metaFile(this.key(file));
      await fs.writeFile(`${target}.tmp`, JSON.stringify(metas[i]));
      await fs.rename(`${target}.tmp`, target);
    }
  }
}

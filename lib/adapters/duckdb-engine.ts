/**
 * The local SQL engine: DuckDB in process (@duckdb/node-api). Opens a database file in the run's
 * work directory so that large inputs spill to disk under the configured memory limit instead of
 * growing the process, and narrows DuckDB's JS values (bigint, Date) to the plain values the
 * domain code expects.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { SqlEngine, SqlRow, SqlValue } from '../core/types';

export interface DuckDbOptions {
  /** Database file; ':memory:' keeps everything in RAM (tests, small inputs). */
  path: string;
  memoryLimit: string;
  /** Where DuckDB spills when the memory limit is reached. */
  tempDirectory?: string;
  /** Return freed memory to the system past this much (keeps RSS near the memory limit). */
  allocatorFlushThreshold?: string;
  threads?: number;
}

export class DuckDbEngine implements SqlEngine {
  readonly dialect = 'duckdb' as const;

  private constructor(
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  static async open(options: DuckDbOptions): Promise<DuckDbEngine> {
    const config: Record<string, string> = {
      memory_limit: options.memoryLimit,
      // Results never depend on row order (every query orders what it needs); letting DuckDB
      // drop insertion order makes parallel scans cheaper.
      preserve_insertion_order: 'false',
    };
    if (options.tempDirectory) config['temp_directory'] = options.tempDirectory;
    if (options.allocatorFlushThreshold) {
      // Freed memory goes back to the system past this much, and a background thread does the work.
      config['allocator_flush_threshold'] = options.allocatorFlushThreshold;
      config['allocator_bulk_deallocation_flush_threshold'] = options.allocatorFlushThreshold;
      config['allocator_background_threads'] = 'true';
    }
    if (options.threads) config['threads'] = String(options.threads);
    const instance = await DuckDBInstance.create(options.path, config);
    const connection = await instance.connect();
    // A stamp without a zone (IIS's, many JSON loggers') is UTC, whatever the machine's zone: else the
    // same logs gave other hours, and another model, on a machine in New York. (Set once connected: the
    // time-zone extension is not loaded yet when the instance reads its configuration.)
    await connection.run(`SET TimeZone = 'UTC'`);
    return new DuckDbEngine(instance, connection);
  }

  async exec(sql: string): Promise<void> {
    await this.connection.run(sql);
  }

  async query<T = SqlRow>(sql: string): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql);
    return reader.getRowObjectsJS().map((row) => {
      const out: Record<string, SqlValue> = {};
      for (const [k, v] of Object.entries(row)) out[k] = toSqlValue(v);
      return out as T;
    });
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

function toSqlValue(v: unknown): SqlValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'bigint' ? Number(x) : Number(x)));
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x));
}

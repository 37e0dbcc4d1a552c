/**
 * Session sampling by a hash of the session key: a session is in or out as a whole, and the same
 * key lands in the same bucket in DuckDB and in Athena, so a local run and an AWS run over the same
 * logs sample the same sessions.
 *
 * The hash is MD5's first 15 hex digits (60 bits, so it fits a signed BIGINT in both engines):
 * - Athena/Trino: `from_base(substr(to_hex(md5(to_utf8(k))), 1, 15), 16)`
 * - DuckDB:       `('0x' || substr(md5(k), 1, 15))::BIGINT`
 * Trino's `xxhash64` is cheaper but DuckDB has no xxhash64, and `hash()` in DuckDB is engine-internal,
 * so the two engines would sample different sessions; MD5 is in both and costs little next to parsing.
 */
import { createHash } from 'node:crypto';
import type { SqlDialectName } from '../types';
import { OptionError } from '../errors';

export interface SessionSample {
  /** Share of sessions kept, a multiple of 1 / buckets in (0, 1]. */
  readonly fraction: number;
  readonly buckets: number;
  /** Sessions whose bucket is below this are kept. */
  readonly threshold: number;
}

/** Rounds a wanted fraction down to the bucket resolution (never below one bucket). */
export function sessionSample(wanted: number, buckets: number): SessionSample {
  if (!Number.isInteger(buckets) || buckets < 2) throw new OptionError(`sampling buckets must be an integer >= 2, got ${buckets}`);
  if (!(wanted > 0)) throw new OptionError(`sampling fraction must be > 0, got ${wanted}`);
  const threshold = Math.min(buckets, Math.max(1, Math.floor(wanted * buckets)));
  return { fraction: threshold / buckets, buckets, threshold };
}

/** The bucket (0 .. buckets-1) of a session key expression, as SQL text for one dialect. */
export function sessionBucketSql(keyExpr: string, buckets: number, dialect: SqlDialectName): string {
  const hash =
    dialect === 'athena'
      ? `from_base(substr(to_hex(md5(to_utf8(${keyExpr}))), 1, 15), 16)`
      : `('0x' || substr(md5(${keyExpr}), 1, 15))::BIGINT`;
  return `(${hash} % ${buckets})`;
}

/**
 * A WHERE-clause predicate keeping a sample's sessions; `TRUE` when the sample keeps everything, so
 * templates can always splice it in. `keyExpr` is SQL the caller controls (a column name), never log text.
 */
export function sessionSamplePredicate(keyExpr: string, sample: SessionSample, dialect: SqlDialectName): string {
  if (sample.threshold >= sample.buckets) return 'TRUE';
  return `${sessionBucketSql(keyExpr, sample.buckets, dialect)} < ${sample.threshold}`;
}

/** The same bucket computed in TypeScript (tests, and callers that sample outside SQL). */
export function sessionBucket(key: string, buckets: number): number {
  const hex = createHash('md5').update(key, 'utf8').digest('hex').slice(0, 15);
  return Number(BigInt(`0x${hex}`) % BigInt(buckets));
}

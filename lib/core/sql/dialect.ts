/**
 * The one table of differences between the two SQL engines Loadprint runs on: DuckDB (local, in
 * process) and Athena (Trino, in AWS). Every shared query is written against this interface, so a
 * difference between engines is fixed here once and nowhere else. Everything not listed here is
 * written in the common subset both engines accept (CASE, COALESCE, window functions, split_part,
 * ln, sqrt, stddev_pop, regexp_extract with a group index, ...).
 */
import type { SqlDialectName } from '../types';

export interface Dialect {
  readonly name: SqlDialectName;
  /** TRUE when `s` matches regex `pattern` anywhere. */
  regexpLike(s: string, pattern: string): string;
  /** Continuous quantile `q` (0..1) of `x` as an aggregate. */
  quantile(x: string, q: number): string;
  /** Aggregate: an array of the continuous quantiles `qs` of `x`. */
  quantiles(x: string, qs: readonly number[]): string;
  /** Hour of day (0-23, UTC) of epoch seconds `t`. */
  hourOfDay(t: string): string;
  /** ISO day of week (1 = Monday .. 7 = Sunday, UTC) of epoch seconds `t`. */
  isoDayOfWeek(t: string): string;
  /** ISO-8601 UTC text of epoch seconds `t`. */
  isoTime(t: string): string;
  /** A non-negative BIGINT hash of a string: cheap keys for per-request rows (sessions). */
  hash64(s: string): string;
  /** 16 lower-case hex digits of a BIGINT (how session keys are shown). */
  hex64(x: string): string;
  /** Number of elements of an array value. */
  arrayLength(a: string): string;
  /** Splits `s` on literal `delimiter` into an array. */
  split(s: string, delimiter: string): string;
  /** URL-decodes `s` (`%20` -> space). */
  urlDecode(s: string): string;
  /** Aggregate: values of `x` joined by `sep` in `orderBy` order. */
  orderedJoin(x: string, sep: string, orderBy: string): string;
  /** Window: `x` of the nearest earlier row (in `over`'s order) where `x` is not NULL. */
  lagIgnoringNulls(x: string, over: string): string;
  /** Window: values of `x` in rows before the current one (by `orderBy` within `partitionBy`), joined. */
  precedingJoin(x: string, sep: string, partitionBy: string, orderBy: string): string;
  /** Materialises `select` as table `name` (Athena writes Parquet to the workgroup location). */
  createTableAs(name: string, select: string): string;
  /** The whole numbers from `from` to `to`, both included, as an array (for CROSS JOIN UNNEST). */
  series(from: string, to: string): string;
}

/** Escapes a value as a SQL string literal (both engines use doubled single quotes). */
export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export const DUCKDB: Dialect = {
  name: 'duckdb',
  regexpLike: (s, p) => `regexp_matches(${s}, ${sqlString(p)})`,
  quantile: (x, q) => `quantile_cont(${x}, ${q})`,
  quantiles: (x, qs) => `quantile_cont(${x}, [${qs.join(', ')}])`,
  // make_timestamp(micros) is a plain UTC TIMESTAMP: no time-zone extension (ICU) needed.
  hourOfDay: (t) => `hour(make_timestamp(CAST(${t} * 1000000 AS BIGINT)))`,
  isoDayOfWeek: (t) => `isodow(make_timestamp(CAST(${t} * 1000000 AS BIGINT)))`,
  isoTime: (t) => `strftime(make_timestamp(CAST(${t} * 1000000 AS BIGINT)), '%Y-%m-%dT%H:%M:%S.%gZ')`,
  hash64: (s) => `CAST(hash(${s}) >> 1 AS BIGINT)`,
  hex64: (x) => `printf('%016x', ${x})`,
  arrayLength: (a) => `len(${a})`,
  split: (s, d) => `string_split(${s}, ${sqlString(d)})`,
  urlDecode: (s) => `url_decode(${s})`,
  orderedJoin: (x, sep, o) => `string_agg(${x}, ${sqlString(sep)} ORDER BY ${o})`,
  lagIgnoringNulls: (x, over) => `lag(${x} IGNORE NULLS) OVER (${over})`,
  precedingJoin: (x, sep, p, o) =>
    `COALESCE(string_agg(${x}, ${sqlString(sep)}) OVER (PARTITION BY ${p} ORDER BY ${o} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), '')`,
  createTableAs: (name, select) => `CREATE OR REPLACE TABLE ${name} AS ${select}`,
  series: (from, to) => `generate_series(${from}, ${to})`,
};

/** The most entries Trino's sequence() returns. */
const TRINO_SEQUENCE_MAX = 10_000;

export const ATHENA: Dialect = {
  name: 'athena',
  regexpLike: (s, p) => `regexp_like(${s}, ${sqlString(p)})`,
  quantile: (x, q) => `approx_percentile(${x}, ${q})`,
  quantiles: (x, qs) => `approx_percentile(${x}, ARRAY[${qs.join(', ')}])`,
  hourOfDay: (t) => `hour(from_unixtime(${t}))`,
  isoDayOfWeek: (t) => `day_of_week(from_unixtime(${t}))`,
  isoTime: (t) => `to_iso8601(from_unixtime(${t}))`,
  hash64: (s) => `abs(from_big_endian_64(xxhash64(to_utf8(${s}))))`,
  hex64: (x) => `lower(to_hex(to_big_endian_64(${x})))`,
  arrayLength: (a) => `cardinality(${a})`,
  split: (s, d) => `split(${s}, ${sqlString(d)})`,
  urlDecode: (s) => `url_decode(${s})`,
  orderedJoin: (x, sep, o) => `array_join(array_agg(${x} ORDER BY ${o}), ${sqlString(sep)})`,
  lagIgnoringNulls: (x, over) => `lag(${x}) IGNORE NULLS OVER (${over})`,
  precedingJoin: (x, sep, p, o) =>
    `COALESCE(array_join(array_agg(${x}) OVER (PARTITION BY ${p} ORDER BY ${o} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), ${sqlString(sep)}), '')`,
  createTableAs: (name, select) => `CREATE TABLE ${name} WITH (format = 'PARQUET') AS ${select}`,
  // sequence() fails past 10,000 entries (trinodb/trino#3699): longer series are sequences of chunks.
  series: (from, to) => {
    const chunkStart = `${from} + k * ${TRINO_SEQUENCE_MAX}`;
    const chunk = `sequence(${chunkStart}, least(${to}, ${chunkStart} + ${TRINO_SEQUENCE_MAX - 1}))`;
    return `flatten(transform(sequence(0, (${to} - ${from}) / ${TRINO_SEQUENCE_MAX}), k -> ${chunk}))`;
  },
};

export function dialectFor(name: SqlDialectName): Dialect {
  return name === 'duckdb' ? DUCKDB : ATHENA;
}

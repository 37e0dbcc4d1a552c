/**
 * Which projected partitions a window touches: the values the queries filter the partition column
 * on (so Athena reads only those folders) and the key prefixes the prepare step lists in S3 to size
 * the run. Partition values follow the Glue table's projection format (`yyyy/MM/dd` for ALB,
 * `yyyy/MM/dd/HH` for CloudFront).
 */
import { OptionError } from '../errors';

export type PartitionFormat = 'yyyy/MM/dd' | 'yyyy/MM/dd/HH';

/** A window longer than this many partitions is refused (a year of hourly partitions is 8,760). */
export const MAX_PARTITIONS = 20_000;

const pad = (n: number): string => String(n).padStart(2, '0');

function format(epochSeconds: number, pattern: PartitionFormat): string {
  const d = new Date(epochSeconds * 1000);
  const day = `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
  return pattern === 'yyyy/MM/dd' ? day : `${day}/${pad(d.getUTCHours())}`;
}

const SECONDS: Readonly<Record<PartitionFormat, number>> = { 'yyyy/MM/dd': 86_400, 'yyyy/MM/dd/HH': 3_600 };

/** Partition values covering [start, end) (epoch seconds), oldest first. */
export function partitionValues(window: { start: number; end: number }, pattern: PartitionFormat): string[] {
  if (!(window.end > window.start)) throw new OptionError('the window must end after it starts');
  const step = SECONDS[pattern];
  const first = Math.floor(window.start / step) * step;
  const count = Math.ceil((window.end - first) / step);
  if (count > MAX_PARTITIONS) {
    throw new OptionError(`the window spans ${count} partitions (more than ${MAX_PARTITIONS}); profile a shorter window`);
  }
  return Array.from({ length: count }, (_, i) => format(first + i * step, pattern));
}

/** S3 key prefixes of those partitions under the table's root prefix, e.g. `alb/AWSLogs/.../2026/11/28/`. */
export function partitionKeyPrefixes(tableKeyPrefix: string, values: readonly string[]): string[] {
  return values.map((v) => `${tableKeyPrefix}${v}/`);
}

/** SQL predicate on the partition column (values are generated here, never taken from input). */
export function partitionPredicate(column: string, values: readonly string[]): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(column)) throw new OptionError(`partition column "${column}" is not a plain identifier`);
  if (values.length === 0) throw new OptionError('no partitions to read');
  return `${column} IN (${values.map((v) => `'${v}'`).join(', ')})`;
}

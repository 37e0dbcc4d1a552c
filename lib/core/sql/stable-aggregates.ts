/**
 * Shared SQL (DuckDB and Athena): means and spreads of DOUBLE values that come out the same on every
 * run. A DOUBLE sum depends on the order the engine's threads meet the rows, so its last bits change
 * from run to run (and with them personas.json, and the personas fitted on the features). Here each
 * value is rounded to STABLE_DECIMALS places and summed as a DECIMAL, which is exact.
 */

/** Decimals each value keeps: a microsecond, a millionth of a millisecond or of a rate. */
const STABLE_DECIMALS = 6;
/**
 * Values are clamped to +-1e9 (31 years in seconds, 11 days in milliseconds) so that the DECIMAL(18, 6)
 * cast cannot overflow on a corrupt value. NaN counts as missing.
 */
const LIMIT = '1E9';

/** NaN: Trino finds it unequal to itself; DuckDB orders it above +Infinity. */
function isNaNSql(x: string): string {
  return `(${x} <> ${x} OR ${x} > CAST('Infinity' AS DOUBLE))`;
}

function stableDecimal(x: string): string {
  return `CAST(CASE WHEN ${x} IS NULL OR ${isNaNSql(x)} THEN NULL WHEN ${x} > ${LIMIT} THEN ${LIMIT} WHEN ${x} < -${LIMIT} THEN -${LIMIT} ELSE ${x} END AS DECIMAL(18, ${STABLE_DECIMALS}))`;
}

/** avg(x) as a DOUBLE, the same on every run. */
export function stableAvg(x: string): string {
  return `CAST(avg(${stableDecimal(x)}) AS DOUBLE)`;
}

/** stddev_pop(x) as a DOUBLE, the same on every run: from the exact means of x and x². */
export function stableStddevPop(x: string): string {
  const v = stableDecimal(x);
  // Squares in DECIMAL(38, 12): DuckDB keeps a DECIMAL(18) product at 18 digits, which overflows.
  const wide = `CAST(${v} AS DECIMAL(38, ${STABLE_DECIMALS}))`;
  return `sqrt(greatest(CAST(avg(${wide} * ${wide}) AS DOUBLE) - power(CAST(avg(${v}) AS DOUBLE), 2), 0))`;
}

/**
 * Adjusted Rand index (Hubert & Arabie 1985) between two labellings of the same items: 1 for identical
 * partitions (whatever the label names), ~0 for chance agreement. Tests and benchmarks use it to score
 * recovered personas against the generator's ground truth.
 */

function choose2(x: number): number {
  return (x * (x - 1)) / 2;
}

export function adjustedRandIndex(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  if (a.length !== b.length) throw new Error(`ARI: labellings differ in length (${a.length} vs ${b.length})`);
  const n = a.length;
  if (n < 2) return 1;
  const joint = new Map<string, number>();
  const rows = new Map<string | number, number>();
  const cols = new Map<string | number, number>();
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    const key = JSON.stringify([x, y]);
    joint.set(key, (joint.get(key) ?? 0) + 1);
    rows.set(x, (rows.get(x) ?? 0) + 1);
    cols.set(y, (cols.get(y) ?? 0) + 1);
  }
  let index = 0;
  for (const c of joint.values()) index += choose2(c);
  let sumA = 0;
  for (const c of rows.values()) sumA += choose2(c);
  let sumB = 0;
  for (const c of cols.values()) sumB += choose2(c);
  const expected = (sumA * sumB) / choose2(n);
  const max = (sumA + sumB) / 2;
  // Both labellings put everything in one cluster (or each item alone): identical partitions.
  if (max === expected) return 1;
  return (index - expected) / (max - expected);
}

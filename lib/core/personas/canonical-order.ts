/**
 * A row order that depends only on the rows' values. SQL engines return a sample in whatever order their
 * threads finish; fitting on rows sorted by value makes the personas a function of the sample's
 * content alone, so the same sessions always give the same centroids and names.
 */
import { cleanValue, type FeatureColumns } from './feature-space';

/** Row indices sorted lexicographically by the given columns (then by index, for identical rows). */
export function canonicalOrder(columns: FeatureColumns, names: readonly string[], n: number): number[] {
  const cols = names.map((name) => columns[name]).filter((c): c is Float64Array => c !== undefined);
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => {
    for (const col of cols) {
      const d = cleanValue(col[a]) - cleanValue(col[b]);
      if (d !== 0) return d;
    }
    return a - b;
  });
  return order;
}

/**
 * The seed's persona recipe, kept as the baseline Loadprint must beat: k-means with a fixed k = 4 on
 * five standard-scaled features (no log transform, bots not separated), and names handed out by
 * cluster number. Benchmarks and tests run it on the same data as `fitPersonas` to show the gap.
 */
import { kmeans } from 'ml-kmeans';
import { columnOf, type FeatureColumns, rowCount } from './feature-space';

export const SEED_FEATURES = ['requests', 'unique_endpoints', 'mean_response_ms', 'duration_s', 'error_rate'] as const;
/** Cluster 0 is "power_user" because it is first: the flaw this recipe illustrates. */
export const SEED_NAMES = ['power_user', 'casual_browser', 'buyer', 'api_consumer'] as const;

/** The seed's persona name per row. */
export function seedRecipe(columns: FeatureColumns, seed: number): string[] {
  const n = rowCount(columns);
  const cols = SEED_FEATURES.map((f) => columnOf(columns, f));
  const stats = cols.map((col) => {
    let mean = 0;
    for (const v of col) mean += v / n;
    let sq = 0;
    for (const v of col) sq += (v - mean) ** 2;
    const std = Math.sqrt(sq / n);
    return { mean, std: std > 0 ? std : 1 };
  });
  const points = Array.from({ length: n }, (_, i) => cols.map((col, j) => (col[i]! - stats[j]!.mean) / stats[j]!.std));
  const result = kmeans(points, SEED_NAMES.length, { seed });
  return result.clusters.map((c) => SEED_NAMES[c]!);
}

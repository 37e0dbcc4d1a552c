/**
 * Mean silhouette of a clustering, measured on a bounded sample of points. The silhouette is O(m^2)
 * in the points it looks at, so callers pass a fixed-size sample (config silhouetteSampleSize) and
 * the cost stays the same whether the logs hold a thousand sessions or ten million.
 */
import { sampleIndices } from './random';

export interface SilhouetteResult {
  /** Mean silhouette in [-1, 1]; 0 when there is a single cluster. */
  readonly silhouette: number;
  /** Points the score was computed on. */
  readonly sampleSize: number;
  /** Distance evaluations made: sampleSize * (sampleSize - 1) / 2, never more. */
  readonly pairs: number;
}

/**
 * Mean silhouette over `min(sampleSize, n)` points drawn with `seed`, using Euclidean distance and
 * only the sampled points as neighbours. Points alone in their cluster (within the sample) score 0,
 * as in Rousseeuw's definition.
 */
export function sampledSilhouette(
  points: readonly (readonly number[])[],
  labels: ArrayLike<number>,
  k: number,
  sampleSize: number,
  seed: number,
): SilhouetteResult {
  const idx = sampleIndices(points.length, sampleSize, seed);
  const m = idx.length;
  if (k < 2 || m < 2) return { silhouette: 0, sampleSize: m, pairs: 0 };
  const lab = idx.map((i) => labels[i]!);
  const counts = new Array<number>(k).fill(0);
  for (const l of lab) counts[l]! += 1;
  // The sample copied into one flat array: the O(m^2) loop then walks contiguous memory.
  const dims = points[idx[0]!]!.length;
  const flat = new Float64Array(m * dims);
  idx.forEach((i, a) => flat.set(points[i]!, a * dims));
  const labs = Int32Array.from(lab);
  // sums[i * k + c]: total distance from sampled point i to the sampled members of cluster c.
  const sums = new Float64Array(m * k);
  let pairs = 0;
  for (let a = 0; a < m; a++) {
    const oa = a * dims;
    const la = labs[a]!;
    for (let b = a + 1; b < m; b++) {
      const ob = b * dims;
      let s = 0;
      for (let j = 0; j < dims; j++) {
        const d = flat[oa + j]! - flat[ob + j]!;
        s += d * d;
      }
      const dist = Math.sqrt(s);
      const ia = a * k + labs[b]!;
      const ib = b * k + la;
      sums[ia] = sums[ia]! + dist;
      sums[ib] = sums[ib]! + dist;
    }
    pairs += m - a - 1;
  }
  let total = 0;
  for (let a = 0; a < m; a++) {
    const own = lab[a]!;
    if (counts[own]! <= 1) continue;
    const inner = sums[a * k + own]! / (counts[own]! - 1);
    let nearest = Infinity;
    for (let c = 0; c < k; c++) {
      if (c === own || counts[c]! === 0) continue;
      nearest = Math.min(nearest, sums[a * k + c]! / counts[c]!);
    }
    if (!Number.isFinite(nearest)) continue;
    const denom = Math.max(inner, nearest);
    total += denom > 0 ? (nearest - inner) / denom : 0;
  }
  return { silhouette: total / m, sampleSize: m, pairs };
}

/**
 * Mean silhouette of a clustering, measured on a bounded sample of points. The silhouette is O(m^2)
 * in the points it looks at, so callers pass a fixed-size sample (config silhouetteSampleSize) and
 * the cost stays the same whether the logs hold a thousand sessions or ten million.
 *
 * Two steps, because choosing k scores every candidate clustering of the SAME points on the SAME
 * sample (same seed): the m(m-1)/2 pairwise distances do not depend on the labels, so they are
 * computed once (`sampledDistances`, 16 MB for m = 2,000) and each k's silhouette is then label sums
 * over them (`silhouetteFromDistances`): no square roots, no per-k distance work. The sums are taken in
 * the same order as a direct computation, so the scores are bit-identical to computing each k afresh.
 */
import { pickPoints, type FlatPoints } from './flat-points';
import { sampleIndices } from './random';

export interface SilhouetteResult {
  /** Mean silhouette in [-1, 1]; 0 when there is a single cluster. */
  readonly silhouette: number;
  /** Points the score was computed on. */
  readonly sampleSize: number;
  /** Distance evaluations made: sampleSize * (sampleSize - 1) / 2, never more. */
  readonly pairs: number;
}

/** Euclidean distances between the sampled points, computed once and scored against any labelling. */
export interface SampledDistances {
  /** Indices (into the points) of the sampled points, ascending. */
  readonly indices: readonly number[];
  /**
   * The packed upper triangle, row by row: (0,1), (0,2), ..., (0,m-1), (1,2), ... (sample positions,
   * not point indices); m(m-1)/2 entries.
   */
  readonly distances: Float64Array;
}

/**
 * Pairwise Euclidean distances of `min(sampleSize, n)` points drawn with `seed` (the points a
 * silhouette of these points with this seed looks at).
 */
export function sampledDistances(points: FlatPoints, sampleSize: number, seed: number): SampledDistances {
  const indices = sampleIndices(points.n, sampleSize, seed);
  const m = indices.length;
  const distances = new Float64Array(m < 2 ? 0 : (m * (m - 1)) / 2);
  if (m < 2) return { indices, distances };
  // The sample copied together: the O(m^2) loop then walks contiguous memory.
  const { data: flat, dims } = pickPoints(points, indices);
  let at = 0;
  for (let a = 0; a < m; a++) {
    const oa = a * dims;
    let b = a + 1;
    // Four pairs at a time (each summed over features in order, as one at a time would): the loads of
    // point a are shared and the four sums run in parallel.
    for (; b + 3 < m; b += 4) {
      const o1 = b * dims;
      const o2 = o1 + dims;
      const o3 = o2 + dims;
      const o4 = o3 + dims;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let s4 = 0;
      for (let j = 0; j < dims; j++) {
        const x = flat[oa + j]!;
        const d1 = x - flat[o1 + j]!;
        const d2 = x - flat[o2 + j]!;
        const d3 = x - flat[o3 + j]!;
        const d4 = x - flat[o4 + j]!;
        s1 += d1 * d1;
        s2 += d2 * d2;
        s3 += d3 * d3;
        s4 += d4 * d4;
      }
      distances[at] = Math.sqrt(s1);
      distances[at + 1] = Math.sqrt(s2);
      distances[at + 2] = Math.sqrt(s3);
      distances[at + 3] = Math.sqrt(s4);
      at += 4;
    }
    for (; b < m; b++) {
      const ob = b * dims;
      let s = 0;
      for (let j = 0; j < dims; j++) {
        const d = flat[oa + j]! - flat[ob + j]!;
        s += d * d;
      }
      distances[at++] = Math.sqrt(s);
    }
  }
  return { indices, distances };
}

/**
 * Mean silhouette of the sampled points under `labels` (one per point of the full set, as
 * `sampledDistances` was given), using only the sampled points as neighbours. Points alone in their
 * cluster (within the sample) score 0, as in Rousseeuw's definition.
 */
export function silhouetteFromDistances(sampled: SampledDistances, labels: ArrayLike<number>, k: number): SilhouetteResult {
  const { indices, distances } = sampled;
  const m = indices.length;
  if (k < 2 || m < 2) return { silhouette: 0, sampleSize: m, pairs: 0 };
  const labs = Int32Array.from(indices, (i) => labels[i]!);
  const counts = new Array<number>(k).fill(0);
  for (const l of labs) counts[l]! += 1;
  // sums[i * k + c]: total distance from sampled point i to the sampled members of cluster c.
  const sums = new Float64Array(m * k);
  let at = 0;
  for (let a = 0; a < m; a++) {
    const la = labs[a]!;
    const rowA = a * k;
    for (let b = a + 1; b < m; b++) {
      const dist = distances[at++]!;
      const ia = rowA + labs[b]!;
      const ib = b * k + la;
      sums[ia] = sums[ia]! + dist;
      sums[ib] = sums[ib]! + dist;
    }
  }
  let total = 0;
  for (let a = 0; a < m; a++) {
    const own = labs[a]!;
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
  return { silhouette: total / m, sampleSize: m, pairs: distances.length };
}

/**
 * Mean silhouette over `min(sampleSize, n)` points drawn with `seed`, using Euclidean distance and
 * only the sampled points as neighbours: `sampledDistances` then `silhouetteFromDistances`, for a
 * caller that scores one labelling only.
 */
export function sampledSilhouette(
  points: FlatPoints,
  labels: ArrayLike<number>,
  k: number,
  sampleSize: number,
  seed: number,
): SilhouetteResult {
  if (k < 2) return { silhouette: 0, sampleSize: Math.min(sampleSize, points.n), pairs: 0 };
  return silhouetteFromDistances(sampledDistances(points, sampleSize, seed), labels, k);
}

/**
 * DBSCAN's eps from the data: the sorted k-distance curve (each point's distance to its k-th nearest
 * neighbour) is flat inside dense regions and shoots up for sparse points; eps is taken at the knee,
 * the point of the curve farthest below the chord joining its ends once both axes are scaled to
 * [0, 1] (the Kneedle construction of Satopaa et al. 2011 for a convex, increasing curve).
 */

/** Distance from every point to its k-th nearest other point. O(n^2): pass a bounded sample. */
export function kDistances(points: readonly (readonly number[])[], k: number): Float64Array {
  const n = points.length;
  const out = new Float64Array(n);
  const row = new Float64Array(Math.max(0, n - 1));
  for (let i = 0; i < n; i++) {
    const p = points[i]!;
    let w = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const q = points[j]!;
      let s = 0;
      for (let d = 0; d < p.length; d++) {
        const diff = p[d]! - q[d]!;
        s += diff * diff;
      }
      row[w++] = s;
    }
    row.sort();
    out[i] = Math.sqrt(row[Math.min(k, n - 1) - 1] ?? 0);
  }
  return out;
}

/** The knee of an ascending curve: its value at the point farthest below the end-to-end chord. */
export function kneeOfAscending(sorted: Float64Array): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const lo = sorted[0]!;
  const hi = sorted[n - 1]!;
  if (n < 3 || hi <= lo) return hi;
  let best = 0;
  let bestGap = -Infinity;
  for (let i = 0; i < n; i++) {
    const gap = i / (n - 1) - (sorted[i]! - lo) / (hi - lo);
    if (gap > bestGap) {
      bestGap = gap;
      best = i;
    }
  }
  return sorted[best]!;
}

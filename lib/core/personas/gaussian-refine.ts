/**
 * Refines k-means clusters into a mixture of spherical Gaussians, one spread per persona (EM started
 * from the k-means centres). k-means draws every boundary halfway between two centres, as if all
 * personas were equally spread; they are not: casual browsers range from one page to a dozen and from
 * seconds to minutes of reading, checkout flows barely vary. Halfway boundaries then hand the long
 * tail of a wide persona to its narrow neighbour (on the demo week: ~1,000 casual browsers named
 * power users, ARI 0.84). k-means is the equal-spread limit of this mixture, so the refinement keeps
 * k-means' clusters and only lets each persona carry its own overall spread and weight.
 *
 * Spherical, not per-feature (diagonal): a persona that never writes has zero spread on write_ratio,
 * and a diagonal model then hands every such visitor who once adds to a cart to the buyers, whatever
 * the rest of the session says (measured: ARI 0.78 on the synthetic sessions, 0.95 spherical).
 *
 * The resulting assignment (largest posterior) is still one closed-form score per persona, quadratic
 * in the transformed features (linear-scores.ts), so SQL assigns every session exactly as JS does.
 * Deterministic: no randomness, fixed iteration count, points in the caller's (canonical) order.
 */
export interface GaussianOptions {
  readonly iterations: number;
  /** Variance floor, in squared standard deviations. */
  readonly varianceFloor: number;
}

export interface GaussianComponent {
  readonly center: number[];
  /** Per feature (the same value for every feature: spherical), so scores stay general. */
  readonly variance: number[];
  /** Share of the points (mixture weight). */
  readonly weight: number;
  /** Points whose most likely component this is. */
  readonly size: number;
}

/** -2 log of weight x density, up to a constant: the lower, the more likely. */
export function gaussianScore(point: readonly number[], c: Pick<GaussianComponent, 'center' | 'variance' | 'weight'>): number {
  let s = -2 * Math.log(c.weight);
  for (let j = 0; j < point.length; j++) {
    const d = point[j]! - c.center[j]!;
    s += (d * d) / c.variance[j]! + Math.log(c.variance[j]!);
  }
  return s;
}

function nearest(point: readonly number[], comps: readonly GaussianComponent[]): number {
  let best = 0;
  let bestScore = Infinity;
  comps.forEach((c, i) => {
    const s = gaussianScore(point, c);
    if (s < bestScore) {
      bestScore = s;
      best = i;
    }
  });
  return best;
}

/** Components largest first; components that end up most likely for no point are dropped. */
export function refineGaussian(points: readonly (readonly number[])[], centers: readonly (readonly number[])[], options: GaussianOptions): GaussianComponent[] {
  const n = points.length;
  const k = centers.length;
  if (n === 0 || k === 0) return [];
  const dims = points[0]!.length;
  let comps: GaussianComponent[] = initial(points, centers, options.varianceFloor);
  const resp = new Float64Array(n * k);
  for (let it = 0; it < options.iterations; it++) {
    for (let i = 0; i < n; i++) {
      let min = Infinity;
      for (let c = 0; c < k; c++) {
        const s = gaussianScore(points[i]!, comps[c]!);
        resp[i * k + c] = s;
        if (s < min) min = s;
      }
      let z = 0;
      for (let c = 0; c < k; c++) {
        const r = Math.exp(-0.5 * (resp[i * k + c]! - min));
        resp[i * k + c] = r;
        z += r;
      }
      for (let c = 0; c < k; c++) resp[i * k + c] = resp[i * k + c]! / z;
    }
    comps = comps.map((prev, c) => {
      let w = 0;
      const mean = new Array<number>(dims).fill(0);
      for (let i = 0; i < n; i++) {
        const r = resp[i * k + c]!;
        w += r;
        for (let j = 0; j < dims; j++) mean[j]! += r * points[i]![j]!;
      }
      // A component nobody supports keeps its last state; it is dropped below.
      if (w <= 0) return prev;
      for (let j = 0; j < dims; j++) mean[j] = mean[j]! / w;
      const variance = new Array<number>(dims).fill(0);
      for (let i = 0; i < n; i++) {
        const r = resp[i * k + c]!;
        for (let j = 0; j < dims; j++) variance[j]! += r * (points[i]![j]! - mean[j]!) ** 2;
      }
      // One spread per persona, pooled over features (see the header).
      const pooled = Math.max(variance.reduce((a, b) => a + b, 0) / w / dims, options.varianceFloor);
      return {
        center: mean,
        variance: variance.map(() => pooled),
        weight: w / n,
        size: 0,
      };
    });
  }
  const sizes = new Array<number>(k).fill(0);
  for (const p of points) sizes[nearest(p, comps)]! += 1;
  const kept = comps.map((c, i) => ({ ...c, size: sizes[i]! })).filter((c) => c.size > 0);
  const total = kept.reduce((s, c) => s + c.weight, 0);
  return kept.map((c) => ({ ...c, weight: c.weight / total })).sort((a, b) => b.size - a.size || a.center[0]! - b.center[0]!);
}

/** Hard k-means clusters as the starting mixture: their means, spreads and sizes. */
function initial(points: readonly (readonly number[])[], centers: readonly (readonly number[])[], floor: number): GaussianComponent[] {
  const dims = points[0]!.length;
  const labels = points.map((p) => {
    let best = 0;
    let bestD = Infinity;
    centers.forEach((c, i) => {
      let d = 0;
      for (let j = 0; j < dims; j++) d += (p[j]! - c[j]!) ** 2;
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    });
    return best;
  });
  return centers.map((center, c) => {
    const members = points.filter((_, i) => labels[i] === c);
    const variance = center.map((m, j) => Math.max(members.reduce((s, p) => s + (p[j]! - m) ** 2, 0) / Math.max(1, members.length), floor));
    return { center: [...center], variance, weight: Math.max(members.length, 1) / points.length, size: members.length };
  });
}

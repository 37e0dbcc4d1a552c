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
 * Deterministic: no randomness, a stopping rule on the mixture's own values, points in the caller's
 * (canonical) order.
 */
import type { FlatPoints } from './flat-points';

export interface GaussianOptions {
  /** Most EM steps taken. */
  readonly iterations: number;
  /** EM stops when no centre coordinate, spread or weight moved more than this in a step (0: never early). */
  readonly tolerance: number;
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
export function gaussianScore(point: ArrayLike<number>, c: Pick<GaussianComponent, 'center' | 'variance' | 'weight'>): number {
  let s = -2 * Math.log(c.weight);
  for (let j = 0; j < point.length; j++) {
    const d = point[j]! - c.center[j]!;
    s += (d * d) / c.variance[j]! + Math.log(c.variance[j]!);
  }
  return s;
}

/**
 * Components largest first; components that end up most likely for no point are dropped.
 *
 * One pass over the points per EM step, all components at once, over flat typed arrays: the E step
 * needs |x - mu|^2 to each current centre anyway, and the same numbers give the M step's spread
 * (sum r |x - mu_old|^2 = sum r |x - mu_new|^2 + w |mu_new - mu_old|^2), so the points are read once.
 * EM stops once no centre coordinate, spread or weight moves more than `tolerance` in a step
 * (`iterations` stays the cap): from there on the mixture only creeps, and a persona's boundary with it.
 */
export function refineGaussian(points: FlatPoints, centers: readonly (readonly number[])[], options: GaussianOptions): GaussianComponent[] {
  const { data: flat, n, dims } = points;
  const k = centers.length;
  if (n === 0 || k === 0) return [];
  const start = initial(points, centers, options.varianceFloor);
  // Mixture state: centre (k x dims), variance per feature (k x dims; the k-means start is per feature,
  // every EM step pools it: see the header), weight (k).
  const mu = new Float64Array(k * dims);
  const variance = new Float64Array(k * dims);
  const weight = new Float64Array(k);
  start.forEach((c, ci) => {
    mu.set(c.center, ci * dims);
    variance.set(c.variance, ci * dims);
    weight[ci] = c.weight;
  });
  const base = new Float64Array(k);
  const inverse = new Float64Array(k * dims);
  // Once pooled, a component's spread is one number: its score needs |x - mu|^2 only, not a sum per
  // feature. Only the k-means start (per feature) takes the per-feature path.
  const pooled = new Uint8Array(k);
  const score = new Float64Array(k);
  const plain = new Float64Array(k);
  const w = new Float64Array(k);
  const sums = new Float64Array(k * dims);
  const spread = new Float64Array(k);
  for (let it = 0; it < options.iterations; it++) {
    for (let c = 0; c < k; c++) {
      let b = -2 * Math.log(weight[c]!);
      for (let j = 0; j < dims; j++) {
        const v = variance[c * dims + j]!;
        b += Math.log(v);
        inverse[c * dims + j] = 1 / v;
      }
      base[c] = b;
    }
    w.fill(0);
    sums.fill(0);
    spread.fill(0);
    for (let i = 0; i < n; i++) {
      const oi = i * dims;
      let min = Infinity;
      for (let c = 0; c < k; c++) {
        const oc = c * dims;
        let d2 = 0;
        let s: number;
        if (pooled[c] === 1) {
          for (let j = 0; j < dims; j++) {
            const d = flat[oi + j]! - mu[oc + j]!;
            d2 += d * d;
          }
          s = base[c]! + d2 * inverse[oc]!;
        } else {
          let scaled = 0;
          for (let j = 0; j < dims; j++) {
            const d = flat[oi + j]! - mu[oc + j]!;
            const dd = d * d;
            d2 += dd;
            scaled += dd * inverse[oc + j]!;
          }
          s = base[c]! + scaled;
        }
        score[c] = s;
        plain[c] = d2;
        if (s < min) min = s;
      }
      let z = 0;
      for (let c = 0; c < k; c++) {
        const r = Math.exp(-0.5 * (score[c]! - min));
        score[c] = r;
        z += r;
      }
      for (let c = 0; c < k; c++) {
        const r = score[c]! / z;
        w[c] = w[c]! + r;
        spread[c] = spread[c]! + r * plain[c]!;
        const oc = c * dims;
        for (let j = 0; j < dims; j++) sums[oc + j] = sums[oc + j]! + r * flat[oi + j]!;
      }
    }
    let moved = 0;
    for (let c = 0; c < k; c++) {
      const wc = w[c]!;
      // A component nobody supports keeps its last state; it is dropped below.
      if (wc <= 0) continue;
      const oc = c * dims;
      let shift = 0;
      for (let j = 0; j < dims; j++) {
        const m = sums[oc + j]! / wc;
        const d = m - mu[oc + j]!;
        shift += d * d;
        moved = Math.max(moved, Math.abs(d));
        mu[oc + j] = m;
      }
      // One spread per persona, pooled over features (see the header).
      pooled[c] = 1;
      const one = Math.max(Math.max(spread[c]! - wc * shift, 0) / wc / dims, options.varianceFloor);
      for (let j = 0; j < dims; j++) {
        moved = Math.max(moved, Math.abs(one - variance[oc + j]!));
        variance[oc + j] = one;
      }
      moved = Math.max(moved, Math.abs(wc / n - weight[c]!));
      weight[c] = wc / n;
    }
    if (moved <= options.tolerance) break;
  }
  const comps = start.map((c, ci): GaussianComponent => ({
    center: Array.from(mu.subarray(ci * dims, (ci + 1) * dims)),
    variance: Array.from(variance.subarray(ci * dims, (ci + 1) * dims)),
    weight: weight[ci]!,
    size: 0,
  }));
  const sizes = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) {
    const p = flat.subarray(i * dims, (i + 1) * dims);
    let best = 0;
    let bestScore = Infinity;
    for (let c = 0; c < k; c++) {
      const s = gaussianScore(p, comps[c]!);
      if (s < bestScore) {
        bestScore = s;
        best = c;
      }
    }
    sizes[best]! += 1;
  }
  const kept = comps.map((c, i) => ({ ...c, size: sizes[i]! })).filter((c) => c.size > 0);
  const total = kept.reduce((s, c) => s + c.weight, 0);
  return kept.map((c) => ({ ...c, weight: c.weight / total })).sort((a, b) => b.size - a.size || a.center[0]! - b.center[0]!);
}

/** Hard k-means clusters as the starting mixture: their means, spreads (per feature) and sizes. */
function initial(points: FlatPoints, centers: readonly (readonly number[])[], floor: number): GaussianComponent[] {
  const { data, n, dims } = points;
  const k = centers.length;
  const squares = new Float64Array(k * dims);
  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) {
    const oi = i * dims;
    let best = 0;
    let bestD = Infinity;
    for (let c = 0; c < k; c++) {
      let d = 0;
      for (let j = 0; j < dims; j++) d += (data[oi + j]! - centers[c]![j]!) ** 2;
      if (d < bestD) {
        bestD = d;
        best = c;
      }
    }
    counts[best]! += 1;
    for (let j = 0; j < dims; j++) squares[best * dims + j] = squares[best * dims + j]! + (data[oi + j]! - centers[best]![j]!) ** 2;
  }
  return centers.map((center, c) => {
    const size = counts[c]!;
    const variance = center.map((_, j) => Math.max(squares[c * dims + j]! / Math.max(1, size), floor));
    return { center: [...center], variance, weight: Math.max(size, 1) / n, size };
  });
}

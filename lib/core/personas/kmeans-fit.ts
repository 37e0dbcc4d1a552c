/**
 * k-means on standardised session points: k-means++ initialisation (greedy, with 2 + ln k candidates per
 * centre, as scikit-learn and ml-kmeans do), Lloyd's algorithm, several restarts with seeds derived
 * from one fixed seed; the lowest within-cluster sum of squares (inertia) wins. Clusters come back in a
 * canonical order (largest first) and empty clusters are dropped, so callers never see an artefact of
 * initialisation order.
 *
 * Written over flat typed arrays rather than with `ml-kmeans` (still the seed recipe's baseline,
 * seed-recipe.ts): `--k auto` runs 7 candidate k x 3 restarts per client kind plus the final fit, and
 * with the package k-means took ~0.63 s of a 0.95 s fit of the benchmark's 20k-session sample (2 cores):
 * ~0.35 s in k-means++ alone, allocating an ml-matrix row per point per candidate distance, ~0.25 s in
 * Lloyd steps calling a distance function per point and centre and reassigning every point every step.
 * Here the same work takes ~0.15 s (k-means++ ~50 ms, Lloyd with Hamerly's bounds ~90 ms). Randomness
 * comes from random.ts like every other choice of the persona step; Lloyd's steps follow the package's
 * (nearest centre, first on ties; an emptied centre stays where it was; converged when no centre moves
 * more than `tolerance`, squared). The benchmark's personas and silhouette choices are unchanged.
 */
import { pickPoints, type FlatPoints } from './flat-points';
import { sampleIndices, seededRandom } from './random';

export interface KmeansOptions {
  readonly restarts: number;
  readonly seed: number;
  readonly maxIterations: number;
  readonly tolerance: number;
}

export interface KmeansFit {
  /** Cluster centres in the standardised space, largest cluster first. */
  readonly centers: number[][];
  /** Cluster index per point (into `centers`). */
  readonly labels: Int32Array;
  readonly sizes: number[];
  /** Sum of squared distances of points to their centre. */
  readonly inertia: number;
}

export function squaredDistance(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) {
    const d = a[j]! - b[j]!;
    s += d * d;
  }
  return s;
}

/** Squared distance between the rows starting at `oa` of `a` and `ob` of `b` (flat, `dims` wide). */
function rowDistance(a: Float64Array, oa: number, b: Float64Array, ob: number, dims: number): number {
  let s = 0;
  for (let j = 0; j < dims; j++) {
    const d = a[oa + j]! - b[ob + j]!;
    s += d * d;
  }
  return s;
}

/** Labels, sizes and inertia of points against fixed centres (k x dims, flat); nearest, first on ties. */
function assign(points: FlatPoints, centers: Float64Array, k: number, labels: Int32Array): { sizes: number[]; inertia: number } {
  const { data, n, dims } = points;
  const sizes = new Array<number>(k).fill(0);
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    const oi = i * dims;
    let best = 0;
    let bestDist = Infinity;
    for (let c = 0; c < k; c++) {
      const s = rowDistance(data, oi, centers, c * dims, dims);
      if (s < bestDist) {
        bestDist = s;
        best = c;
      }
    }
    labels[i] = best;
    sizes[best]! += 1;
    inertia += bestDist;
  }
  return { sizes, inertia };
}

/** k-means++ seeding: each next centre the best (lowest potential) of a few distance-squared draws. */
function kmeansPlusPlus(points: FlatPoints, k: number, seed: number): Float64Array {
  const { data, n, dims } = points;
  const random = seededRandom(seed);
  const centers = new Float64Array(k * dims);
  const trials = 2 + Math.floor(Math.log(k));
  // Lowers `out` to each point's squared distance to point `at` where that is closer; the new potential.
  const squaredTo = (at: number, out: Float64Array): number => {
    let pot = 0;
    const oc = at * dims;
    for (let p = 0; p < n; p++) {
      const v = Math.min(rowDistance(data, p * dims, data, oc, dims), out[p]!);
      out[p] = v;
      pot += v;
    }
    return pot;
  };
  let closest = new Float64Array(n).fill(Infinity);
  const first = Math.floor(random() * n);
  centers.set(data.subarray(first * dims, (first + 1) * dims), 0);
  let potential = squaredTo(first, closest);
  const cumulative = new Float64Array(n);
  let candidate = new Float64Array(n);
  let bestCandidate = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let running = 0;
    for (let p = 0; p < n; p++) {
      running += closest[p]!;
      cumulative[p] = running;
    }
    let bestPot = Infinity;
    let bestIndex = 0;
    for (let t = 0; t < trials; t++) {
      // Every point already a centre (potential 0): a uniformly drawn point will do.
      const index = potential > 0 ? upperBound(cumulative, random() * running) : Math.floor(random() * n);
      candidate.set(closest);
      const pot = squaredTo(index, candidate);
      if (pot < bestPot) {
        bestPot = pot;
        bestIndex = index;
        [bestCandidate, candidate] = [candidate, bestCandidate];
      }
    }
    centers.set(data.subarray(bestIndex * dims, (bestIndex + 1) * dims), c * dims);
    [closest, bestCandidate] = [bestCandidate, closest];
    potential = bestPot;
  }
  return centers;
}

/** First index whose cumulative value exceeds x (the last index if none: rounding at the top end). */
function upperBound(cumulative: Float64Array, x: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Lloyd's algorithm from the given centres (updated in place, k x dims), with Hamerly's bounds (2010):
 * each point keeps an upper bound on the distance to its centre and a lower bound on the distance to
 * any other; when the centres move, the bounds move by as much, and a point is measured again only
 * when its bounds no longer prove its centre nearest. The assignments are Lloyd's (up to rounding at
 * exact ties). The cluster sums are kept up to date as points change sides rather than recomputed:
 * late iterations, where a few points move, then cost little more than checking the bounds.
 */
function lloyd(points: FlatPoints, centers: Float64Array, k: number, options: Pick<KmeansOptions, 'maxIterations' | 'tolerance'>): void {
  const { data, n, dims } = points;
  const labels = new Int32Array(n);
  const upper = new Float64Array(n);
  const lower = new Float64Array(n);
  const sums = new Float64Array(k * dims);
  const counts = new Int32Array(k);
  const moved = new Float64Array(k);
  // Half the distance from each centre to its nearest other centre: a point nearer than that to its
  // own centre cannot be nearer to another.
  const half = new Float64Array(k);
  let most = 0;
  let mostAt = -1;
  let secondMost = 0;
  for (let i = 0; i < n; i++) {
    const c = measurePoint(data, i, dims, centers, k, labels, upper, lower);
    counts[c] = counts[c]! + 1;
    const oi = i * dims;
    const oc = c * dims;
    for (let j = 0; j < dims; j++) sums[oc + j] = sums[oc + j]! + data[oi + j]!;
  }
  for (let it = 0; it < options.maxIterations; it++) {
    if (it > 0) {
      for (let c = 0; c < k; c++) {
        let nearest = Infinity;
        for (let o = 0; o < k; o++) {
          if (o === c) continue;
          const s = rowDistance(centers, c * dims, centers, o * dims, dims);
          if (s < nearest) nearest = s;
        }
        half[c] = Math.sqrt(nearest) / 2;
      }
      for (let i = 0; i < n; i++) {
        const own = labels[i]!;
        // The bounds follow the centres' last move: the own centre at most its step further away, any
        // other at most the largest other step closer.
        const u = upper[i]! + moved[own]!;
        const l = lower[i]! - (own === mostAt ? secondMost : most);
        upper[i] = u;
        lower[i] = l;
        const bound = Math.max(half[own]!, l);
        if (u <= bound) continue;
        const oi = i * dims;
        const oc = own * dims;
        upper[i] = Math.sqrt(rowDistance(data, oi, centers, oc, dims));
        if (upper[i]! <= bound) continue;
        const c = measurePoint(data, i, dims, centers, k, labels, upper, lower);
        if (c !== own) {
          counts[own] = counts[own]! - 1;
          counts[c] = counts[c]! + 1;
          const on = c * dims;
          for (let j = 0; j < dims; j++) {
            const x = data[oi + j]!;
            sums[oc + j] = sums[oc + j]! - x;
            sums[on + j] = sums[on + j]! + x;
          }
        }
      }
    }
    let converged = true;
    most = 0;
    mostAt = -1;
    secondMost = 0;
    for (let c = 0; c < k; c++) {
      const count = counts[c]!;
      moved[c] = 0;
      // An emptied centre stays where it was (canonicalFit drops it).
      if (count === 0) continue;
      const oc = c * dims;
      let shift = 0;
      for (let j = 0; j < dims; j++) {
        const m = sums[oc + j]! / count;
        const d = m - centers[oc + j]!;
        shift += d * d;
        centers[oc + j] = m;
      }
      if (shift > options.tolerance) converged = false;
      const step = Math.sqrt(shift);
      moved[c] = step;
      if (step > most) {
        secondMost = most;
        most = step;
        mostAt = c;
      } else if (step > secondMost) {
        secondMost = step;
      }
    }
    if (converged) return;
  }
}

/** Nearest centre of point i (first on ties) with both bounds exact; returns the centre. */
function measurePoint(data: Float64Array, i: number, dims: number, centers: Float64Array, k: number, labels: Int32Array, upper: Float64Array, lower: Float64Array): number {
  const oi = i * dims;
  let best = 0;
  let bestDist = Infinity;
  let second = Infinity;
  for (let c = 0; c < k; c++) {
    const s = rowDistance(data, oi, centers, c * dims, dims);
    if (s < bestDist) {
      second = bestDist;
      bestDist = s;
      best = c;
    } else if (s < second) {
      second = s;
    }
  }
  labels[i] = best;
  upper[i] = Math.sqrt(bestDist);
  lower[i] = Math.sqrt(second);
  return best;
}

/** Best of `restarts` k-means++ runs; k must not exceed the number of points. */
export function fitKmeans(points: FlatPoints, k: number, options: KmeansOptions): KmeansFit {
  return canonicalFit(points, bestRun(points, k, options));
}

/** The lowest-inertia run of restarts 0..restarts-1 (seeds seed + r), before dropping empty clusters. */
export interface KmeansRun {
  /** k x dims, flat; a centre no point chose stays where it was. */
  readonly centers: Float64Array;
  readonly k: number;
  readonly inertia: number;
  readonly restarts: number;
}

/**
 * Best of `options.restarts` runs. Given the best of the first `earlier.restarts` runs on the same
 * points (same seed and k), only the later ones run: the answer is the same, restarts are in seed order.
 */
export function bestRun(points: FlatPoints, k: number, options: KmeansOptions, earlier?: KmeansRun): KmeansRun {
  if (k < 1 || k > points.n) throw new Error(`k-means: k=${k} needs between 1 and ${points.n} points`);
  // One cluster: every run ends on the points' mean with the same inertia, and the first run wins.
  const restarts = k === 1 ? 1 : Math.max(1, options.restarts);
  const labels = new Int32Array(points.n);
  let best = earlier !== undefined && earlier.k === k ? earlier : undefined;
  for (let r = best?.restarts ?? 0; r < restarts; r++) {
    const centers = kmeansPlusPlus(points, k, options.seed + r);
    lloyd(points, centers, k, options);
    const { inertia } = assign(points, centers, k, labels);
    if (best === undefined || inertia < best.inertia) best = { centers, k, inertia, restarts };
  }
  // `best` is set: the loop runs at least once unless `earlier` already holds as many restarts.
  return { ...best!, restarts: Math.max(restarts, best!.restarts) };
}

/**
 * k-means on many points at the cost of a subsample: the restarts run on `sampleSize` points drawn with
 * the seed (at least k), and Lloyd's algorithm then runs once on all points from the best centres.
 * `earlier`: the best of the first restarts on that same subsample (choose-k.ts has run them).
 */
export function fitKmeansSampled(points: FlatPoints, k: number, options: KmeansOptions & { readonly sampleSize: number; readonly earlier?: KmeansRun }): KmeansFit {
  if (k < 1 || k > points.n) throw new Error(`k-means: k=${k} needs between 1 and ${points.n} points`);
  const picked = sampleIndices(points.n, Math.max(options.sampleSize, k), options.seed);
  const run = bestRun(picked.length === points.n ? points : pickPoints(points, picked), k, options, options.earlier);
  const centers = Float64Array.from(run.centers);
  if (picked.length < points.n) lloyd(points, centers, k, options);
  return canonicalFit(points, { ...run, centers });
}

/** A run's clusters: empty ones dropped, the rest ordered by size (then by centre), points relabelled. */
export function canonicalFit(points: FlatPoints, run: Pick<KmeansRun, 'centers' | 'k'>): KmeansFit {
  const { dims } = points;
  const { centers: rawCenters, k } = run;
  const labels = new Int32Array(points.n);
  const first = assign(points, rawCenters, k, labels);
  const kept = Array.from({ length: k }, (_, c) => ({ center: Array.from(rawCenters.subarray(c * dims, (c + 1) * dims)), size: first.sizes[c]! }))
    .filter((c) => c.size > 0)
    .sort((a, b) => b.size - a.size || compareVectors(a.center, b.center));
  const centers = kept.map((c) => c.center);
  const flat = new Float64Array(centers.length * dims);
  centers.forEach((c, i) => flat.set(c, i * dims));
  const { sizes, inertia } = assign(points, flat, centers.length, labels);
  return { centers, labels, sizes, inertia };
}

function compareVectors(a: readonly number[], b: readonly number[]): number {
  for (let j = 0; j < a.length; j++) {
    const d = a[j]! - b[j]!;
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * k-means on standardised session points with `ml-kmeans` (k-means++ initialisation): several restarts
 * with seeds derived from one fixed seed, the lowest within-cluster sum of squares (inertia) wins.
 * Clusters come back in a canonical order (largest first) and empty clusters are dropped, so callers
 * never see an artefact of initialisation order.
 */
import { kmeans } from 'ml-kmeans';
import { sampleIndices } from './random';

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

/** Index of the nearest centre (first one on ties). */
export function nearestCenter(point: readonly number[], centers: readonly (readonly number[])[]): number {
  let best = 0;
  let bestDist = Infinity;
  for (let c = 0; c < centers.length; c++) {
    const d = squaredDistance(point, centers[c]!);
    if (d < bestDist) {
      bestDist = d;
      best = c;
    }
  }
  return best;
}

/** Labels, sizes and inertia of points against fixed centres. */
export function assignToCenters(points: readonly number[][], centers: readonly number[][]): { labels: Int32Array; sizes: number[]; inertia: number } {
  const labels = new Int32Array(points.length);
  const sizes = new Array<number>(centers.length).fill(0);
  let inertia = 0;
  points.forEach((p, i) => {
    const c = nearestCenter(p, centers);
    labels[i] = c;
    sizes[c]! += 1;
    inertia += squaredDistance(p, centers[c]!);
  });
  return { labels, sizes, inertia };
}

/** Best of `restarts` k-means++ runs; k must not exceed the number of points. */
export function fitKmeans(points: number[][], k: number, options: KmeansOptions): KmeansFit {
  if (k < 1 || k > points.length) throw new Error(`k-means: k=${k} needs between 1 and ${points.length} points`);
  let best: { centers: number[][]; inertia: number } | undefined;
  for (let r = 0; r < Math.max(1, options.restarts); r++) {
    const run = kmeans(points, k, { initialization: 'kmeans++', seed: options.seed + r, maxIterations: options.maxIterations, tolerance: options.tolerance });
    const { inertia } = assignToCenters(points, run.centroids);
    if (best === undefined || inertia < best.inertia) best = { centers: run.centroids, inertia };
  }
  // `best` is set: the loop runs at least once.
  return canonicalise(points, best!.centers);
}

/**
 * k-means on many points at the cost of a subsample: the restarts run on `sampleSize` points drawn with
 * the seed (at least k), and Lloyd's algorithm then runs once on all points from the best centres.
 */
export function fitKmeansSampled(points: number[][], k: number, options: KmeansOptions & { readonly sampleSize: number }): KmeansFit {
  if (k < 1 || k > points.length) throw new Error(`k-means: k=${k} needs between 1 and ${points.length} points`);
  const subset = sampleIndices(points.length, Math.max(options.sampleSize, k), options.seed).map((i) => points[i]!);
  const best = fitKmeans(subset, k, options);
  if (subset.length === points.length) return best;
  const run = kmeans(points, best.centers.length, { initialization: best.centers.map((c) => [...c]), seed: options.seed, maxIterations: options.maxIterations, tolerance: options.tolerance });
  return canonicalise(points, run.centroids);
}

/** Drops empty clusters and orders the rest by size (then by centre), relabelling the points. */
function canonicalise(points: number[][], rawCenters: number[][]): KmeansFit {
  const first = assignToCenters(points, rawCenters);
  const kept = rawCenters
    .map((center, c) => ({ center, size: first.sizes[c]! }))
    .filter((c) => c.size > 0)
    .sort((a, b) => b.size - a.size || compareVectors(a.center, b.center));
  const centers = kept.map((c) => c.center);
  const { labels, sizes, inertia } = assignToCenters(points, centers);
  return { centers, labels, sizes, inertia };
}

function compareVectors(a: readonly number[], b: readonly number[]): number {
  for (let j = 0; j < a.length; j++) {
    const d = a[j]! - b[j]!;
    if (d !== 0) return d;
  }
  return 0;
}

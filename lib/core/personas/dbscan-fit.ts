/**
 * `--algorithm dbscan`: density-based clusters with the `density-clustering` package on a bounded
 * sample of standardised points. minPts = dbscanMinPtsPerDim x dimensions; eps from the knee of the
 * sorted (minPts-1)-distance curve (the package counts a point as its own neighbour, so a point is core
 * when its (minPts-1)-th nearest other point lies within eps). Points in no dense region are noise:
 * scrapers, attacks and broken clients are reported as outliers, not forced into a persona.
 *
 * Sessions outside the sample are assigned by centre and radius (assign.ts / assign-sql.ts): the
 * nearest cluster centre, if the session lies within that cluster's radius (dbscanRadiusQuantile of
 * its members' distances to the centre, plus eps), else outlier. A centre and a radius render as a few
 * SQL terms; "within eps of any core point", DBSCAN's exact rule, would need every core point in SQL.
 */
import clustering from 'density-clustering';
import { kDistances, kneeOfAscending } from './k-distance-knee';
import { squaredDistance } from './kmeans-fit';

export interface DbscanOptions {
  readonly minPts: number;
  readonly radiusQuantile: number;
}

export interface DbscanCluster {
  readonly members: number[];
  readonly center: number[];
  readonly radiusSquared: number;
}

export interface DbscanFit {
  readonly eps: number;
  readonly minPts: number;
  /** Largest first. */
  readonly clusters: DbscanCluster[];
  readonly noise: number[];
}

/** Relative margin above the knee: the package keeps neighbours at distance strictly below eps. */
const EPS_MARGIN = 1e-9;

export function fitDbscan(points: number[][], options: DbscanOptions): DbscanFit {
  const minPts = Math.max(2, Math.min(options.minPts, points.length));
  const distances = kDistances(points, minPts - 1).sort();
  const eps = kneeOfAscending(distances) * (1 + EPS_MARGIN) + EPS_MARGIN;
  const dbscan = new clustering.DBSCAN();
  // The package merges neighbourhoods with Array.indexOf per element (cubic on a dense cluster); same
  // semantics, with a Set per growing neighbourhood for membership.
  const members = new WeakMap<number[], Set<number>>();
  dbscan._mergeArrays = (a: number[], b: number[]): number[] => {
    let seen = members.get(a);
    if (seen === undefined) {
      seen = new Set(a);
      members.set(a, seen);
    }
    for (const p of b) {
      if (!seen.has(p)) {
        seen.add(p);
        a.push(p);
      }
    }
    return a;
  };
  const raw = dbscan.run(points, eps, minPts);
  const clusters = raw
    .map((ids) => [...ids].sort((x, y) => x - y))
    .sort((a, b) => b.length - a.length || a[0]! - b[0]!)
    .map((ids) => describe(points, ids, eps, options.radiusQuantile));
  return { eps, minPts, clusters, noise: [...dbscan.noise].sort((x, y) => x - y) };
}

function describe(points: readonly number[][], ids: number[], eps: number, quantile: number): DbscanCluster {
  const dims = points[ids[0]!]!.length;
  const center = new Array<number>(dims).fill(0);
  for (const i of ids) for (let j = 0; j < dims; j++) center[j]! += points[i]![j]! / ids.length;
  const dist = ids.map((i) => Math.sqrt(squaredDistance(points[i]!, center))).sort((a, b) => a - b);
  const q = dist[Math.min(dist.length - 1, Math.floor(quantile * (dist.length - 1)))] ?? 0;
  const radius = q + eps;
  return { members: ids, center, radiusSquared: radius * radius };
}

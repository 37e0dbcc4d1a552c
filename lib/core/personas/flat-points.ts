/**
 * Standardised points as one row-major Float64Array. The clustering loops (k-means, silhouette,
 * Gaussian refinement) walk every point many times; one contiguous array keeps them in cache and
 * allocation-free, where an array of arrays costs a pointer chase per point and garbage per copy.
 */
export interface FlatPoints {
  /** Point i, feature j at `i * dims + j`. */
  readonly data: Float64Array;
  readonly n: number;
  readonly dims: number;
}

export function flatPoints(rows: readonly (readonly number[])[], dims = rows[0]?.length ?? 0): FlatPoints {
  const data = new Float64Array(rows.length * dims);
  rows.forEach((row, i) => data.set(row, i * dims));
  return { data, n: rows.length, dims };
}

/** The given points (by index, in the given order) as their own flat set. */
export function pickPoints(points: FlatPoints, indices: readonly number[]): FlatPoints {
  const { data, dims } = points;
  const out = new Float64Array(indices.length * dims);
  indices.forEach((i, a) => out.set(data.subarray(i * dims, (i + 1) * dims), a * dims));
  return { data: out, n: indices.length, dims };
}

/** Point i as a plain array (for results and the few per-point consumers). */
export function pointAt(points: FlatPoints, i: number): number[] {
  return Array.from(points.data.subarray(i * points.dims, (i + 1) * points.dims));
}

export function toRows(points: FlatPoints): number[][] {
  return Array.from({ length: points.n }, (_, i) => pointAt(points, i));
}

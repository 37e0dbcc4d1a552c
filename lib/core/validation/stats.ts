/**
 * The statistics validation and drift are measured with: distances between two categorical
 * distributions (Jensen-Shannon, total variation), between two samples (two-sample
 * Kolmogorov-Smirnov), between two profiles (Pearson correlation), and quantiles.
 * Pure functions over plain numbers; every edge case (empty input, zero variance, ties) has a
 * defined answer so a check never reports NaN.
 */

/** Counts (or weights) per category, e.g. page requests per `METHOD /template`. */
export type CountMap = Readonly<Record<string, number>>;

function assertCounts(counts: CountMap, what: string): number {
  let total = 0;
  for (const [key, n] of Object.entries(counts)) {
    if (!Number.isFinite(n) || n < 0) {
      throw new RangeError(`${what}: count of "${key}" is ${n}; counts must be finite and >= 0`);
    }
    total += n;
  }
  return total;
}

/**
 * Turns counts into shares that sum to 1. An all-zero or empty map gives an empty map.
 * @example normalize({ a: 3, b: 1 }) // { a: 0.75, b: 0.25 }
 */
export function normalize(counts: CountMap): Record<string, number> {
  const total = assertCounts(counts, 'normalize');
  const out: Record<string, number> = {};
  if (total === 0) return out;
  for (const [key, n] of Object.entries(counts)) out[key] = n / total;
  return out;
}

function unionKeys(p: CountMap, q: CountMap): string[] {
  return [...new Set([...Object.keys(p), ...Object.keys(q)])].sort();
}

/**
 * Jensen-Shannon divergence in bits (log base 2), so it lies in [0, 1]: 0 for identical
 * distributions, 1 for distributions with no category in common. Symmetric. Keys missing on one
 * side count as 0. When both sides are empty the answer is 0 (nothing differs); when exactly one
 * is empty it is 1 (nothing can match).
 */
export function jensenShannon(p: CountMap, q: CountMap): number {
  const totalP = assertCounts(p, 'jensenShannon');
  const totalQ = assertCounts(q, 'jensenShannon');
  if (totalP === 0 && totalQ === 0) return 0;
  if (totalP === 0 || totalQ === 0) return 1;
  let sum = 0;
  for (const key of unionKeys(p, q)) {
    const pi = (p[key] ?? 0) / totalP;
    const qi = (q[key] ?? 0) / totalQ;
    const mi = (pi + qi) / 2;
    // 0 * log(0) is 0 by convention; mi > 0 whenever pi or qi is.
    if (pi > 0) sum += pi * Math.log2(pi / mi);
    if (qi > 0) sum += qi * Math.log2(qi / mi);
  }
  return clamp01(sum / 2);
}

/**
 * Total-variation distance: half the sum of absolute share differences, in [0, 1]; the largest
 * share of traffic that would have to move to turn one mix into the other. Empty-side rules as
 * {@link jensenShannon}.
 */
export function totalVariation(p: CountMap, q: CountMap): number {
  const totalP = assertCounts(p, 'totalVariation');
  const totalQ = assertCounts(q, 'totalVariation');
  if (totalP === 0 && totalQ === 0) return 0;
  if (totalP === 0 || totalQ === 0) return 1;
  let sum = 0;
  for (const key of unionKeys(p, q)) sum += Math.abs((p[key] ?? 0) / totalP - (q[key] ?? 0) / totalQ);
  return clamp01(sum / 2);
}

/** The category that drives a divergence most, with its share on each side. */
export interface ShareGap {
  key: string;
  p: number;
  q: number;
  /** Its term in the Jensen-Shannon sum, in bits (the terms add up to the divergence). */
  contribution: number;
}

/**
 * The category contributing most to the Jensen-Shannon divergence: the one to name when a mix
 * differs. Ranking by contribution rather than by absolute share gap puts a 4x-rarer 8% endpoint
 * ahead of a common one that is 6 points off (it is what the reader's traffic really misses).
 * Undefined when both maps are empty.
 */
export function largestDivergence(p: CountMap, q: CountMap): ShareGap | undefined {
  const sp = normalize(p);
  const sq = normalize(q);
  const halves = Object.keys(sp).length > 0 && Object.keys(sq).length > 0;
  let best: ShareGap | undefined;
  for (const key of unionKeys(p, q)) {
    const pi = sp[key] ?? 0;
    const qi = sq[key] ?? 0;
    const mi = (pi + qi) / 2;
    // With one side empty the divergence is 1 by definition; fall back to the plain share.
    const contribution = !halves
      ? Math.max(pi, qi)
      : ((pi > 0 ? pi * Math.log2(pi / mi) : 0) + (qi > 0 ? qi * Math.log2(qi / mi) : 0)) / 2;
    if (!best || contribution > best.contribution) best = { key, p: pi, q: qi, contribution };
  }
  return best;
}

function sortedFinite(values: readonly number[], what: string): Float64Array {
  const out = Float64Array.from(values);
  for (const v of out) {
    if (!Number.isFinite(v)) throw new RangeError(`${what}: sample holds ${v}; values must be finite`);
  }
  return out.sort();
}

/** Result of a two-sample Kolmogorov-Smirnov test. */
export interface KsResult {
  /** Largest vertical gap between the two empirical CDFs, in [0, 1]. */
  d: number;
  /**
   * Asymptotic p-value of "both samples come from one distribution" (Kolmogorov distribution with
   * Stephens' small-sample correction); approximate, conservative for heavily tied data.
   */
  pValue: number;
}

/**
 * Two-sample Kolmogorov-Smirnov statistic over unsorted samples, by a sorted merge. Tied values
 * are consumed together on both sides before the CDFs are compared, so integer data (requests per
 * session) gets the exact statistic. Both empty: D = 0; exactly one empty: D = 1.
 */
export function ksTwoSample(a: readonly number[], b: readonly number[]): KsResult {
  const x = sortedFinite(a, 'ksTwoSample');
  const y = sortedFinite(b, 'ksTwoSample');
  const n = x.length;
  const m = y.length;
  if (n === 0 && m === 0) return { d: 0, pValue: 1 };
  if (n === 0 || m === 0) return { d: 1, pValue: 0 };
  let i = 0;
  let j = 0;
  let d = 0;
  // Once one sample is used up its CDF is 1 and the other's only climbs towards it: the gap can
  // only shrink, so the loop may stop there.
  while (i < n && j < m) {
    const v = Math.min(x[i] as number, y[j] as number);
    while (i < n && x[i] === v) i++;
    while (j < m && y[j] === v) j++;
    d = Math.max(d, Math.abs(i / n - j / m));
  }
  const en = Math.sqrt((n * m) / (n + m));
  return { d, pValue: kolmogorovQ((en + 0.12 + 0.11 / en) * d) };
}

/**
 * Survival function of the Kolmogorov distribution, Q(λ) = 2 Σ (-1)^(k-1) exp(-2 k² λ²).
 * The series converges fast except near 0, where Q is 1 to double precision.
 */
function kolmogorovQ(lambda: number): number {
  if (lambda < 0.2) return 1;
  const maxTerms = 100;
  const epsilon = 1e-10;
  let sum = 0;
  let sign = 1;
  for (let k = 1; k <= maxTerms; k++) {
    const term = sign * Math.exp(-2 * k * k * lambda * lambda);
    sum += term;
    if (Math.abs(term) < epsilon * Math.abs(sum)) break;
    sign = -sign;
  }
  return clamp01(2 * sum);
}

/**
 * Pearson correlation of two equally long vectors, in [-1, 1]. Zero variance has a defined answer
 * instead of NaN: both constant means the same (flat) shape, 1; one constant and the other not
 * means no shared shape, 0. Fewer than two points: 1 if equal, else 0.
 */
export function pearson(x: readonly number[], y: readonly number[]): number {
  if (x.length !== y.length) {
    throw new RangeError(`pearson: vectors differ in length (${x.length} vs ${y.length})`);
  }
  const n = x.length;
  if (n < 2) return n === 0 || x[0] === y[0] ? 1 : 0;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i] as number;
    my += y[i] as number;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - mx;
    const dy = (y[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 && syy === 0) return 1;
  if (sxx === 0 || syy === 0) return 0;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/**
 * Quantile of an ascending sorted sample by linear interpolation between order statistics
 * (Hyndman-Fan type 7, as numpy and R default). Empty sample: NaN is not useful, so 0.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile: q must be in [0, 1], got ${q}`);
  const n = sorted.length;
  if (n === 0) return 0;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (h - lo) * (b - a);
}

/** Several quantiles of an unsorted sample (sorted once). */
export function quantiles(values: readonly number[], qs: readonly number[]): number[] {
  const sorted = sortedFinite(values, 'quantiles');
  return qs.map((q) => quantileSorted(sorted, q));
}

/** Median of an unsorted sample; 0 for an empty one. */
export function median(values: readonly number[]): number {
  return quantiles(values, [0.5])[0] ?? 0;
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

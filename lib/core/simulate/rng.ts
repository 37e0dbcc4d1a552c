/**
 * Seeded randomness for the simulator: a small, fast PRNG (mulberry32 seeded through splitmix32) and
 * the samplers the traffic model needs (weighted picks, lognormal, Poisson, binomial, Zipf, inverse-CDF
 * sampling from a Distribution's 21 quantiles). Same seed, same numbers, on every platform: nothing
 * here touches Math.random or the clock.
 */
import type { Distribution } from '../types';

/** splitmix32 step: spreads nearby seeds (1, 2, 3) into unrelated states. */
function splitmix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export class Rng {
  /** In a typed array: a 32-bit state in a plain field would be boxed as a heap number on every draw. */
  private readonly state = new Int32Array(1);

  constructor(seed: number) {
    this.state[0] = splitmix32(Math.floor(seed) >>> 0);
  }

  /** An independent stream derived from this seed and a label, e.g. `rng.fork(7)` for the writers. */
  static derive(seed: number, stream: number): Rng {
    return new Rng(splitmix32((Math.floor(seed) >>> 0) ^ Math.imul(stream + 1, 0x632be5ab)));
  }

  /** Uniform in [0, 1) (mulberry32). */
  next(): number {
    const st = this.state;
    let t = (st[0] = ((st[0] ?? 0) + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** 32 random bits as an unsigned integer. */
  uint32(): number {
    return Math.floor(this.next() * 4294967296) >>> 0;
  }

  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Integer in [lo, hi] inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Standard normal (Box-Muller; one value per call keeps the stream simple to reason about). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Lognormal with median `median` and log-space standard deviation `sigma`. */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Poisson count with mean `lambda` (Knuth for small means, normal approximation for large). */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 50) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** Binomial(n, p): exact inversion when the mean is small, normal approximation when it is large. */
  binomial(n: number, p: number): number {
    if (n <= 0 || p <= 0) return 0;
    if (p >= 1) return n;
    const q = Math.min(p, 1 - p);
    let k: number;
    if (n * q < 25) {
      // Inversion: walk the pmf from 0 (O(n*q) steps).
      const ratio = q / (1 - q);
      let pmf = Math.pow(1 - q, n);
      let cdf = pmf;
      const u = this.next();
      k = 0;
      while (u > cdf && k < n) {
        pmf *= (ratio * (n - k)) / (k + 1);
        k++;
        cdf += pmf;
      }
    } else {
      const mean = n * q;
      k = Math.round(mean + Math.sqrt(mean * (1 - q)) * this.normal());
      k = Math.min(n, Math.max(0, k));
    }
    return q === p ? k : n - k;
  }
}

/** Picks a key of a weight map (weights need not sum to 1). Returns undefined for an empty or zero map. */
export function pickWeighted(rng: Rng, weights: Readonly<Record<string, number>>): string | undefined {
  let total = 0;
  for (const w of Object.values(weights)) if (w > 0) total += w;
  if (total <= 0) return undefined;
  let u = rng.next() * total;
  let last: string | undefined;
  for (const [key, w] of Object.entries(weights)) {
    if (w <= 0) continue;
    last = key;
    u -= w;
    if (u < 0) return key;
  }
  return last;
}

/**
 * A prepared weighted choice: cumulative weights built once, each pick a binary search. Used for the
 * hot paths (Markov rows, parameter pools) where `pickWeighted` would rebuild sums per call.
 */
export class WeightedChoice<T> {
  private readonly items: T[];
  private readonly cumulative: Float64Array;

  constructor(entries: readonly (readonly [T, number])[]) {
    const kept = entries.filter(([, w]) => w > 0);
    this.items = kept.map(([item]) => item);
    this.cumulative = new Float64Array(kept.length);
    let sum = 0;
    kept.forEach(([, w], i) => {
      sum += w;
      this.cumulative[i] = sum;
    });
  }

  get size(): number {
    return this.items.length;
  }

  pick(rng: Rng): T | undefined {
    const n = this.items.length;
    if (n === 0) return undefined;
    const u = rng.next() * (this.cumulative[n - 1] ?? 0);
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cumulative[mid] ?? 0) > u) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo];
  }
}

/** Zipf-like popularity over `n` ranked items: weight of rank r (1-based) is 1 / r^s. */
export function zipfWeights(n: number, s: number): number[] {
  return Array.from({ length: n }, (_, i) => 1 / Math.pow(i + 1, s));
}

/** Log-space sigma of a lognormal whose p90 / p50 ratio is `ratio` (z(0.9) = 1.2816). */
export function sigmaFromP90(p50: number, p90: number): number {
  const Z90 = 1.2815515655446004;
  if (p50 <= 0 || p90 <= p50) return 0;
  return Math.log(p90 / p50) / Z90;
}

/**
 * Draws from a Distribution by inverse-CDF interpolation between its 21 quantiles (0, 0.05, ..., 1):
 * the sample's median is the distribution's p50, its range [q0, q100].
 */
export function sampleQuantiles(rng: Rng, d: Pick<Distribution, 'quantiles'>): number {
  const q = d.quantiles;
  const steps = q.length - 1;
  if (steps < 1) return q[0] ?? 0;
  const x = rng.next() * steps;
  const i = Math.min(steps - 1, Math.floor(x));
  const lo = q[i] ?? 0;
  const hi = q[i + 1] ?? lo;
  return lo + (hi - lo) * (x - i);
}

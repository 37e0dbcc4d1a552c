/**
 * Builds model `Distribution`s (mean, p10/p50/p90/p99 and 21 quantiles) from a parametric shape or
 * from samples: the demo world describes think times as "median 20 s, cv 1" and gets the same
 * summary the pipeline would measure from logs.
 */
import type { Distribution } from '../types';

/** Probabilities of the 21 model quantiles: 0, 0.05, ..., 1. */
export const QUANTILE_PROBS: readonly number[] = Array.from({ length: 21 }, (_, i) => i / 20);

/** Inverse standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  const pLow = 0.02425;
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  if (p < pLow) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  if (p > 1 - pLow) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) / (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1);
}

function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Mean of the piecewise-linear distribution the 21 quantiles describe (what sampling them yields). */
function quantileMean(q: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i + 1 < q.length; i++) sum += ((q[i] ?? 0) + (q[i + 1] ?? 0)) / 2;
  return sum / Math.max(1, q.length - 1);
}

/** Quantile p of the piecewise-linear distribution through the 21 quantiles. */
function interpolate(q: readonly number[], p: number): number {
  const x = p * (q.length - 1);
  const i = Math.min(q.length - 2, Math.floor(x));
  const lo = q[i] ?? 0;
  const hi = q[i + 1] ?? lo;
  return lo + (hi - lo) * (x - i);
}

/** A Distribution from its 21 quantiles; mean and percentiles are those of sampling them. */
export function fromQuantiles(quantiles: readonly number[]): Distribution {
  const q = quantiles.map((x) => round(x));
  return {
    mean: round(quantileMean(q)),
    p10: round(interpolate(q, 0.1)),
    p50: round(interpolate(q, 0.5)),
    p90: round(interpolate(q, 0.9)),
    p99: round(interpolate(q, 0.99)),
    quantiles: q,
  };
}

/** Standard normal CDF (Abramowitz-Stegun 7.1.26 through erf, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/**
 * Lognormal with the given median and coefficient of variation (cv ~1 for people, < 0.2 for
 * machines), clamped to [min, max]. q0 and q100 are placed so that the outer 5% segments, which
 * sampling fills uniformly, keep the lognormal's conditional means: the sampled mean and cv stay
 * those of the lognormal instead of growing a uniform tail out to an extreme quantile.
 */
export function lognormalDistribution(median: number, cv: number, bounds: { min?: number; max?: number } = {}): Distribution {
  const sigma = Math.sqrt(Math.log(1 + cv * cv));
  const clamp = (x: number): number => Math.min(bounds.max ?? Infinity, Math.max(bounds.min ?? 0, x));
  const at = (p: number): number => median * Math.exp(sigma * normalQuantile(p));
  const scale = median * Math.exp((sigma * sigma) / 2);
  const edge = QUANTILE_PROBS[1] ?? 0.05;
  const zLow = normalQuantile(edge);
  const zHigh = normalQuantile(1 - edge);
  const lowMean = (scale * normalCdf(zLow - sigma)) / edge;
  const highMean = (scale * normalCdf(sigma - zHigh)) / edge;
  const quantiles = QUANTILE_PROBS.map((p, i) => {
    if (i === 0) return clamp(Math.max(0, 2 * lowMean - at(edge)));
    if (i === QUANTILE_PROBS.length - 1) return clamp(2 * highMean - at(1 - edge));
    return clamp(at(p));
  });
  return fromQuantiles(quantiles);
}

/** Uniform between lo and hi. */
export function uniformDistribution(lo: number, hi: number): Distribution {
  return fromQuantiles(QUANTILE_PROBS.map((p) => lo + (hi - lo) * p));
}

/** Empirical Distribution of samples (type-7 quantiles, as numpy and DuckDB's quantile_cont compute). */
export function summarize(values: readonly number[]): Distribution {
  if (values.length === 0) return fromQuantiles(QUANTILE_PROBS.map(() => 0));
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number): number => {
    const x = p * (sorted.length - 1);
    const i = Math.floor(x);
    const lo = sorted[i] ?? 0;
    const hi = sorted[Math.min(sorted.length - 1, i + 1)] ?? lo;
    return lo + (hi - lo) * (x - i);
  };
  const mean = sorted.reduce((s, v) => s + v, 0) / sorted.length;
  return {
    mean: round(mean),
    p10: round(at(0.1)),
    p50: round(at(0.5)),
    p90: round(at(0.9)),
    p99: round(at(0.99)),
    quantiles: QUANTILE_PROBS.map((p) => round(at(p))),
  };
}

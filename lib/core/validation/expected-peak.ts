/**
 * The peak page rate the model's traffic would show at production's size, estimated from a smaller
 * simulation. Scaling the busiest bucket of a small simulation up overstates it: with 5,000 simulated
 * sessions for a 344k-session week, an hour holds ~30 of them, and the largest of 168 such noisy
 * hours came out 26-49% above production's peak, for a model that reproduces every hour.
 *
 * Instead, each simulated session stands for its persona's sessions: its pages, placed after every
 * hour's production session starts (the model's arrival counts), give the expected pages per bucket
 * and their variance (sessions are independent). Production's own busiest bucket is one draw of
 * that noise, so the estimate is the expected maximum over buckets of mean plus noise of
 * production's size, by a seeded Monte Carlo over normal draws.
 */
import { Rng } from '../simulate/rng';
import type { TrafficModel } from '../types';
import type { FigureSession } from './figures';

export interface ExpectedPeakOptions {
  /** Width of the buckets the peak is taken over (seconds), from the window start. */
  readonly peakBucketSeconds: number;
  /** Monte Carlo draws of the per-bucket noise. */
  readonly draws: number;
  readonly seed: number;
}

/** The noise draws' random stream, apart from the simulator's own (simulate.ts derives 1 to 3). */
const NOISE_STREAM = 11;

/** Pages per bucket offset after a session's start bucket: the sessions' mean and variance. */
interface OffsetProfile {
  readonly mean: Float64Array;
  readonly variance: Float64Array;
}

/**
 * Pages per second in the busiest bucket, expected when production's session starts (per persona
 * and arrival bucket) each bring a session like the simulated ones. Sessions whose persona is not in
 * the model, or personas with no simulated session, contribute nothing.
 */
export function expectedPeakRps(model: TrafficModel, sessions: Iterable<FigureSession>, o: ExpectedPeakOptions): number {
  const P = o.peakBucketSeconds;
  const byPersona = new Map<string, FigureSession[]>();
  for (const s of sessions) {
    const list = byPersona.get(s.persona);
    if (list) list.push(s);
    else byPersona.set(s.persona, [s]);
  }
  const windowStart = Date.parse(model.window.start) / 1000;
  const mean: number[] = [];
  const variance: number[] = [];
  for (const p of model.personas) {
    const simulated = byPersona.get(p.name);
    if (!simulated || simulated.length === 0) continue;
    const B = p.arrivals.bucketSeconds;
    const curveStart = Date.parse(p.arrivals.start) / 1000;
    // A start bucket's first peak bucket and where inside it the start bucket begins (its phase): a
    // session's pages land at the same offsets from every start bucket of the same phase.
    const profiles = new Map<number, OffsetProfile>();
    p.arrivals.counts.forEach((count, c) => {
      if (count <= 0) return;
      const from = curveStart - windowStart + c * B;
      const first = Math.floor(from / P);
      const phase = from - first * P;
      let profile = profiles.get(phase);
      if (!profile) profiles.set(phase, (profile = offsetProfile(simulated, { curveStart, B, phase, P })));
      profile.mean.forEach((m, k) => {
        const j = first + k;
        if (j < 0) return;
        mean[j] = (mean[j] ?? 0) + count * m;
        variance[j] = (variance[j] ?? 0) + count * profile.variance[k]!;
      });
    });
  }
  if (mean.length === 0) return 0;
  const rng = Rng.derive(o.seed, NOISE_STREAM);
  let sum = 0;
  for (let d = 0; d < o.draws; d++) {
    let peak = 0;
    for (let j = 0; j < mean.length; j++) {
      const m = mean[j] ?? 0;
      peak = Math.max(peak, m + Math.sqrt(variance[j] ?? 0) * rng.normal());
    }
    sum += peak;
  }
  return sum / o.draws / P;
}

/**
 * Pages per peak bucket after the first, for a session starting uniformly within an arrival bucket
 * of width B that begins `phase` seconds into a peak bucket: each simulated session keeps its own
 * place within its arrival bucket (the simulator draws it uniformly) and its pages' offsets.
 */
function offsetProfile(
  sessions: readonly FigureSession[],
  { curveStart, B, phase, P }: { curveStart: number; B: number; phase: number; P: number },
): OffsetProfile {
  const sum: number[] = [];
  const sumSquares: number[] = [];
  const own = new Map<number, number>();
  for (const s of sessions) {
    const pages = s.requests.filter((r) => !r.isAsset);
    if (pages.length === 0) continue;
    const start = s.requests[0]!.tStart;
    const within = (((start - curveStart) % B) + B) % B;
    own.clear();
    for (const r of pages) {
      const k = Math.floor((phase + within + (r.tStart - start)) / P);
      own.set(k, (own.get(k) ?? 0) + 1);
    }
    for (const [k, x] of own) {
      sum[k] = (sum[k] ?? 0) + x;
      sumSquares[k] = (sumSquares[k] ?? 0) + x * x;
    }
  }
  const n = sessions.length;
  const mean = Float64Array.from(sum, (x) => (x ?? 0) / n);
  const variance = Float64Array.from(sumSquares, (x, k) => Math.max(0, (x ?? 0) / n - mean[k]! ** 2));
  return { mean, variance };
}

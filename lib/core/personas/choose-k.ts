/**
 * `--k auto`: try every k in kMin..kMax, score each clustering by its mean silhouette, and keep the
 * largest k reached from the best one by steps of k + 1 that all stay within `silhouetteTolerance` of
 * the best (a k past a clear drop is not kept because a later, noisier k climbs back near it: small
 * samples make such noise at large k). Silhouette alone rewards the
 * coarsest clear split (machines vs people scores higher than the four personas inside it); for a load
 * model a split too many costs little, a merge too many loses a behaviour (buyers inside browsers).
 * Each candidate is fitted on a bounded subsample and scored on a fixed-size silhouette sample, so the
 * choice costs the same for any input size; the caller fits the winner again on the same subsample
 * and refines it on the whole fit sample (kmeans-fit.ts fitKmeansSampled).
 *
 * k = 1 (no split at all) has no silhouette; with `singleClusterSilhouetteMax` set, the points stay one
 * cluster when the best split in two scores below it: a single population cut in half (a weak
 * silhouette) is not two personas (threshold and measured values: config.ts).
 */
import type { KScore } from '../types';
import { pickPoints, type FlatPoints } from './flat-points';
import { bestRun, canonicalFit, type KmeansOptions, type KmeansRun } from './kmeans-fit';
import { sampleIndices } from './random';
import { sampledDistances, silhouetteFromDistances } from './silhouette';

export interface ChooseKOptions extends KmeansOptions {
  readonly kMin: number;
  readonly kMax: number;
  readonly silhouetteSampleSize: number;
  readonly kSelectionSampleSize: number;
  readonly kSelectionRestarts: number;
  readonly silhouetteTolerance: number;
  /** Allows k = 1 below this k=2 silhouette. */
  readonly singleClusterSilhouetteMax?: number;
}

export interface KChoice {
  readonly k: number;
  readonly scores: KScore[];
  /** Points each silhouette was computed on. */
  readonly sampleSize: number;
  /** The chosen k's best k-means run on the k-selection subsample (none for k = 1). */
  readonly run?: KmeansRun;
}

export function chooseK(points: FlatPoints, options: ChooseKOptions): KChoice {
  const subset = pickPoints(points, sampleIndices(points.n, options.kSelectionSampleSize, options.seed));
  const kMax = Math.min(options.kMax, subset.n - 1);
  const kMin = Math.max(2, options.kMin);
  if (kMax < kMin) return { k: 1, scores: [], sampleSize: 0 };
  const scores: KScore[] = [];
  const runs = new Map<number, KmeansRun>();
  let sampleSize = 0;
  // Every k is scored on the same sampled points: their distances are computed once (silhouette.ts).
  const distances = sampledDistances(subset, options.silhouetteSampleSize, options.seed);
  for (let k = kMin; k <= kMax; k++) {
    const run = bestRun(subset, k, { ...options, restarts: options.kSelectionRestarts });
    runs.set(k, run);
    const fit = canonicalFit(subset, run);
    // Scored with the clusters actually found: k-means may leave a centre empty.
    const result = silhouetteFromDistances(distances, fit.labels, fit.centers.length);
    sampleSize = result.sampleSize;
    scores.push({ k, silhouette: result.silhouette });
  }
  const split = scores.find((s) => s.k === 2);
  if (options.singleClusterSilhouetteMax !== undefined && split !== undefined && split.silhouette < options.singleClusterSilhouetteMax) {
    return { k: 1, scores, sampleSize };
  }
  const best = Math.max(...scores.map((s) => s.silhouette));
  const byK = [...scores].sort((a, b) => a.k - b.k);
  let at = byK.findIndex((s) => s.silhouette === best);
  while (at + 1 < byK.length && byK[at + 1]!.silhouette >= best - options.silhouetteTolerance) at++;
  const k = byK[at]!.k;
  return { k, scores, sampleSize, run: runs.get(k)! };
}

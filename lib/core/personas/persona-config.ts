/**
 * The persona step's configuration as a widened type: DEFAULTS (config.ts) is `as const`, so its literal
 * types would forbid overrides such as `{ ...DEFAULTS.personas, kMax: 10 }`. Everything else in this
 * folder takes a `PersonasConfig`.
 */
import { DEFAULTS } from '../config';

export interface NamingThresholds {
  readonly machineThinkCvMax: number;
  readonly apiShareMin: number;
  readonly machineUaShareMin: number;
  readonly writeRatioMin: number;
  readonly buyerCheckoutShareMin: number;
  readonly buyerCheckoutWithWritesMin: number;
  readonly deepSessionMinPages: number;
  readonly scraperThinkMaxSeconds: number;
  readonly scraperMinPages: number;
  readonly scraperAssetRatioMax: number;
}

export interface PersonasConfig {
  readonly algorithm: 'kmeans' | 'dbscan';
  readonly kMin: number;
  readonly kMax: number;
  readonly fitSampleSize: number;
  readonly silhouetteSampleSize: number;
  readonly restarts: number;
  readonly seed: number;
  readonly maxIterations: number;
  readonly tolerance: number;
  readonly kSelectionRestarts: number;
  readonly silhouetteTolerance: number;
  readonly kSelectionSampleSize: number;
  readonly dbscanSampleSize: number;
  readonly dbscanMinPtsPerDim: number;
  readonly dbscanRadiusQuantile: number;
  readonly clientKinds: { readonly machineUaMin: number; readonly apiShareMin: number; readonly assetRatioMax: number };
  readonly singleClusterSilhouetteMax: number;
  readonly gaussianIterations: number;
  readonly gaussianVarianceFloor: number;
  readonly gaussianTolerance: number;
  readonly machineUserAgents: readonly string[];
  readonly naming: NamingThresholds;
}

export const PERSONAS_DEFAULTS: PersonasConfig = DEFAULTS.personas;

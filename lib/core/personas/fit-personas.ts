/**
 * Fits personas on a sample of session feature rows: bots labelled by rule first, the rest clustered
 * in the standardised feature space (k-means with k chosen by silhouette or forced, or DBSCAN), each
 * cluster named from its behaviour. The result is plain data: assign.ts / assign-sql.ts turn it into a
 * persona per session, summarise-personas.ts into personas.json.
 *
 * Reproducible by construction: rows are put in a value-based order first (canonical-order.ts), and
 * every random choice derives from `config.seed`. Same sample, same personas, in any row order.
 */
import { OptionError } from '../errors';
import { canonicalOrder } from './canonical-order';
import { chooseK } from './choose-k';
import { fitDbscan } from './dbscan-fit';
import {
  centreInOriginalUnits,
  cleanValue,
  fitTransform,
  rowCount,
  selectFeatureSpecs,
  standardiseRows,
  type FeatureColumns,
  type FeatureTransform,
} from './feature-space';
import { fitKmeans } from './kmeans-fit';
import { BOT_COLUMNS, botMask } from './label-bots';
import { nameBotPersona, namePersonas } from './name-personas';
import { PERSONAS_DEFAULTS, type PersonasConfig } from './persona-config';
import type { FittedPersona, PersonaFit } from './persona-fit';
import { sampleIndices } from './random';
import { sampledSilhouette } from './silhouette';

export interface FitPersonasOptions {
  /** @default config.algorithm */
  readonly algorithm?: 'kmeans' | 'dbscan';
  /** `auto` chooses k in kMin..kMax by silhouette; a number forces it (k-means only). @default 'auto' */
  readonly k?: 'auto' | number;
  /** @default DEFAULTS.personas */
  readonly config?: PersonasConfig;
}

interface Cluster {
  readonly center: number[];
  readonly sampleSessions: number;
  readonly radiusSquared?: number;
}

interface Clustering {
  readonly clusters: Cluster[];
  readonly k: number;
  readonly kSelection: PersonaFit['kSelection'];
  readonly dbscan?: PersonaFit['dbscan'];
}

export function fitPersonas(sample: FeatureColumns, options: FitPersonasOptions = {}): PersonaFit {
  const config = options.config ?? PERSONAS_DEFAULTS;
  const algorithm = options.algorithm ?? config.algorithm;
  const kOption = options.k ?? 'auto';
  if (kOption !== 'auto' && (!Number.isInteger(kOption) || kOption < 1)) {
    throw new OptionError(`--k must be auto or a whole number >= 1, got ${kOption}`);
  }
  const n = rowCount(sample);
  const specs = selectFeatureSpecs(sample);
  const order = canonicalOrder(sample, [...specs.map((s) => s.column), ...BOT_COLUMNS], n);
  const bots = botMask(sample, n);
  const humans = order.filter((r) => bots[r] === 0);
  const botRows = order.filter((r) => bots[r] === 1);

  const transform = fitTransform(sample, specs, humans);
  const points = standardiseRows(transform, sample, humans);
  const clustering =
    algorithm === 'dbscan' ? clusterDbscan(points, humans, config) : clusterKmeans(points, kOption, config);

  const profiles = clustering.clusters.map((c) => ({ center: c.center, centroid: centreInOriginalUnits(transform, c.center) }));
  const names = namePersonas(profiles, transform, config.naming);
  const personas: FittedPersona[] = [
    botPersona(sample, transform, botRows),
    ...clustering.clusters.map((c, i): FittedPersona => {
      const base = {
        name: names[i]!.name,
        isBot: false,
        center: c.center,
        centroid: profiles[i]!.centroid,
        rule: names[i]!.rule,
        evidence: names[i]!.evidence,
        sampleSessions: c.sampleSessions,
      };
      return c.radiusSquared === undefined ? base : { ...base, radiusSquared: c.radiusSquared };
    }),
  ];
  const fit: PersonaFit = {
    schemaVersion: 1,
    algorithm,
    k: clustering.k,
    kSelection: clustering.kSelection,
    seed: config.seed,
    transform,
    personas,
    sampleSize: n,
  };
  return clustering.dbscan ? { ...fit, dbscan: clustering.dbscan } : fit;
}

function clusterKmeans(points: number[][], kOption: 'auto' | number, config: PersonasConfig): Clustering {
  const kmeansOptions = { restarts: config.restarts, seed: config.seed, maxIterations: config.maxIterations, tolerance: config.tolerance };
  if (points.length === 0) return { clusters: [], k: 0, kSelection: { mode: kOption === 'auto' ? 'auto' : 'fixed', sampleSize: 0, scores: [] } };
  let k: number;
  let kSelection: PersonaFit['kSelection'];
  if (kOption === 'auto') {
    const choice = chooseK(points, { ...kmeansOptions, ...config });
    k = choice.k;
    kSelection = { mode: 'auto', sampleSize: choice.sampleSize, scores: choice.scores };
  } else {
    if (kOption > points.length) {
      throw new OptionError(`--k ${kOption} exceeds the ${points.length} non-bot sessions in the fit sample; use a smaller --k or --k auto`);
    }
    k = kOption;
    const fitted = fitKmeans(points, k, kmeansOptions);
    const s = sampledSilhouette(points, fitted.labels, fitted.centers.length, config.silhouetteSampleSize, config.seed);
    kSelection = { mode: 'fixed', sampleSize: s.sampleSize, scores: [{ k, silhouette: s.silhouette }] };
  }
  const fitted = fitKmeans(points, k, kmeansOptions);
  return {
    clusters: fitted.centers.map((center, c) => ({ center, sampleSessions: fitted.sizes[c]! })),
    k: fitted.centers.length,
    kSelection,
  };
}

function clusterDbscan(points: number[][], humans: readonly number[], config: PersonasConfig): Clustering {
  const picked = sampleIndices(points.length, config.dbscanSampleSize, config.seed);
  const sub = picked.map((i) => points[i]!);
  const dims = points[0]?.length ?? 0;
  if (sub.length === 0) {
    return { clusters: [], k: 0, kSelection: { mode: 'auto', sampleSize: 0, scores: [] }, dbscan: { eps: 0, minPts: 0, sampleSize: 0, noiseRows: [] } };
  }
  const fitted = fitDbscan(sub, { minPts: config.dbscanMinPtsPerDim * dims, radiusQuantile: config.dbscanRadiusQuantile });
  // Silhouette of the clusters found (noise left out), for personas.json; DBSCAN has no k to choose.
  const clustered = fitted.clusters.flatMap((c) => c.members.map((m) => sub[m]!));
  const labels = fitted.clusters.flatMap((c, ci) => c.members.map(() => ci));
  const s = sampledSilhouette(clustered, labels, fitted.clusters.length, config.silhouetteSampleSize, config.seed);
  return {
    clusters: fitted.clusters.map((c) => ({ center: c.center, sampleSessions: c.members.length, radiusSquared: c.radiusSquared })),
    k: fitted.clusters.length,
    kSelection: { mode: 'auto', sampleSize: s.sampleSize, scores: [{ k: fitted.clusters.length, silhouette: s.silhouette }] },
    dbscan: {
      eps: fitted.eps,
      minPts: fitted.minPts,
      sampleSize: sub.length,
      noiseRows: fitted.noise.map((i) => humans[picked[i]!]!).sort((a, b) => a - b),
    },
  };
}

function botPersona(sample: FeatureColumns, transform: FeatureTransform, botRows: readonly number[]): FittedPersona {
  const ua = sample['is_bot_ua'];
  const robots = sample['robots_hits'];
  const share = (pred: (r: number) => boolean): number => (botRows.length === 0 ? 0 : botRows.filter(pred).length / botRows.length);
  const named = nameBotPersona({
    sessions: botRows.length,
    botUaShare: share((r) => cleanValue(ua?.[r]) >= 0.5),
    robotsShare: share((r) => cleanValue(robots?.[r]) > 0),
  });
  const botPoints = standardiseRows(transform, sample, botRows);
  const mean = transform.features.map((_, j) => botPoints.reduce((s, p) => s + p[j]!, 0) / Math.max(1, botPoints.length));
  return {
    name: named.name,
    isBot: true,
    center: [],
    centroid: botRows.length > 0 ? centreInOriginalUnits(transform, mean) : {},
    rule: named.rule,
    evidence: named.evidence,
    sampleSessions: botRows.length,
  };
}

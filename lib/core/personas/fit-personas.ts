/**
 * Fits personas on a sample of session feature rows: bots labelled by rule first; with `--k auto`
 * k-means, the rest split by rule into client kinds (machines vs browsers, client-kind.ts), each kind
 * standardised on its own, its k chosen by silhouette within the kind (1 when no split is convincing,
 * and no more clusters than the naming rules tell behaviours apart), k-means refined into per-persona Gaussians (gaussian-refine.ts); a forced k or DBSCAN clusters all
 * non-bot sessions together as one group. Every cluster is named from its behaviour. The result is plain data: assign.ts / assign-sql.ts turn it into a
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
  applyTransform,
  centreInOriginalUnits,
  cleanValue,
  fitTransform,
  rowCount,
  selectFeatureSpecs,
  standardisePoints,
  standardiseRows,
  type FeatureColumns,
  type FeatureTransform,
} from './feature-space';
import { machineMask, type ClientKind, type ClientKindRule } from './client-kind';
import { refineGaussian } from './gaussian-refine';
import { flatPoints, pickPoints, toRows, type FlatPoints } from './flat-points';
import { fitKmeansSampled } from './kmeans-fit';
import { BOT_COLUMNS, botMask } from './label-bots';
import { nameBotPersona, nameCluster, namePersonas } from './name-personas';
import { PERSONAS_DEFAULTS, type PersonasConfig } from './persona-config';
import type { FittedPersona, PersonaFit, PersonaGroup } from './persona-fit';
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
  readonly variance?: number[];
  readonly weight?: number;
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
  const byKind = algorithm === 'kmeans' && kOption === 'auto';
  const kindRule: ClientKindRule = { ...config.clientKinds, usesMachineUa: specs.some((s) => s.column === 'machine_ua') };
  const machines = machineMask(kindRule, sample, n);
  const parts: { kind: ClientKind; rows: number[] }[] = byKind
    ? [
        { kind: 'machine' as const, rows: humans.filter((r) => machines[r] === 1) },
        { kind: 'browser' as const, rows: humans.filter((r) => machines[r] === 0) },
      ].filter((p) => p.rows.length > 0)
    : [{ kind: 'all', rows: humans }];

  // Within a kind, the user agent is no behaviour: it decided the kind (and browsers behind a rewritten
  // UA browse like the others), so kinds cluster without it; it stays in the kind's centroid (its mean).
  const kindSpecs = byKind ? specs.filter((s) => !KIND_ONLY_COLUMNS.includes(s.column)) : specs;
  const fitted = parts.map((part) => {
    const own = fitTransform(sample, kindSpecs, part.rows);
    const points = standardisePoints(own, sample, part.rows);
    const kindMean = centreInOriginalUnits(transform, transform.features.map(() => 0));
    const kindTransform = fitTransform(sample, specs, part.rows);
    const kindMeans = { ...kindMean, ...centreInOriginalUnits(kindTransform, kindTransform.features.map(() => 0)) };
    const chosen =
      algorithm === 'dbscan'
        ? clusterDbscan(points, part.rows, config)
        : clusterKmeans(points, kOption, config, byKind ? config.singleClusterSilhouetteMax : undefined);
    // Clusters the naming rules cannot tell apart are one behaviour cut by k-means (a single population
    // split in two can score a fair silhouette): the kind is clustered again with one cluster per name,
    // until every cluster has a name of its own (k only falls, so this ends).
    const distinctNames = (c: Clustering) =>
      new Set(c.clusters.map((x) => nameCluster({ center: x.center, centroid: { ...kindMeans, ...centreInOriginalUnits(own, x.center) } }, config.naming).name)).size;
    let clustering = chosen;
    for (let names = byKind ? distinctNames(chosen) : chosen.k; names < clustering.k; names = distinctNames(clustering)) {
      clustering = { ...clusterKmeans(points, names, config, undefined), kSelection: chosen.kSelection };
    }
    const group: PersonaGroup = {
      kind: part.kind,
      transform: own,
      k: clustering.k,
      kSelection: clustering.kSelection,
      ...(clustering.k < chosen.k ? { silhouetteK: chosen.k } : {}),
      sampleSessions: part.rows.length,
    };
    return { group, clustering, kindMeans };
  });

  // Names are given over all kinds at once (unique across kinds), with centres mapped into the common
  // standardisation so that namesakes from different kinds are qualified by comparable differences.
  const clusters = fitted
    .flatMap(({ group, clustering, kindMeans }) => clustering.clusters.map((c) => ({ c, group, kindMeans })))
    .sort((a, b) => b.c.sampleSessions - a.c.sampleSessions);
  const profiles = clusters.map(({ c, group, kindMeans }) => {
    const centroid = { ...kindMeans, ...centreInOriginalUnits(group.transform, c.center) };
    return { center: toCommonSpace(group.transform, transform, c.center, kindMeans), centroid };
  });
  const names = namePersonas(profiles, transform, config.naming);
  const personas: FittedPersona[] = [
    botPersona(sample, transform, botRows),
    ...clusters.map(({ c, group }, i): FittedPersona => {
      const base: FittedPersona = {
        name: names[i]!.name,
        isBot: false,
        center: c.center,
        centroid: profiles[i]!.centroid,
        rule: names[i]!.rule,
        evidence: names[i]!.evidence,
        sampleSessions: c.sampleSessions,
        kind: group.kind,
      };
      if (c.radiusSquared !== undefined) return { ...base, radiusSquared: c.radiusSquared };
      if (c.variance !== undefined && c.weight !== undefined) return { ...base, variance: c.variance, weight: c.weight };
      return base;
    }),
  ];
  const groups = fitted.map((f) => f.group);
  const largest = [...groups].sort((a, b) => b.sampleSessions - a.sampleSessions)[0];
  const fit: PersonaFit = {
    schemaVersion: 1,
    algorithm,
    k: clusters.length,
    kSelection: largest?.kSelection ?? { mode: kOption === 'auto' ? 'auto' : 'fixed', sampleSize: 0, scores: [] },
    seed: config.seed,
    transform,
    groups,
    ...(byKind ? { clientKinds: kindRule } : {}),
    personas,
    sampleSize: n,
  };
  const dbscan = fitted[0]?.clustering.dbscan;
  return algorithm === 'dbscan' && dbscan ? { ...fit, dbscan } : fit;
}

/** Columns that decide the client kind and are left out of clustering within a kind. */
const KIND_ONLY_COLUMNS: readonly string[] = ['machine_ua'];

/**
 * A centre standardised with one kind's transform, re-standardised with the common one; columns the
 * kind does not cluster on take the kind's mean.
 */
function toCommonSpace(own: FeatureTransform, common: FeatureTransform, center: readonly number[], kindMeans: Readonly<Record<string, number>>): number[] {
  return common.features.map((c) => {
    const j = own.features.findIndex((f) => f.column === c.column);
    const f = own.features[j];
    const value = f !== undefined ? (center[j] ?? 0) * f.std + f.mean : applyTransform(c.transform, kindMeans[c.column] ?? 0);
    return (value - c.mean) / c.std;
  });
}

function clusterKmeans(points: FlatPoints, kOption: 'auto' | number, config: PersonasConfig, singleClusterSilhouetteMax: number | undefined): Clustering {
  const kmeansOptions = { restarts: config.restarts, seed: config.seed, maxIterations: config.maxIterations, tolerance: config.tolerance };
  if (points.n === 0) return { clusters: [], k: 0, kSelection: { mode: kOption === 'auto' ? 'auto' : 'fixed', sampleSize: 0, scores: [] } };
  if (kOption !== 'auto' && kOption > points.n) {
    throw new OptionError(`--k ${kOption} exceeds the ${points.n} non-bot sessions in the fit sample; use a smaller --k or --k auto`);
  }
  const choice =
    kOption === 'auto'
      ? chooseK(points, singleClusterSilhouetteMax === undefined ? { ...kmeansOptions, ...config } : { ...kmeansOptions, ...config, singleClusterSilhouetteMax })
      : undefined;
  const k = choice?.k ?? (kOption === 'auto' ? 1 : kOption);
  // The restarts run on the k-selection subsample, Lloyd once on every point (kmeans-fit.ts).
  // choose-k.ts ran the first restarts of the chosen k on that same subsample already.
  const sampled = { ...kmeansOptions, sampleSize: config.kSelectionSampleSize };
  const fitted = fitKmeansSampled(points, k, choice?.run !== undefined ? { ...sampled, earlier: choice.run } : sampled);
  let kSelection: PersonaFit['kSelection'];
  if (choice !== undefined) {
    kSelection = { mode: 'auto', sampleSize: choice.sampleSize, scores: choice.scores };
  } else {
    const s = sampledSilhouette(points, fitted.labels, fitted.centers.length, config.silhouetteSampleSize, config.seed);
    kSelection = { mode: 'fixed', sampleSize: s.sampleSize, scores: [{ k, silhouette: s.silhouette }] };
  }
  const refined = refineGaussian(points, fitted.centers, { iterations: config.gaussianIterations, tolerance: config.gaussianTolerance, varianceFloor: config.gaussianVarianceFloor });
  return {
    clusters: refined.map((g) => ({ center: g.center, sampleSessions: g.size, variance: g.variance, weight: g.weight })),
    k: refined.length,
    kSelection,
  };
}

function clusterDbscan(points: FlatPoints, humans: readonly number[], config: PersonasConfig): Clustering {
  const picked = sampleIndices(points.n, config.dbscanSampleSize, config.seed);
  const sub = toRows(pickPoints(points, picked));
  const dims = points.dims;
  if (sub.length === 0) {
    return { clusters: [], k: 0, kSelection: { mode: 'auto', sampleSize: 0, scores: [] }, dbscan: { eps: 0, minPts: 0, sampleSize: 0, noiseRows: [] } };
  }
  const fitted = fitDbscan(sub, { minPts: config.dbscanMinPtsPerDim * dims, radiusQuantile: config.dbscanRadiusQuantile });
  // Silhouette of the clusters found (noise left out), for personas.json; DBSCAN has no k to choose.
  const clustered = fitted.clusters.flatMap((c) => c.members.map((m) => sub[m]!));
  const labels = fitted.clusters.flatMap((c, ci) => c.members.map(() => ci));
  const s = sampledSilhouette(flatPoints(clustered, dims), labels, fitted.clusters.length, config.silhouetteSampleSize, config.seed);
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

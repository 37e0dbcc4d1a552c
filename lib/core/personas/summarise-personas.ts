/**
 * personas.json from a fit and the per-persona statistics of ALL sessions (computed in SQL with
 * `personaStatsSql`): sizes and shares over every session, centroids as means over every session when
 * given (else the fit's centres), and each persona's rule and evidence from the fit.
 */
import type { PersonaSummary, PersonasFile, SqlRow } from '../types';
import { describeKindRule } from './client-kind';
import { OUTLIER_PERSONA, type PersonaFit } from './persona-fit';

export interface PersonaStats {
  /** Sessions per persona name (the `outlier` count included, for DBSCAN). */
  readonly counts: Record<string, number>;
  /** Mean original-unit features per persona name. */
  readonly centroids: Record<string, Record<string, number>>;
}

/** Reads the rows of `personaStatsSql` into counts and centroids. */
export function personaStatsFromRows(rows: readonly SqlRow[]): PersonaStats {
  const counts: Record<string, number> = {};
  const centroids: Record<string, Record<string, number>> = {};
  for (const row of rows) {
    const name = String(row['persona']);
    counts[name] = Number(row['sessions'] ?? 0);
    const centroid: Record<string, number> = {};
    for (const [key, value] of Object.entries(row)) {
      if (key !== 'persona' && key !== 'sessions' && typeof value === 'number') centroid[key] = value;
    }
    centroids[name] = centroid;
  }
  return { counts, centroids };
}

/**
 * The personas.json content. Personas without sessions are left out (a bot rule that never fired).
 * `outlierExamples` are session ids of DBSCAN noise sessions chosen by the caller (no PII: ids only).
 */
export function summarisePersonas(
  fit: PersonaFit,
  counts: Readonly<Record<string, number>>,
  centroidsInOriginalUnits?: Readonly<Record<string, Record<string, number>>>,
  outlierExamples: readonly string[] = [],
): PersonasFile {
  const total = Object.values(counts).reduce((s, c) => s + c, 0);
  const share = (c: number): number => (total > 0 ? c / total : 0);
  const personas: PersonaSummary[] = fit.personas
    .filter((p) => (counts[p.name] ?? 0) > 0)
    .map((p) => ({
      name: p.name,
      sessions: counts[p.name]!,
      share: share(counts[p.name]!),
      isBot: p.isBot,
      centroid: centroidsInOriginalUnits?.[p.name] ?? p.centroid,
      rule: p.rule,
      evidence: p.evidence,
    }));
  const file: PersonasFile = {
    algorithm: fit.algorithm,
    k: fit.k,
    kSelection: { mode: fit.kSelection.mode, sampleSize: fit.kSelection.sampleSize, scores: fit.kSelection.scores },
    features: fit.transform.features.map((f) => f.column),
    seed: fit.seed,
    personas,
    kSelectionByKind: fit.groups.map((g) => ({
      kind: g.kind,
      sessions: g.sampleSessions,
      k: g.k,
      mode: g.kSelection.mode,
      sampleSize: g.kSelection.sampleSize,
      scores: g.kSelection.scores,
      ...(g.silhouetteK !== undefined ? { silhouetteK: g.silhouetteK } : {}),
    })),
    ...(fit.clientKinds ? { clientKindRule: describeKindRule(fit.clientKinds) } : {}),
  };
  if (fit.algorithm !== 'dbscan') return file;
  const outliers = counts[OUTLIER_PERSONA] ?? 0;
  return { ...file, outliers: { sessions: outliers, share: share(outliers), examples: [...outlierExamples] } };
}

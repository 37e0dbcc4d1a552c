/**
 * What fitting produces and every later step consumes: the feature transform, one centre per persona
 * with its name and evidence, and how k was chosen. Plain JSON (no typed arrays, no functions), so a
 * Lambda can return it to Step Functions and a run folder can keep it.
 */
import type { Evidence, KScore } from '../types';
import type { ClientKind, ClientKindRule } from './client-kind';
import type { FeatureTransform } from './feature-space';

/** Persona column value for DBSCAN noise sessions: reported, never forced into a persona. */
export const OUTLIER_PERSONA = 'outlier';

export interface FittedPersona {
  readonly name: string;
  readonly isBot: boolean;
  /** Centre in the standardised space; empty for the bot persona (labelled by rule, not distance). */
  readonly center: number[];
  /** Centre in original units (pages, seconds, shares), keyed by feature column. */
  readonly centroid: Record<string, number>;
  readonly rule: string;
  readonly evidence: Evidence[];
  /** Sessions of the fit sample in this persona. */
  readonly sampleSessions: number;
  /** DBSCAN only: squared distance from the centre within which a session joins this persona. */
  readonly radiusSquared?: number;
  /** The client kind (group) whose space `center` lives in; absent for the bot persona. */
  readonly kind?: ClientKind;
  /** Gaussian refinement: per-feature variance (standardised space of its kind) and mixture weight. */
  readonly variance?: number[];
  readonly weight?: number;
}

/** One client kind, clustered on its own with its own standardisation. */
export interface PersonaGroup {
  readonly kind: ClientKind;
  readonly transform: FeatureTransform;
  readonly k: number;
  readonly kSelection: { readonly mode: 'auto' | 'fixed'; readonly sampleSize: number; readonly scores: KScore[] };
  /** The k the silhouette chose, when one cluster per persona name gave fewer (fit-personas.ts). */
  readonly silhouetteK?: number;
  /** Non-bot sessions of the fit sample in this kind. */
  readonly sampleSessions: number;
}

export interface PersonaFit {
  readonly schemaVersion: 1;
  readonly algorithm: 'kmeans' | 'dbscan';
  /** Clusters of non-bot sessions over all kinds (the bot persona comes on top, labelled by rule). */
  readonly k: number;
  /** Scores of the largest kind (`groups` has every kind's). */
  readonly kSelection: { readonly mode: 'auto' | 'fixed'; readonly sampleSize: number; readonly scores: KScore[] };
  readonly seed: number;
  /** Feature columns and the standardisation over all non-bot sample sessions (reports, naming). */
  readonly transform: FeatureTransform;
  /**
   * Kinds in assignment order: a session goes to the first group whose kind rule it meets (`machine`
   * by `clientKinds`), else to the last; `all` is a single group without a rule (forced k, DBSCAN).
   */
  readonly groups: PersonaGroup[];
  readonly clientKinds?: ClientKindRule;
  /** Bot persona first, then clusters, largest first. */
  readonly personas: FittedPersona[];
  readonly sampleSize: number;
  /** DBSCAN: the clustered subsample, its parameters and its noise rows (indices into the fit sample). */
  readonly dbscan?: { readonly eps: number; readonly minPts: number; readonly sampleSize: number; readonly noiseRows: number[] };
}

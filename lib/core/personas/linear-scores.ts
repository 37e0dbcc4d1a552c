/**
 * Persona assignment rewritten as one score per persona, polynomial in the transformed features f,
 * shared by the JS and SQL assigners so both compute the same numbers in the same order. With
 * z = (f - mean) / std in the persona's kind:
 * - nearest centre (k-means, DBSCAN): |z - c|^2 = |z|^2 + score_c, score_c = |c|^2 - 2 c.z, linear in f;
 *   |z|^2 is the same for every centre, so the lowest score wins;
 * - Gaussian refinement: -2 log(weight x density) = sum_j (z_j - c_j)^2 / v_j + log v_j - 2 log weight,
 *   which expands into constant + sum_j (w_j f_j + q_j f_j^2).
 * Scores are evaluated as constant + w_0 f_0 + q_0 f_0^2 + w_1 f_1 + ... left to right, in both engines.
 */
import type { ClientKind } from './client-kind';
import type { FeatureTransform } from './feature-space';
import type { FittedPersona, PersonaFit } from './persona-fit';

export interface LinearScore {
  readonly name: string;
  readonly constant: number;
  readonly weights: readonly number[];
  /** Gaussian refinement only: coefficients of f_j^2. */
  readonly quadratic?: readonly number[];
  /** DBSCAN only: the session joins this persona when |z|^2 + score <= radiusSquared. */
  readonly radiusSquared?: number;
}

export interface LinearModel {
  readonly kind: ClientKind;
  readonly transform: FeatureTransform;
  /** One per clustered persona of this kind. */
  readonly scores: readonly LinearScore[];
  /** z_j = scale_j * f_j + offset_j, for |z|^2 in the DBSCAN radius test. */
  readonly scale: readonly number[];
  readonly offset: readonly number[];
}

const cache = new WeakMap<PersonaFit, LinearModel[]>();

function scoreOf(p: FittedPersona, transform: FeatureTransform): LinearScore {
  const features = transform.features;
  if (p.variance !== undefined && p.weight !== undefined) {
    // (a f + b - c)^2 / v with a = 1/std, b = -mean/std.
    let constant = -2 * Math.log(p.weight);
    const weights: number[] = [];
    const quadratic: number[] = [];
    features.forEach((f, j) => {
      const a = 1 / f.std;
      const e = -f.mean / f.std - (p.center[j] ?? 0);
      const v = p.variance![j] ?? 1;
      quadratic.push((a * a) / v);
      weights.push((2 * a * e) / v);
      constant += (e * e) / v + Math.log(v);
    });
    return { name: p.name, constant, weights, quadratic };
  }
  let constant = 0;
  const weights = features.map((f, j) => {
    const c = p.center[j] ?? 0;
    constant += c * c + (2 * c * f.mean) / f.std;
    return (-2 * c) / f.std;
  });
  return p.radiusSquared === undefined ? { name: p.name, constant, weights } : { name: p.name, constant, weights, radiusSquared: p.radiusSquared };
}

/** One model per group, in the fit's assignment order. */
export function linearModels(fit: PersonaFit): LinearModel[] {
  const hit = cache.get(fit);
  if (hit) return hit;
  const models = fit.groups.map((g): LinearModel => {
    const features = g.transform.features;
    return {
      kind: g.kind,
      transform: g.transform,
      scores: fit.personas.filter((p) => !p.isBot && (p.kind ?? 'all') === g.kind).map((p) => scoreOf(p, g.transform)),
      scale: features.map((f) => 1 / f.std),
      offset: features.map((f) => -f.mean / f.std),
    };
  });
  cache.set(fit, models);
  return models;
}

/** The score of one persona at transformed features f, term by term as the SQL writes it. */
export function evaluateScore(s: LinearScore, f: readonly number[]): number {
  let v = s.constant;
  for (let j = 0; j < f.length; j++) {
    v += s.weights[j]! * f[j]!;
    if (s.quadratic) v += s.quadratic[j]! * (f[j]! * f[j]!);
  }
  return v;
}

/**
 * Nearest-centre assignment rewritten as linear scores, shared by the JS and SQL assigners so both
 * compute the same numbers in the same order. With z = (f(x) - mean) / std,
 *   |z - c|^2 = |z|^2 + score_c,   score_c = |c|^2 - 2 c.z = constant_c + sum_j weight_cj f_j(x),
 * and |z|^2 is the same for every centre, so the nearest centre is the one with the lowest score:
 * one multiply-add per feature and centre, no per-centre repetition of the transform.
 */
import type { FeatureTransform } from './feature-space';
import type { PersonaFit } from './persona-fit';

export interface LinearScore {
  readonly name: string;
  readonly constant: number;
  readonly weights: readonly number[];
  /** DBSCAN only: the session joins this persona when |z|^2 + score <= radiusSquared. */
  readonly radiusSquared?: number;
}

export interface LinearModel {
  readonly transform: FeatureTransform;
  /** One per clustered persona (bots are labelled by rule before any score is looked at). */
  readonly scores: readonly LinearScore[];
  /** z_j = scale_j * f_j + offset_j, for |z|^2 in the DBSCAN radius test. */
  readonly scale: readonly number[];
  readonly offset: readonly number[];
}

const cache = new WeakMap<PersonaFit, LinearModel>();

export function linearModel(fit: PersonaFit): LinearModel {
  const hit = cache.get(fit);
  if (hit) return hit;
  const features = fit.transform.features;
  const scores = fit.personas
    .filter((p) => !p.isBot)
    .map((p): LinearScore => {
      let constant = 0;
      const weights = features.map((f, j) => {
        const c = p.center[j] ?? 0;
        constant += c * c + (2 * c * f.mean) / f.std;
        return (-2 * c) / f.std;
      });
      return p.radiusSquared === undefined
        ? { name: p.name, constant, weights }
        : { name: p.name, constant, weights, radiusSquared: p.radiusSquared };
    });
  const model: LinearModel = {
    transform: fit.transform,
    scores,
    scale: features.map((f) => 1 / f.std),
    offset: features.map((f) => -f.mean / f.std),
  };
  cache.set(fit, model);
  return model;
}

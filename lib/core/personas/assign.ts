/**
 * Assigns sessions to personas in JS, with exactly the arithmetic of the SQL expression
 * (assign-sql.ts): bots by rule first, then the lowest linear score (nearest centre), first persona on
 * ties; with DBSCAN, sessions beyond their nearest cluster's radius are outliers. Used on the sample,
 * in tests, and wherever the sessions are already in memory.
 */
import { BOT_PERSONA, isBotSession } from './label-bots';
import { applyTransform, cleanValue, type FeatureColumns } from './feature-space';
import { linearModel, type LinearModel } from './linear-scores';
import { OUTLIER_PERSONA, type PersonaFit } from './persona-fit';

/** One session's features; booleans count as 0/1, missing or null values as 0 (SQL's COALESCE). */
export type FeatureRow = Readonly<Record<string, number | boolean | null | undefined>>;

function numeric(v: number | boolean | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return cleanValue(Number(v));
}

function assignTransformed(model: LinearModel, f: readonly number[]): string {
  const { scores } = model;
  if (scores.length === 0) return OUTLIER_PERSONA;
  let best = 0;
  let bestScore = Infinity;
  scores.forEach((s, c) => {
    let v = s.constant;
    for (let j = 0; j < f.length; j++) v += s.weights[j]! * f[j]!;
    if (v < bestScore) {
      bestScore = v;
      best = c;
    }
  });
  const winner = scores[best]!;
  if (winner.radiusSquared === undefined) return winner.name;
  let zz = 0;
  for (let j = 0; j < f.length; j++) {
    const z = model.scale[j]! * f[j]! + model.offset[j]!;
    zz += z * z;
  }
  return zz + bestScore <= winner.radiusSquared ? winner.name : OUTLIER_PERSONA;
}

/** The persona name of one session. */
export function assignSession(fit: PersonaFit, row: FeatureRow): string {
  if (isBotSession(numeric(row['is_bot_ua']), numeric(row['robots_hits']))) return BOT_PERSONA;
  const model = linearModel(fit);
  const f = model.transform.features.map((feat) => applyTransform(feat.transform, numeric(row[feat.column])));
  return assignTransformed(model, f);
}

/** The persona name of every row of a column set. */
export function assignColumns(fit: PersonaFit, columns: FeatureColumns): string[] {
  const model = linearModel(fit);
  const feats = model.transform.features;
  const cols = feats.map((feat) => columns[feat.column]);
  const ua = columns['is_bot_ua'];
  const robots = columns['robots_hits'];
  const n = Object.values(columns)[0]?.length ?? 0;
  const out = new Array<string>(n);
  const f = new Array<number>(feats.length).fill(0);
  for (let i = 0; i < n; i++) {
    if (isBotSession(ua?.[i], robots?.[i])) {
      out[i] = BOT_PERSONA;
      continue;
    }
    for (let j = 0; j < feats.length; j++) f[j] = applyTransform(feats[j]!.transform, cols[j]?.[i] ?? 0);
    out[i] = assignTransformed(model, f);
  }
  return out;
}

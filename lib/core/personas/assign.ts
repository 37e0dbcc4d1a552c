/**
 * Assigns sessions to personas in JS, with exactly the arithmetic of the SQL expression
 * (assign-sql.ts): bots by rule first, then the client kind by rule, then the lowest score among that
 * kind's personas (nearest centre, or most likely Gaussian), first persona on ties; with DBSCAN,
 * sessions beyond their nearest cluster's radius are outliers. Used on the sample, in tests, and
 * wherever the sessions are already in memory.
 */
import { isMachineSession } from './client-kind';
import { BOT_PERSONA, isBotSession } from './label-bots';
import { cleanValue, featureValue, PAGES_COLUMN, type FeatureColumns } from './feature-space';
import { evaluateScore, linearModels, type LinearModel } from './linear-scores';
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
    const v = evaluateScore(s, f);
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

/** The group a non-bot session belongs to: the machine group when its rule holds, else the last one. */
function pickModel(fit: PersonaFit, models: readonly LinearModel[], value: (column: string) => number): LinearModel | undefined {
  const rule = fit.clientKinds;
  if (rule !== undefined && models.length > 1) {
    const machine = isMachineSession(rule, value('machine_ua'), value('api_share'), value('asset_ratio'));
    const wanted = machine ? 'machine' : 'browser';
    return models.find((m) => m.kind === wanted) ?? models.at(-1);
  }
  return models.at(-1);
}

function assignOne(fit: PersonaFit, models: readonly LinearModel[], value: (column: string) => number): string {
  if (isBotSession(value('is_bot_ua'), value('robots_hits'))) return BOT_PERSONA;
  const model = pickModel(fit, models, value);
  if (model === undefined) return OUTLIER_PERSONA;
  const pages = value(PAGES_COLUMN);
  const f = model.transform.features.map((feat) => featureValue(feat, value(feat.column), pages));
  return assignTransformed(model, f);
}

/** The persona name of one session. */
export function assignSession(fit: PersonaFit, row: FeatureRow): string {
  return assignOne(fit, linearModels(fit), (c) => numeric(row[c]));
}

/** The persona name of every row of a column set. */
export function assignColumns(fit: PersonaFit, columns: FeatureColumns): string[] {
  const models = linearModels(fit);
  const n = Object.values(columns)[0]?.length ?? 0;
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) out[i] = assignOne(fit, models, (c) => cleanValue(columns[c]?.[i]));
  return out;
}

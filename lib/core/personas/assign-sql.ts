/**
 * The persona assignment as one SQL SELECT over the session feature columns, so every session (not
 * only the fit sample) gets its persona inside the engine: DuckDB locally, Athena/Trino in AWS.
 * Portable subset only: arithmetic, ln, greatest/least, CASE, COALESCE, CAST; numbers are written as
 * DOUBLE literals in exponent form (`1.5E-1`), because both engines read a plain `0.15` as DECIMAL.
 * The arithmetic mirrors assign.ts term for term (same operands, same order), so SQL and JS agree.
 */
import { machineConditionSql } from './client-kind';
import { BOT_PERSONA, botConditionSql } from './label-bots';
import { PAGES_COLUMN, type FittedFeature } from './feature-space';
import { linearModels, type LinearModel, type LinearScore } from './linear-scores';
import { OUTLIER_PERSONA, type PersonaFit } from './persona-fit';
import { stableAvg } from '../sql/stable-aggregates';
import { doubleLiteral, featureColumnSql, isIdentifier, stringLiteral } from './sql-literals';

export { doubleLiteral } from './sql-literals';

/** f(x) of one feature column, as SQL; the fitted mean where the feature is undefined (too few pages). */
export function transformedFeatureSql(feature: Pick<FittedFeature, 'column' | 'transform'> & Partial<Pick<FittedFeature, 'mean' | 'minPages'>>): string {
  const x = featureColumnSql(feature.column);
  const f = feature.transform === 'log1p' ? `ln(1E0 + greatest(${x}, 0E0))` : x;
  if (feature.minPages === undefined || feature.mean === undefined) return f;
  return `(CASE WHEN ${featureColumnSql(PAGES_COLUMN)} >= ${doubleLiteral(feature.minPages)} THEN ${f} ELSE ${doubleLiteral(feature.mean)} END)`;
}

/** z = (f(x) - mean) / std of every feature of every kind, as SQL expressions (for diagnostics). */
export function standardisedFeaturesSql(fit: PersonaFit): string[] {
  return fit.groups.flatMap((g) => g.transform.features.map((f) => `((${transformedFeatureSql(f)} - ${doubleLiteral(f.mean)}) / ${doubleLiteral(f.std)})`));
}

function scoreSql(score: LinearScore, f: readonly string[]): string {
  const terms = [doubleLiteral(score.constant)];
  score.weights.forEach((w, j) => {
    terms.push(`${doubleLiteral(w)} * ${f[j]!}`);
    if (score.quadratic) terms.push(`${doubleLiteral(score.quadratic[j]!)} * (${f[j]!} * ${f[j]!})`);
  });
  return terms.join(' + ');
}

/** Column names of the intermediate values (prefixed so they never clash with a feature column). */
const featureColumn = (group: number, j: number) => `"lp_f${group}_${j}"`;
const scoreColumn = (group: number, i: number) => `"lp_s${group}_${i}"`;
const radiusColumn = (group: number) => `"lp_zz${group}"`;

/** The persona among one kind's personas, from its score columns. */
function groupSql(model: LinearModel, group: number): string {
  const scores = model.scores.map((s, i) => ({ s, sql: scoreColumn(group, i) }));
  const outcome = (s: LinearScore, sql: string): string =>
    s.radiusSquared === undefined
      ? stringLiteral(s.name)
      : `CASE WHEN ${radiusColumn(group)} + ${sql} <= ${doubleLiteral(s.radiusSquared)} THEN ${stringLiteral(s.name)} ELSE ${stringLiteral(OUTLIER_PERSONA)} END`;
  if (scores.length === 0) return stringLiteral(OUTLIER_PERSONA);
  if (scores.length === 1) return outcome(scores[0]!.s, scores[0]!.sql);
  // Simple CASE over least(): `least` returns one of the scores bit for bit, and the first equal WHEN
  // wins ties, as the first minimum does in JS.
  const least = `least(${scores.map((x) => x.sql).join(', ')})`;
  const whens = scores.map((x) => `WHEN ${x.sql} THEN ${outcome(x.s, x.sql)}`).join(' ');
  return `CASE ${least} ${whens} ELSE ${stringLiteral(OUTLIER_PERSONA)} END`;
}

/**
 * SELECT of `keep` (columns of `relation`, a table name or a parenthesised subquery with an alias)
 * plus `persona`: `bot_crawler` when the bot rule holds, else the row's client kind by rule, else the
 * kind's persona with the lowest score; with DBSCAN, `outlier` beyond that persona's radius.
 *
 * Three nested SELECTs, so that each transformed feature (a logarithm, a CASE) and each persona's
 * score is computed once per row: written as one expression, every score appeared twice and every
 * feature once per score, and assigning a million sessions took seconds instead of a fraction of one.
 */
export function assignPersonasSql(fit: PersonaFit, relation: string, keep: readonly string[]): string {
  const models = linearModels(fit);
  const features = models.flatMap((m, g) => m.transform.features.map((feat, j) => `${transformedFeatureSql(feat)} AS ${featureColumn(g, j)}`));
  const scores = models.flatMap((m, g) => {
    const f = m.transform.features.map((_, j) => featureColumn(g, j));
    const zz = f.map((fj, j) => {
      const z = `(${doubleLiteral(m.scale[j]!)} * ${fj} + ${doubleLiteral(m.offset[j]!)})`;
      return `${z} * ${z}`;
    });
    const radius = m.scores.some((sc) => sc.radiusSquared !== undefined) && zz.length > 0 ? [`(${zz.join(' + ')}) AS ${radiusColumn(g)}`] : [];
    return [...m.scores.map((sc, i) => `(${scoreSql(sc, f)}) AS ${scoreColumn(g, i)}`), ...radius];
  });
  const persona = personaSql(fit, models);
  const withFeatures = features.length > 0 ? `(SELECT *, ${features.join(', ')} FROM ${relation}) lp_features` : relation;
  const withScores = scores.length > 0 ? `(SELECT *, ${scores.join(', ')} FROM ${withFeatures}) lp_scores` : withFeatures;
  return `SELECT ${[...keep, `${persona} AS persona`].join(', ')} FROM ${withScores}`;
}

function personaSql(fit: PersonaFit, models: readonly LinearModel[]): string {
  const bot = `WHEN ${botConditionSql()} THEN ${stringLiteral(BOT_PERSONA)}`;
  const last = models.length - 1;
  if (last < 0) return `CASE ${bot} ELSE ${stringLiteral(OUTLIER_PERSONA)} END`;
  const machine = models.findIndex((m) => m.kind === 'machine');
  const browser = models.findIndex((m) => m.kind === 'browser');
  if (fit.clientKinds !== undefined && models.length > 1 && machine >= 0) {
    const other = browser >= 0 ? browser : last;
    return `CASE ${bot} WHEN ${machineConditionSql(fit.clientKinds)} THEN ${groupSql(models[machine]!, machine)} ELSE ${groupSql(models[other]!, other)} END`;
  }
  return `CASE ${bot} ELSE ${groupSql(models[last]!, last)} END`;
}

/**
 * Sessions and mean original-unit features per persona over a relation of session features: what
 * `summarisePersonas` takes as counts and centroids. `relation` is a table or view name; `assigned`,
 * when given, a table of (sid, persona) made with `assignPersonasSql`.
 */
export function personaStatsSql(fit: PersonaFit, relation: string, assigned?: string): string {
  if (!isIdentifier(relation)) throw new Error(`persona SQL: bad relation name ${relation}`);
  if (assigned !== undefined && !isIdentifier(assigned)) throw new Error(`persona SQL: bad relation name ${assigned}`);
  // Exact means (stable-aggregates.ts): personas.json is the same on every run of the same logs.
  const means = fit.transform.features.map((f) => `${stableAvg(featureColumnSql(f.column))} AS "${f.column}"`);
  // With the assignment already materialised (sid -> persona), join it instead of evaluating the
  // assignment expression over every session a second time.
  const source = assigned
    ? `(SELECT s.*, a.persona FROM "${relation}" s JOIN "${assigned}" a ON a.sid = s.sid)`
    : `(${assignPersonasSql(fit, `"${relation}"`, fit.transform.features.map((f) => `"${f.column}"`))})`;
  return `SELECT persona, count(*) AS sessions, ${means.join(', ')} FROM ${source} AS assigned GROUP BY persona ORDER BY persona`;
}

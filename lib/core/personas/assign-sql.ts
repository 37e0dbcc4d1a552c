/**
 * The persona assignment as one SQL expression over the session feature columns, so every session (not
 * only the fit sample) gets its persona inside the engine: DuckDB locally, Athena/Trino in AWS.
 * Portable subset only: arithmetic, ln, greatest/least, CASE, COALESCE, CAST; numbers are written as
 * DOUBLE literals in exponent form (`1.5E-1`), because both engines read a plain `0.15` as DECIMAL.
 * The arithmetic mirrors assign.ts term for term (same operands, same order), so SQL and JS agree.
 */
import { BOT_PERSONA, botConditionSql } from './label-bots';
import type { FittedFeature } from './feature-space';
import { linearModel, type LinearScore } from './linear-scores';
import { OUTLIER_PERSONA, type PersonaFit } from './persona-fit';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A DOUBLE literal that round-trips exactly (shortest exponent form). */
export function doubleLiteral(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`persona SQL: non-finite constant ${x}`);
  return `(${x.toExponential().toUpperCase()})`;
}

function stringLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

function column(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`persona SQL: bad column name ${name}`);
  return `COALESCE(CAST("${name}" AS DOUBLE), 0E0)`;
}

/** f(x) of one feature column, as SQL. */
export function transformedFeatureSql(feature: Pick<FittedFeature, 'column' | 'transform'>): string {
  const x = column(feature.column);
  return feature.transform === 'log1p' ? `ln(1E0 + greatest(${x}, 0E0))` : x;
}

/** z = (f(x) - mean) / std of every feature, as SQL expressions (for the lead's diagnostics). */
export function standardisedFeaturesSql(fit: PersonaFit): string[] {
  return fit.transform.features.map((f) => `((${transformedFeatureSql(f)} - ${doubleLiteral(f.mean)}) / ${doubleLiteral(f.std)})`);
}

function scoreSql(score: LinearScore, f: readonly string[]): string {
  return [doubleLiteral(score.constant), ...score.weights.map((w, j) => `${doubleLiteral(w)} * ${f[j]!}`)].join(' + ');
}

/**
 * SQL expression giving the persona name of the row: `bot_crawler` when the bot rule holds, else the
 * persona whose centre is nearest; with DBSCAN, `outlier` beyond that persona's radius.
 */
export function assignmentSql(fit: PersonaFit): string {
  const model = linearModel(fit);
  const f = model.transform.features.map((feat) => transformedFeatureSql(feat));
  const scores = model.scores.map((s) => ({ s, sql: `(${scoreSql(s, f)})` }));
  const zz = f
    .map((fj, j) => {
      const z = `(${doubleLiteral(model.scale[j]!)} * ${fj} + ${doubleLiteral(model.offset[j]!)})`;
      return `${z} * ${z}`;
    })
    .join(' + ');
  const outcome = (s: LinearScore, sql: string): string =>
    s.radiusSquared === undefined
      ? stringLiteral(s.name)
      : `CASE WHEN (${zz}) + ${sql} <= ${doubleLiteral(s.radiusSquared)} THEN ${stringLiteral(s.name)} ELSE ${stringLiteral(OUTLIER_PERSONA)} END`;
  let human: string;
  if (scores.length === 0) {
    human = stringLiteral(OUTLIER_PERSONA);
  } else if (scores.length === 1) {
    human = outcome(scores[0]!.s, scores[0]!.sql);
  } else {
    // Simple CASE over least(): each score appears twice instead of k times; `least` returns one of
    // the scores bit for bit, and the first equal WHEN wins ties, as the first minimum does in JS.
    const least = `least(${scores.map((x) => x.sql).join(', ')})`;
    const whens = scores.map((x) => `WHEN ${x.sql} THEN ${outcome(x.s, x.sql)}`).join(' ');
    human = `CASE ${least} ${whens} ELSE ${stringLiteral(OUTLIER_PERSONA)} END`;
  }
  return `CASE WHEN ${botConditionSql()} THEN ${stringLiteral(BOT_PERSONA)} ELSE ${human} END`;
}

/**
 * Sessions and mean original-unit features per persona over a relation of session features: what
 * `summarisePersonas` takes as counts and centroids. `relation` is a table or view name.
 */
export function personaStatsSql(fit: PersonaFit, relation: string): string {
  if (!IDENTIFIER.test(relation)) throw new Error(`persona SQL: bad relation name ${relation}`);
  const means = fit.transform.features.map((f) => `avg(${column(f.column)}) AS "${f.column}"`);
  return `SELECT persona, count(*) AS sessions, ${means.join(', ')} FROM (SELECT *, ${assignmentSql(fit)} AS persona FROM "${relation}") AS assigned GROUP BY persona ORDER BY persona`;
}

/**
 * The persona assignment as one SQL expression over the session feature columns, so every session (not
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

/** The persona among one kind's personas, as SQL. */
function groupSql(model: LinearModel): string {
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
  if (scores.length === 0) return stringLiteral(OUTLIER_PERSONA);
  if (scores.length === 1) return outcome(scores[0]!.s, scores[0]!.sql);
  // Simple CASE over least(): each score appears twice instead of k times; `least` returns one of
  // the scores bit for bit, and the first equal WHEN wins ties, as the first minimum does in JS.
  const least = `least(${scores.map((x) => x.sql).join(', ')})`;
  const whens = scores.map((x) => `WHEN ${x.sql} THEN ${outcome(x.s, x.sql)}`).join(' ');
  return `CASE ${least} ${whens} ELSE ${stringLiteral(OUTLIER_PERSONA)} END`;
}

/**
 * SQL expression giving the persona name of the row: `bot_crawler` when the bot rule holds, else the
 * row's client kind by rule, else the kind's persona with the lowest score; with DBSCAN, `outlier`
 * beyond that persona's radius.
 */
export function assignmentSql(fit: PersonaFit): string {
  const models = linearModels(fit);
  const bot = `WHEN ${botConditionSql()} THEN ${stringLiteral(BOT_PERSONA)}`;
  const last = models.at(-1);
  if (last === undefined) return `CASE ${bot} ELSE ${stringLiteral(OUTLIER_PERSONA)} END`;
  const machine = models.find((m) => m.kind === 'machine');
  const browser = models.find((m) => m.kind === 'browser') ?? last;
  if (fit.clientKinds !== undefined && models.length > 1 && machine !== undefined) {
    return `CASE ${bot} WHEN ${machineConditionSql(fit.clientKinds)} THEN ${groupSql(machine)} ELSE ${groupSql(browser)} END`;
  }
  return `CASE ${bot} ELSE ${groupSql(last)} END`;
}

/**
 * Sessions and mean original-unit features per persona over a relation of session features: what
 * `summarisePersonas` takes as counts and centroids. `relation` is a table or view name; `assigned`,
 * when given, a table of (sid, persona) made with `assignmentSql`.
 */
export function personaStatsSql(fit: PersonaFit, relation: string, assigned?: string): string {
  if (!isIdentifier(relation)) throw new Error(`persona SQL: bad relation name ${relation}`);
  if (assigned !== undefined && !isIdentifier(assigned)) throw new Error(`persona SQL: bad relation name ${assigned}`);
  const means = fit.transform.features.map((f) => `avg(${featureColumnSql(f.column)}) AS "${f.column}"`);
  // With the assignment already materialised (sid -> persona), join it instead of evaluating the
  // assignment expression over every session a second time.
  const source = assigned
    ? `(SELECT s.*, a.persona FROM "${relation}" s JOIN "${assigned}" a ON a.sid = s.sid)`
    : `(SELECT *, ${assignmentSql(fit)} AS persona FROM "${relation}")`;
  return `SELECT persona, count(*) AS sessions, ${means.join(', ')} FROM ${source} AS assigned GROUP BY persona ORDER BY persona`;
}

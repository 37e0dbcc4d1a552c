/**
 * Step 2: personas. Fits on a sample of session features (ordered by session id, which is a digest:
 * a deterministic pseudo-random sample in both engines), then assigns EVERY session in SQL with the
 * fit's assignment expression, and summarises per-persona sizes and centroids over all sessions.
 * Only the sample's feature rows and per-persona aggregates leave the SQL engine.
 */
import { DEFAULTS } from '../config';
import {
  assignPersonasSql, FEATURE_SPECS, fitPersonas, OUTLIER_PERSONA, personaStatsFromRows, personaStatsSql,
  summarisePersonas, type FeatureColumns, type PersonaFit,
} from '../personas';
import { BOT_COLUMNS } from '../personas/label-bots';
import { dialectFor } from '../sql/dialect';
import type { PersonasFile, SqlEngine } from '../types';

export interface ClusterOptions {
  algorithm: 'kmeans' | 'dbscan';
  k: 'auto' | number;
}

export async function clusterSessions(
  engine: SqlEngine,
  tables: { sessions: string; personas: string },
  o: ClusterOptions,
): Promise<{ fit: PersonaFit; file: PersonasFile }> {
  const d = dialectFor(engine.dialect);
  const columns = [...new Set([...FEATURE_SPECS.map((f) => f.column), ...BOT_COLUMNS])];
  const rows = await fitSampleRows(engine, tables.sessions, columns);
  const sample: FeatureColumns = Object.fromEntries(
    columns.map((c) => [c, Float64Array.from(rows, (r) => Number(r[c] ?? 0))]),
  );
  const fit = fitPersonas(sample, { algorithm: o.algorithm, k: o.k });
  await engine.exec(
    d.createTableAs(tables.personas, assignPersonasSql(fit, tables.sessions, ['sid'])),
  );
  const stats = personaStatsFromRows(await engine.query(personaStatsSql(fit, tables.sessions, tables.personas)));
  const outliers =
    o.algorithm === 'dbscan'
      ? await engine.query<{ session_id: string }>(
          `SELECT ${d.hex64('sid')} AS session_id FROM ${tables.personas} WHERE persona = '${OUTLIER_PERSONA}' ORDER BY sid LIMIT 5`,
        )
      : [];
  return { fit, file: summarisePersonas(fit, stats.counts, stats.centroids, outliers.map((r) => r.session_id)) };
}

/**
 * The feature rows of the `fitSampleSize` sessions with the smallest ids, in id order: session_id is
 * sid as fixed-width hex (sid >= 0), so the order is the same (Athena sorts by session_id), and
 * integers sort far faster than strings. Past the sample's size, only the ids below a bound are
 * sorted (config `fitSampleOversampling`); the rows are the same either way.
 */
export async function fitSampleRows(engine: SqlEngine, sessions: string, columns: readonly string[]): Promise<Record<string, number | boolean>[]> {
  const size = DEFAULTS.personas.fitSampleSize;
  const select = (where: string) =>
    engine.query<Record<string, number | boolean>>(
      `SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM ${sessions} ${where} ORDER BY sid LIMIT ${size}`,
    );
  const [count] = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM ${sessions}`);
  const bound = sidBound(count?.n ?? 0, size);
  if (bound === undefined) return select('');
  const rows = await select(`WHERE sid < ${bound}`);
  // Fewer below the bound than the sample needs: the smallest ids are not all there.
  return rows.length >= size ? rows : select('');
}

/** The sid below which `size x oversampling` of `sessions` uniform ids are expected; none when that is all of them. */
export function sidBound(sessions: number, size: number): bigint | undefined {
  const share = (size * DEFAULTS.personas.fitSampleOversampling) / sessions;
  if (!(share < 1)) return undefined;
  // sid is a 63-bit hash: the bound is that share of 2^63, to 2^-32 (a few sessions in a billion).
  return BigInt(Math.ceil(share * 2 ** 32)) << 31n;
}


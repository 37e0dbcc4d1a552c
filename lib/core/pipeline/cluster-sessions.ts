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
  // The sample in session_id order, sorted by sid: session_id is sid as fixed-width hex (sid >= 0), so
  // the order is the same (Athena sorts by session_id), and integers sort far faster than strings.
  const rows = await engine.query<Record<string, number | boolean>>(
    `SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM ${tables.sessions}
     ORDER BY sid LIMIT ${DEFAULTS.personas.fitSampleSize}`,
  );
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


/**
 * Personas on REAL generated access logs run through the pipeline: a week of ALB logs from the demo
 * world (five known personas), ingested and sessionised in DuckDB by the pipeline's own SQL, clustered
 * by the pipeline's clustering step, and compared with the generator's ground truth.
 */
import { DuckDbEngine } from '../../../lib/adapters/duckdb-engine';
import { DEFAULTS } from '../../../lib/core/config';
import { discoverInputs } from '../../../lib/core/ingest/discover-inputs';
import { ingest, PARSED_TABLE } from '../../../lib/core/ingest/ingest';
import { clusterSessions } from '../../../lib/core/pipeline/cluster-sessions';
import { adjustedRandIndex, assignSession, FEATURE_SPECS, fitPersonas, type FeatureColumns, type PersonaFit } from '../../../lib/core/personas';
import { seedRecipe, SEED_FEATURES } from '../../../lib/core/personas/seed-recipe';
import { BOT_COLUMNS } from '../../../lib/core/personas/label-bots';
import { buildSessions, sessionOptions, TABLES } from '../../../lib/core/sessions/build-sessions';
import { sqlString } from '../../../lib/core/sql/dialect';
import type { PersonasFile } from '../../../lib/core/types';
import { cachedLogs } from '../../helpers/generated-logs';

const share = (a: readonly string[], b: readonly string[]): number => a.filter((x, i) => x === b[i]).length / a.length;

describe('personas of a generated week of ALB logs, through the pipeline', () => {
  let engine: DuckDbEngine;
  let fit: PersonaFit;
  let file: PersonasFile;
  let rows: Record<string, number | boolean | string>[];

  beforeAll(async () => {
    // Given a week of ALB logs with known personas, ingested and sessionised by the pipeline
    const logs = await cachedLogs('week-alb-20k', { format: 'alb', sessions: 20_000, seed: 7, days: 7 });
    engine = await DuckDbEngine.open({ path: ':memory:', memoryLimit: '1GB' });
    const { files } = await discoverInputs([logs.logsDir]);
    await ingest(engine, files, new Set(), { format: 'auto', sessionCookieNames: DEFAULTS.ingest.sessionCookieNames, rejectedSamples: 0 });
    await buildSessions(engine, PARSED_TABLE, sessionOptions());
    await engine.exec(`CREATE TABLE truth AS SELECT * FROM read_csv(${sqlString(logs.truthFile)}, header = true, all_varchar = true)`);
    // When the pipeline's clustering step runs with --k auto
    ({ fit, file } = await clusterSessions(engine, { sessions: TABLES.sessions, personas: 'lp_personas' }, { algorithm: 'kmeans', k: 'auto' }));
    const features = [...new Set([...FEATURE_SPECS.map((f) => f.column), ...BOT_COLUMNS, ...SEED_FEATURES])];
    rows = await engine.query(`
      SELECT p.persona, t.persona AS truth, ${features.map((c) => `s."${c}"`).join(', ')}
        FROM ${TABLES.sessions} s
        JOIN lp_personas p USING (sid)
        JOIN truth t ON t.client_ip = s.client_ip AND t.user_agent = s.user_agent
         AND abs(epoch(CAST(t.start AS TIMESTAMP)) - s.start) < 0.01
       ORDER BY s.session_id`);
  }, 120_000);

  afterAll(async () => {
    await engine?.close();
  });

  it('joins every session to its true persona', () => {
    expect(rows.length).toBe(20_000);
  });

  it('recovers the five personas: ARI >= 0.9 and the right name for >= 90% of sessions', () => {
    // Then the partition matches the generator's truth, and the names are the behaviours'
    const found = rows.map((r) => String(r['persona']));
    const truth = rows.map((r) => String(r['truth']));
    expect(adjustedRandIndex(found, truth)).toBeGreaterThanOrEqual(0.9);
    expect(share(found, truth)).toBeGreaterThanOrEqual(0.9);
    expect(file.personas.map((p) => p.name).sort()).toEqual(['api_consumer', 'bot_crawler', 'buyer', 'casual_browser', 'power_user']);
  });

  it('chooses k within each client kind and records the scores per kind in personas.json', () => {
    // Then API clients stay one persona (no convincing split), browsers split into three
    const byKind = Object.fromEntries((file.kSelectionByKind ?? []).map((s) => [s.kind, s]));
    expect(byKind['machine']?.k).toBe(1);
    expect(byKind['browser']?.k).toBe(3);
    expect(byKind['browser']?.scores.map((s) => s.k)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(file.clientKindRule).toMatch(/HTTP-library user agent/);
    expect(file.k).toBe(4);
  });

  it('assigns every session in SQL exactly as the JS assigner does', () => {
    // Then the one portable SQL expression (kind rule, imputed think times, per-persona spread) agrees
    const js = rows.map((r) => assignSession(fit, r as Record<string, number | boolean>));
    expect(rows.map((r) => r['persona'])).toEqual(js);
  });

  it('beats the seed recipe on the same sessions by a clear margin', () => {
    const truth = rows.map((r) => String(r['truth']));
    const found = rows.map((r) => String(r['persona']));
    const columns: FeatureColumns = Object.fromEntries(SEED_FEATURES.map((c) => [c, Float64Array.from(rows, (r) => Number(r[c] ?? 0))]));
    // Given the seed's recipe (fixed k=4, names by cluster number) on the same sessions
    const seed = seedRecipe(columns, 42);
    // Then it scores clearly lower on both
    expect(adjustedRandIndex(found, truth) - adjustedRandIndex(seed, truth)).toBeGreaterThanOrEqual(0.3);
    expect(share(found, truth) - share(seed, truth)).toBeGreaterThanOrEqual(0.3);
  });

  it('gives the same personas and names for the same sessions, fitted again', async () => {
    // Given the same sessions read back in another order
    const columns = [...new Set([...FEATURE_SPECS.map((f) => f.column), ...BOT_COLUMNS])];
    const sample = await engine.query<Record<string, number | boolean>>(
      `SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM ${TABLES.sessions} ORDER BY random() LIMIT ${DEFAULTS.personas.fitSampleSize}`,
    );
    // When fitted again, then names and centres are identical
    const again = fitPersonas(Object.fromEntries(columns.map((c) => [c, Float64Array.from(sample, (r) => Number(r[c] ?? 0))])));
    expect(again.personas.map((p) => p.name)).toEqual(fit.personas.map((p) => p.name));
    expect(again.personas.map((p) => p.center)).toEqual(fit.personas.map((p) => p.center));
  });
});

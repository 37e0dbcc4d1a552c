/**
 * Profiles generated logs up to the model, with each session's persona taken from the generator's
 * ground truth instead of clustering: the model step is then measured on its own (clustering has its
 * own tests), exactly as the pipeline would run it once personas are known.
 */
import { DuckDbEngine } from '../../lib/adapters/duckdb-engine';
import { DEFAULTS } from '../../lib/core/config';
import { discoverInputs } from '../../lib/core/ingest/discover-inputs';
import { ingest, PARSED_TABLE } from '../../lib/core/ingest/ingest';
import { buildModel, type BuildModelInput } from '../../lib/core/model/build-model';
import { buildSessions, sessionOptions, TABLES } from '../../lib/core/sessions/build-sessions';
import { sqlString } from '../../lib/core/sql/dialect';
import type { TrafficModel } from '../../lib/core/types';

export async function profileWithTruth(logsDir: string, truthFile: string, isBot: (persona: string) => boolean): Promise<{ engine: DuckDbEngine; model: TrafficModel }> {
  const engine = await DuckDbEngine.open({ path: ':memory:', memoryLimit: '2GB' });
  const { files } = await discoverInputs([logsDir]);
  await ingest(engine, files, new Set(), { format: 'auto', sessionCookieNames: DEFAULTS.ingest.sessionCookieNames, rejectedSamples: 0 });
  await buildSessions(engine, PARSED_TABLE, sessionOptions());
  await engine.exec(`CREATE TABLE truth AS SELECT * FROM read_csv(${sqlString(truthFile)}, header = true, all_varchar = true)`);
  await engine.exec(`CREATE TABLE truth_personas AS
    SELECT s.sid, s.session_id, t.persona FROM ${TABLES.sessions} s JOIN truth t
      ON t.client_ip = s.client_ip AND t.user_agent = s.user_agent
     AND abs(epoch(CAST(t.start AS TIMESTAMP)) - s.start) < 0.01`);
  return { engine, model: await truthModel(engine, isBot) };
}

/** The model of the profiled sessions with their true personas, built with the given statistics options. */
export async function truthModel(engine: DuckDbEngine, isBot: (persona: string) => boolean, options?: BuildModelInput['options']): Promise<TrafficModel> {
  const personas = await engine.query<{ persona: string }>(`SELECT DISTINCT persona FROM truth_personas ORDER BY 1`);
  const [w] = await engine.query<{ start: number; end: number }>(`SELECT min(start) AS "start", max("end") AS "end" FROM ${TABLES.sessions}`);
  return buildModel(engine, {
    tables: { events: TABLES.events, modelSessions: 'lp_model_sessions', endpointStates: 'lp_endpoint_states', pages: 'lp_pages', sessions: TABLES.sessions, personas: 'truth_personas', pathParams: TABLES.pathParams, queryParams: TABLES.queryParams },
    personas: personas.map((p) => ({ name: p.persona, isBot: isBot(p.persona) })),
    window: w!,
    productionHosts: [],
    generatedAt: new Date(0).toISOString(),
    ...(options ? { options } : {}),
  });
}

/** `GET /p/{sku}` and `GET /p/{slug}` are the same endpoint: compare templates without parameter names. */
export function endpointShape(method: string, path: string): string {
  return `${method} ${path.replace(/\{[^}]*\}/g, '{}')}`;
}

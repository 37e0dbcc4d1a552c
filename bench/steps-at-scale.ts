/**
 * The persona, model and scenario steps at a million sessions, for `npm run bench`. A million sessions
 * is ~30M log lines, more than a benchmark should parse, so the 1M-line dataset's real sessions are
 * profiled once and their feature rows and events replicated (under fresh session ids) until they reach
 * the target count. Timed, on the on-disk engine settings a large run uses: what the persona step does
 * in a run (the fit on its bounded sample, the SQL assignment of every session, the per-persona sizes
 * and centroids), then the model (each persona's page statistics on its bounded sample of sessions),
 * then the scenarios compiled from it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDbEngine } from '../lib/adapters/duckdb-engine';
import { DEFAULTS } from '../lib/core/config';
import { discoverInputs } from '../lib/core/ingest/discover-inputs';
import { ingest, PARSED_TABLE } from '../lib/core/ingest/ingest';
import { buildModel } from '../lib/core/model/build-model';
import { clusterSessions } from '../lib/core/pipeline/cluster-sessions';
import { writeScenarios } from '../lib/core/scenarios/write-scenarios';
import { buildSessions, sessionOptions, TABLES } from '../lib/core/sessions/build-sessions';

export interface StepsAtScale {
  sessions: number;
  /** Events (requests) of the replicated sessions. */
  events: number;
  seconds: { personas: number; model: number; scenarios: number };
  personas: number;
}

export async function stepsAtScale(logsDir: string, target: number): Promise<StepsAtScale> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'loadprint-cluster-bench-'));
  const engine = await DuckDbEngine.open({
    path: path.join(work, 'bench.duckdb'),
    memoryLimit: DEFAULTS.ingest.duckdbMemoryLimit,
    allocatorFlushThreshold: DEFAULTS.ingest.duckdbAllocatorFlushThreshold,
    tempDirectory: work,
  });
  try {
    const { files } = await discoverInputs([logsDir]);
    await ingest(engine, files, new Set(), { format: 'auto', sessionCookieNames: DEFAULTS.ingest.sessionCookieNames, rejectedSamples: 0 });
    const { sessions } = await buildSessions(engine, PARSED_TABLE, sessionOptions());
    const copies = Math.ceil(target / sessions);
    const scaledSid = `CAST(hash(sid, copy) >> 1 AS BIGINT)`;
    await engine.exec(`CREATE TABLE lp_sessions_scaled AS
      SELECT * REPLACE (${scaledSid} AS sid, printf('%016x', ${scaledSid}) AS session_id)
      FROM ${TABLES.sessions}, range(${copies}) AS c(copy)`);
    await engine.exec(`CREATE TABLE lp_events_scaled AS SELECT * REPLACE (${scaledSid} AS sid) FROM ${TABLES.events}, range(${copies}) AS c(copy)`);
    const [span] = await engine.query<{ events: number; start: number; end: number }>(
      `SELECT (SELECT count(*) FROM lp_events_scaled) AS events, min(start) AS "start", max("end") AS "end" FROM lp_sessions_scaled`,
    );
    const { events, start, end } = span!;
    const timed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
      const started = performance.now();
      const result = await work();
      return [result, (performance.now() - started) / 1000];
    };
    const [clustered, personas] = await timed(() =>
      clusterSessions(engine, { sessions: 'lp_sessions_scaled', personas: 'lp_session_personas_scaled' }, { algorithm: 'kmeans', k: 'auto' }),
    );
    const [model, modelSeconds] = await timed(() =>
      buildModel(engine, {
        tables: { events: 'lp_events_scaled', modelSessions: 'lp_model_sessions_scaled', endpointStates: 'lp_endpoint_states_scaled', pages: 'lp_pages_scaled', sessions: 'lp_sessions_scaled', personas: 'lp_session_personas_scaled', pathParams: TABLES.pathParams, queryParams: TABLES.queryParams },
        personas: clustered.file.personas.map((p) => ({ name: p.name, isBot: p.isBot })),
        window: { start, end },
        productionHosts: [],
        generatedAt: new Date().toISOString(),
      }),
    );
    const [, scenarios] = await timed(async () => writeScenarios({ model }));
    return { sessions: sessions * copies, events, seconds: { personas, model: modelSeconds, scenarios }, personas: clustered.file.personas.length };
  } finally {
    engine.close();
    rmSync(work, { recursive: true, force: true });
  }
}

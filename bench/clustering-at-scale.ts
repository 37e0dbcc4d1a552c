/**
 * Clustering at a million sessions, for `npm run bench`. A million sessions is ~30M log lines, more
 * than a benchmark should parse, so the 1M-line dataset's real sessions are profiled once and their
 * feature rows replicated (under fresh session ids) until they reach the target count. Timed: what the persona
 * step does in a run (the fit on its bounded sample, the SQL assignment of every session, the
 * per-persona sizes and centroids), on the on-disk engine settings a large run uses.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDbEngine } from '../lib/adapters/duckdb-engine';
import { DEFAULTS } from '../lib/core/config';
import { discoverInputs } from '../lib/core/ingest/discover-inputs';
import { ingest, PARSED_TABLE } from '../lib/core/ingest/ingest';
import { clusterSessions } from '../lib/core/pipeline/cluster-sessions';
import { buildSessions, sessionOptions, TABLES } from '../lib/core/sessions/build-sessions';

export interface ClusteringAtScale {
  sessions: number;
  seconds: number;
  personas: number;
}

export async function clusteringAtScale(logsDir: string, target: number): Promise<ClusteringAtScale> {
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
    await engine.exec(`CREATE TABLE lp_sessions_scaled AS
      SELECT * REPLACE (CAST(hash(sid, copy) >> 1 AS BIGINT) AS sid, printf('%016x', CAST(hash(sid, copy) >> 1 AS BIGINT)) AS session_id)
      FROM ${TABLES.sessions}, range(${copies}) AS c(copy)`);
    const started = performance.now();
    const result = await clusterSessions(engine, { sessions: 'lp_sessions_scaled', personas: 'lp_session_personas_scaled' }, { algorithm: 'kmeans', k: 'auto' });
    const seconds = (performance.now() - started) / 1000;
    return { sessions: sessions * copies, seconds, personas: result.file.personas.length };
  } finally {
    engine.close();
    rmSync(work, { recursive: true, force: true });
  }
}

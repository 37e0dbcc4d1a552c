/**
 * The local pipeline, in order: ingest -> sessions -> personas -> model -> scenarios -> validation ->
 * report, writing a run folder (shared/DESIGN.md). Ports (SQL engine, clock, logger) come in; the
 * same step functions run in Lambda with Athena behind the engine port.
 */
import { DEFAULTS } from '../config';
import type { DiscoveredFile } from '../ingest/discover-inputs';
import { ingest, PARSED_TABLE, type IngestOptions } from '../ingest/ingest';
import { buildSessions, TABLES } from '../sessions/build-sessions';
import { dialectFor, sqlString } from '../sql/dialect';
import type { Clock, LogFormat, Logger, Manifest, SqlEngine, Tool } from '../types';
import { RunFolder } from './run-folder';
import { StepTimer } from './step-timer';

export interface RunOptions {
  format: LogFormat | 'auto';
  sessionGapSeconds: number;
  sessionCookie?: string;
  columnMap?: IngestOptions['columnMap'];
  k: 'auto' | number;
  algorithm: 'kmeans' | 'dbscan';
  tools: readonly Tool[];
  writer: 'template' | 'bedrock';
  excludeBots: boolean;
}

export const DEFAULT_RUN_OPTIONS: RunOptions = {
  format: 'auto',
  sessionGapSeconds: DEFAULTS.ingest.sessionGapSeconds,
  k: 'auto',
  algorithm: DEFAULTS.personas.algorithm,
  tools: DEFAULTS.scenarios.tools,
  writer: DEFAULTS.scenarios.writer,
  excludeBots: false,
};

export interface RunInput {
  runId: string;
  files: readonly DiscoveredFile[];
  /** Paths the user named directly (errors about them are errors, not skips). */
  explicitFiles: ReadonlySet<string>;
  outDir: string;
  options: RunOptions;
  versions: Record<string, string>;
}

export interface RunPorts {
  engine: SqlEngine;
  clock: Clock;
  logger: Logger;
  /** Monotonic milliseconds, for step timings. */
  monotonicMs: () => number;
  onStep?: ((step: string, phase: 'start' | 'end', seconds?: number) => void) | undefined;
}

export const SESSIONS_CSV = 'sessions.csv';

export async function runPipeline(input: RunInput, ports: RunPorts): Promise<Manifest> {
  const { engine, clock } = ports;
  const timer = new StepTimer(ports.monotonicMs, ports.onStep);
  const o = input.options;

  // Ingest runs before the run folder exists: bad input leaves nothing behind.
  const ingested = await timer.step(
    'ingest',
    () =>
      ingest(engine, input.files, input.explicitFiles, {
        format: o.format,
        sessionCookieNames: DEFAULTS.ingest.sessionCookieNames,
        rejectedSamples: DEFAULTS.ingest.rejectedSamples,
        ...(o.sessionCookie ? { sessionCookie: o.sessionCookie } : {}),
        ...(o.columnMap ? { columnMap: o.columnMap } : {}),
      }),
    (r) => r.lines.read,
  );
  for (const w of ingested.warnings) ports.logger.warn(w);

  const folder = await RunFolder.create(input.outDir);
  const manifest: Manifest = {
    runId: input.runId,
    status: 'running',
    createdAt: clock.now().toISOString(),
    inputs: ingested.inputs,
    format: ingested.format,
    window: null,
    lines: ingested.lines,
    sessions: 0,
    timings: timer.timings,
    versions: input.versions,
    options: { ...o, sessionCookie: ingested.sessionCookie ?? null },
    warnings: ingested.warnings,
  };
  try {
    const counts = await timer.step(
      'sessions',
      () =>
        buildSessions(engine, PARSED_TABLE, {
          gapSeconds: ingested.explicitSessions ? Infinity : o.sessionGapSeconds,
          maxLiteralValues: DEFAULTS.ingest.maxLiteralSegmentValues,
          assetExtensions: DEFAULTS.ingest.assetExtensions,
          apiPrefixes: DEFAULTS.ingest.apiPrefixes,
          checkoutWords: DEFAULTS.ingest.checkoutWords,
        }),
      (r) => r.sessions,
    );
    manifest.sessions = counts.sessions;
    manifest.window = await timeWindow(engine);

    await engine.exec(`CREATE TABLE IF NOT EXISTS ${PERSONA_TABLE} (session_id VARCHAR, persona VARCHAR)`);
    await timer.step('write-sessions', () => writeSessionsCsv(engine, folder.path(SESSIONS_CSV)), () => counts.sessions);

    manifest.status = 'succeeded';
    manifest.finishedAt = clock.now().toISOString();
    await folder.writeJson('manifest.json', manifest);
    await folder.commit();
    return manifest;
  } catch (e: unknown) {
    manifest.status = 'failed';
    manifest.finishedAt = clock.now().toISOString();
    manifest.error = { message: e instanceof Error ? e.message : String(e), step: timer.current ?? 'unknown' };
    await folder.writeJson('manifest.json', manifest);
    await folder.commit();
    throw e;
  }
}

async function timeWindow(engine: SqlEngine): Promise<Manifest['window']> {
  const [w] = await engine.query<{ s: number | null; e: number | null }>(
    `SELECT min(start) AS s, max("end") AS e FROM ${TABLES.sessions}`,
  );
  if (!w || w.s === null || w.e === null) return null;
  return { start: new Date(w.s * 1000).toISOString(), end: new Date(w.e * 1000).toISOString() };
}

/** sessions.csv straight from SQL (COPY), ISO-8601 UTC times, ordered by start. */
async function writeSessionsCsv(engine: SqlEngine, file: string): Promise<void> {
  const d = dialectFor(engine.dialect);
  await engine.exec(`COPY (
    SELECT s.session_id, s.client_ip, s.user_agent, ${d.isoTime('s.start')} AS start, ${d.isoTime('s."end"')} AS "end",
      s.requests, COALESCE(p.persona, '') AS persona
    FROM ${TABLES.sessions} s LEFT JOIN ${PERSONA_TABLE} p ON p.session_id = s.session_id
    ORDER BY s.start, s.session_id
  ) TO ${sqlString(file)} (HEADER, DELIMITER ',')`);
}

export const PERSONA_TABLE = 'lp_session_personas';

/**
 * The pipeline, in order: ingest -> sessions -> personas -> model -> scenarios -> validation -> drift
 * -> report, writing a run folder (shared/DESIGN.md). Ports (SQL engine, clock, logger, chart library,
 * LLM, previous run) come in; nothing here reaches for the file system beyond the run folder.
 */
import { DEFAULTS } from '../config';
import type { DiscoveredFile } from '../ingest/discover-inputs';
import { ingest, PARSED_TABLE, REFRESH_CARRY } from '../ingest/ingest';
import type { ReadingOptions } from '../ingest/reading-options';
import { buildModel } from '../model/build-model';
import { checkModelInvariants, validateModelSchema } from '../model/validate-model-schema';
import { renderReport } from '../report/render-report';
import type { ScenarioOptions } from '../scenarios/options';
import type { WriteScenariosInput } from '../scenarios/write-scenarios';
import { writeScenarios } from '../scenarios/write-scenarios';
import { buildSessions, CACHED_EVENT_COLUMNS, rowsToCacheSql, sessionOptions, TABLES } from '../sessions/build-sessions';
import { dialectFor, sqlString } from '../sql/dialect';
import type { Clock, Logger, Manifest, SqlEngine, TrafficModel } from '../types';
import { diffRuns, type RunSnapshot } from '../validation/diff-runs';
import { runIdentity, type RunIdentity } from '../validation/same-service';
import { productionFigures } from '../validation/figures-sql';
import { checkModel, simulateModel } from '../validation/validate-model';
import { clusterSessions } from './cluster-sessions';
import { RunFolder } from './run-folder';
import { StepTimer } from './step-timer';

export interface RunOptions extends ReadingOptions {
  /** Refresh cache for incremental runs (a folder under the results root; ingest/refresh-cache.ts). */
  cacheDir?: string;
  k: 'auto' | number;
  algorithm: 'kmeans' | 'dbscan';
  /** Sessions per persona the model's statistics read at most (a uniform sample past it), or all. */
  modelSessions: number | 'all';
  /** Requests sessionized in one statement, chosen with the engine (config.ts: on disk or in memory). */
  sessionizePartRows: number;
  writer: 'template' | 'bedrock';
  scenarios: Partial<ScenarioOptions>;
}

export const DEFAULT_RUN_OPTIONS: RunOptions = {
  format: 'auto',
  sessionGapSeconds: DEFAULTS.ingest.sessionGapSeconds,
  k: 'auto',
  algorithm: DEFAULTS.personas.algorithm,
  modelSessions: DEFAULTS.model.maxSessionsPerPersona,
  sessionizePartRows: DEFAULTS.ingest.inMemorySessionizePartRows,
  writer: DEFAULTS.scenarios.writer,
  scenarios: {},
};

export interface RunInput {
  runId: string;
  files: readonly DiscoveredFile[];
  /** Paths the user named directly (errors about them are errors, not skips). */
  explicitFiles: ReadonlySet<string>;
  outDir: string;
  options: RunOptions;
  versions: Record<string, string>;
  /** How the manifest names an input file (an S3 object's local copy by its s3:// URI); as is by default. */
  inputName?: (path: string) => string;
}

export interface RunPorts {
  engine: SqlEngine;
  clock: Clock;
  logger: Logger;
  /** Monotonic milliseconds, for step timings. */
  monotonicMs: () => number;
  onStep?: ((step: string, phase: 'start' | 'end', seconds?: number) => void) | undefined;
  /** Source of the chart library inlined into report.html. */
  chartLibrary: () => Promise<string>;
  /** The LLM and syntax checker of the `bedrock` writer; required when options.writer is bedrock. */
  enrich?: WriteScenariosInput['enrich'];
  /** The previous run of the same service to compare with (drift), when there is one. */
  previousRun?: (current: RunIdentity) => Promise<RunSnapshot | undefined>;
  /** Peak memory and CPU of the process so far, recorded in the manifest. */
  resourceUsage?: () => NonNullable<Manifest['resources']>;
}

export const SESSIONS_CSV = 'sessions.csv';
export const PERSONA_TABLE = 'lp_session_personas';
const MODEL_SESSIONS_TABLE = 'lp_model_sessions';
const ENDPOINT_STATES_TABLE = 'lp_endpoint_states';
export const PAGES_TABLE = 'lp_pages';

export async function runPipeline(input: RunInput, ports: RunPorts): Promise<Manifest> {
  const { engine, clock } = ports;
  const timer = new StepTimer(ports.monotonicMs, ports.onStep);
  const o = input.options;
  const name = input.inputName ?? ((p: string) => p);
  // Warnings and errors name files in their text (a skipped one, an unreadable one): by their names too.
  const renamed = input.inputName ? input.files.filter((f) => name(f.path) !== f.path) : [];
  const renameIn = (text: string) => renamed.reduce((t, f) => t.split(f.path).join(name(f.path)), text);

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
        ...(o.logFormat ? { logFormat: o.logFormat } : {}),
        ...(o.cacheDir ? { cacheDir: o.cacheDir } : {}),
      }).catch((e: unknown) => {
        if (e instanceof Error) e.message = renameIn(e.message);
        throw e;
      }),
    (r) => r.lines.read,
  );
  const warnings = ingested.warnings.map(renameIn);
  for (const w of warnings) ports.logger.warn(w);

  const folder = await RunFolder.create(input.outDir);
  const manifest: Manifest = {
    runId: input.runId,
    status: 'running',
    createdAt: clock.now().toISOString(),
    inputs: ingested.inputs.map((i) => ({ ...i, path: name(i.path) })),
    format: ingested.format,
    window: null,
    lines: { ...ingested.lines, samples: ingested.lines.samples.map((x) => ({ ...x, file: name(x.file) })) },
    sessions: 0,
    timings: timer.timings,
    versions: input.versions,
    // The layout as the user wrote it; its compiled expression is the code's business.
    options: { ...o, ...(o.logFormat ? { logFormat: o.logFormat.source } : {}), sessionCookie: ingested.sessionCookie ?? null },
    warnings,
  };
  try {
    const gapSeconds = ingested.explicitSessions ? Infinity : o.sessionGapSeconds;
    const refresh = ingested.refresh;
    const counts = await timer.step(
      'sessions',
      () =>
        buildSessions(engine, PARSED_TABLE, {
          ...sessionOptions(gapSeconds),
          partRows: o.sessionizePartRows,
          ...(refresh ? { carry: REFRESH_CARRY, ...(refresh.cached ? { cached: refresh.cached } : {}) } : {}),
        }),
      (r) => r.sessions,
    );
    manifest.sessions = counts.sessions;
    if (refresh) {
      manifest.refresh = {
        cachedFiles: ingested.cachedFiles,
        parsedFiles: refresh.files.length - ingested.cachedFiles,
        reusedSessions: counts.reused ?? 0,
        resessionizedSessions: counts.resessionized ?? 0,
      };
    }
    const window = await timeWindow(engine);
    manifest.window = { start: new Date(window.start * 1000).toISOString(), end: new Date(window.end * 1000).toISOString() };

    const personas = await timer.step(
      'personas',
      () => clusterSessions(engine, { sessions: TABLES.sessions, personas: PERSONA_TABLE }, { algorithm: o.algorithm, k: o.k }),
      (r) => r.file.personas.length,
    );
    await folder.writeJson('personas.json', personas.file);
    await timer.step('write-sessions', () => writeSessionsCsv(engine, folder.path(SESSIONS_CSV)), () => counts.sessions);

    const model = await timer.step(
      'model',
      async () =>
        buildModel(engine, {
          tables: { events: TABLES.events, modelSessions: MODEL_SESSIONS_TABLE, endpointStates: ENDPOINT_STATES_TABLE, pages: PAGES_TABLE, sessions: TABLES.sessions, personas: PERSONA_TABLE, pathParams: TABLES.pathParams, queryParams: TABLES.queryParams },
          personas: personas.file.personas.map((p) => ({ name: p.name, isBot: p.isBot })),
          window,
          productionHosts: await productionHosts(engine),
          generatedAt: clock.now().toISOString(),
          options: { maxSessionsPerPersona: o.modelSessions === 'all' ? Infinity : o.modelSessions },
        }),
      (m) => m.personas.length,
    );
    assertValidModel(model);
    await folder.writeJson('model.json', model);

    const scenarios = await timer.step(
      'scenarios',
      () => {
        if (o.writer === 'bedrock' && !ports.enrich) throw new Error('the bedrock writer needs an LLM client');
        return writeScenarios({ model, options: o.scenarios, ...(o.writer === 'bedrock' && ports.enrich ? { enrich: ports.enrich } : {}) });
      },
      (r) => r.files.length,
    );
    for (const f of scenarios.files) await folder.write(f.path, f.content);
    manifest.scenarios = scenarios.outcomes;
    for (const outcome of scenarios.outcomes) {
      if (outcome.fallbackReason) ports.logger.warn(`${outcome.tool}: LLM enrichment rejected, compiled script kept: ${outcome.fallbackReason}`);
    }

    const validation = await timer.step('validation', async () => {
      // The production figures are SQL, the simulation JavaScript: sent first, the queries run in
      // DuckDB's threads while the simulation runs on this one.
      const production = productionFigures(engine, { events: TABLES.events, sessions: TABLES.sessions, personas: PERSONA_TABLE }, window);
      production.catch(() => undefined); // awaited below; a throw in the simulation must not leave it unhandled
      const simulated = simulateModel(model, { productionSessions: counts.sessions });
      return checkModel(await production, simulated, clock);
    }, (r) => r.checks.length);
    await folder.writeJson('validation.json', validation);

    const drift = await timer.step('drift', async () => {
      const previous = await ports.previousRun?.(runIdentity(manifest, model));
      if (!previous) return null;
      manifest.previousRunId = previous.runId;
      return diffRuns(previous, { runId: input.runId, model, personas: personas.file });
    });
    if (drift) await folder.writeJson('drift.json', drift);

    manifest.status = 'succeeded';
    manifest.finishedAt = clock.now().toISOString();
    await timer.step('report', async () =>
      folder.write('report.html', renderReport({ manifest, personas: personas.file, model, validation, drift, chartLibrary: await ports.chartLibrary() })),
    );
    if (refresh) {
      // Last: the cached rows are read lazily from the segments until here, and a compaction
      // removes segments. A failed run leaves the previous cache as it was.
      const rows = {
        all: rowsToCacheSql(TABLES.events),
        ...(counts.delta ? { delta: { rows: rowsToCacheSql(counts.delta.rows), replaces: counts.delta.replaces } } : {}),
      };
      await timer.step('cache', () => refresh.cache.save(engine, rows, [...CACHED_EVENT_COLUMNS, ...REFRESH_CARRY], gapSeconds, refresh.files), () => refresh.files.length);
    }
    if (ports.resourceUsage) manifest.resources = ports.resourceUsage();
    await folder.writeJson('manifest.json', manifest);
    await folder.commit();
    return manifest;
  } catch (e: unknown) {
    manifest.status = 'failed';
    manifest.finishedAt = clock.now().toISOString();
    manifest.error = { message: renameIn(e instanceof Error ? e.message : String(e)), step: timer.current ?? 'unknown' };
    await folder.writeJson('manifest.json', manifest);
    await folder.commit();
    throw e;
  }
}

/** A model that breaks its own schema is a bug in Loadprint, never shipped to the user's tools. */
function assertValidModel(model: TrafficModel): void {
  const schema = validateModelSchema(JSON.parse(JSON.stringify(model)));
  const problems = [...(schema.ok ? [] : schema.errors), ...checkModelInvariants(model)];
  if (problems.length > 0) throw new Error(`model.json would be invalid: ${problems.slice(0, 3).join('; ')}`);
}

async function timeWindow(engine: SqlEngine): Promise<{ start: number; end: number }> {
  const [w] = await engine.query<{ start: number; end: number }>(
    `SELECT min(start) AS "start", max("end") AS "end" FROM ${TABLES.sessions}`,
  );
  return { start: w!.start, end: w!.end };
}

/** Hosts seen in production: generated scenarios refuse to target them unless told to. */
async function productionHosts(engine: SqlEngine): Promise<string[]> {
  const rows = await engine.query<{ host: string }>(
    `SELECT host FROM ${TABLES.requests} WHERE host IS NOT NULL AND host <> '' GROUP BY host ORDER BY count(*) DESC, host LIMIT 20`,
  );
  return rows.map((r) => r.host);
}

/** sessions.csv straight from SQL (COPY), ISO-8601 UTC times, ordered by start. */
async function writeSessionsCsv(engine: SqlEngine, file: string): Promise<void> {
  const d = dialectFor(engine.dialect);
  await engine.exec(`COPY (
    SELECT s.session_id, s.client_ip, s.user_agent, ${d.isoTime('s.start')} AS start, ${d.isoTime('s."end"')} AS "end",
      s.requests, p.persona
    FROM ${TABLES.sessions} s LEFT JOIN ${PERSONA_TABLE} p ON p.sid = s.sid
    ORDER BY s.start, s.session_id
  ) TO ${sqlString(file)} (HEADER, DELIMITER ',')`);
}

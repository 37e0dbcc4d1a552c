/**
 * `loadprint validate <run-dir> --tool locust|artillery [--target URL]`: the closed-loop check. Runs
 * the run's scenario (recompiled from its model.json with the run's options, at the test's duration
 * and scale) against a target, captures what the target received, profiles it with the pipeline's own
 * steps (ingest -> sessions -> persona from the scenario's user agent -> figures), brings it back to
 * production's units and compares it with production's figures, re-profiled from the run's inputs
 * and joined to the run's sessions.csv for personas. Writes validation-closed-loop.json into the run.
 *
 * Exit codes: 0 every assessed figure within tolerance; 3 (DEFAULTS.closedLoop.failedExitCode) a figure
 * is outside its tolerance (the report names it); 2 bad input or options; 1 internal error.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { DuckDbEngine } from '../../lib/adapters/duckdb-engine';
import { runLoadTool, type LoadTool } from '../../lib/adapters/load-tool-runner';
import { startRecordingProxy } from '../../lib/adapters/recording-proxy';
import { DEFAULTS, parseDurationSeconds } from '../../lib/core/config';
import { InputError, OptionError, UserError, errorMessage } from '../../lib/core/errors';
import { discoverInputs } from '../../lib/core/ingest/discover-inputs';
import { ingest, PARSED_TABLE } from '../../lib/core/ingest/ingest';
import { resolveScenarioOptions, type ScenarioOptions } from '../../lib/core/scenarios/options';
import { buildPlan } from '../../lib/core/scenarios/plan';
import { writeScenarios } from '../../lib/core/scenarios/write-scenarios';
import { buildSessions, sessionOptions, TABLES } from '../../lib/core/sessions/build-sessions';
import { sqlString } from '../../lib/core/sql/dialect';
import type { Clock, LogFormat, Manifest, SqlEngine, TrafficModel } from '../../lib/core/types';
import {
  autoScale,
  captureUnits,
  closedLoopReport,
  formatClosedLoopTable,
  parseScenarioAgent,
  personaByTag,
  productionSessionRate,
  toProductionUnits,
  type CaptureUnits,
  type ClosedLoopReport,
} from '../../lib/core/validation/closed-loop';
import { templateMatcher, type TrafficFigures } from '../../lib/core/validation/figures';
import { productionFigures } from '../../lib/core/validation/figures-sql';
import { startDemoTarget } from '../../lib/demo-target/server';
import { withErrors } from './with-errors';
import { makeWorkFolder } from './work-folder';

export const CLOSED_LOOP_FILE = 'validation-closed-loop.json';
const PRODUCTION_PERSONAS = 'lp_cl_production_personas';
const CAPTURED_PERSONAS = 'lp_cl_captured_personas';
const CAPTURED_ENDPOINTS = 'lp_cl_captured_endpoints';
/** Rows per VALUES insert when loading JS-computed mappings into SQL. */
const INSERT_BATCH = 1000;

interface ValidateFlags {
  tool: string;
  target?: string;
  duration: string;
  thinkScale: string;
  scale: string;
  out?: string;
  production?: string[];
}

export interface ClosedLoopInput {
  runDir: string;
  tool: LoadTool;
  /** The user's server; absent for the bundled demo target. */
  target?: string;
  durationSeconds: number;
  thinkScale: number;
  scale: number | 'auto';
  /** Where to write the report. @default <runDir>/validation-closed-loop.json */
  out?: string;
  /** Production logs to re-profile. @default the run's manifest inputs */
  production?: string[];
  clock?: Clock;
  /** Progress lines (stderr in the CLI). */
  progress?: (line: string) => void;
  /** Executables of the tools (tests, unusual installs). */
  locustBin?: string;
  artilleryBin?: string;
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('closed-loop check: run the scenario against a target, profile what it sent, compare with production figure by figure')
    .argument('<run-dir>', 'run folder written by `loadprint run`')
    .requiredOption('--tool <tool>', 'load tool to run: locust|artillery')
    .option('--target <url>', 'system under test (default: the bundled demo target on 127.0.0.1, answering every route of the model)')
    .option('--duration <duration>', 'test length; the arrival curve is compressed into it', `${DEFAULTS.closedLoop.durationSeconds}s`)
    .option('--think-scale <factor>', 'THINK_SCALE: think times are multiplied by it during the test and divided back before comparing', String(DEFAULTS.closedLoop.thinkScale))
    .option('--scale <factor|auto>', `arrival-rate multiplier; auto aims at ${DEFAULTS.closedLoop.targetSessions} sessions in the test`, 'auto')
    .option('--out <file>', `report file (default: <run-dir>/${CLOSED_LOOP_FILE})`)
    .option('--production <path...>', "production logs to compare with (default: the run's inputs from manifest.json)")
    .action(
      withErrors(async (runDir: string, flags: ValidateFlags) => {
        const input = parseFlags(runDir, flags);
        const report = await validateClosedLoop({ ...input, progress: (l) => process.stderr.write(`loadprint: ${l}\n`) });
        process.stdout.write(`${formatClosedLoopTable(report)}\n`);
        if (!report.pass) process.exitCode = DEFAULTS.closedLoop.failedExitCode;
      }),
    );
}

function parseFlags(runDir: string, flags: ValidateFlags): ClosedLoopInput {
  if (flags.tool !== 'locust' && flags.tool !== 'artillery') {
    throw new OptionError(`--tool ${flags.tool}: use locust or artillery (k6 is not installed here to run)`);
  }
  const duration = parseDurationSeconds(flags.duration);
  if (duration === undefined || duration < 10) throw new OptionError(`--duration ${flags.duration}: use a duration of at least 10s, e.g. 60s`);
  const thinkScale = Number(flags.thinkScale);
  if (!Number.isFinite(thinkScale) || thinkScale <= 0 || thinkScale > 1) {
    throw new OptionError(`--think-scale ${flags.thinkScale}: use a factor above 0 and at most 1, e.g. 0.05`);
  }
  const scale = flags.scale === 'auto' ? 'auto' : Number(flags.scale);
  if (scale !== 'auto' && (!Number.isFinite(scale) || scale <= 0)) throw new OptionError(`--scale ${flags.scale}: use auto or a positive number`);
  if (flags.target !== undefined) {
    let url: URL;
    try {
      url = new URL(flags.target);
    } catch {
      throw new OptionError(`--target ${flags.target} is not a URL; use e.g. http://staging.internal:8080`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OptionError(`--target ${flags.target}: use an http:// or https:// URL`);
  }
  return {
    runDir,
    tool: flags.tool,
    durationSeconds: duration,
    thinkScale,
    scale,
    ...(flags.target !== undefined ? { target: flags.target } : {}),
    ...(flags.out !== undefined ? { out: flags.out } : {}),
    ...(flags.production !== undefined ? { production: flags.production } : {}),
  };
}

interface RunFiles {
  manifest: Manifest;
  model: TrafficModel;
  sessionsCsv: string;
}

async function readRun(runDir: string): Promise<RunFiles> {
  const json = async <T>(name: string): Promise<T> => {
    const file = path.join(runDir, name);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      throw new InputError(`${file} is missing: pass a run folder written by \`loadprint run\``);
    }
    try {
      return JSON.parse(text) as T;
    } catch (e: unknown) {
      throw new InputError(`${file} is not JSON (${errorMessage(e)}): pass a run folder written by \`loadprint run\``);
    }
  };
  const manifest = await json<Manifest>('manifest.json');
  if (manifest.status !== 'succeeded') throw new InputError(`run ${runDir} did not succeed (status ${manifest.status}): validate a finished run`);
  const model = await json<TrafficModel>('model.json');
  const sessionsCsv = path.join(runDir, 'sessions.csv');
  if (!existsSync(sessionsCsv)) throw new InputError(`${sessionsCsv} is missing: pass a run folder written by \`loadprint run\``);
  return { manifest, model, sessionsCsv };
}

/** The scenario options the run used (manifest.options.scenarios), with the test's duration and scale. */
function scenarioOptions(manifest: Manifest, tool: LoadTool, durationSeconds: number, scale: number): ScenarioOptions {
  const used = (manifest.options['scenarios'] ?? {}) as Partial<ScenarioOptions>;
  return resolveScenarioOptions({ ...used, tools: [tool], durationSeconds, scale });
}

export async function validateClosedLoop(input: ClosedLoopInput): Promise<ClosedLoopReport> {
  const clock = input.clock ?? { now: () => new Date() };
  const say = input.progress ?? (() => undefined);
  const run = await readRun(input.runDir);
  const model = run.model;
  const atScale1 = buildPlan(model, scenarioOptions(run.manifest, input.tool, input.durationSeconds, 1));
  const scale = input.scale === 'auto' ? autoScale(productionSessionRate(atScale1), input.durationSeconds) : input.scale;
  const options = scenarioOptions(run.manifest, input.tool, input.durationSeconds, scale);
  const plan = buildPlan(model, options);
  const units = captureUnits(model, plan, input.thinkScale, input.tool);
  if (input.target !== undefined) refuseProductionHost(input.target, model);

  const work = await makeWorkFolder('loadprint-validate-');
  const engine = await DuckDbEngine.open({
    path: ':memory:',
    memoryLimit: DEFAULTS.ingest.inMemoryDuckdbMemoryLimit,
    allocatorFlushThreshold: DEFAULTS.ingest.duckdbAllocatorFlushThreshold,
    tempDirectory: work,
  });
  try {
    // Production first: a run whose logs are gone fails in seconds, not after the load test.
    say('profiling production logs');
    const production = await profileProduction(engine, run, input.production, new Set(plan.personas.map((p) => p.name)));

    const scenarioDir = path.join(work, 'scenario');
    await mkdir(scenarioDir, { recursive: true });
    const written = await writeScenarios({ model, options });
    for (const f of written.files) await writeFile(path.join(scenarioDir, path.basename(f.path)), f.content);

    const captureLog = path.join(work, 'captured.jsonl');
    const server = input.target === undefined
      ? await startDemoTarget({ model, port: 0, logFile: captureLog, logFormat: 'jsonl', modelLatency: true })
      : await startRecordingProxy({ target: input.target, logFile: captureLog });
    say(
      `running ${input.tool} for ${input.durationSeconds}s at scale ${scale} and THINK_SCALE ${input.thinkScale} against ` +
        `${input.target ?? `the demo target ${server.url}`} (about ${Math.round(units.expectedSessions)} sessions)`,
    );
    let result;
    try {
      result = await runLoadTool({
        tool: input.tool,
        scenarioDir,
        baseUrl: server.url,
        thinkScale: input.thinkScale,
        timeoutMs: (input.durationSeconds + DEFAULTS.closedLoop.toolGraceSeconds) * 1000,
        ...(input.locustBin ? { locustBin: input.locustBin } : {}),
        ...(input.artilleryBin ? { artilleryBin: input.artilleryBin } : {}),
      });
    } finally {
      await server.close();
    }
    if (result.timedOut) throw new UserError(`${input.tool} did not finish within ${input.durationSeconds + DEFAULTS.closedLoop.toolGraceSeconds}s and was stopped; check that the target answers`);
    const captured = existsSync(captureLog) ? (await readFile(captureLog, 'utf8')).length : 0;
    if (captured === 0) {
      const tail = result.outputTail.trim().split('\n').slice(-3).join(' | ');
      throw new UserError(`${input.tool} sent no request (exit ${String(result.code)}): ${tail || 'no output'}`);
    }

    say('profiling the captured traffic');
    const synthetic = await profileCaptured(engine, captureLog, model, plan, units);
    const report = closedLoopReport({
      production,
      synthetic: synthetic.figures,
      units,
      target: input.target === undefined ? 'demo' : 'external',
      counts: synthetic.counts,
      clock,
    });
    await writeAtomically(input.out ?? path.join(input.runDir, CLOSED_LOOP_FILE), `${JSON.stringify(report, null, 2)}\n`);
    return report;
  } finally {
    engine.close();
    await rm(work, { recursive: true, force: true });
  }
}

/** The compiled scenarios refuse production hosts; the proxy hides the host from them, so check here. */
function refuseProductionHost(target: string, model: TrafficModel): void {
  const host = new URL(target).hostname.toLowerCase();
  const production = model.productionHosts.map((h) => h.toLowerCase().replace(/:\d+$/, ''));
  if (production.includes(host) && process.env['ALLOW_PRODUCTION'] !== '1') {
    throw new OptionError(`refusing to load-test ${target}: it is a production host of this run; set ALLOW_PRODUCTION=1 to proceed`);
  }
}

/** Production's figures: the run's logs re-profiled with the run's options, personas from sessions.csv. */
async function profileProduction(engine: SqlEngine, run: RunFiles, paths: string[] | undefined, planned: ReadonlySet<string>): Promise<TrafficFigures> {
  const m = run.manifest;
  const inputs = paths ?? m.inputs.map((i) => i.path);
  const missing = inputs.filter((p) => !existsSync(p));
  if (missing.length > 0) {
    throw new InputError(`production log ${missing[0]} (an input of this run) no longer exists: pass the logs with --production <path...>`);
  }
  const { files } = await discoverInputs(inputs);
  const sessionCookie = typeof m.options['sessionCookie'] === 'string' ? (m.options['sessionCookie'] as string) : undefined;
  const ingested = await ingest(engine, files, new Set(inputs), {
    format: m.format,
    sessionCookieNames: DEFAULTS.ingest.sessionCookieNames,
    rejectedSamples: DEFAULTS.ingest.rejectedSamples,
    ...(sessionCookie ? { sessionCookie } : {}),
  });
  const gap = typeof m.options['sessionGapSeconds'] === 'number' ? (m.options['sessionGapSeconds'] as number) : DEFAULTS.ingest.sessionGapSeconds;
  await buildSessions(engine, PARSED_TABLE, sessionOptions(ingested.explicitSessions ? Infinity : gap));
  const names = [...planned].map(sqlString).join(', ');
  // Matched by client, user agent and start to the millisecond rather than by session id: the id is a
  // hash whose scheme may change between Loadprint versions, the session itself does not.
  await engine.exec(`CREATE OR REPLACE TABLE ${PRODUCTION_PERSONAS} AS
    SELECT s.sid, s.session_id, any_value(c.persona) AS persona
    FROM read_csv(${sqlString(run.sessionsCsv)}, header = true, all_varchar = true) c
    JOIN ${TABLES.sessions} s ON s.client_ip = c.client_ip AND s.user_agent = c.user_agent
      AND CAST(round(s.start * 1000) AS BIGINT) = epoch_ms(CAST(c.start AS TIMESTAMPTZ))
    WHERE c.persona IN (${names}) GROUP BY s.sid, s.session_id`);
  const [match] = await engine.query<{ matched: number; listed: number }>(
    `SELECT (SELECT count(*) FROM ${PRODUCTION_PERSONAS}) AS matched,
            (SELECT count(*) FROM read_csv(${sqlString(run.sessionsCsv)}, header = true, all_varchar = true) WHERE persona IN (${names})) AS listed`,
  );
  if (!match || match.listed === 0 || match.matched < match.listed) {
    throw new InputError(
      `the production logs give ${match?.matched ?? 0} of the ${match?.listed ?? 0} sessions in ${run.sessionsCsv}: ` +
        'they are not the logs this run profiled; pass those with --production <path...>',
    );
  }
  const window = m.window
    ? { start: Date.parse(m.window.start) / 1000, end: Date.parse(m.window.end) / 1000 }
    : { start: Date.parse(run.model.window.start) / 1000, end: Date.parse(run.model.window.end) / 1000 };
  return productionFigures(engine, { events: TABLES.events, sessions: TABLES.sessions, personas: PRODUCTION_PERSONAS }, window);
}


/**
 * The captured log through the same steps as production: ingest, sessions (one per scenario session:
 * its user agent names it, so no inactivity split), endpoints mapped onto the model's templates (a test
 * sends too few distinct ids for the templater to see a parameter), persona from the user agent.
 */
async function profileCaptured(
  engine: SqlEngine,
  logFile: string,
  model: TrafficModel,
  plan: ReturnType<typeof buildPlan>,
  units: CaptureUnits,
): Promise<{ figures: TrafficFigures; counts: { captured: number; censored: number; untagged: number } }> {
  const { files } = await discoverInputs([logFile]);
  await ingest(engine, files, new Set([logFile]), {
    format: 'jsonl' as LogFormat,
    sessionCookieNames: DEFAULTS.ingest.sessionCookieNames,
    rejectedSamples: DEFAULTS.ingest.rejectedSamples,
  });
  await buildSessions(engine, PARSED_TABLE, sessionOptions(Infinity));

  // The tool fetches a page's resources before it sleeps, so a think time starts at the end of the last
  // resource: measured from the page's own end, the resources' real time would be multiplied by
  // 1/THINK_SCALE with the think time and read as seconds of thinking.
  await engine.exec(`CREATE OR REPLACE TABLE ${CAPTURED_ENDPOINTS} AS SELECT *,
      max(t_end) OVER (PARTITION BY sid ORDER BY t_start, t_end ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_any_end
    FROM ${TABLES.events}`);
  await engine.exec(`CREATE OR REPLACE TABLE ${TABLES.events} AS SELECT * EXCLUDE (prev_any_end) REPLACE (
      CASE WHEN think_s IS NULL OR prev_any_end IS NULL THEN think_s ELSE greatest(0, t_start - prev_any_end) END AS think_s)
    FROM ${CAPTURED_ENDPOINTS}`);

  const templateOf = templateMatcher(model);
  const pages = await engine.query<{ method: string; path: string; query: string }>(
    `SELECT DISTINCT method, path, query FROM ${TABLES.events} WHERE NOT is_asset`,
  );
  await insertRows(engine, CAPTURED_ENDPOINTS, '(method VARCHAR, path VARCHAR, query VARCHAR, endpoint VARCHAR)', pages.map((p) => {
    const endpoint = `${p.method} ${templateOf(p.query ? `${p.path}?${p.query}` : p.path, p.method)}`;
    return [p.method, p.path, p.query, endpoint];
  }));
  await engine.exec(`UPDATE ${TABLES.events} SET endpoint = m.endpoint FROM ${CAPTURED_ENDPOINTS} m
    WHERE ${TABLES.events}.method = m.method AND ${TABLES.events}.path = m.path AND ${TABLES.events}.query = m.query`);

  const [first] = await engine.query<{ t0: number }>(`SELECT min(start) AS t0 FROM ${TABLES.sessions}`);
  const t0 = first?.t0 ?? 0;
  // sid is the engine's session key (a BIGINT), carried as text so it round-trips exactly.
  const sessions = await engine.query<{ sid: string; session_id: string; user_agent: string; start: number }>(
    `SELECT CAST(sid AS VARCHAR) AS sid, session_id, user_agent, start FROM ${TABLES.sessions}`,
  );
  const byTag = personaByTag(plan);
  let untagged = 0;
  let censored = 0;
  const rows: string[][] = [];
  for (const s of sessions) {
    const persona = byTag.get(parseScenarioAgent(s.user_agent)?.persona ?? '');
    if (persona === undefined) untagged++;
    else if (s.start - t0 > units.censorAfterSeconds) censored++;
    else rows.push([s.sid, s.session_id, persona]);
  }
  await insertRows(engine, `${CAPTURED_PERSONAS}_text`, '(sid VARCHAR, session_id VARCHAR, persona VARCHAR)', rows);
  await engine.exec(`CREATE OR REPLACE TABLE ${CAPTURED_PERSONAS} AS
    SELECT s.sid, s.session_id, t.persona FROM ${CAPTURED_PERSONAS}_text t JOIN ${TABLES.sessions} s ON s.session_id = t.session_id`);

  const window = { start: t0, end: t0 + units.durationSeconds };
  const captured = await productionFigures(engine, { events: TABLES.events, sessions: TABLES.sessions, personas: CAPTURED_PERSONAS }, window);
  const sessionStarts = await engine.query<{ persona: string; t: number }>(
    `SELECT p.persona, s.start - ${t0} AS t FROM ${TABLES.sessions} s JOIN ${CAPTURED_PERSONAS} p ON p.session_id = s.session_id`,
  );
  const pageStarts = await engine.query<{ persona: string; t: number }>(
    `SELECT p.persona, e.t_start - ${t0} AS t FROM ${TABLES.events} e JOIN ${CAPTURED_PERSONAS} p ON p.sid = e.sid WHERE NOT e.is_asset`,
  );
  return {
    figures: toProductionUnits(captured, { sessionStarts, pageStarts }, units),
    counts: { captured: rows.length, censored, untagged },
  };
}

async function insertRows(engine: SqlEngine, table: string, columns: string, rows: readonly string[][]): Promise<void> {
  await engine.exec(`CREATE OR REPLACE TABLE ${table} ${columns}`);
  for (let i = 0; i < rows.length; i += INSERT_BATCH) {
    const values = rows.slice(i, i + INSERT_BATCH).map((r) => `(${r.map(sqlString).join(', ')})`);
    await engine.exec(`INSERT INTO ${table} VALUES ${values.join(', ')}`);
  }
}

async function writeAtomically(file: string, content: string): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, content);
  await rename(tmp, file);
}

/**
 * THE end-to-end check of the AWS pipeline, offline: the synthesised state machine's definition run by
 * aws-local-stepfunctions, its Lambda tasks bound to the real step handlers (middy, validation,
 * rethrow policy) over an in-memory S3, and its Athena tasks bound to DuckDB executing the DuckDB
 * rendering of the very SQL the handlers put in the state, over the sample ALB logs loaded as the
 * Glue table. The run must land the same folder as `loadprint run` over the same files.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Template } from 'aws-cdk-lib/assertions';
import { StateMachine } from 'aws-local-stepfunctions';
import { execSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDbEngine } from '../../../lib/adapters/duckdb-engine';
import { S3Store } from '../../../lib/adapters/s3-store';
import { discoverInputs } from '../../../lib/core/ingest/discover-inputs';
import { validateModelSchema } from '../../../lib/core/model/validate-model-schema';
import { DEFAULT_RUN_OPTIONS, runPipeline } from '../../../lib/core/pipeline/run-pipeline';
import { loadChartLibrary } from '../../../lib/core/report/load-chart-library';
import { DUCKDB } from '../../../lib/core/sql/dialect';
import type { Manifest, PersonasFile } from '../../../lib/core/types';
import { buildModelStep } from '../../../functions/build-model/build-model-step';
import { clusterStep } from '../../../functions/cluster/cluster-step';
import { prepareRun } from '../../../functions/prepare-run/plan-run';
import { publishStep } from '../../../functions/publish/publish-step';
import { recordFailureStep } from '../../../functions/record-failure/record-failure-step';
import { makeStepHandler, type StepDeps } from '../../../functions/shared/step-handler';
import { validateStep } from '../../../functions/validate/validate-step';
import { writeScenariosStep } from '../../../functions/write-scenarios/write-scenarios-step';
import { renderAsl } from '../../lib/asl';
import { buildStack } from '../../lib/stack-fixture';
import { loadAlbGlueTable, loadUserAgentFlags } from '../../core/staged-run/glue-shaped-table';
import { athenaCsv, fakeS3 } from './fake-s3';
import '../../helpers/promise-with-resolvers';


const EXAMPLES = path.resolve(__dirname, '../../../examples/alb');
const TABLE_PREFIX = 'alb/AWSLogs/123456789012/elasticloadbalancing/us-east-1/';
const LOG_BUCKET = 'logs';
const RESULTS_BUCKET = 'results';
// Two days: the sample is one day of traffic, and its last sessions run past midnight.
const RUN = { runId: '20261106T001000Z-s3', window: { start: '2026-11-04T00:00:00.000Z', end: '2026-11-06T00:00:00.000Z' } };
const NOW = new Date('2026-11-06T00:20:00.000Z');
const STEPS = ['PrepareRun', 'Cluster', 'BuildModel', 'WriteScenarios', 'Validate', 'Publish', 'RecordFailure', 'SessionFeatures', 'PersonaStatistics'];
type Json = Record<string, unknown>;

let engine: DuckDbEngine;
let localDir: string;
const files = execSync(`find ${EXAMPLES} -name '*.gz'`).toString().trim().split('\n').sort();
const definition = renderAsl(Template.fromStack(buildStack()));

beforeAll(async () => {
  engine = await DuckDbEngine.open({ path: ':memory:', memoryLimit: '1GB', threads: 1 });
  await engine.exec('CREATE SCHEMA loadprint'); // the Glue database
  await loadAlbGlueTable(engine, 'loadprint.alb_access_logs', files, `s3://${LOG_BUCKET}/alb/`, `${EXAMPLES}/`);
  await loadUserAgentFlags(engine, 'loadprint.alb_access_logs', 'ua_flags');
  // The reference: `loadprint run` over the same files.
  localDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'lp-h10-')), 'run');
  const local = await DuckDbEngine.open({ path: ':memory:', memoryLimit: '1GB', threads: 1 });
  const { files: discovered } = await discoverInputs([EXAMPLES]);
  await runPipeline(
    { runId: 'local', files: discovered, explicitFiles: new Set(), outDir: localDir, options: { ...DEFAULT_RUN_OPTIONS, format: 'alb' }, versions: {} },
    { engine: local, clock: { now: () => NOW }, logger: { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} } as never, monotonicMs: () => 0, chartLibrary: loadChartLibrary },
  );
  local.close();
}, 120_000);

afterAll(() => {
  engine?.close();
  if (localDir) rmSync(path.dirname(localDir), { recursive: true, force: true });
});

function world() {
  const s3 = fakeS3();
  for (const f of files) s3.bucket(LOG_BUCKET).set(`alb/${path.relative(EXAMPLES, f)}`, readFileSync(f));
  const deps: Omit<StepDeps, 'logger'> = {
    s3: s3.client,
    store: new S3Store({ client: s3.client, bucket: RESULTS_BUCKET }),
    config: {
      logFormat: 'alb', database: 'loadprint', table: 'alb_access_logs', partitionColumn: 'day', partitionFormat: 'yyyy/MM/dd',
      partitionSeconds: 86_400, budgetBytes: 2 ** 40, resultsBucket: RESULTS_BUCKET, logBucket: LOG_BUCKET, logPrefix: TABLE_PREFIX,
    },
    dialect: DUCKDB,
    uaFlagsTable: 'ua_flags',
    now: () => NOW,
  };
  return { s3, deps };
}

function localHandlers(deps: Omit<StepDeps, 'logger'>, calls: string[], replace: Record<string, (input: Json) => unknown> = {}) {
  const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
  const context = { functionName: 'test', awsRequestId: 'r', getRemainingTimeInMillis: () => 60_000 } as never;
  const lambda = <A extends object>(step: (s: never, d: StepDeps) => Promise<A>) => {
    const h = makeStepHandler(logger, () => deps, step as never);
    return (input: Json) => h(input as never, context);
  };
  let query = 0;
  const athena = async (input: Json) => {
    const id = `q${++query}`;
    const rows = await engine.query<Json>(String(input['QueryString']));
    const columns = Object.keys(rows[0] ?? { kind: '', payload: '' });
    await deps.store.put(`athena-results/${id}.csv`, athenaCsv(rows, columns));
    return { QueryExecution: { QueryExecutionId: id, ResultConfiguration: { OutputLocation: `s3://${RESULTS_BUCKET}/athena-results/${id}.csv` }, Statistics: { DataScannedInBytes: 1_000_000 } } };
  };
  const all: Record<string, (input: Json) => unknown> = {
    PrepareRun: lambda(prepareRun),
    SessionFeatures: athena,
    Cluster: lambda(clusterStep),
    PersonaStatistics: athena,
    BuildModel: lambda(buildModelStep),
    WriteScenarios: lambda((s, d) => writeScenariosStep(s, d, {})),
    Validate: lambda(validateStep),
    Publish: lambda((s, d) => publishStep(s, d, loadChartLibrary)),
    RecordFailure: lambda(recordFailureStep),
    ...replace,
  };
  return Object.fromEntries(Object.entries(all).map(([name, fn]) => [name, async (input: unknown) => { calls.push(name); return (await fn(input as Json)) as never; }]));
}

function execute(deps: Omit<StepDeps, 'logger'>, replace: Record<string, (input: Json) => unknown> = {}) {
  const calls: string[] = [];
  const machine = new StateMachine(definition as never, { validationOptions: { checkArn: false } });
  const execution = machine.run(RUN as never, {
    overrides: {
      taskResourceLocalHandlers: localHandlers(deps, calls, replace),
      retryIntervalOverrides: Object.fromEntries(STEPS.map((s) => [s, 0])),
    },
  });
  return { execution, calls };
}

function localFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(path.join(dir, n)).isDirectory() ? localFiles(path.join(dir, n), `${prefix}${n}/`) : [`${prefix}${n}`])).sort();
}

describe('the synthesised state machine over sample ALB logs, executed locally', () => {
  it('completes and publishes the same run folder as `loadprint run`', async () => {
    // Given the sample logs in the log bucket and the Glue-shaped table in DuckDB
    const { s3, deps } = world();
    // When the state machine runs a window covering them
    const { execution, calls } = execute(deps);
    const output = (await execution.result) as Json;
    // Then every step ran once, in order, and the run is published as latest
    expect(calls).toEqual(['PrepareRun', 'SessionFeatures', 'Cluster', 'PersonaStatistics', 'BuildModel', 'WriteScenarios', 'Validate', 'Publish']);
    expect(output['publish']).toMatchObject({ latest: true });
    const results = s3.bucket(RESULTS_BUCKET);
    const runPrefix = `runs/${RUN.runId}/`;
    const awsFiles = [...results.keys()].filter((k) => k.startsWith(runPrefix)).map((k) => k.slice(runPrefix.length)).sort();
    // And the run folder has the same files as the local run's
    expect(awsFiles).toEqual(localFiles(localDir));
    expect(JSON.parse(results.get('latest.json')!.toString())).toEqual({ runId: RUN.runId });
    // And the same personas with the same sizes, and the same sessions
    const read = (k: string) => results.get(runPrefix + k)!.toString('utf8');
    const local = (k: string) => readFileSync(path.join(localDir, k), 'utf8');
    const personas = (f: PersonasFile) => f.personas.map((p) => [p.name, p.sessions]);
    expect(personas(JSON.parse(read('personas.json')))).toEqual(personas(JSON.parse(local('personas.json'))));
    expect(read('sessions.csv').split('\n').length).toBe(local('sessions.csv').split('\n').length);
    expect(read('sessions.csv')).toBe(local('sessions.csv'));
    // And model.json is schema-valid with the same personas and states
    const model = JSON.parse(read('model.json'));
    expect(validateModelSchema(model)).toEqual({ ok: true });
    const shape = (m: { personas: { name: string; states: { id: string }[] }[] }) => m.personas.map((p) => [p.name, p.states.map((s) => s.id).sort()]);
    expect(shape(model)).toEqual(shape(JSON.parse(local('model.json'))));
    // And the manifest says succeeded, with the sessions and Athena's scan cost
    const manifest = JSON.parse(read('manifest.json')) as Manifest & { cost: { actual: { queries: number } } };
    expect(manifest).toMatchObject({ status: 'succeeded', sessions: (JSON.parse(local('manifest.json')) as Manifest).sessions, format: 'alb' });
    expect(manifest.cost.actual.queries).toBe(2);
  }, 120_000);

  it('records a failed run with the reason when a step fails for good', async () => {
    // Given the statistics query fails (e.g. the workgroup's bytes-scanned cutoff)
    const { s3, deps } = world();
    const { execution, calls } = execute(deps, {
      PersonaStatistics: () => { throw Object.assign(new Error('Query exhausted resources: bytes scanned limit'), { name: 'Athena.AmazonAthenaException' }); },
    });
    // When it runs Then the execution fails and the run's manifest says why, at which step
    await expect(execution.result).rejects.toThrow();
    expect(calls.at(-1)).toBe('RecordFailure');
    const manifest = JSON.parse(s3.bucket(RESULTS_BUCKET).get(`runs/${RUN.runId}/manifest.json`)!.toString()) as Manifest;
    expect(manifest.status).toBe('failed');
    expect(manifest.error).toEqual({ message: expect.stringContaining('bytes scanned limit'), step: 'personaStatistics' });
    expect(s3.bucket(RESULTS_BUCKET).has('latest.json')).toBe(false);
  }, 120_000);
});

/**
 * The pipeline's Lambda steps, built from `functions/<name>/handler.ts`: one map from step to entry,
 * the resources and grants each step needs, and the environment it reads. The workflow takes the
 * functions as props; this construct is how the stack makes them.
 */
import { Duration } from 'aws-cdk-lib';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { LoadprintFunction, type PrefixAccess } from './loadprint-function';
import { LATEST_POINTER_KEY, RESULTS_PREFIXES, type LogLake } from './log-lake';
import type { PipelineStep } from './profiling-workflow';

/** The project root (bin/, lib/, functions/ live here). */
export const PROJECT_ROOT = path.resolve(__dirname, '..');

/** The single map from pipeline step to its handler, relative to the project root. */
export const PIPELINE_STEP_ENTRIES: Readonly<Record<PipelineStep, string>> = {
  prepareRun: 'functions/prepare-run/handler.ts',
  cluster: 'functions/cluster/handler.ts',
  buildModel: 'functions/build-model/handler.ts',
  writeScenarios: 'functions/write-scenarios/handler.ts',
  validate: 'functions/validate/handler.ts',
  publish: 'functions/publish/handler.ts',
  recordFailure: 'functions/record-failure/handler.ts',
};

/** Entries of PIPELINE_STEP_ENTRIES that do not exist yet. */
export function missingStepEntries(root: string = PROJECT_ROOT): string[] {
  return Object.values(PIPELINE_STEP_ENTRIES).filter((entry) => !existsSync(path.join(root, entry)));
}

const { runs, work, athenaResults } = RESULTS_PREFIXES;

/** Per step: memory, timeout and results-bucket access. Clustering holds every feature row. */
const STEP_SIZING: Readonly<Record<PipelineStep, { memoryMb: number; timeout: Duration; results: PrefixAccess }>> = {
  prepareRun: { memoryMb: 512, timeout: Duration.minutes(2), results: { read: [runs], write: [runs, work] } },
  cluster: { memoryMb: 3008, timeout: Duration.minutes(15), results: { read: [athenaResults, work], write: [runs, work] } },
  buildModel: { memoryMb: 2048, timeout: Duration.minutes(10), results: { read: [athenaResults, work, runs], write: [runs, work] } },
  writeScenarios: { memoryMb: 1024, timeout: Duration.minutes(10), results: { read: [runs], write: [runs] } },
  validate: { memoryMb: 2048, timeout: Duration.minutes(10), results: { read: [athenaResults, work, runs], write: [runs] } },
  // publish reads latest.json (publishLatest checks which run it names) before moving it.
  publish: { memoryMb: 512, timeout: Duration.minutes(2), results: { read: [runs, LATEST_POINTER_KEY], write: [runs], writeKeys: [LATEST_POINTER_KEY] } },
  recordFailure: { memoryMb: 256, timeout: Duration.minutes(1), results: { read: [runs], write: [runs] } },
};

export interface PipelineStepsProps {
  readonly lake: LogLake;
  readonly bedrockModelId: string;
  /** Budget of a run in bytes scanned (the cost plan's input). */
  readonly budgetBytes: number;
  /** Handler entries. @default PIPELINE_STEP_ENTRIES under PROJECT_ROOT */
  readonly entries?: Readonly<Record<PipelineStep, string>>;
}

export class PipelineSteps extends Construct {
  readonly functions: Readonly<Record<PipelineStep, LoadprintFunction>>;

  constructor(scope: Construct, id: string, props: PipelineStepsProps) {
    super(scope, id);
    const { lake } = props;
    const entries = props.entries ?? PIPELINE_STEP_ENTRIES;
    const make = (step: PipelineStep, constructId: string): LoadprintFunction => {
      const sizing = STEP_SIZING[step];
      const fn = new LoadprintFunction(this, constructId, {
        ...(step === 'publish' ? { copyIntoBundle: [require.resolve('echarts/dist/echarts.min.js')] } : {}),
        entry: path.resolve(PROJECT_ROOT, entries[step]),
        serviceName: `loadprint-${step}`,
        memorySize: sizing.memoryMb,
        timeout: sizing.timeout,
        environment: {
          LOG_FORMAT: lake.table.format,
          GLUE_DATABASE: lake.databaseName,
          LOG_TABLE: lake.table.tableName,
          LOG_PARTITION_COLUMN: lake.table.partitionColumn,
          LOG_PARTITION_FORMAT: lake.table.partitionFormat,
          LOG_PARTITION_SECONDS: String(lake.table.partitionSeconds),
          RUN_BUDGET_BYTES: String(props.budgetBytes),
        },
      });
      fn.bindResultsBucket(lake.resultsBucket as s3.IBucket, sizing.results);
      return fn;
    };
    const functions = {
      prepareRun: make('prepareRun', 'PrepareRun'),
      cluster: make('cluster', 'Cluster'),
      buildModel: make('buildModel', 'BuildModel'),
      writeScenarios: make('writeScenarios', 'WriteScenarios'),
      validate: make('validate', 'Validate'),
      publish: make('publish', 'Publish'),
      recordFailure: make('recordFailure', 'RecordFailure'),
    };
    // prepare-run sizes the window from the log objects' sizes (the cost plan).
    functions.prepareRun.bindLogBucketListing(lake.logBucket, lake.tableKeyPrefix);
    functions.writeScenarios.bindBedrockModel(props.bedrockModelId);
    this.functions = functions;
  }
}

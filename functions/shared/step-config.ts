/** The pipeline steps' configuration, read once from the environment PipelineSteps sets. */
import type { PartitionFormat } from '../../lib/core/cost';
import { numberEnv, oneOfEnv, requiredEnv, type Env } from '../../lib/adapters/lambda-env';
import type { AwsLogFormat } from '../../lib/core/staged-run/source-select';

export interface StepConfig {
  readonly logFormat: AwsLogFormat;
  readonly database: string;
  readonly table: string;
  readonly partitionColumn: string;
  readonly partitionFormat: PartitionFormat;
  readonly partitionSeconds: number;
  readonly budgetBytes: number;
  readonly resultsBucket: string;
  /** prepare-run only. */
  readonly logBucket?: string;
  readonly logPrefix?: string;
  /** write-scenarios only: enrich with Bedrock when set. */
  readonly bedrockModelId?: string;
}

export function readStepConfig(env: Env): StepConfig {
  return {
    logFormat: oneOfEnv(env, 'LOG_FORMAT', ['alb', 'cloudfront'] as const),
    database: requiredEnv(env, 'GLUE_DATABASE'),
    table: requiredEnv(env, 'LOG_TABLE'),
    partitionColumn: requiredEnv(env, 'LOG_PARTITION_COLUMN'),
    partitionFormat: oneOfEnv(env, 'LOG_PARTITION_FORMAT', ['yyyy/MM/dd', 'yyyy/MM/dd/HH'] as const),
    partitionSeconds: numberEnv(env, 'LOG_PARTITION_SECONDS', 86_400),
    budgetBytes: numberEnv(env, 'RUN_BUDGET_BYTES', 2 ** 40 / 5),
    resultsBucket: requiredEnv(env, 'RESULTS_BUCKET'),
    ...(env['LOG_BUCKET'] ? { logBucket: env['LOG_BUCKET'] } : {}),
    ...(env['LOG_BUCKET'] ? { logPrefix: env['LOG_PREFIX'] ?? '' } : {}),
    ...(env['BEDROCK_MODEL_ID'] ? { bedrockModelId: env['BEDROCK_MODEL_ID'] } : {}),
  };
}

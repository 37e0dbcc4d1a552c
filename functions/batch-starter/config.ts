/** batch-starter's configuration, read once from the environment the Triggers construct sets. */
import { DEFAULTS } from '../../lib/core/config';
import type { LogFormat } from '../../lib/core/types';
import { numberEnv, oneOfEnv, requiredEnv, type Env } from '../../lib/adapters/lambda-env';

export interface BatchStarterConfig {
  readonly stateMachineArn: string;
  readonly logFormat: LogFormat;
  /** Only objects under this prefix are logs ('' = the whole bucket). */
  readonly logPrefix: string;
  readonly batchWindowSeconds: number;
  readonly settleSeconds: number;
  readonly maxWindowsPerBatch: number;
}

export const AWS_LOG_FORMATS = ['alb', 'cloudfront'] as const satisfies readonly LogFormat[];

export function readBatchStarterConfig(env: Env): BatchStarterConfig {
  const t = DEFAULTS.triggers;
  return {
    stateMachineArn: requiredEnv(env, 'STATE_MACHINE_ARN'),
    logFormat: oneOfEnv(env, 'LOG_FORMAT', AWS_LOG_FORMATS),
    logPrefix: env['LOG_PREFIX'] ?? '',
    batchWindowSeconds: numberEnv(env, 'BATCH_WINDOW_SECONDS', t.batchWindowSeconds),
    settleSeconds: numberEnv(env, 'SETTLE_SECONDS', t.settleSeconds),
    maxWindowsPerBatch: numberEnv(env, 'MAX_WINDOWS_PER_BATCH', t.maxWindowsPerBatch),
  };
}

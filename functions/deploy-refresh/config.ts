/** deploy-refresh's configuration, read once from the environment the Triggers construct sets. */
import { DEFAULTS } from '../../lib/core/config';
import type { TriggerTimings } from '../../lib/core/triggers';
import { numberEnv, requiredEnv, type Env } from '../../lib/adapters/lambda-env';

export interface DeployRefreshConfig extends TriggerTimings {
  readonly stateMachineArn: string;
}

export function readDeployRefreshConfig(env: Env): DeployRefreshConfig {
  const t = DEFAULTS.triggers;
  return {
    stateMachineArn: requiredEnv(env, 'STATE_MACHINE_ARN'),
    batchWindowSeconds: numberEnv(env, 'BATCH_WINDOW_SECONDS', t.batchWindowSeconds),
    settleSeconds: numberEnv(env, 'SETTLE_SECONDS', t.settleSeconds),
    deployWindowSeconds: numberEnv(env, 'DEPLOY_WINDOW_SECONDS', t.deployWindowSeconds),
    scheduleLookbackSeconds: numberEnv(env, 'SCHEDULE_LOOKBACK_SECONDS', t.scheduleLookbackSeconds),
  };
}

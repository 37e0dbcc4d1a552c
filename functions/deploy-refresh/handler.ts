/**
 * deploy-refresh: a deploy (CodeDeploy success, or Loadprint's own `Deployment Completed` event) or a
 * schedule tick -> one profiling run. A deploy's run profiles the traffic of the window after it and
 * waits (in the state machine) until that window has been logged; a tick profiles the lookback window.
 *
 * Rethrow policy: an event of the wrong shape is logged and answered `rejected` (retrying the same
 * event cannot fix it); a start that fails (throttling, service error) throws, so Lambda's async
 * retries and then the dead-letter queue take it. A repeated event starts nothing new: the run id is
 * derived from the event and the execution name is the lock.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SFNClient } from '@aws-sdk/client-sfn';
import middy from '@middy/core';
import { InvalidEventError, validateEvent } from '../../lib/adapters/middy-validate-event';
import { startRunOnce, type RunStartOutcome } from '../../lib/adapters/start-run-once';
import { deployRunRequest, scheduledRunRequest } from '../../lib/core/triggers';
import { readDeployRefreshConfig, type DeployRefreshConfig } from './config';
import { parseRefreshEvent, type RefreshEvent } from './events';

export type RefreshResult = RunStartOutcome | { readonly status: 'rejected'; readonly reason: string };

export interface DeployRefreshDeps {
  readonly sfn: SFNClient;
  readonly config: DeployRefreshConfig;
  readonly logger: Logger;
}

export async function startRefresh(event: RefreshEvent, deps: DeployRefreshDeps): Promise<RefreshResult> {
  const { config, logger } = deps;
  const request =
    event.kind === 'deploy'
      ? deployRunRequest({ deploymentId: event.deploymentId, completedAt: event.completedAt, detail: event.detail }, config)
      : scheduledRunRequest(event.tick, config);
  logger.appendKeys({ runId: request.runId });
  const outcome = await startRunOnce(deps.sfn, config.stateMachineArn, request);
  logger.info(outcome.status === 'started' ? 'run_started' : 'run_already_started', {
    trigger: request.trigger,
    window: request.window,
    notBefore: request.notBefore,
  });
  return outcome;
}

/** Answers an invalid event instead of failing the invocation (see the rethrow policy above). */
function rejectInvalidEvents(logger: Logger): middy.MiddlewareObj<unknown, RefreshResult> {
  return {
    onError: (request) => {
      if (request.error instanceof InvalidEventError) {
        logger.error('event_rejected', { reason: request.error.message });
        request.response = { status: 'rejected', reason: request.error.message };
        request.error = null;
      }
    },
  };
}

/** Wraps the handler in its middleware; `resolveDeps` runs once, on the first invocation. */
export function makeHandler(logger: Logger, resolveDeps: () => Omit<DeployRefreshDeps, 'logger'>) {
  let deps: DeployRefreshDeps | undefined;
  return middy<RefreshEvent, RefreshResult>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(rejectInvalidEvents(logger))
    .use(validateEvent(parseRefreshEvent))
    .handler((event) => startRefresh(event, (deps ??= { ...resolveDeps(), logger })));
}

const logger = new Logger({ serviceName: 'loadprint-deploy-refresh' });
// Created once per container; the SDK's standard retry mode already backs off on throttling.
const sfn = new SFNClient({});

export const handler = makeHandler(logger, () => ({ sfn, config: readDeployRefreshConfig(process.env) }));

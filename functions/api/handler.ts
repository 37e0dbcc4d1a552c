/**
 * API Gateway (REST, proxy) -> Lambda: the Loadprint API over the results bucket. Thin: reads its
 * configuration once, builds the S3 store and the Step Functions run starter at module scope (one
 * SDK client per container), and hands them to the shared handler that `loadprint serve` runs too.
 *
 * Environment: RESULTS_BUCKET (required), RESULTS_PREFIX (optional, e.g. `results/`),
 * STATE_MACHINE_ARN (required: POST /runs starts an execution), POWERTOOLS_SERVICE_NAME (optional).
 * Rethrow policy: none; every failure becomes an HTTP answer (a generic 500 for the unexpected).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { S3Store } from '../../lib/adapters/s3-store';
import { SfnRunStarter } from '../../lib/adapters/sfn-run-starter';
import { createApiHandler } from '../../lib/core/api/handler';

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set; the API stack sets it`);
  return value;
}

const config = {
  bucket: requiredEnv('RESULTS_BUCKET'),
  prefix: process.env['RESULTS_PREFIX'] ?? '',
  stateMachineArn: requiredEnv('STATE_MACHINE_ARN'),
};

const logger = new Logger({ serviceName: process.env['POWERTOOLS_SERVICE_NAME'] ?? 'loadprint-api' });
const store = new S3Store({ client: new S3Client({}), bucket: config.bucket, prefix: config.prefix });
const runStarter = new SfnRunStarter({ client: new SFNClient({}), stateMachineArn: config.stateMachineArn });

export const handler = createApiHandler({
  store,
  runStarter,
  clock: { now: () => new Date() },
  logger: {
    debug: (message, fields) => logger.debug(message, fields ?? {}),
    info: (message, fields) => logger.info(message, fields ?? {}),
    warn: (message, fields) => logger.warn(message, fields ?? {}),
    error: (message, fields) => logger.error(message, fields ?? {}),
  },
}).use(injectLambdaContext(logger, { resetKeys: true }));

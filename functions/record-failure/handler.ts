/**
 * record-failure: the failed run's manifest with the reason (answer at `$.failure`).
 * Rethrow policy: see functions/shared/step-handler.ts.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { ATHENA } from '../../lib/core/sql/dialect';
import { s3 } from '../shared/clients';
import { readStepConfig } from '../shared/step-config';
import { makeStepHandler, makeStore } from '../shared/step-handler';
import { recordFailureStep } from './record-failure-step';

const logger = new Logger({ serviceName: 'loadprint-record-failure' });

export const handler = makeStepHandler(logger, () => {
  const config = readStepConfig(process.env);
  return { s3, config, store: makeStore(s3, config.resultsBucket), dialect: ATHENA, now: () => new Date() };
}, recordFailureStep);

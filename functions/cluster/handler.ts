/**
 * cluster: fits personas on the session features Athena returned and renders the persona statistics query (answer at `$.cluster`).
 * Rethrow policy: see functions/shared/step-handler.ts.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { ATHENA } from '../../lib/core/sql/dialect';
import { s3 } from '../shared/clients';
import { readStepConfig } from '../shared/step-config';
import { makeStepHandler, makeStore } from '../shared/step-handler';
import { clusterStep } from './cluster-step';

const logger = new Logger({ serviceName: 'loadprint-cluster' });

export const handler = makeStepHandler(logger, () => {
  const config = readStepConfig(process.env);
  return { s3, config, store: makeStore(s3, config.resultsBucket), dialect: ATHENA, now: () => new Date() };
}, clusterStep);

/**
 * prepare-run: plans the run (window, partitions, budget, session sample) and renders the session
 * features query the next state runs on Athena. Answer at `$.prepare` (the query text included).
 * Rethrow policy: see functions/shared/step-handler.ts (an infeasible budget is final, not retried).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { ATHENA } from '../../lib/core/sql/dialect';
import { s3 } from '../shared/clients';
import { readStepConfig } from '../shared/step-config';
import { makeStepHandler, makeStore } from '../shared/step-handler';
import { prepareRun } from './plan-run';

const logger = new Logger({ serviceName: 'loadprint-prepare-run' });

export const handler = makeStepHandler(logger, () => {
  const config = readStepConfig(process.env);
  return { s3, config, store: makeStore(s3, config.resultsBucket), dialect: ATHENA, now: () => new Date() };
}, prepareRun);

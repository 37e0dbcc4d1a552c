/**
 * publish: manifest (succeeded, timings, scan cost), report.html and the `latest.json` pointer
 * (answer at `$.publish`). Rethrow policy: see functions/shared/step-handler.ts.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { ATHENA } from '../../lib/core/sql/dialect';
import { s3 } from '../shared/clients';
import { readStepConfig } from '../shared/step-config';
import { makeStepHandler, makeStore } from '../shared/step-handler';
import { bundledChartLibrary } from './chart-library';
import { publishStep } from './publish-step';

const logger = new Logger({ serviceName: 'loadprint-publish' });
// The Lambda task root holds the bundle (index.mjs) and the files copied next to it.
const taskRoot = process.env['LAMBDA_TASK_ROOT'] ?? process.cwd();

export const handler = makeStepHandler(
  logger,
  () => {
    const config = readStepConfig(process.env);
    return { s3, config, store: makeStore(s3, config.resultsBucket), dialect: ATHENA, now: () => new Date() };
  },
  (state, deps) => publishStep(state, deps, () => bundledChartLibrary(taskRoot)),
);

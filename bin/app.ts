/**
 * The Loadprint CDK app. Configuration comes from CDK context (`cdk.json` or `-c key=value`):
 *
 *   logFormat          alb | cloudfront                          (default alb)
 *   logBucketName      existing bucket the logs are delivered to (default: create one)
 *   logPrefix          key prefix of the logs, '' or ending in / (default '')
 *   budgetUsd          Athena budget per run, USD                (default DEFAULTS.cost.defaultBudgetUsd)
 *   budgetBytes        ... or in bytes scanned (wins over budgetUsd)
 *   bedrockModelId     model for scenario enrichment             (default DEFAULTS.scenarios.bedrockModelId)
 *   schedule           e.g. "rate(1 day)" or "cron(0 2 * * ? *)" (default: no scheduled runs)
 *   projectionStartDate first log day, yyyy/MM/dd                 (default 2024/01/01)
 *   stackName                                                    (default Loadprint)
 *
 * cdk-nag's AwsSolutions pack validates the whole app at synthesis; any unacknowledged finding fails it.
 */
import { App, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { RunBudget } from '../lib/core/cost';
import { LoadprintStack } from '../lib/loadprint-stack';
import type { AwsLogFormat } from '../lib/log-tables';

const app = new App();

function context(name: string): string | undefined {
  const v: unknown = app.node.tryGetContext(name);
  if (v === undefined || v === null || v === '') return undefined;
  return String(v);
}

function fail(message: string): never {
  process.stderr.write(`loadprint cdk: ${message}\n`);
  process.exit(1);
}

function positiveNumber(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) fail(`context ${name} must be a positive number, got "${text}" (e.g. -c ${name}=1)`);
  return n;
}

const format = context('logFormat') ?? 'alb';
if (format !== 'alb' && format !== 'cloudfront') fail(`context logFormat must be alb or cloudfront, got "${format}"`);

const budgetBytesText = context('budgetBytes');
const budgetUsdText = context('budgetUsd');
const budget: RunBudget | undefined = budgetBytesText
  ? { bytes: positiveNumber('budgetBytes', budgetBytesText) }
  : budgetUsdText
    ? { usd: positiveNumber('budgetUsd', budgetUsdText) }
    : undefined;

const scheduleText = context('schedule');
if (scheduleText !== undefined && !/^(rate|cron)\(.+\)$/.test(scheduleText)) {
  fail(`context schedule must be rate(...) or cron(...), got "${scheduleText}"`);
}

const logBucketName = context('logBucketName');
const logPrefix = context('logPrefix');
const bedrockModelId = context('bedrockModelId');
const projectionStartDate = context('projectionStartDate');

new LoadprintStack(app, context('stackName') ?? 'Loadprint', {
  description: 'Loadprint: production access logs -> personas, traffic models and load-test scenarios',
  logFormat: format as AwsLogFormat,
  ...(logBucketName ? { existingLogBucket: { bucketName: logBucketName } } : {}),
  ...(logPrefix !== undefined ? { logPrefix } : {}),
  ...(budget ? { budget } : {}),
  ...(bedrockModelId ? { bedrockModelId } : {}),
  ...(scheduleText ? { schedule: events.Schedule.expression(scheduleText) } : {}),
  ...(projectionStartDate ? { projectionStartDate } : {}),
});

Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));

/**
 * The step handlers' edges with aws-sdk-client-mock: S3 throttling surfaces under the name the
 * workflow retries, a state that is not a run is refused before any AWS call, an over-budget window
 * fails for good, and record-failure writes a readable reason (not a stack trace).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { ListObjectsV2Command, S3ServiceException } from '@aws-sdk/client-s3';
import { S3Store } from '../../../lib/adapters/s3-store';
import { ATHENA } from '../../../lib/core/sql/dialect';
import { prepareRun } from '../../../functions/prepare-run/plan-run';
import { recordFailureStep } from '../../../functions/record-failure/record-failure-step';
import { makeStepHandler, type StepDeps } from '../../../functions/shared/step-handler';
import { fakeS3 } from './fake-s3';

const RUN = { runId: '20261105T001000Z-s3', window: { start: '2026-11-04T00:00:00.000Z', end: '2026-11-05T00:00:00.000Z' } };
const PREFIX = 'alb/AWSLogs/1/elasticloadbalancing/eu-west-1/';
const context = { functionName: 'test', awsRequestId: 'r', getRemainingTimeInMillis: () => 60_000 } as never;

function setup(budgetBytes = 2 ** 40) {
  const s3 = fakeS3();
  const deps: Omit<StepDeps, 'logger'> = {
    s3: s3.client,
    store: new S3Store({ client: s3.client, bucket: 'results' }),
    config: { logFormat: 'alb', database: 'loadprint', table: 'alb_access_logs', partitionColumn: 'day', partitionFormat: 'yyyy/MM/dd', partitionSeconds: 86_400, budgetBytes, resultsBucket: 'results', logBucket: 'logs', logPrefix: PREFIX },
    dialect: ATHENA,
    now: () => new Date('2026-11-05T00:20:00Z'),
  };
  const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
  return { s3, deps, prepare: makeStepHandler(logger, () => deps, prepareRun), record: makeStepHandler(logger, () => deps, recordFailureStep) };
}

describe('pipeline step handlers', () => {
  it('rethrows S3 throttling as ThrottlingException so the workflow backs off and retries', async () => {
    // Given S3 answers the listing with SlowDown
    const { s3, prepare } = setup();
    s3.mock.on(ListObjectsV2Command).rejects(new S3ServiceException({ name: 'SlowDown', $fault: 'server', $metadata: {}, message: 'Please reduce your request rate.' }));
    // When prepare-run runs Then it fails with the retried name
    await expect(prepare(RUN as never, context)).rejects.toMatchObject({ name: 'ThrottlingException' });
  });

  it('refuses a state without a valid run id before calling AWS', async () => {
    const { s3, prepare } = setup();
    await expect(prepare({ runId: '../../etc' } as never, context)).rejects.toMatchObject({ name: 'InvalidEventError' });
    expect(s3.mock.calls()).toHaveLength(0);
  });

  it('plans the run: Athena SQL over the window partitions, a draft manifest with the estimate', async () => {
    const { s3, prepare } = setup();
    s3.bucket('logs').set(`${PREFIX}2026/11/04/a_20261104T1000Z_x.log.gz`, Buffer.alloc(5000));
    const answer = (await prepare(RUN as never, context)) as { queries: { sessionFeatures: string }; plan: { objects: number } };
    expect(answer.plan.objects).toBe(1);
    expect(answer.queries.sessionFeatures).toMatch(/FROM "loadprint"\."alb_access_logs"\s+WHERE day IN \('2026\/11\/04'\)/);
    const draft = JSON.parse(s3.bucket('results').get(`runs/${RUN.runId}/manifest.json`)!.toString());
    expect(draft).toMatchObject({ status: 'running', window: RUN.window, cost: { logBytes: { kept: 5000 } } });
  });

  it('fails for good (no retry) when even the newest partition exceeds the budget', async () => {
    const { s3, prepare } = setup(1000);
    s3.bucket('logs').set(`${PREFIX}2026/11/04/a_20261104T1000Z_x.log.gz`, Buffer.alloc(50 * 2 ** 20));
    await expect(prepare(RUN as never, context)).rejects.toMatchObject({ name: 'OptionError', message: expect.stringContaining('over the budget') });
  });

  it('records a failure with the Lambda error message, not its stack trace', async () => {
    const { s3, record } = setup();
    const cause = JSON.stringify({ errorType: 'ModelError', errorMessage: 'no persona has enough sessions', trace: ['at x (/var/task/index.mjs:1:1)'] });
    await record({ ...RUN, prepare: {}, athena: { sessionFeatures: {} }, cluster: {}, error: { Error: 'ModelError', Cause: cause } } as never, context);
    const manifest = JSON.parse(s3.bucket('results').get(`runs/${RUN.runId}/manifest.json`)!.toString());
    expect(manifest).toMatchObject({ status: 'failed', error: { message: 'ModelError: no persona has enough sessions', step: 'personaStatistics' } });
    expect(JSON.stringify(manifest)).not.toContain('index.mjs');
  });
});

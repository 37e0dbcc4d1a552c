import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { Logger } from '@aws-lambda-powertools/logger';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { makeHandler } from '../../../functions/deploy-refresh/handler';
import { readDeployRefreshConfig } from '../../../functions/deploy-refresh/config';

const ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:LoadprintProfiling';
const load = (name: string) => JSON.parse(readFileSync(path.join(__dirname, '../../../events', name), 'utf8'));
const context = { functionName: 'deploy-refresh', awsRequestId: 'req-1', getRemainingTimeInMillis: () => 30_000 };

const sfnMock = mockClient(SFNClient);
const handler = makeHandler(new Logger({ serviceName: 'test', logLevel: 'SILENT' }), () => ({
  sfn: new SFNClient({ region: 'eu-west-1' }),
  config: readDeployRefreshConfig({ STATE_MACHINE_ARN: ARN }),
}));
const startedInput = () => JSON.parse(sfnMock.commandCalls(StartExecutionCommand)[0]?.args[0].input.input ?? '{}');

beforeEach(() => {
  sfnMock.reset();
  sfnMock.on(StartExecutionCommand).resolves({ executionArn: `${ARN}:run`, startDate: new Date() });
});

describe('deploy-refresh', () => {
  it('starts a run profiling the hour after a CodeDeploy success, waiting until it is logged', async () => {
    const res = await handler(load('deploy-codedeploy-success.json'), context as never);
    expect(res).toEqual({ status: 'started', runId: '20261128T151211Z-deployd7x1q2yb9c', executionArn: `${ARN}:run` });
    expect(sfnMock).toHaveReceivedCommandWith(StartExecutionCommand, { stateMachineArn: ARN, name: '20261128T151211Z-deployd7x1q2yb9c' });
    expect(startedInput()).toEqual({
      runId: '20261128T151211Z-deployd7x1q2yb9c',
      trigger: { source: 'deploy', detail: { deploymentId: 'd-7X1Q2YB9C', application: 'shop-web', deploymentGroup: 'prod', region: 'eu-west-1' } },
      window: { start: '2026-11-28T14:02:11.000Z', end: '2026-11-28T15:02:11.000Z' },
      notBefore: '2026-11-28T15:12:11.000Z',
    });
  });

  it('uses the completion time a custom Deployment Completed event carries', async () => {
    await handler(load('deploy-loadprint-completed.json'), context as never);
    const input = startedInput();
    expect(input.window.start).toBe('2026-11-28T16:29:58.000Z');
    expect(input.trigger.detail).toEqual({ deploymentId: 'gh-actions-run-8812', service: 'checkout', version: '2026.11.28-3', environment: 'prod' });
  });

  it('starts the scheduled lookback run on a schedule tick', async () => {
    await handler(load('deploy-refresh-scheduled-tick.json'), context as never);
    expect(startedInput().window).toEqual({ start: '2026-11-28T02:00:00.000Z', end: '2026-11-29T02:00:00.000Z' });
  });

  it('answers a repeated deploy event without starting a second run', async () => {
    sfnMock.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    const res = await handler(load('deploy-codedeploy-success.json'), context as never);
    expect(res).toEqual({ status: 'already-started', runId: '20261128T151211Z-deployd7x1q2yb9c' });
  });

  it('rejects a failed deployment without calling Step Functions', async () => {
    const failed = load('deploy-codedeploy-success.json');
    failed.detail.state = 'FAILURE';
    const res = await handler(failed, context as never);
    expect(res).toEqual({ status: 'rejected', reason: 'event.detail.state must be SUCCESS, got "FAILURE"' });
    expect(sfnMock).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it('rejects a custom event without a deployment id', async () => {
    const bad = load('deploy-loadprint-completed.json');
    delete bad.detail.deploymentId;
    const res = await handler(bad, context as never);
    expect(res).toEqual({ status: 'rejected', reason: 'event.detail.deploymentId must be a non-empty string' });
    expect(sfnMock).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it('fails the invocation when Step Functions throttles, so Lambda retries it', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    sfnMock.on(StartExecutionCommand).rejects(throttled);
    await expect(handler(load('deploy-codedeploy-success.json'), context as never)).rejects.toThrow('Rate exceeded');
  });
});

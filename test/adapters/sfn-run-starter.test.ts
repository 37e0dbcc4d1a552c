import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { SfnRunStarter, isS3Input } from '../../lib/adapters/sfn-run-starter';
import { RunRejectedError } from '../../lib/core/api/run-starter';

const sfn = mockClient(SFNClient);
const ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:loadprint-profile';

describe('SfnRunStarter', () => {
  const starter = new SfnRunStarter({ client: new SFNClient({ region: 'eu-west-1' }), stateMachineArn: ARN });
  beforeEach(() => sfn.reset());

  it('starts one execution named after the run with the run id and inputs as input', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${ARN}:x`, startDate: new Date() });
    await starter.start({ runId: '20261128T101500Z-a1b2c3', inputs: ['s3://alb-logs/AWSLogs/123/', 'drops/2026/11/'] });
    expect(sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: ARN,
      name: '20261128T101500Z-a1b2c3',
      input: JSON.stringify({ runId: '20261128T101500Z-a1b2c3', inputs: ['s3://alb-logs/AWSLogs/123/', 'drops/2026/11/'] }),
    });
  });

  it.each(['/var/log/nginx', 'file:///etc/passwd', 'https://x/y', 's3://UPPER/x', 's3://b/../x', 'drops/../../x', 'a\\b'])(
    'refuses input %j as not an S3 location, without calling Step Functions',
    async (input) => {
      expect(isS3Input(input)).toBe(false);
      await expect(starter.start({ runId: 'r1', inputs: [input] })).rejects.toBeInstanceOf(RunRejectedError);
      expect(sfn.calls()).toHaveLength(0);
    },
  );

  it('refuses reading options (the pipeline reads ALB and CloudFront as AWS writes them), without calling Step Functions', async () => {
    const start = starter.start({ runId: 'r1', inputs: ['drops/'], reading: { logFormat: 'main', sessionGap: '15m' } });
    await expect(start).rejects.toMatchObject({
      name: 'RunRejectedError',
      code: 'invalid_options',
      message: expect.stringMatching(/^"options" \(logFormat, sessionGap\) apply to local runs/),
    });
    expect(sfn.calls()).toHaveLength(0);
  });

  it('reports an execution that already exists as a rejected start', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    await expect(starter.start({ runId: 'r1', inputs: ['drops/'] })).rejects.toBeInstanceOf(RunRejectedError);
  });
});

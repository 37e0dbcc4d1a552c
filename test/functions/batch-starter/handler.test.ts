import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { Logger } from '@aws-lambda-powertools/logger';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { makeHandler } from '../../../functions/batch-starter/handler';
import { readBatchStarterConfig } from '../../../functions/batch-starter/config';

const ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:LoadprintProfiling';
const events = path.join(__dirname, '../../../events');
const batch = JSON.parse(readFileSync(path.join(events, 's3-object-created-sqs-batch.json'), 'utf8'));
const single = JSON.parse(readFileSync(path.join(events, 's3-object-created.json'), 'utf8'));
const context = { functionName: 'batch-starter', awsRequestId: 'req-1', getRemainingTimeInMillis: () => 30_000 };

const sfnMock = mockClient(SFNClient);
const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
const handler = makeHandler(logger, () => ({
  sfn: new SFNClient({ region: 'eu-west-1' }),
  config: readBatchStarterConfig({ STATE_MACHINE_ARN: ARN, LOG_FORMAT: 'alb', LOG_PREFIX: 'alb/' }),
}));

function sqsOf(...bodies: unknown[]) {
  return { Records: bodies.map((b, i) => ({ messageId: `m${i}`, body: JSON.stringify(b) })) };
}

beforeEach(() => sfnMock.reset());

describe('batch-starter', () => {
  it('starts one run per closed window for a burst of ALB files, and drops an unreadable record', async () => {
    // Given 4 files closing 09:00-10:00, 1 file closing 10:00-11:00 and one broken record
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: `${ARN}:x`, startDate: new Date() });
    // When the batch is handled
    const res = await handler(batch, context as never);
    // Then two executions start, oldest window first, named after their run ids, and nothing is retried
    expect(sfnMock).toHaveReceivedCommandTimes(StartExecutionCommand, 2);
    const calls = sfnMock.commandCalls(StartExecutionCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.name)).toEqual(['20261128T101000Z-s3', '20261128T111000Z-s3']);
    expect(calls[0]?.stateMachineArn).toBe(ARN);
    expect(JSON.parse(calls[0]?.input ?? '{}')).toEqual({
      runId: '20261128T101000Z-s3',
      trigger: { source: 's3', detail: {} },
      window: { start: '2026-11-28T09:00:00.000Z', end: '2026-11-28T10:00:00.000Z' },
      notBefore: '2026-11-28T10:10:00.000Z',
    });
    expect(res).toEqual({ batchItemFailures: [] });
  });

  it('treats a window whose run already exists as started (a redelivery starts nothing new)', async () => {
    sfnMock.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }));
    const res = await handler(sqsOf(single), context as never);
    expect(sfnMock).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
    expect(res).toEqual({ batchItemFailures: [] });
  });

  it('reports only the records of a throttled window as failures, so SQS retries just those', async () => {
    // Given the 09:00 window is throttled and the 10:00 window starts
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    sfnMock
      .on(StartExecutionCommand, { name: '20261128T101000Z-s3' }).rejects(throttled)
      .on(StartExecutionCommand, { name: '20261128T111000Z-s3' }).resolves({ executionArn: `${ARN}:y`, startDate: new Date() });
    // When the burst is handled
    const res = await handler(batch, context as never);
    // Then the four 09:00-window records come back as failures, the 10:00 one and the broken one do not
    expect(res.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['msg-1', 'msg-2', 'msg-3', 'msg-4']);
  });

  it('ignores objects outside the log prefix', async () => {
    const other = structuredClone(single);
    other.detail.object.key = 'exports/report.csv';
    const res = await handler(sqsOf(other), context as never);
    expect(sfnMock).not.toHaveReceivedCommand(StartExecutionCommand);
    expect(res).toEqual({ batchItemFailures: [] });
  });

  it('rejects an invocation that is not an SQS batch before calling Step Functions', async () => {
    await expect(handler(single as never, context as never)).rejects.toThrow(/event.Records must be an array/);
    expect(sfnMock).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it('leaves windows beyond the per-batch cap to the SQS retry (a backfill does not start hundreds of runs at once)', async () => {
    // Given 30 files each closing a different hourly window and a cap of 24
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: `${ARN}:z`, startDate: new Date() });
    const bodies = Array.from({ length: 30 }, (_, h) => {
      const e = structuredClone(single);
      const stamp = `202611${String(10 + Math.floor(h / 24)).padStart(2, '0')}T${String(h % 24).padStart(2, '0')}15Z`;
      e.detail.object.key = e.detail.object.key.replace('20261128T1015Z', stamp);
      return e;
    });
    const res = await handler(sqsOf(...bodies), context as never);
    expect(sfnMock).toHaveReceivedCommandTimes(StartExecutionCommand, 24);
    expect(res.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['m24', 'm25', 'm26', 'm27', 'm28', 'm29']);
  });
});

describe('batch-starter configuration', () => {
  it('names the missing variable', () => {
    expect(() => readBatchStarterConfig({ LOG_FORMAT: 'alb' })).toThrow('environment variable STATE_MACHINE_ARN is not set');
    expect(() => readBatchStarterConfig({ STATE_MACHINE_ARN: ARN, LOG_FORMAT: 'jsonl' })).toThrow(/must be one of alb, cloudfront/);
  });
});

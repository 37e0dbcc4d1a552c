import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import { actionsOf, resourcesOf, roleStatements } from './iam';
import { buildStack } from './stack-fixture';

const stack = buildStack({ schedule: events.Schedule.expression('cron(0 2 * * ? *)') });
const template = Template.fromStack(stack);
const envOf = (idPattern: RegExp): Record<string, unknown> => {
  const fn = Object.entries(template.findResources('AWS::Lambda::Function')).find(([id]) => idPattern.test(id));
  return (fn?.[1] as { Properties: { Environment: { Variables: Record<string, unknown> } } }).Properties.Environment.Variables;
};

describe('Triggers', () => {
  it('sends S3 Object Created events of the log bucket under the log prefix to the batching queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: { bucket: { name: [{ Ref: Match.stringLikeRegexp('LogBucket') }] }, object: { key: [{ prefix: 'alb/' }] } },
      },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('LogDropQueue'), 'Arn'] }, DeadLetterConfig: Match.anyValue() })],
    });
  });

  it('hands a burst to batch-starter as one batch: up to 10,000 files or 5 minutes, partial failures retried', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10000,
      MaximumBatchingWindowInSeconds: 300,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 2 },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 660,
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: 5 },
    });
  });

  it('configures batch-starter with the format, prefix, window timings and the state machine', () => {
    expect(envOf(/TriggersBatchStarter/)).toMatchObject({
      LOG_FORMAT: 'alb',
      LOG_PREFIX: 'alb/',
      BATCH_WINDOW_SECONDS: '3600',
      SETTLE_SECONDS: '600',
      STATE_MACHINE_ARN: { Ref: expect.stringMatching(/ProfilingWorkflowStateMachine/) },
    });
  });

  it('refreshes after a successful CodeDeploy deployment and on the custom loadprint Deployment Completed event', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['aws.codedeploy'], 'detail-type': ['CodeDeploy Deployment State-change Notification'], detail: { state: ['SUCCESS'] } },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeployRefresh'), 'Arn'] }, RetryPolicy: Match.anyValue() })],
    });
    template.hasResourceProperties('AWS::Events::Rule', { EventPattern: { source: ['loadprint'], 'detail-type': ['Deployment Completed'] } });
  });

  it('adds the optional schedule', () => {
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(0 2 * * ? *)' });
    const noSchedule = Template.fromStack(buildStack());
    expect(Object.values(noSchedule.findResources('AWS::Events::Rule')).filter((r) => JSON.stringify(r).includes('ScheduleExpression'))).toEqual([]);
  });

  it('lets the starters start the profiling state machine and nothing else', () => {
    for (const role of [/TriggersBatchStarterRole/, /TriggersDeployRefreshRole/]) {
      const statements = roleStatements(template, role);
      expect(resourcesOf(statements, 'states:StartExecution')).toEqual([expect.stringMatching(/ProfilingWorkflowStateMachine/)]);
      expect(actionsOf(statements).filter((a) => a.startsWith('states:'))).toEqual(['states:StartExecution']);
      expect(actionsOf(statements).some((a) => a.includes('*'))).toBe(false);
    }
  });
});

import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { LoadprintFunction } from '../../lib/loadprint-function';
import { actionsOf, resourcesOf, roleStatements } from './iam';
import { ENV, FIXTURE_ENTRY, testApp } from './stack-fixture';

function fn(configure: (f: LoadprintFunction) => void = () => undefined): Template {
  const stack = new Stack(testApp(), 'FnTest', { env: ENV });
  configure(new LoadprintFunction(stack, 'Worker', { entry: FIXTURE_ENTRY, serviceName: 'worker' }));
  return Template.fromStack(stack);
}

describe('LoadprintFunction', () => {
  it('runs Node 24 on ARM64 with source maps, Powertools naming and its own log group with retention', () => {
    const t = fn();
    t.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('WorkerLogGroup') } },
      Environment: { Variables: { NODE_OPTIONS: '--enable-source-maps', POWERTOOLS_SERVICE_NAME: 'worker', POWERTOOLS_LOG_LEVEL: 'INFO' } },
    });
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('writes logs through an inline grant on its log group, not the AWS-managed basic execution policy', () => {
    const t = fn();
    t.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
    const statements = roleStatements(t, /WorkerRole/);
    expect(actionsOf(statements).sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
    expect(resourcesOf(statements, 'logs:PutLogEvents')).toEqual([expect.stringContaining('WorkerLogGroup')]);
  });

  it('binds the results bucket per key prefix, with the variable', () => {
    const stack = new Stack(testApp(), 'FnBucket', { env: ENV });
    const bucket = new s3.Bucket(stack, 'Results') as unknown as s3.IBucket; // exactOptionalPropertyTypes vs aws-cdk-lib
    new LoadprintFunction(stack, 'Worker', { entry: FIXTURE_ENTRY, serviceName: 'worker' }).bindResultsBucket(bucket, {
      read: ['runs/'],
      write: ['runs/'],
      writeKeys: ['latest.json'],
    });
    const t = Template.fromStack(stack);
    const statements = roleStatements(t, /WorkerRole/);
    expect(resourcesOf(statements, 's3:GetObject')).toEqual([expect.stringContaining('/runs/*')]);
    const writes = resourcesOf(statements, 's3:PutObject');
    expect(writes.join(' ')).toContain('/runs/*');
    expect(writes.join(' ')).toContain('/latest.json');
    const list = statements.find((s) => s.Action === 's3:ListBucket');
    expect(list?.Condition).toEqual({ StringLike: { 's3:prefix': ['runs/*'] } });
    t.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ RESULTS_BUCKET: Match.anyValue() }) } });
  });

  it('grants Bedrock on exactly the configured foundation model', () => {
    const t = fn((f) => f.bindBedrockModel('anthropic.claude-3-5-sonnet-20240620-v1:0'));
    const statements = roleStatements(t, /WorkerRole/);
    expect(resourcesOf(statements, 'bedrock:InvokeModel')).toEqual([
      'arn:<AWS::Partition>:bedrock:eu-west-1::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0',
    ]);
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ BEDROCK_MODEL_ID: 'anthropic.claude-3-5-sonnet-20240620-v1:0' }) },
    });
  });

  it('grants a cross-region inference profile and the model it routes to', () => {
    const t = fn((f) => f.bindBedrockModel('eu.anthropic.claude-3-7-sonnet-20250219-v1:0'));
    const resources = resourcesOf(roleStatements(t, /WorkerRole/), 'bedrock:InvokeModel').join(' ');
    expect(resources).toContain(':bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-3-7-sonnet-20250219-v1:0');
    expect(resources).toContain(':bedrock:*::foundation-model/anthropic.claude-3-7-sonnet-20250219-v1:0');
  });
});

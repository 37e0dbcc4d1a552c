import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import { AwsSolutionsChecks } from 'cdk-nag';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LoadprintStackProps } from '../../lib/loadprint-stack';
import { missingStepEntries, PIPELINE_STEP_ENTRIES, PipelineSteps } from '../../lib/pipeline-steps';
import { PIPELINE_STEPS } from '../../lib/profiling-workflow';
import { actionsOf, resourcesOf, roleStatements } from './iam';
import { buildStack, FIXTURE_ENTRY, testApp } from './stack-fixture';

/** cdk-nag AwsSolutions findings left after the stack's acknowledgements. */
function nagFindings(props: Partial<LoadprintStackProps>): string[] {
  const app = testApp();
  const stack = buildStack(props, app);
  Template.fromStack(stack); // synthesises: runs the acknowledgement aspects
  return new AwsSolutionsChecks(app).validateScope(stack).violations.map((v) => v.ruleName);
}

describe('LoadprintStack under cdk-nag AwsSolutions', () => {
  it('has no unacknowledged finding with a created ALB log bucket', () => {
    expect(nagFindings({})).toEqual([]);
  });

  it('has no unacknowledged finding with an imported CloudFront bucket, a schedule and an inference profile', () => {
    expect(
      nagFindings({
        logFormat: 'cloudfront',
        logPrefix: 'cf/',
        existingLogBucket: { bucketName: 'cdn-logs' },
        schedule: events.Schedule.rate(Duration.days(1)),
        bedrockModelId: 'eu.anthropic.claude-3-7-sonnet-20250219-v1:0',
      }),
    ).toEqual([]);
  });

  it('composes one of each concern', () => {
    const stack = buildStack();
    expect([stack.lake, stack.workflow, stack.triggers, stack.api].every((c) => c !== undefined)).toBe(true);
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    t.resourceCountIs('AWS::ApiGateway::RestApi', 1);
    t.resourceCountIs('AWS::Athena::WorkGroup', 1);
    t.resourceCountIs('AWS::Glue::Table', 1);
  });
});

describe('PipelineSteps (the stack default once the handlers exist)', () => {
  const stack = buildStack({
    stepFunctions: (scope, lake) => {
      const entries = Object.fromEntries(PIPELINE_STEPS.map((s) => [s, FIXTURE_ENTRY])) as typeof PIPELINE_STEP_ENTRIES;
      return new PipelineSteps(scope, 'PipelineSteps', { lake, bedrockModelId: 'anthropic.claude-3-5-sonnet-20240620-v1:0', budgetBytes: 1e9, entries }).functions as never;
    },
  });
  const template = Template.fromStack(stack);

  it('lets prepare-run list the log table prefix (object sizes for the cost plan) and nothing of the logs besides', () => {
    const statements = roleStatements(template, /PipelineStepsPrepareRunRole/);
    const list = statements.filter((s) => s.Action === 's3:ListBucket' && JSON.stringify(s.Resource).includes('LogBucket'));
    expect(list).toHaveLength(1);
    expect(list[0]?.Condition).toEqual({ StringLike: { 's3:prefix': ['alb/AWSLogs/123456789012/elasticloadbalancing/eu-west-1/*'] } });
    expect(resourcesOf(statements, 's3:GetObject').some((r) => r.includes('LogBucket'))).toBe(false);
  });

  it('gives Bedrock to write-scenarios only, and the latest pointer to publish only', () => {
    const stepRoles = ['PrepareRun', 'Cluster', 'BuildModel', 'WriteScenarios', 'Validate', 'Publish', 'RecordFailure'];
    for (const step of stepRoles) {
      const statements = roleStatements(template, new RegExp(`PipelineSteps${step}Role`));
      expect({ step, bedrock: actionsOf(statements).includes('bedrock:InvokeModel') }).toEqual({ step, bedrock: step === 'WriteScenarios' });
      const latest = resourcesOf(statements, 's3:PutObject').some((r) => r.endsWith('/latest.json'));
      expect({ step, latest }).toEqual({ step, latest: step === 'Publish' });
    }
  });

  it('tells each step where the log table is and what the run may scan', () => {
    const fns = Object.values(template.findResources('AWS::Lambda::Function')) as { Properties: { Environment?: { Variables: Record<string, unknown> } } }[];
    const withTable = fns.filter((f) => f.Properties.Environment?.Variables['LOG_TABLE'] === 'alb_access_logs');
    expect(withTable).toHaveLength(7);
    expect(withTable[0]?.Properties.Environment?.Variables).toMatchObject({
      GLUE_DATABASE: 'loadprint',
      LOG_PARTITION_COLUMN: 'day',
      LOG_PARTITION_FORMAT: 'yyyy/MM/dd',
      LOG_PARTITION_SECONDS: '86400',
      RUN_BUDGET_BYTES: '1000000000',
    });
  });

  it('reports which step handlers are still missing', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'loadprint-steps-'));
    expect(missingStepEntries(root)).toEqual(Object.values(PIPELINE_STEP_ENTRIES));
    for (const entry of Object.values(PIPELINE_STEP_ENTRIES)) {
      mkdirSync(path.dirname(path.join(root, entry)), { recursive: true });
      writeFileSync(path.join(root, entry), 'export const handler = async () => ({});\n');
    }
    expect(missingStepEntries(root)).toEqual([]);
  });
});

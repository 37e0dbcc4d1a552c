import { Match, Template } from 'aws-cdk-lib/assertions';
import { actionsOf, resourcesOf, roleStatements } from './iam';
import { buildStack } from './stack-fixture';

const template = Template.fromStack(buildStack());

describe('ScenarioApi', () => {
  it('requires IAM (SigV4) authorization on every method', () => {
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method')) as { Properties: { AuthorizationType: string; HttpMethod: string } }[];
    expect(methods.length).toBeGreaterThanOrEqual(2);
    expect(methods.every((m) => m.Properties.AuthorizationType === 'AWS_IAM')).toBe(true);
  });

  it('proxies every path to the API Lambda', () => {
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: '{proxy+}' });
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'ANY',
      Integration: Match.objectLike({ Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST' }),
    });
  });

  it('logs access and errors, traces, and throttles the stage', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'v1',
      TracingEnabled: true,
      AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue() }),
      MethodSettings: [Match.objectLike({ LoggingLevel: 'ERROR', DataTraceEnabled: false, ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 })],
    });
  });

  it('gives the handler the results bucket and state machine it needs', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          RESULTS_BUCKET: { Ref: Match.stringLikeRegexp('ResultsBucket') },
          STATE_MACHINE_ARN: { Ref: Match.stringLikeRegexp('StateMachine') },
        }),
      },
    });
  });

  it('reads run folders, request records and the latest pointer, writes only request records, starts only the state machine', () => {
    const statements = roleStatements(template, /ScenarioApiHandlerRole/);
    const reads = resourcesOf(statements, 's3:GetObject').join(' ');
    expect(reads).toContain('/runs/*');
    expect(reads).toContain('/requests/*');
    expect(reads).toContain('/latest.json*');
    const writes = resourcesOf(statements, 's3:PutObject');
    expect(writes).toHaveLength(1);
    expect(writes[0]).toContain('/requests/*');
    expect(resourcesOf(statements, 'states:StartExecution')).toEqual([expect.stringMatching(/StateMachine/)]);
    expect(actionsOf(statements).filter((a) => a.includes('*'))).toEqual([]);
    expect(actionsOf(statements).filter((a) => a.startsWith('s3:Delete'))).toEqual([]);
  });
});

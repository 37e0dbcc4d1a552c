import { Match, Template } from 'aws-cdk-lib/assertions';
import { ATHENA_RETRY_ERRORS, LAMBDA_RETRY_ERRORS } from '../../lib/profiling-workflow';
import { happyPath, renderAsl, type Asl } from './asl';
import { buildStack } from './stack-fixture';

const stack = buildStack();
const template = Template.fromStack(stack);
const asl: Asl = renderAsl(template);
const tasks = Object.entries(asl.States).filter(([, s]) => s.Type === 'Task');

/** All Allow statements of the state machine role's policies. */
function stateMachineStatements(): { Action: string | string[]; Resource: unknown; Condition?: unknown }[] {
  const role = Object.entries(template.findResources('AWS::IAM::Role')).find(([, r]) =>
    JSON.stringify(r).includes('states.amazonaws.com'),
  );
  if (!role) throw new Error('no state machine role');
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
    JSON.stringify(p).includes(`"Ref":"${role[0]}"`),
  ) as { Properties: { PolicyDocument: { Statement: never[] } } }[];
  return policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
}
const asArray = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

describe('ProfilingWorkflow state machine', () => {
  it('is a Standard state machine with full logging (no payloads), tracing and a run timeout', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
    });
    expect(asl.TimeoutSeconds).toBe(12 * 3600);
  });

  it('runs the pipeline in order: wait for the window, prepare, Athena features, cluster, Athena statistics, model, scenarios, validate, publish', () => {
    expect(happyPath(asl)).toEqual([
      'HasStartTime', 'PrepareRun', 'SessionFeatures', 'Cluster', 'PersonaStatistics',
      'BuildModel', 'WriteScenarios', 'Validate', 'Publish', 'RunSucceeded',
    ]);
    expect(asl.States['HasStartTime']?.Choices).toEqual([{ Variable: '$.notBefore', IsPresent: true, Next: 'WaitForWindow' }]);
    expect(asl.States['WaitForWindow']).toMatchObject({ Type: 'Wait', TimestampPath: '$.notBefore', Next: 'PrepareRun' });
  });

  it('runs both Athena queries to completion (.sync) in the workgroup, with SQL from the state', () => {
    const features = asl.States['SessionFeatures'];
    const stats = asl.States['PersonaStatistics'];
    expect(features?.Resource).toMatch(/:states:::athena:startQueryExecution\.sync$/);
    expect(features?.Parameters).toEqual({
      'QueryString.$': '$.prepare.queries.sessionFeatures',
      WorkGroup: 'loadprint',
      QueryExecutionContext: { Database: 'loadprint' },
    });
    expect(stats?.Parameters?.['QueryString.$']).toBe('$.cluster.queries.personaStatistics');
    expect(features?.ResultPath).toBe('$.athena.sessionFeatures');
    expect(features?.ResultSelector).toEqual({
      'queryExecutionId.$': '$.QueryExecution.QueryExecutionId',
      'outputLocation.$': '$.QueryExecution.ResultConfiguration.OutputLocation',
      'scannedBytes.$': '$.QueryExecution.Statistics.DataScannedInBytes',
    });
  });

  it('gives every task a timeout and a throttling retry with exponential backoff and jitter', () => {
    expect(tasks).toHaveLength(9);
    for (const [name, state] of tasks) {
      expect({ name, timeout: state.TimeoutSeconds! > 0 }).toEqual({ name, timeout: true });
      const retry = state.Retry?.[0];
      const expected = name === 'SessionFeatures' || name === 'PersonaStatistics' ? ATHENA_RETRY_ERRORS : LAMBDA_RETRY_ERRORS;
      expect({ name, retry }).toEqual({
        name,
        retry: expect.objectContaining({ ErrorEquals: expected, BackoffRate: 2, JitterStrategy: 'FULL' }),
      });
    }
    expect(asl.States['Cluster']?.Retry?.[0]?.ErrorEquals).toEqual(expect.arrayContaining(['Lambda.TooManyRequestsException', 'ThrottlingException']));
    // The step function's own timeout (2 min in the fixture) plus a minute.
    expect(asl.States['Cluster']?.TimeoutSeconds).toBe(180);
    expect(asl.States['SessionFeatures']?.TimeoutSeconds).toBe(1800);
  });

  it('routes every failure to RecordFailure with the error at $.error, then fails the run with its cause', () => {
    for (const [name, state] of tasks.filter(([n]) => n !== 'RecordFailure')) {
      expect({ name, catch: state.Catch }).toEqual({ name, catch: [{ ErrorEquals: ['States.ALL'], Next: 'RecordFailure', ResultPath: '$.error' }] });
    }
    expect(asl.States['RecordFailure']?.Catch).toBeUndefined();
    expect(asl.States['RecordFailure']?.Next).toBe('RunFailed');
    expect(asl.States['RunFailed']).toEqual({ Type: 'Fail', Error: 'LoadprintRunFailed', CausePath: '$.error.Cause' });
  });

  it('stores each Lambda step answer under its own key and keeps the rest of the state', () => {
    expect(asl.States['PrepareRun']?.ResultPath).toBe('$.prepare');
    expect(asl.States['Cluster']?.ResultPath).toBe('$.cluster');
    expect(asl.States['Publish']?.ResultPath).toBe('$.publish');
    expect(asl.States['RecordFailure']?.ResultPath).toBe('$.failure');
  });
});

describe('ProfilingWorkflow permissions', () => {
  const statements = stateMachineStatements();
  const actions = statements.flatMap((s) => asArray(s.Action));

  it('lets Athena start, poll and stop queries only in the Loadprint workgroup', () => {
    const athena = statements.filter((s) => asArray(s.Action).some((a) => a.startsWith('athena:')));
    expect(athena).toHaveLength(1);
    expect(asArray(athena[0]?.Action ?? []).sort()).toEqual(['athena:GetQueryExecution', 'athena:StartQueryExecution', 'athena:StopQueryExecution']);
    expect(JSON.stringify(athena[0]?.Resource)).toContain(':workgroup/loadprint');
  });

  it('reads the Glue catalog without any Glue write action', () => {
    expect(actions.filter((a) => a.startsWith('glue:')).sort()).toEqual(['glue:GetDatabase', 'glue:GetPartitions', 'glue:GetTable']);
  });

  it('reads logs only under the table prefix and writes only under the Athena and work prefixes', () => {
    const get = statements.find((s) => JSON.stringify(s.Action) === '"s3:GetObject"');
    expect(JSON.stringify(get?.Resource)).toContain('/alb/AWSLogs/123456789012/elasticloadbalancing/eu-west-1/*');
    const put = statements.find((s) => asArray(s.Action).includes('s3:PutObject'));
    const putResources = JSON.stringify(put?.Resource);
    expect(putResources).toContain('/athena-results/*');
    expect(putResources).toContain('/work/*');
    expect(putResources).not.toContain('/runs/');
  });

  it('has no wildcard actions and no resource * except for X-Ray and log delivery, which have no resource-level permissions', () => {
    expect(actions.filter((a) => a === '*' || /^[a-z0-9-]+:\*$/.test(a))).toEqual([]);
    const onStar = statements.filter((s) => asArray(s.Resource).includes('*')).flatMap((s) => asArray(s.Action));
    expect(onStar.every((a) => a.startsWith('xray:') || a.startsWith('logs:'))).toBe(true);
  });

  it('invokes only the step functions', () => {
    const invoke = statements.filter((s) => asArray(s.Action).includes('lambda:InvokeFunction'));
    const resources = invoke.flatMap((s) => asArray(s.Resource)).map((r) => JSON.stringify(r));
    expect(resources.length).toBeGreaterThan(0);
    expect(resources.every((r) => r.includes('Step'))).toBe(true);
  });
});

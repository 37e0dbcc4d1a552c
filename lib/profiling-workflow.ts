/**
 * The profiling state machine (Standard):
 *
 *   [wait until notBefore] -> PrepareRun -> SessionFeatures (Athena .sync) -> Cluster
 *     -> PersonaStatistics (Athena .sync) -> BuildModel -> WriteScenarios -> Validate -> Publish
 *   any failure -> RecordFailure (writes the failed manifest with the reason) -> RunFailed
 *
 * Every task has a timeout, retries with exponential backoff and jitter on throttling and transient
 * service errors, and a catch that puts the error at `$.error` and routes to RecordFailure. The Lambda
 * steps are props, so the workflow can be built and tested without their code; each receives the
 * whole state and its answer is stored under its own key (`$.prepare`, `$.cluster`, ...). Only small
 * JSON (keys, counts, SQL text) travels in the state: data stays in S3 (256 KB state limit).
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { AthenaQueryTask, type AthenaAccess } from './athena-query-task';
import { RESULTS_PREFIXES } from './log-lake';
import { acknowledgeWildcards } from './nag';

/** The Lambda steps of a run, in order, then the failure recorder. */
export const PIPELINE_STEPS = ['prepareRun', 'cluster', 'buildModel', 'writeScenarios', 'validate', 'publish', 'recordFailure'] as const;
export type PipelineStep = (typeof PIPELINE_STEPS)[number];

/** Where each Lambda step's answer lands in the state. */
export const STEP_RESULT_PATHS: Readonly<Record<PipelineStep, string>> = {
  prepareRun: '$.prepare',
  cluster: '$.cluster',
  buildModel: '$.model',
  writeScenarios: '$.scenarios',
  validate: '$.validation',
  publish: '$.publish',
  recordFailure: '$.failure',
};

/** The state the Athena tasks read their SQL from: prepare-run and cluster must answer these fields. */
export const QUERY_PATHS = {
  sessionFeatures: '$.prepare.queries.sessionFeatures',
  personaStatistics: '$.cluster.queries.personaStatistics',
} as const;

/** Errors retried on Lambda steps: the invoke API's throttling and transient faults, and throttling a handler rethrows (Bedrock, S3). */
export const LAMBDA_RETRY_ERRORS = [
  'Lambda.TooManyRequestsException',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.ClientExecutionTimeoutException',
  'ThrottlingException',
  'TooManyRequestsException',
  'SlowDown',
];
/** Athena refuses new queries when too many run at once in the account. */
export const ATHENA_RETRY_ERRORS = ['Athena.TooManyRequestsException', 'Athena.InternalServerException'];


export interface ProfilingWorkflowProps {
  /** One function per step (the stack builds them from functions/<name>/handler.ts). */
  readonly steps: Readonly<Record<PipelineStep, lambda.IFunction>>;
  readonly athena: AthenaAccess;
  /** Task timeout per Lambda step. @default each function's timeout plus a minute, else 5 minutes */
  readonly stepTimeouts?: Partial<Readonly<Record<PipelineStep, Duration>>>;
  /** @default Duration.minutes(30) */
  readonly athenaQueryTimeout?: Duration;
  /** Whole-run limit, including the wait for a deploy window. @default Duration.hours(12) */
  readonly runTimeout?: Duration;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
}

const STEP_IDS: Readonly<Record<PipelineStep, string>> = {
  prepareRun: 'PrepareRun',
  cluster: 'Cluster',
  buildModel: 'BuildModel',
  writeScenarios: 'WriteScenarios',
  validate: 'Validate',
  publish: 'Publish',
  recordFailure: 'RecordFailure',
};

const DEFAULT_STEP_TIMEOUT = Duration.minutes(5);
const LAMBDA_TIMEOUT_MARGIN = Duration.minutes(1);

export class ProfilingWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;
  private readonly recordFailure: sfn.IChainable;

  constructor(scope: Construct, id: string, private readonly props: ProfilingWorkflowProps) {
    super(scope, id);
    this.recordFailure = this.buildFailurePhase();
    const definition = sfn.Chain.start(this.buildWaitPhase(this.buildProfilingPhase()));

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      timeout: props.runTimeout ?? Duration.hours(12),
      tracingEnabled: true,
      // ALL events, without payloads: states carry only keys and counts, but errors can quote inputs.
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    acknowledgeWildcards(this, [
      {
        finding: /^Resource::\*$/,
        reason:
          'X-Ray PutTraceSegments/PutTelemetryRecords/GetSampling* and CloudWatch Logs vended delivery (CreateLogDelivery, ...) support no resource-level permissions.',
      },
      {
        finding: /^Resource::<[A-Za-z0-9]+\.Arn>:\*$/,
        reason: 'Invoking a step function by version or alias (function ARN + qualifier); only the step functions themselves are named.',
      },
      {
        finding: /^Resource::(<[A-Za-z0-9]+\.Arn>|arn:<AWS::Partition>:s3:::[a-z0-9.-]+)\/.*\*$/,
        reason: 'Athena reads log objects under the log prefix and writes result objects under named prefixes of the results bucket; keys are generated per query.',
      },
    ]);
  }

  /** A run with `notBefore` (a deploy refresh) waits until its window has been logged. */
  private buildWaitPhase(next: sfn.IChainable): sfn.IChainable {
    const wait = new sfn.Wait(this, 'WaitForWindow', { time: sfn.WaitTime.timestampPath('$.notBefore') });
    wait.next(next);
    return new sfn.Choice(this, 'HasStartTime')
      .when(sfn.Condition.isPresent('$.notBefore'), wait)
      .otherwise(next);
  }

  private buildProfilingPhase(): sfn.IChainable {
    const athena = this.props.athena;
    const query = (id: string, queryStringPath: string, resultKey: string): AthenaQueryTask => {
      const task = new AthenaQueryTask(this, id, {
        queryStringPath,
        workGroupName: athena.workGroupName,
        workGroupArn: athena.workGroupArn,
        databaseName: athena.databaseName,
        glueArns: athena.glueArns,
        logBucket: athena.logBucket,
        logKeyPrefix: athena.logKeyPrefix,
        resultsBucket: athena.resultsBucket,
        resultPrefixes: [RESULTS_PREFIXES.athenaResults, RESULTS_PREFIXES.work],
        taskTimeout: sfn.Timeout.duration(this.props.athenaQueryTimeout ?? Duration.minutes(30)),
        resultSelector: {
          queryExecutionId: sfn.JsonPath.stringAt('$.QueryExecution.QueryExecutionId'),
          outputLocation: sfn.JsonPath.stringAt('$.QueryExecution.ResultConfiguration.OutputLocation'),
          scannedBytes: sfn.JsonPath.numberAt('$.QueryExecution.Statistics.DataScannedInBytes'),
        },
        resultPath: `$.athena.${resultKey}`,
      });
      task.addRetry({ errors: ATHENA_RETRY_ERRORS, interval: Duration.seconds(10), backoffRate: 2, maxAttempts: 5, jitterStrategy: sfn.JitterType.FULL });
      task.addCatch(this.recordFailure, { errors: [sfn.Errors.ALL], resultPath: '$.error' });
      return task;
    };

    return sfn.Chain.start(this.lambdaStep('prepareRun'))
      .next(query('SessionFeatures', QUERY_PATHS.sessionFeatures, 'sessionFeatures'))
      .next(this.lambdaStep('cluster'))
      .next(query('PersonaStatistics', QUERY_PATHS.personaStatistics, 'personaStatistics'))
      .next(this.lambdaStep('buildModel'))
      .next(this.lambdaStep('writeScenarios'))
      .next(this.lambdaStep('validate'))
      .next(this.lambdaStep('publish'))
      .next(new sfn.Succeed(this, 'RunSucceeded'));
  }

  private buildFailurePhase(): sfn.IChainable {
    // No catch here: if recording the failure fails too, the execution fails with that error.
    return sfn.Chain.start(this.lambdaStep('recordFailure', false)).next(
      new sfn.Fail(this, 'RunFailed', { error: 'LoadprintRunFailed', causePath: '$.error.Cause' }),
    );
  }

  private lambdaStep(step: PipelineStep, catchFailures = true): tasks.LambdaInvoke {
    const fn = this.props.steps[step];
    const timeout =
      this.props.stepTimeouts?.[step] ??
      (fn instanceof Construct && 'timeout' in fn && fn.timeout instanceof Duration
        ? fn.timeout.plus(LAMBDA_TIMEOUT_MARGIN)
        : DEFAULT_STEP_TIMEOUT);
    const task = new tasks.LambdaInvoke(this, STEP_IDS[step], {
      lambdaFunction: fn,
      payloadResponseOnly: true,
      retryOnServiceExceptions: false, // replaced by the explicit retry below
      taskTimeout: sfn.Timeout.duration(timeout),
      resultPath: STEP_RESULT_PATHS[step],
    });
    task.addRetry({ errors: LAMBDA_RETRY_ERRORS, interval: Duration.seconds(2), backoffRate: 2, maxAttempts: 6, maxDelay: Duration.minutes(1), jitterStrategy: sfn.JitterType.FULL });
    if (catchFailures) task.addCatch(this.recordFailure, { errors: [sfn.Errors.ALL], resultPath: '$.error' });
    return task;
  }
}


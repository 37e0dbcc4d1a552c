/**
 * What starts a profiling run in AWS:
 * - S3 "Object Created" under the log prefix (EventBridge) -> an SQS queue -> batch-starter, whose
 *   event source mapping waits up to `maxBatchingWindow` to hand over a whole burst of 5-minute ALB
 *   files at once; batch-starter starts one execution per closed batch window, named after its run
 *   id, so files of the same window (in this batch, a concurrent one, or a redelivery) start one run.
 * - CodeDeploy deployment success, and the custom `Deployment Completed` event of source `loadprint`
 *   -> deploy-refresh, which starts a run profiling the window after the deploy.
 * - An optional schedule -> deploy-refresh, profiling the lookback window.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import path from 'node:path';
import { DEFAULTS } from './core/config';
import { LoadprintFunction } from './loadprint-function';
import type { AwsLogFormat } from './log-tables';
import { acknowledge } from './nag';

export interface TriggersProps {
  readonly stateMachine: sfn.IStateMachine;
  readonly logBucket: s3.IBucket;
  /** Only objects under this prefix start runs. */
  readonly logPrefix: string;
  readonly logFormat: AwsLogFormat;
  /** Log time one S3-triggered run covers. @default DEFAULTS.triggers.batchWindowSeconds (1 hour) */
  readonly batchWindow?: Duration;
  /** Wait after a window's end before it is profiled. @default DEFAULTS.triggers.settleSeconds (10 minutes) */
  readonly settle?: Duration;
  /** Traffic profiled after a deploy. @default DEFAULTS.triggers.deployWindowSeconds (1 hour) */
  readonly deployWindow?: Duration;
  /** Only deployments of these CodeDeploy applications refresh. @default - every application */
  readonly codeDeployApplications?: readonly string[];
  /** A periodic run. @default - none */
  readonly schedule?: events.Schedule;
  /** Lookback of a scheduled run. @default DEFAULTS.triggers.scheduleLookbackSeconds (1 day) */
  readonly scheduleLookback?: Duration;
}

/** Largest batch the SQS event source takes when a batching window is set (standard queue). */
const SQS_MAX_BATCH = 10_000;
/** The event source mapping hands a batch over after at most this long (its limit is 5 minutes). */
const MAX_BATCHING_WINDOW = Duration.minutes(5);
const STARTER_TIMEOUT = Duration.minutes(1);

const FUNCTIONS_DIR = path.resolve(__dirname, '..', 'functions');

export class Triggers extends Construct {
  readonly batchStarter: LoadprintFunction;
  readonly deployRefresh: LoadprintFunction;
  readonly logDropQueue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly logDropRule: events.Rule;
  readonly codeDeployRule: events.Rule;
  readonly deploymentCompletedRule: events.Rule;
  readonly scheduleRule?: events.Rule;

  constructor(scope: Construct, id: string, props: TriggersProps) {
    super(scope, id);
    const t = DEFAULTS.triggers;
    const timings = {
      BATCH_WINDOW_SECONDS: String((props.batchWindow ?? Duration.seconds(t.batchWindowSeconds)).toSeconds()),
      SETTLE_SECONDS: String((props.settle ?? Duration.seconds(t.settleSeconds)).toSeconds()),
      DEPLOY_WINDOW_SECONDS: String((props.deployWindow ?? Duration.seconds(t.deployWindowSeconds)).toSeconds()),
      SCHEDULE_LOOKBACK_SECONDS: String((props.scheduleLookback ?? Duration.seconds(t.scheduleLookbackSeconds)).toSeconds()),
    };

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    acknowledge(this.deadLetterQueue, 'AwsSolutions-SQS3', 'This is the dead-letter queue of the log-drop queue and of deploy-refresh.');

    this.logDropQueue = new sqs.Queue(this, 'LogDropQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS guidance for SQS event sources: at least 6x the function timeout plus the batching window.
      visibilityTimeout: Duration.seconds(STARTER_TIMEOUT.toSeconds() * 6 + MAX_BATCHING_WINDOW.toSeconds()),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 5 },
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.batchStarter = new LoadprintFunction(this, 'BatchStarter', {
      entry: path.join(FUNCTIONS_DIR, 'batch-starter', 'handler.ts'),
      serviceName: 'loadprint-batch-starter',
      description: 'Starts one profiling run per closed batch window of S3 log drops',
      timeout: STARTER_TIMEOUT,
      memorySize: 256,
      environment: { LOG_FORMAT: props.logFormat, LOG_PREFIX: props.logPrefix, ...timings },
    }).bindStateMachine(props.stateMachine);
    this.batchStarter.addEventSource(
      new SqsEventSource(this.logDropQueue, {
        batchSize: SQS_MAX_BATCH,
        maxBatchingWindow: MAX_BATCHING_WINDOW,
        reportBatchItemFailures: true,
        // The execution name makes concurrent batches safe; two pollers (the minimum) are plenty.
        maxConcurrency: 2,
      }),
    );

    this.logDropRule = new events.Rule(this, 'LogDropRule', {
      description: 'S3 log files created under the log prefix',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [props.logBucket.bucketName] },
          ...(props.logPrefix === '' ? {} : { object: { key: [{ prefix: props.logPrefix }] } }),
        },
      },
      targets: [new targets.SqsQueue(this.logDropQueue, { deadLetterQueue: this.deadLetterQueue, retryAttempts: 8 })],
    });

    this.deployRefresh = new LoadprintFunction(this, 'DeployRefresh', {
      entry: path.join(FUNCTIONS_DIR, 'deploy-refresh', 'handler.ts'),
      serviceName: 'loadprint-deploy-refresh',
      description: 'Starts a profiling run after a deploy or on the schedule',
      timeout: STARTER_TIMEOUT,
      memorySize: 256,
      environment: { ...timings },
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: 2,
    }).bindStateMachine(props.stateMachine);

    const refreshTarget = new targets.LambdaFunction(this.deployRefresh, {
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: 4,
      maxEventAge: Duration.hours(2),
    });
    this.codeDeployRule = new events.Rule(this, 'CodeDeployRule', {
      description: 'A CodeDeploy deployment succeeded: profile the traffic after it',
      eventPattern: {
        source: ['aws.codedeploy'],
        detailType: ['CodeDeploy Deployment State-change Notification'],
        detail: {
          state: ['SUCCESS'],
          ...(props.codeDeployApplications ? { application: [...props.codeDeployApplications] } : {}),
        },
      },
      targets: [refreshTarget],
    });
    this.deploymentCompletedRule = new events.Rule(this, 'DeploymentCompletedRule', {
      description: 'Loadprint "Deployment Completed" event (pipelines without CodeDeploy): profile the traffic after it',
      eventPattern: { source: ['loadprint'], detailType: ['Deployment Completed'] },
      targets: [refreshTarget],
    });

    if (props.schedule) {
      this.scheduleRule = new events.Rule(this, 'ScheduleRule', {
        description: 'Periodic profiling run over the lookback window',
        schedule: props.schedule,
        targets: [refreshTarget],
      });
    }
  }
}

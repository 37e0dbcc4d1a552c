/**
 * The log lake: where logs are read from and results written to. An S3 bucket for results (runs,
 * Athena output, work files), the log bucket (an existing one imported, or a new one), a bucket for
 * S3 server access logs, the Glue database with the log table (partition projection, see
 * log-tables.ts) and the Athena workgroup every query runs in, which enforces the result location,
 * SSE-S3 encryption and a bytes-scanned cutoff per query.
 */
import { Aws, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { LOG_TABLES, logTableInput, type AwsLogFormat, type LogTableLayout } from './log-tables';
import { acknowledge } from './nag';

/** Key prefixes of the results bucket, shared by the workflow, the steps and the API. */
export const RESULTS_PREFIXES = {
  /** `runs/<runId>/...`: the run folders (DESIGN.md layout). */
  runs: 'runs/',
  /** `requests/<runId>.json`: POST /runs records. */
  requests: 'requests/',
  /** Athena's own result files (the workgroup's output location). */
  athenaResults: 'athena-results/',
  /** Intermediate files of a run (feature rows, persona assignments). */
  work: 'work/',
} as const;
/** The pointer to the newest successful run. */
export const LATEST_POINTER_KEY = 'latest.json';

export interface ExistingLogBucket {
  /** Name of the bucket the load balancer or distribution already writes to. */
  readonly bucketName: string;
}

export interface LogLakeProps {
  /**
   * Read logs from this existing bucket. It must send S3 events to EventBridge for the S3 trigger
   * (bucket properties > Event notifications > Amazon EventBridge: On).
   * @default - a new log bucket is created (with EventBridge notifications and a delivery policy)
   */
  readonly existingLogBucket?: ExistingLogBucket;
  /** Key prefix the logs are under, `''` or ending in `/`. @default '' */
  readonly logPrefix?: string;
  readonly logFormat: AwsLogFormat;
  /**
   * Account and region in the ALB log path (`AWSLogs/<account>/elasticloadbalancing/<region>/`).
   * @default - this stack's account and region
   */
  readonly logSourceAccount?: string;
  readonly logSourceRegion?: string;
  /** First date the table projects, `yyyy/MM/dd` (CloudFront: the hour 00 of that day). @default '2024/01/01' */
  readonly projectionStartDate?: string;
  /** Athena cancels any query scanning more than this (bytes, at least 10 MB). */
  readonly bytesScannedCutoffPerQuery: number;
  /** @default 'loadprint' */
  readonly databaseName?: string;
  /** @default 'loadprint' */
  readonly workGroupName?: string;
  /** Athena output files are deleted after this many days. @default 7 */
  readonly athenaResultsExpirationDays?: number;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

const MIN_CUTOFF_BYTES = 10 * 2 ** 20;
/** Construct id aws-cdk-lib gives its bucket-notifications custom resource (stable across releases). */
const S3_NOTIFICATIONS_HANDLER_ID = 'BucketNotificationsHandler050a0587b7544547bf325f094a3db834';
const DATABASE_NAME = /^[a-z0-9_]{1,255}$/;
const PROJECTION_DATE = /^\d{4}\/\d{2}\/\d{2}$/;

export class LogLake extends Construct {
  readonly resultsBucket: s3.Bucket;
  readonly logBucket: s3.IBucket;
  readonly accessLogsBucket: s3.Bucket;
  readonly logPrefix: string;
  /** Prefix of the table's partition folders in the log bucket (under logPrefix). */
  readonly tableKeyPrefix: string;
  readonly databaseName: string;
  readonly table: LogTableLayout;
  readonly workGroupName: string;
  readonly workGroupArn: string;

  constructor(scope: Construct, id: string, props: LogLakeProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const logPrefix = props.logPrefix ?? '';
    if (logPrefix !== '' && (!logPrefix.endsWith('/') || logPrefix.startsWith('/'))) {
      throw new Error(`logPrefix must be '' or a key prefix ending in '/' (e.g. 'alb/'), got '${logPrefix}'`);
    }
    const databaseName = props.databaseName ?? 'loadprint';
    if (!Token.isUnresolved(databaseName) && !DATABASE_NAME.test(databaseName)) {
      throw new Error(`databaseName must be lower-case letters, digits and '_', got '${databaseName}'`);
    }
    const projectionStart = props.projectionStartDate ?? '2024/01/01';
    if (!PROJECTION_DATE.test(projectionStart)) {
      throw new Error(`projectionStartDate must look like 2024/01/01, got '${projectionStart}'`);
    }
    if (!Token.isUnresolved(props.bytesScannedCutoffPerQuery) && props.bytesScannedCutoffPerQuery < MIN_CUTOFF_BYTES) {
      throw new Error(`bytesScannedCutoffPerQuery must be at least 10 MB (${MIN_CUTOFF_BYTES}), got ${props.bytesScannedCutoffPerQuery}`);
    }
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.logPrefix = logPrefix;
    this.databaseName = databaseName;
    this.table = LOG_TABLES[props.logFormat];

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogsBucket', {
      ...privateBucketDefaults(removalPolicy),
      // S3 server access log delivery supports SSE-S3 only and needs object ownership to the bucket owner.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'ExpireAccessLogs', expiration: Duration.days(365) }],
    });
    acknowledge(this.accessLogsBucket, 'AwsSolutions-S1', 'This bucket receives the other buckets\' server access logs; logging it into itself would loop.');

    this.resultsBucket = new s3.Bucket(this, 'ResultsBucket', {
      ...privateBucketDefaults(removalPolicy),
      serverAccessLogsBucket: asIBucket(this.accessLogsBucket),
      serverAccessLogsPrefix: 'results/',
      lifecycleRules: [
        { id: 'ExpireAthenaResults', prefix: RESULTS_PREFIXES.athenaResults, expiration: Duration.days(props.athenaResultsExpirationDays ?? 7) },
        { id: 'ExpireWorkFiles', prefix: RESULTS_PREFIXES.work, expiration: Duration.days(30) },
        { id: 'ExpireOldVersions', noncurrentVersionExpiration: Duration.days(30) },
      ],
    });

    if (props.existingLogBucket) {
      this.logBucket = s3.Bucket.fromBucketName(this, 'LogBucket', props.existingLogBucket.bucketName);
    } else {
      const created = new s3.Bucket(this, 'LogBucket', {
        ...privateBucketDefaults(removalPolicy),
        serverAccessLogsBucket: asIBucket(this.accessLogsBucket),
        serverAccessLogsPrefix: 'logs/',
        eventBridgeEnabled: true,
      });
      allowLogDelivery(created, props.logFormat, logPrefix, stack.account);
      // eventBridgeEnabled is applied by aws-cdk-lib's singleton custom-resource Lambda at the stack root.
      const notificationsHandler = stack.node.tryFindChild(S3_NOTIFICATIONS_HANDLER_ID);
      if (notificationsHandler) {
        acknowledge(
          notificationsHandler,
          'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          'aws-cdk-lib\'s own custom resource that turns on EventBridge notifications for the created log bucket; runs only at deployment.',
        );
      }
      this.logBucket = asIBucket(created);
    }

    const sourceAccount = props.logSourceAccount ?? stack.account;
    const sourceRegion = props.logSourceRegion ?? stack.region;
    this.tableKeyPrefix =
      props.logFormat === 'alb'
        ? `${logPrefix}AWSLogs/${sourceAccount}/elasticloadbalancing/${sourceRegion}/`
        : logPrefix;

    const database = new glue.CfnDatabase(this, 'Database', {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: { name: databaseName, description: 'Loadprint: access logs read in place by Athena' },
    });
    const table = new glue.CfnTable(this, 'LogTable', {
      catalogId: Aws.ACCOUNT_ID,
      databaseName,
      tableInput: logTableInput(props.logFormat, {
        root: `s3://${this.logBucket.bucketName}/${this.tableKeyPrefix}`,
        projectionStart: props.logFormat === 'alb' ? projectionStart : `${projectionStart}/00`,
      }),
    });
    table.addResourceDependency(database);

    this.workGroupName = props.workGroupName ?? 'loadprint';
    const workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: this.workGroupName,
      description: 'Loadprint profiling queries: enforced output location, encryption and scan cutoff',
      state: 'ENABLED',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: this.resultsBucket.s3UrlForObject(RESULTS_PREFIXES.athenaResults),
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
          expectedBucketOwner: Aws.ACCOUNT_ID,
        },
      },
    });
    this.workGroupArn = stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: workGroup.name });
  }

  /** ARNs of the Glue catalog, database and log table (what Athena reads metadata from). */
  glueArns(): string[] {
    const stack = Stack.of(this);
    return [
      stack.formatArn({ service: 'glue', resource: 'catalog' }),
      stack.formatArn({ service: 'glue', resource: 'database', resourceName: this.databaseName }),
      stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${this.databaseName}/${this.table.tableName}` }),
    ];
  }
}

/**
 * `Bucket` implements `IBucket`, but aws-cdk-lib declares optional members as `prop?: T` where the
 * interface says `prop?: T | undefined`, which exactOptionalPropertyTypes rejects; the cast only
 * bridges that declaration mismatch.
 */
export function asIBucket(bucket: s3.Bucket): s3.IBucket {
  return bucket as unknown as s3.IBucket;
}

function privateBucketDefaults(removalPolicy: RemovalPolicy): s3.BucketProps {
  return {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    versioned: true,
    removalPolicy,
    autoDeleteObjects: false,
  };
}

/**
 * Lets the AWS log delivery service write into a created log bucket: ALB in regions launched since
 * August 2022 (and all regions via the service principal), CloudFront standard logging v2 via
 * `delivery.logs.amazonaws.com`. Older ALB regions need the regional ELB account instead (README).
 */
function allowLogDelivery(bucket: s3.Bucket, format: AwsLogFormat, prefix: string, account: string): void {
  const principal =
    format === 'alb'
      ? new iam.ServicePrincipal('logdelivery.elasticloadbalancing.amazonaws.com')
      : new iam.ServicePrincipal('delivery.logs.amazonaws.com');
  bucket.addToResourcePolicy(
    new iam.PolicyStatement({
      principals: [principal],
      actions: ['s3:PutObject'],
      resources: [bucket.arnForObjects(`${prefix}*`)],
      conditions: { StringEquals: { 'aws:SourceAccount': account } },
    }),
  );
}

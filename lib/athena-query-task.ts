/**
 * A Step Functions task running one Athena query to completion (`startQueryExecution.sync`) in the
 * Loadprint workgroup, with the query text taken from the state (rendered by a Lambda step).
 *
 * Not `tasks.AthenaStartQueryExecution`: that task grants `s3:*Object` on `*`, Glue write actions
 * (CreateTable, DeleteDatabase, ...) and Lake Formation on `*`. This one grants what a read-only
 * query over the log table needs: the workgroup, Glue reads on the one database and table, reads
 * under the log prefix and writes under the results bucket's Athena and work prefixes.
 */
import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';

/** What a query may touch: its workgroup, the log table's catalog entries and files, the results bucket. */
export interface AthenaAccess {
  readonly workGroupName: string;
  readonly workGroupArn: string;
  readonly databaseName: string;
  /** Glue catalog, database and table ARNs the query reads. */
  readonly glueArns: readonly string[];
  readonly logBucket: s3.IBucket;
  /** Prefix the log table's files are under (the query reads nothing else). */
  readonly logKeyPrefix: string;
  readonly resultsBucket: s3.IBucket;
}

export interface AthenaQueryTaskProps extends sfn.TaskStateBaseProps, AthenaAccess {
  /** JSONPath of the query text in the state, e.g. `$.prepare.queries.sessionFeatures`. */
  readonly queryStringPath: string;
  /** Prefixes of the results bucket Athena writes to (its output location, UNLOAD targets). */
  readonly resultPrefixes: readonly string[];
}

export class AthenaQueryTask extends sfn.TaskStateBase {
  protected readonly taskMetrics?: sfn.TaskMetricsConfig;
  protected readonly taskPolicies?: iam.PolicyStatement[];

  constructor(
    scope: Construct,
    id: string,
    private readonly props: AthenaQueryTaskProps,
  ) {
    super(scope, id, props);
    const { logBucket, resultsBucket } = props;
    this.taskPolicies = [
      new iam.PolicyStatement({
        // Stop lets Step Functions cancel the query when the task times out or the run is stopped.
        actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:StopQueryExecution'],
        resources: [props.workGroupArn],
      }),
      new iam.PolicyStatement({
        actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'],
        resources: [...props.glueArns],
      }),
      new iam.PolicyStatement({
        actions: ['s3:GetBucketLocation'],
        resources: [logBucket.bucketArn, resultsBucket.bucketArn],
      }),
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [logBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${props.logKeyPrefix}*`] } },
      }),
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [logBucket.arnForObjects(`${props.logKeyPrefix}*`)] }),
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [resultsBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': props.resultPrefixes.map((p) => `${p}*`) } },
      }),
      new iam.PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        resources: props.resultPrefixes.map((p) => resultsBucket.arnForObjects(`${p}*`)),
      }),
    ];
  }

  protected _renderTask(): unknown {
    return {
      Resource: `arn:${Aws.PARTITION}:states:::athena:startQueryExecution.sync`,
      Parameters: sfn.FieldUtils.renderObject({
        QueryString: sfn.JsonPath.stringAt(this.props.queryStringPath),
        WorkGroup: this.props.workGroupName,
        QueryExecutionContext: { Database: this.props.databaseName },
      }),
    };
  }
}

/**
 * The REST API on API Gateway, served by the same handler as `loadprint serve`
 * (functions/api/handler.ts): a `{proxy+}` route to one Lambda, IAM (SigV4) authorization on every
 * method by default, access and execution logs, X-Ray tracing. The Lambda reads the results bucket
 * (run folders, request records, the latest pointer), writes only request records, and may start
 * the profiling state machine and nothing else.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import path from 'node:path';
import { LoadprintFunction } from './loadprint-function';
import { LATEST_POINTER_KEY, RESULTS_PREFIXES } from './log-lake';
import { acknowledge } from './nag';

export interface ScenarioApiProps {
  readonly resultsBucket: s3.IBucket;
  readonly stateMachine: sfn.IStateMachine;
  /** The API handler. @default functions/api/handler.ts in the project */
  readonly handlerEntry?: string;
  /**
   * How callers authenticate. `NONE` is for a private network behind something else that does.
   * @default apigw.AuthorizationType.IAM
   */
  readonly authorizationType?: apigw.AuthorizationType.IAM | apigw.AuthorizationType.NONE;
  /** @default 'v1' */
  readonly stageName?: string;
  /** Requests per second across the stage. @default 50 (burst 100) */
  readonly throttlingRateLimit?: number;
}

export const DEFAULT_API_HANDLER_ENTRY = path.resolve(__dirname, '..', 'functions', 'api', 'handler.ts');

export class ScenarioApi extends Construct {
  readonly api: apigw.RestApi;
  readonly handler: LoadprintFunction;

  constructor(scope: Construct, id: string, props: ScenarioApiProps) {
    super(scope, id);
    const authorizationType = props.authorizationType ?? apigw.AuthorizationType.IAM;
    const rate = props.throttlingRateLimit ?? 50;

    this.handler = new LoadprintFunction(this, 'Handler', {
      entry: props.handlerEntry ?? DEFAULT_API_HANDLER_ENTRY,
      serviceName: 'loadprint-api',
      description: 'Loadprint REST API: runs, models, scenarios, reports',
      timeout: Duration.seconds(29), // API Gateway's integration timeout
      memorySize: 512,
    })
      .bindResultsBucket(props.resultsBucket, {
        read: [RESULTS_PREFIXES.runs, RESULTS_PREFIXES.requests, LATEST_POINTER_KEY],
        write: [RESULTS_PREFIXES.requests],
      })
      .bindStateMachine(props.stateMachine);

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.api = new apigw.RestApi(this, 'RestApi', {
      description: 'Loadprint: traffic models and load-test scenarios from production logs',
      endpointTypes: [apigw.EndpointType.REGIONAL],
      defaultMethodOptions: { authorizationType },
      // Execution logs (cdk-nag APIG6) need the account-level API Gateway logging role.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: props.stageName ?? 'v1',
        tracingEnabled: true,
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false, // would log request and response bodies
        metricsEnabled: true,
        throttlingRateLimit: rate,
        throttlingBurstLimit: rate * 2,
        accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields(),
      },
    });
    const validator = new apigw.RequestValidator(this, 'RequestValidator', {
      // RestApi implements IRestApi; the cast bridges aws-cdk-lib's optional-member declarations (exactOptionalPropertyTypes).
      restApi: this.api as unknown as apigw.IRestApi,
      validateRequestParameters: true,
      // No models are declared: the handler validates ids and bodies itself, with one error format.
      validateRequestBody: true,
    });
    const integration = new apigw.LambdaIntegration(this.handler, { proxy: true });
    this.api.root.addMethod('ANY', integration, { requestValidator: validator });
    this.api.root.addResource('{proxy+}').addMethod('ANY', integration, {
      requestValidator: validator,
      requestParameters: { 'method.request.path.proxy': true },
    });

    acknowledge(this, 'AwsSolutions-COG4', 'Callers (CI jobs, engineers) sign requests with their AWS credentials (IAM authorization); there is no user pool.');
    acknowledge(this, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      'The account-level API Gateway logging role uses the AWS-managed policy AWS documents for it; it can only write to CloudWatch Logs.');
    acknowledge(this, 'AwsSolutions-APIG3', 'Every method requires IAM-signed requests and the stage is throttled; add a WAF web ACL where the account standard asks for one.');
    if (authorizationType === apigw.AuthorizationType.NONE) {
      acknowledge(this, 'AwsSolutions-APIG4', 'Authorization was turned off explicitly (authorizationType: NONE) for a private deployment.');
    }
  }
}

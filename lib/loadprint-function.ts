/**
 * The house Lambda: NodejsFunction with Loadprint's defaults (Node 24 on ARM64, ESM bundle minified
 * with source maps by the local esbuild, its own log group with retention, its own role with no
 * managed policies) and `bindX()` helpers that set an environment variable and the least-privilege
 * grant it implies together, so a function can never get the name without the permission or the
 * permission without a reason.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { acknowledgeWildcards } from './nag';
import { escapeRegex } from './core/escape-regex';

export interface LoadprintFunctionProps
  extends Omit<NodejsFunctionProps, 'runtime' | 'architecture' | 'logGroup' | 'role' | 'bundling' | 'entry'> {
  /** Handler file, e.g. `functions/batch-starter/handler.ts` (absolute, or relative to the project root). */
  readonly entry: string;
  /** Powertools service name. */
  readonly serviceName: string;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** Files (absolute paths) copied next to the bundle after esbuild, e.g. a library read at run time. */
  readonly copyIntoBundle?: readonly string[];
}

/** Object-key prefixes a function may read or write in a bucket (`''` = the whole bucket). */
export interface PrefixAccess {
  readonly read?: readonly string[];
  readonly write?: readonly string[];
  /** Single keys (e.g. `latest.json`) it may write. */
  readonly writeKeys?: readonly string[];
}

/**
 * The Lambda runtime and the matching esbuild target: change them together, with
 * `config.lambdaNodeVersion` in package.json, the Node the functions' tests run on
 * (scripts/lambda-node.mjs; test/functions/lambda-bundles.test.ts checks the three agree).
 */
export const LAMBDA_RUNTIME = lambda.Runtime.NODEJS_24_X;
export const ESBUILD_TARGET = 'node24';

/** How every function is bundled (NodejsFunction's esbuild options); the bundle test builds with them too. */
export const LAMBDA_BUNDLING = {
  format: OutputFormat.ESM,
  target: ESBUILD_TARGET,
  minify: true,
  sourceMap: true,
  mainFields: ['module', 'main'],
  // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
  banner: "import { createRequire as __lpCreateRequire } from 'module'; const require = __lpCreateRequire(import.meta.url);",
  // The runtime ships AWS SDK v3; bundling it would only grow the package.
  externalModules: ['@aws-sdk/*'],
} as const;

/** Cross-region inference profiles prefix the model id with a geography (`us.`, `eu.`, `apac.`, `global.`). */
const INFERENCE_PROFILE_PREFIX = /^(us|eu|apac|us-gov|global)\./;

export class LoadprintFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: LoadprintFunctionProps) {
    const { serviceName, logRetention, environment, copyIntoBundle, ...rest } = props;
    // Created next to the function (it cannot be a child before super()); the id derives from the
    // function's so it stays stable and unique.
    const logGroup = new logs.LogGroup(scope, `${id}LogGroup`, {
      retention: logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // An own role with an inline log grant instead of AWSLambdaBasicExecutionRole (cdk-nag IAM4).
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Loadprint ${serviceName} Lambda`,
    });
    logGroup.grantWrite(role);
    super(scope, id, {
      timeout: Duration.seconds(30),
      memorySize: 512,
      ...rest,
      runtime: LAMBDA_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      logGroup,
      role,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: serviceName,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...environment,
      },
      bundling: {
        ...LAMBDA_BUNDLING,
        mainFields: [...LAMBDA_BUNDLING.mainFields],
        externalModules: [...LAMBDA_BUNDLING.externalModules],
        forceDockerBundling: false,
        ...(copyIntoBundle && copyIntoBundle.length > 0
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (_input: string, outputDir: string) => copyIntoBundle.map((f) => `cp "${f}" "${outputDir}/"`),
              },
            }
          : {}),
      },
    });
  }

  /**
   * Read/write access to key prefixes of the results bucket, and RESULTS_BUCKET. Object actions are
   * granted per prefix, never on the whole bucket, and without action wildcards (`s3:GetObject*`).
   */
  bindResultsBucket(bucket: s3.IBucket, access: PrefixAccess): this {
    this.addEnvironment('RESULTS_BUCKET', bucket.bucketName);
    grantPrefixes(this, bucket, access);
    return this;
  }

  /** Listing of the log bucket under `prefix` (sizes for the cost plan), and LOG_BUCKET / LOG_PREFIX. */
  bindLogBucketListing(bucket: s3.IBucket, prefix: string): this {
    this.addEnvironment('LOG_BUCKET', bucket.bucketName);
    this.addEnvironment('LOG_PREFIX', prefix);
    this.addToRolePolicy(listUnder(bucket, prefix));
    return this;
  }

  /** Permission to start the state machine (nothing else on it), and STATE_MACHINE_ARN. */
  bindStateMachine(stateMachine: sfn.IStateMachine): this {
    this.addEnvironment('STATE_MACHINE_ARN', stateMachine.stateMachineArn);
    stateMachine.grantStartExecution(this);
    return this;
  }

  /**
   * Bedrock InvokeModel (which also covers the Converse API) on one model, and BEDROCK_MODEL_ID. A
   * cross-region inference profile id is granted on the profile and on the model it routes to.
   */
  bindBedrockModel(modelId: string): this {
    this.addEnvironment('BEDROCK_MODEL_ID', modelId);
    const stack = Stack.of(this);
    const actions = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'];
    const profile = INFERENCE_PROFILE_PREFIX.exec(modelId);
    if (profile) {
      const baseModel = modelId.slice(profile[0].length);
      this.addToRolePolicy(
        new iam.PolicyStatement({
          actions,
          resources: [
            stack.formatArn({ service: 'bedrock', resource: 'inference-profile', resourceName: modelId }),
            // The profile routes each request to the model in any region of its geography, chosen
            // by Bedrock at call time, so the region of the foundation model cannot be fixed here.
            `arn:${stack.partition}:bedrock:*::foundation-model/${baseModel}`,
          ],
        }),
      );
      acknowledgeWildcards(this.role ?? this, [
        {
          finding: new RegExp(`^Resource::arn:<AWS::Partition>:bedrock:\\*::foundation-model/${escapeRegex(baseModel)}$`),
          reason: 'A cross-region inference profile picks the foundation model region per request; the model id is fixed.',
        },
      ]);
    } else {
      this.addToRolePolicy(
        new iam.PolicyStatement({
          actions,
          resources: [`arn:${stack.partition}:bedrock:${stack.region}::foundation-model/${modelId}`],
        }),
      );
    }
    return this;
  }
}

/** s3:ListBucket on a bucket, limited to keys under `prefix` (whole bucket when prefix is ''). */
export function listUnder(bucket: s3.IBucket, prefix: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    actions: ['s3:ListBucket'],
    resources: [bucket.bucketArn],
    ...(prefix === '' ? {} : { conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } } }),
  });
}

/** Object grants per prefix on `bucket` for `fn`, with the cdk-nag suppression each prefix needs. */
function grantPrefixes(fn: LoadprintFunction, bucket: s3.IBucket, access: PrefixAccess): void {
  const objects = (prefixes: readonly string[]): string[] => prefixes.map((p) => bucket.arnForObjects(`${p}*`));
  const read = access.read ?? [];
  const write = access.write ?? [];
  if (read.length > 0) {
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: objects(read) }));
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': read.map((p) => `${p}*`) } },
      }),
    );
  }
  const writeResources = [...objects(write), ...(access.writeKeys ?? []).map((k) => bucket.arnForObjects(k))];
  if (writeResources.length > 0) {
    fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['s3:PutObject', 's3:AbortMultipartUpload'], resources: writeResources }),
    );
  }
  suppressPrefixWildcards(fn, [...read, ...write]);
}

/**
 * cdk-nag flags `arn:.../prefix/*`: object-level grants must name keys, and these functions read and
 * write keys they derive at run time (`runs/<runId>/...`); the named prefix is the narrowest scope.
 */
function suppressPrefixWildcards(fn: LoadprintFunction, prefixes: readonly string[]): void {
  if (prefixes.length === 0) return;
  const alternatives = prefixes.map(escapeRegex).join('|');
  // The role is a sibling of the function (see the constructor), so the acknowledgement goes on it.
  acknowledgeWildcards(fn.role ?? fn, [
    {
      finding: new RegExp(`^Resource::(<[A-Za-z0-9]+\\.Arn>|arn:<AWS::Partition>:s3:::[a-z0-9.-]+)/(${alternatives})\\*$`),
      reason: 'Object keys are derived at run time (runs/<runId>/...); access is limited to the named key prefixes.',
    },
  ]);
}


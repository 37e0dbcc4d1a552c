/**
 * The Loadprint stack: composes the log lake, the pipeline's Lambda steps, the profiling workflow,
 * its triggers and the REST API. No resources of its own; configuration comes in as props (from
 * CDK context in bin/app.ts) and is validated by the constructs.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { DEFAULTS } from './core/config';
import { budgetBytes, perQueryCutoffBytes, type RunBudget } from './core/cost';
import { LogLake, type ExistingLogBucket } from './log-lake';
import type { AwsLogFormat } from './log-tables';
import { PipelineSteps } from './pipeline-steps';
import { ProfilingWorkflow, type PipelineStep } from './profiling-workflow';
import { ScenarioApi } from './scenario-api';
import { Triggers } from './triggers';

export type StepFunctionsFactory = (scope: Construct, lake: LogLake) => Readonly<Record<PipelineStep, lambda.IFunction>>;

export interface LoadprintStackProps extends StackProps {
  readonly logFormat: AwsLogFormat;
  /** @default - a new log bucket */
  readonly existingLogBucket?: ExistingLogBucket;
  /** @default '' */
  readonly logPrefix?: string;
  /** Per-run Athena budget; also the workgroup's per-query cutoff. @default { usd: DEFAULTS.cost.defaultBudgetUsd } */
  readonly budget?: RunBudget;
  /** @default DEFAULTS.scenarios.bedrockModelId */
  readonly bedrockModelId?: string;
  /** @default - no scheduled runs */
  readonly schedule?: events.Schedule;
  /** @default '2024/01/01' */
  readonly projectionStartDate?: string;
  /** @default functions/api/handler.ts */
  readonly apiHandlerEntry?: string;
  /**
   * Builds the pipeline's Lambda steps.
   * @default PipelineSteps over functions/<step>/handler.ts
   */
  readonly stepFunctions?: StepFunctionsFactory;
}

export class LoadprintStack extends Stack {
  readonly lake: LogLake;
  readonly workflow: ProfilingWorkflow;
  readonly triggers: Triggers;
  readonly api: ScenarioApi;

  constructor(scope: Construct, id: string, props: LoadprintStackProps) {
    super(scope, id, props);
    const budget = props.budget ?? { usd: DEFAULTS.cost.defaultBudgetUsd };
    const pricing = DEFAULTS.cost;
    const bedrockModelId = props.bedrockModelId ?? DEFAULTS.scenarios.bedrockModelId;

    this.lake = new LogLake(this, 'LogLake', {
      logFormat: props.logFormat,
      ...(props.existingLogBucket ? { existingLogBucket: props.existingLogBucket } : {}),
      ...(props.logPrefix !== undefined ? { logPrefix: props.logPrefix } : {}),
      ...(props.projectionStartDate ? { projectionStartDate: props.projectionStartDate } : {}),
      bytesScannedCutoffPerQuery: perQueryCutoffBytes(budget, pricing),
    });

    const steps =
      props.stepFunctions?.(this, this.lake) ??
      new PipelineSteps(this, 'PipelineSteps', { lake: this.lake, bedrockModelId, budgetBytes: budgetBytes(budget, pricing) }).functions;

    const resultsBucket = this.lake.resultsBucket as s3.IBucket;
    this.workflow = new ProfilingWorkflow(this, 'ProfilingWorkflow', {
      steps,
      athena: {
        workGroupName: this.lake.workGroupName,
        workGroupArn: this.lake.workGroupArn,
        databaseName: this.lake.databaseName,
        glueArns: this.lake.glueArns(),
        logBucket: this.lake.logBucket,
        logKeyPrefix: this.lake.tableKeyPrefix,
        resultsBucket,
      },
    });
    this.triggers = new Triggers(this, 'Triggers', {
      stateMachine: this.workflow.stateMachine,
      logBucket: this.lake.logBucket,
      logPrefix: this.lake.logPrefix,
      logFormat: props.logFormat,
      ...(props.schedule ? { schedule: props.schedule } : {}),
    });
    this.api = new ScenarioApi(this, 'ScenarioApi', {
      resultsBucket,
      stateMachine: this.workflow.stateMachine,
      ...(props.apiHandlerEntry ? { handlerEntry: props.apiHandlerEntry } : {}),
    });
  }
}

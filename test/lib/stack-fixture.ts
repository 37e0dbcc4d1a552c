/**
 * A LoadprintStack for assertions: bundling skipped (context `aws:cdk:bundling-stacks: []`), a fixed
 * account and region, and the pipeline's step functions as small inline Lambdas (their handlers are
 * written separately; the workflow only needs something to invoke).
 */
import { App, Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LoadprintStack, type LoadprintStackProps } from '../../lib/loadprint-stack';
import { PIPELINE_STEPS, type PipelineStep } from '../../lib/profiling-workflow';
import { LoadprintFunction } from '../../lib/loadprint-function';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const ENV = { account: '123456789012', region: 'eu-west-1' };

/** Any existing handler file does as an entry: bundling is skipped, only the path is checked. */
export const FIXTURE_ENTRY = path.resolve(__dirname, '../../functions/batch-starter/handler.ts');

/** The context of cdk.json (feature flags, defaults), so tests synthesise what `cdk synth` does. */
const CDK_JSON_CONTEXT = (JSON.parse(readFileSync(path.resolve(__dirname, '../../cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;

/**
 * cdk.json's context, no bundling, and without aws-cdk-lib's built-in CloudFormation schema check:
 * `cdk synth` runs it (and shows its warnings); here it would only repeat them and triple test time.
 */
export function testApp(): App {
  return new App({
    context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [] },
    builtinCloudFormationValidation: false,
  });
}

export function buildStack(props: Partial<LoadprintStackProps> = {}, app: App = testApp()): LoadprintStack {
  return new LoadprintStack(app, 'TestLoadprint', {
    env: ENV,
    logFormat: 'alb',
    logPrefix: 'alb/',
    apiHandlerEntry: FIXTURE_ENTRY,
    stepFunctions: (scope) => {
      const fns = {} as Record<PipelineStep, lambda.IFunction>;
      for (const step of PIPELINE_STEPS) {
        const fn = new LoadprintFunction(scope, `Step${step}`, { entry: FIXTURE_ENTRY, serviceName: step, timeout: Duration.minutes(2) });
        fns[step] = fn as unknown as lambda.IFunction; // exactOptionalPropertyTypes vs aws-cdk-lib's optional members
      }
      return fns;
    },
    ...props,
  });
}

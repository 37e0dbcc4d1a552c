/**
 * What every pipeline step shares: the state it receives (the run request plus earlier answers), its
 * ports (S3 client, results store, SQL dialect), and the middy wrapper with the rethrow policy.
 *
 * Rethrow policy: every error propagates, so Step Functions' retry and catch decide. Throttling
 * (S3 SlowDown, Bedrock/STS throttling) is rethrown as `ThrottlingException`, which the workflow
 * retries with backoff; an invalid state throws InvalidEventError and anything else is final: the
 * catch routes the run to record-failure with the error name and message.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { S3Client } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import { asRecord, stringField, validateEvent } from '../../lib/adapters/middy-validate-event';
import { S3Store } from '../../lib/adapters/s3-store';
import { isRunId } from '../../lib/core/api/ids';
import type { Dialect } from '../../lib/core/sql/dialect';
import type { RunRequest } from '../../lib/core/triggers';
import type { ResultsStore } from '../../lib/core/types';
import type { StepConfig } from './step-config';

/** The state a step receives: the request and what earlier steps answered (profiling-workflow.ts). */
export interface PipelineState extends RunRequest {
  readonly prepare?: Record<string, unknown>;
  readonly cluster?: Record<string, unknown>;
  readonly model?: Record<string, unknown>;
  readonly scenarios?: Record<string, unknown>;
  readonly validation?: Record<string, unknown>;
  readonly athena?: Record<string, { queryExecutionId: string; outputLocation: string; scannedBytes: number }>;
  readonly error?: { Error?: string; Cause?: string };
}

export function parseState(raw: unknown): PipelineState {
  const state = asRecord(raw, 'state');
  const runId = stringField(state, 'runId', 'state');
  if (!isRunId(runId)) throw Object.assign(new Error(`state.runId "${runId.slice(0, 80)}" is not a run id`), { name: 'InvalidEventError' });
  return state as unknown as PipelineState;
}

export interface StepDeps {
  readonly s3: S3Client;
  readonly store: ResultsStore;
  readonly config: StepConfig;
  /** ATHENA in AWS; tests bind DUCKDB to execute the same SQL locally. */
  readonly dialect: Dialect;
  /** DuckDB renderings only: a table of user-agent flags (RE2 cannot run isbot's pattern). */
  readonly uaFlagsTable?: string;
  readonly now: () => Date;
  readonly logger: Logger;
}

export const workKey = (runId: string, file: string): string => `work/${runId}/${file}`;

const THROTTLING = new Set(['ThrottlingException', 'TooManyRequestsException', 'SlowDown', 'RequestLimitExceeded', 'ProvisionedThroughputExceededException']);

/** Renames throttling errors to the names the workflow retries; everything else passes unchanged. */
export function classifyError(e: unknown): unknown {
  if (e instanceof Error && THROTTLING.has(e.name) && e.name !== 'ThrottlingException' && e.name !== 'TooManyRequestsException') {
    return Object.assign(new Error(e.message), { name: 'ThrottlingException', cause: e });
  }
  return e;
}

export function makeStore(s3: S3Client, bucket: string): ResultsStore {
  return new S3Store({ client: s3, bucket });
}

/** A step's handler: validated state in, small JSON answer out, seconds measured. */
export function makeStepHandler<A extends object>(
  logger: Logger,
  resolveDeps: () => Omit<StepDeps, 'logger'>,
  step: (state: PipelineState, deps: StepDeps) => Promise<A>,
) {
  let deps: StepDeps | undefined;
  return middy<PipelineState, A & { seconds: number }>()
    .use(injectLambdaContext(logger))
    .use(validateEvent(parseState))
    .handler(async (state) => {
      deps ??= { ...resolveDeps(), logger };
      const started = Date.now();
      try {
        const answer = await step(state, deps);
        return { ...answer, seconds: (Date.now() - started) / 1000 };
      } catch (e: unknown) {
        logger.error('step_failed', { runId: state.runId, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
        throw classifyError(e);
      }
    });
}

/**
 * batch-starter: S3 "Object Created" events (EventBridge -> SQS, batched by the event source mapping's
 * batching window) -> one profiling run per closed batch window.
 *
 * Each log file names its log time; a file proves the batch window before it is complete (see
 * closedWindowFor), so all files of a burst map to a handful of windows, and each window starts one
 * execution named after its run id. Concurrent batches and SQS redeliveries of the same window hit
 * ExecutionAlreadyExists and count as started: the execution name is the lock.
 *
 * Rethrow policy: a malformed SQS envelope throws (not an SQS invoke at all). Per record, an
 * unreadable body is logged and dropped (a retry cannot fix it); a window whose start fails
 * (throttling, service error) reports its records as batch item failures, so SQS retries only those
 * and sends them to the dead-letter queue after maxReceiveCount.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SFNClient } from '@aws-sdk/client-sfn';
import middy from '@middy/core';
import { startRunOnce } from '../../lib/adapters/start-run-once';
import { errorMessage } from '../../lib/core/errors';
import { closedWindowFor, logObjectTime, s3WindowRunRequest } from '../../lib/core/triggers';
import type { RunRequest } from '../../lib/core/triggers';
import { readBatchStarterConfig, type BatchStarterConfig } from './config';
import { parseObjectCreated, parseSqsEnvelope, type SqsEnvelope } from './events';
import { validateEvent } from '../../lib/adapters/middy-validate-event';

export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

export interface BatchStarterDeps {
  readonly sfn: SFNClient;
  readonly config: BatchStarterConfig;
  readonly logger: Logger;
}

/** Groups the batch's records by the run they close, oldest window first. */
function planWindows(
  event: SqsEnvelope,
  deps: BatchStarterDeps,
): { runs: { request: RunRequest; messageIds: string[] }[]; dropped: number } {
  const { config, logger } = deps;
  const runs = new Map<string, { request: RunRequest; messageIds: string[]; start: number }>();
  let dropped = 0;
  for (const record of event.Records) {
    const parsed = parseObjectCreated(record.body);
    if (!parsed.ok) {
      dropped += 1;
      logger.warn('record_rejected', { messageId: record.messageId, reason: parsed.reason });
      continue;
    }
    const { key, eventTime } = parsed.value;
    if (!key.startsWith(config.logPrefix)) {
      dropped += 1;
      logger.warn('record_outside_prefix', { messageId: record.messageId, prefix: config.logPrefix });
      continue;
    }
    const logTime = logObjectTime(key, config.logFormat) ?? eventTime;
    const window = closedWindowFor(logTime, config);
    const request = s3WindowRunRequest(window, config.settleSeconds);
    const run = runs.get(request.runId) ?? { request, messageIds: [], start: window.start };
    run.messageIds.push(record.messageId);
    runs.set(request.runId, run);
  }
  const ordered = [...runs.values()].sort((a, b) => a.start - b.start);
  return { runs: ordered.map(({ request, messageIds }) => ({ request, messageIds })), dropped };
}

/** The handler without middleware: exported for tests that drive it through makeHandler. */
export async function startBatchWindows(event: SqsEnvelope, deps: BatchStarterDeps): Promise<SqsBatchResponse> {
  const { sfn, config, logger } = deps;
  const { runs, dropped } = planWindows(event, deps);
  const failures: string[] = [];
  for (const [i, run] of runs.entries()) {
    if (i >= config.maxWindowsPerBatch) {
      // A backfill burst: leave the rest to SQS's retry instead of starting hundreds of runs at once.
      failures.push(...run.messageIds);
      continue;
    }
    try {
      const outcome = await startRunOnce(sfn, config.stateMachineArn, run.request);
      logger.info(outcome.status === 'started' ? 'run_started' : 'run_already_started', {
        runId: run.request.runId,
        window: run.request.window,
        files: run.messageIds.length,
      });
    } catch (e: unknown) {
      failures.push(...run.messageIds);
      logger.error('run_start_failed', { runId: run.request.runId, error: errorMessage(e), files: run.messageIds.length });
    }
  }
  logger.info('batch_done', { records: event.Records.length, windows: runs.length, dropped, retried: failures.length });
  return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) };
}

/**
 * Wraps the handler in its middleware. `resolveDeps` runs once, on the first invocation, so the
 * environment is read at cold start (and tests can import the module without it).
 */
export function makeHandler(logger: Logger, resolveDeps: () => Omit<BatchStarterDeps, 'logger'>) {
  let deps: BatchStarterDeps | undefined;
  return middy<SqsEnvelope, SqsBatchResponse>()
    .use(injectLambdaContext(logger))
    .use(validateEvent(parseSqsEnvelope))
    .handler((event) => startBatchWindows(event, (deps ??= { ...resolveDeps(), logger })));
}

const logger = new Logger({ serviceName: 'loadprint-batch-starter' });
// Created once per container; the SDK's standard retry mode already backs off on throttling.
const sfn = new SFNClient({});

export const handler = makeHandler(logger, () => ({ sfn, config: readBatchStarterConfig(process.env) }));

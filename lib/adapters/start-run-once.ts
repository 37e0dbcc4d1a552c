/**
 * Starts a triggered profiling run as a Step Functions execution named after the run id. The name is
 * the lock: Step Functions keeps execution names unique per state machine for 90 days, so a second
 * start of the same run (another file of the same batch window, an SQS redelivery, a retried deploy
 * event) is refused with ExecutionAlreadyExists and reported as already started, with no table to keep.
 * (POST /runs uses SfnRunStarter in sfn-run-starter.ts, where a duplicate id is the caller's error.)
 */
import { ExecutionAlreadyExists, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { RunRequest } from '../core/triggers/run-request';

export type RunStartOutcome =
  | { readonly status: 'started'; readonly runId: string; readonly executionArn: string }
  | { readonly status: 'already-started'; readonly runId: string };

/**
 * Starts `request` on the state machine. Throttling and other service errors propagate (the caller's
 * retry policy decides); only "this run already exists" is an answer rather than an error.
 */
export async function startRunOnce(
  sfn: SFNClient,
  stateMachineArn: string,
  request: RunRequest,
): Promise<RunStartOutcome> {
  try {
    const out = await sfn.send(
      new StartExecutionCommand({ stateMachineArn, name: request.runId, input: JSON.stringify(request) }),
    );
    // Same name and same input while the first still runs: Step Functions answers with the first.
    return { status: 'started', runId: request.runId, executionArn: out.executionArn ?? '' };
  } catch (e: unknown) {
    if (e instanceof ExecutionAlreadyExists || (e instanceof Error && e.name === 'ExecutionAlreadyExists')) {
      return { status: 'already-started', runId: request.runId };
    }
    throw e;
  }
}

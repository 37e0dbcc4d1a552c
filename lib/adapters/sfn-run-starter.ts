/**
 * The AWS RunStarter: one Step Functions execution per run, named after the run id (so a retried
 * request cannot start the same run twice). Inputs must be S3 locations: `s3://bucket/prefix` or a
 * key prefix in the logs bucket the state machine reads.
 *
 * Execution input contract: `{"runId": "...", "inputs": ["s3://..." | "prefix/..."]}`.
 */
import { ExecutionAlreadyExists, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { RunRejectedError, type RunStarter, type RunStartInput } from '../core/api/run-starter';
import { isS3Uri, s3Location, UNSAFE_KEY } from '../core/s3-uri';

export interface SfnRunStarterProps {
  readonly client: SFNClient;
  readonly stateMachineArn: string;
}


/** Execution names: 1-80 of letters, digits, `-` and `_`. */
const EXECUTION_NAME = /^[A-Za-z0-9_-]{1,80}$/;

export function isS3Input(input: string): boolean {
  if (isS3Uri(input)) return s3Location(input) !== undefined && !UNSAFE_KEY.test(input.slice(5));
  return !/^[a-z][a-z0-9+.-]*:/i.test(input) && !input.startsWith('/') && !UNSAFE_KEY.test(input);
}

export class SfnRunStarter implements RunStarter {
  constructor(private readonly props: SfnRunStarterProps) {
    if (!props.stateMachineArn) throw new Error('SfnRunStarter needs a state machine ARN');
  }

  async start({ inputs, runId, reading }: RunStartInput): Promise<void> {
    // The state machine's Athena tables read ALB and CloudFront logs as AWS writes them.
    if (reading !== undefined && Object.keys(reading).length > 0) {
      throw new RunRejectedError(
        `"options" (${Object.keys(reading).join(', ')}) apply to local runs: the AWS pipeline reads ALB and CloudFront logs as AWS writes them`,
        'invalid_options',
      );
    }
    const bad = inputs.find((i) => !isS3Input(i));
    if (bad !== undefined) {
      throw new RunRejectedError(
        `input ${JSON.stringify(bad.slice(0, 200))} is not an S3 location; give s3://bucket/prefix or a key prefix of the logs bucket`,
      );
    }
    if (!EXECUTION_NAME.test(runId)) throw new Error(`run id ${runId} cannot name a Step Functions execution`);
    try {
      await this.props.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.props.stateMachineArn,
          name: runId,
          input: JSON.stringify({ runId, inputs }),
        }),
      );
    } catch (e: unknown) {
      if (e instanceof ExecutionAlreadyExists) {
        throw new RunRejectedError(`a run named ${runId} was already started`);
      }
      throw e;
    }
  }
}

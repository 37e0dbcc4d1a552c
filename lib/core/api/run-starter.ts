/**
 * The port through which POST /runs and `loadprint watch` start a run: locally a child process
 * running `loadprint run`, in AWS a Step Functions execution. Starting returns once the run is
 * accepted, not when it ends.
 */
import { UserError } from '../errors';

export interface RunStartInput {
  /** Local paths (files or folders) or, in AWS, S3 prefixes / `s3://` URIs. */
  inputs: string[];
  runId: string;
}

export interface RunStarter {
  start(input: RunStartInput): Promise<void>;
}

/** The inputs cannot be used (missing path, outside the allowed roots, not an S3 location): a 400. */
export class RunRejectedError extends UserError {
  override readonly name = 'RunRejectedError';
}

/** Too many runs in progress to start another now: a 429, try again later. */
export class RunsBusyError extends UserError {
  override readonly name = 'RunsBusyError';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/**
 * The port through which POST /runs and `loadprint watch` start a run: locally a child process
 * running `loadprint run`, in AWS a Step Functions execution. Starting returns once the run is
 * accepted, not when it ends.
 */
import { UserError } from '../errors';
import type { ReadingFlags } from '../ingest/reading-options';

export interface RunStartInput {
  /** Local paths (files or folders) or, in AWS, S3 prefixes / `s3://` URIs. */
  inputs: string[];
  runId: string;
  /** How the run reads its logs, as given (already checked); left out, the run's defaults. */
  reading?: Partial<ReadingFlags>;
}

export interface RunStarter {
  start(input: RunStartInput): Promise<void>;
}

/** The inputs or options cannot be used (missing path, outside the allowed roots, not an S3 location, options the pipeline cannot apply): a 400. */
export class RunRejectedError extends UserError {
  override readonly name = 'RunRejectedError';
  constructor(
    message: string,
    /** The API error code: which part of the request is refused. */
    readonly code: 'invalid_inputs' | 'invalid_options' = 'invalid_inputs',
  ) {
    super(message);
  }
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

/** Trigger rules for AWS runs: log times from S3 keys, batch windows, the state machine's input. */
export * from './log-object-time';
export * from './run-request';

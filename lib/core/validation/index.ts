/**
 * Validation and drift: figures traffic is reduced to, the statistics that compare them, the
 * figure-by-figure comparison (validation.json) and the run-to-run drift report.
 */
export * from './stats';
export * from './figures';
export * from './compare';
export * from './diff-runs';

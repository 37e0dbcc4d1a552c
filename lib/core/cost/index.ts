/** Per-run cost planning for Athena: budget arithmetic, session sampling, the plan. */
export * from './pricing';
export * from './sampling';
export * from './plan';
export * from './partitions';

/**
 * The simulator's public surface: the engine (model -> sessions), the demo world (the ground truth),
 * and the log formats (sessions -> lines). Files on disk: lib/adapters/generate-logs.ts.
 */
export { simulateSessions, sessionsForTargetLines, defaultClientKind, templateKey, isAssetPath, isApiPath } from './simulate';
export type { SimRequest, SimSession, SimulateOptions } from './simulate';
export { demoWorld, stateMatcher, hourOfWeek, dispersionIndex, DEMO_PERSONAS, DEMO_HOST, DEMO_START, DEMO_CATEGORIES } from './demo-world';
export type { DemoWorldOptions, DemoPersona } from './demo-world';
export { lognormalDistribution, uniformDistribution, summarize, fromQuantiles } from './distribution';
export { Rng, sampleQuantiles } from './rng';
export { formatSpec } from './formats';
export type { FormatOptions } from './formats';
export { writeLogs, csvField } from './write-logs';
export type { FormatSpec, LogLine, WriteLogsOptions, WriteResult } from './write-logs';
export { ALB_FIELDS, ALB_LINE_REGEX } from './write-alb';
export { CLOUDFRONT_FIELDS, cloudfrontEncode } from './write-cloudfront';
export { CSV_COLUMNS } from './write-csv';
export { MemorySink } from './sink';
export type { LogSink, LogFileWriter } from './sink';
export { BROWSER_USER_AGENTS, MACHINE_USER_AGENTS, BOT_USER_AGENTS } from './clients';
export type { ClientKind, ClientSettings } from './clients';

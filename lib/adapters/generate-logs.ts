/**
 * One call from a model (the demo world by default) to log files on disk, for tests, the benchmark,
 * the bundled examples and `loadprint simulate`: simulate sessions, render them in a log format and
 * write them under `<outDir>/logs/` with the ground truth in `<outDir>/truth.csv`.
 *
 * @example
 *   const r = await generateLogs({ format: 'alb', outDir: '/tmp/w', sessions: 20_000, seed: 7 });
 *   // r.logsDir holds AWSLogs/<account>/elasticloadbalancing/...; r.truthFile maps sessions to personas
 */
import path from 'node:path';
import { DEFAULTS } from '../core/config';
import { demoWorld } from '../core/simulate/demo-world';
import { formatSpec } from '../core/simulate/formats';
import type { FormatOptions } from '../core/simulate/formats';
import { simulateSessions } from '../core/simulate/simulate';
import type { SimulateOptions } from '../core/simulate/simulate';
import { writeLogs } from '../core/simulate/write-logs';
import type { WriteResult } from '../core/simulate/write-logs';
import type { LogFormat, TrafficModel } from '../core/types';
import { FsLogSink } from './fs-log-sink';

export interface GenerateLogsOptions {
  format: LogFormat;
  outDir: string;
  /** Sessions to simulate; or `targetLines` for roughly that many log lines. */
  sessions?: number;
  targetLines?: number;
  /** @default DEFAULTS.simulate.seed */
  seed?: number;
  /** Model to simulate. @default demoWorld({ days, start }) */
  model?: TrafficModel;
  /** Days of the demo world (ignored with `model`). @default 7 */
  days?: number;
  /** Moves the window to start here. */
  start?: Date;
  /** Exact number of malformed lines to inject. @default 0 */
  malformed?: number;
  /** gzip where the format makes it optional. */
  gzip?: boolean;
  /** Write `<outDir>/truth.csv`. @default true */
  truth?: boolean;
  /** Extra simulator settings (client mix, caps). */
  simulate?: Partial<Omit<SimulateOptions, 'seed' | 'sessions' | 'targetLines' | 'start'>>;
  /** Format details (ALB account and region, CloudFront distribution, ...). */
  formatOptions?: Omit<FormatOptions, 'seed' | 'gzip'>;
}

export interface GenerateLogsResult extends WriteResult {
  outDir: string;
  /** Folder holding the log files (point `loadprint run` here). */
  logsDir: string;
  /** Absolute path of truth.csv, or null. */
  truthFile: string | null;
  seconds: number;
}

export async function generateLogs(opts: GenerateLogsOptions): Promise<GenerateLogsResult> {
  const began = process.hrtime.bigint();
  const seed = opts.seed ?? DEFAULTS.simulate.seed;
  const modelOpts: { days?: number; start?: Date } = {};
  if (opts.days !== undefined) modelOpts.days = opts.days;
  if (opts.start !== undefined) modelOpts.start = opts.start;
  const model = opts.model ?? demoWorld(modelOpts);
  const simOpts: SimulateOptions = { ...opts.simulate, seed };
  if (opts.sessions !== undefined) simOpts.sessions = opts.sessions;
  if (opts.targetLines !== undefined) simOpts.targetLines = opts.targetLines;
  if (opts.start !== undefined && opts.model !== undefined) simOpts.start = opts.start;
  const fmtOpts: FormatOptions = { ...opts.formatOptions, seed };
  if (opts.gzip !== undefined) fmtOpts.gzip = opts.gzip;
  const sink = new FsLogSink(opts.outDir);
  const result = await writeLogs(formatSpec(opts.format, fmtOpts), simulateSessions(model, simOpts), sink, {
    seed,
    malformed: opts.malformed ?? 0,
    prefix: 'logs/',
    truthPath: opts.truth === false ? null : 'truth.csv',
  });
  return {
    ...result,
    outDir: opts.outDir,
    logsDir: path.join(opts.outDir, 'logs'),
    truthFile: result.truthPath === null ? null : path.join(opts.outDir, result.truthPath),
    seconds: Number(process.hrtime.bigint() - began) / 1e9,
  };
}

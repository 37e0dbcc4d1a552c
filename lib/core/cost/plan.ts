/**
 * Plans one run's Athena spend before any query runs. Given the log objects in the window (from an
 * S3 listing of the partitions the queries will read) and a budget, it decides:
 *
 * 1. Which partitions to read. Athena bills the compressed bytes it reads, and a predicate on the
 *    session hash does not make it read fewer bytes of gzip text, so the only lever on the scan is
 *    reading fewer partitions: when the whole window would exceed the budget, the oldest partitions
 *    are dropped and the window starts later (the newest traffic is the most relevant).
 * 2. The session sampling fraction: the Lambda steps (clustering, model) hold every session's feature
 *    row, so above `maxUnsampledLogBytes` sessions are sampled by a hash of the session key; sessions
 *    stay whole and the same in DuckDB and Athena (see sampling.ts).
 *
 * The result is recorded in the manifest next to the bytes actually scanned, so an estimate that is
 * off can be seen. Pure: the caller lists S3, this only does arithmetic.
 */
import { OptionError } from '../errors';
import type { SqlDialectName } from '../types';
import { billedBytesPerQuery, budgetBytes, scanCostUsd, type AthenaPricing, type RunBudget } from './pricing';
import { sessionSample, sessionSamplePredicate, type SessionSample } from './sampling';

/** One log object in S3. `time` is the log time its name says (epoch seconds), when it says one. */
export interface LogObject {
  readonly key: string;
  readonly bytes: number;
  readonly time?: number;
}

export interface CostPlanInput {
  readonly objects: readonly LogObject[];
  /** The requested window, epoch seconds, end exclusive. */
  readonly window: { readonly start: number; readonly end: number };
  readonly budget: RunBudget;
  readonly pricing: AthenaPricing;
  /** Queries that read the raw logs per run (DEFAULTS.cost.rawScansPerRun). */
  readonly rawScansPerRun: number;
  /** Partition length of the log table (ALB: a day, CloudFront: an hour), seconds. */
  readonly partitionSeconds: number;
  readonly maxUnsampledLogBytes: number;
  readonly samplingBuckets: number;
  /** SQL expression of the session key in the features query, for the sampling predicate. */
  readonly sessionKeyExpr: string;
}

export interface CostPlan {
  /** False when even the newest partition alone exceeds the budget: the run should not start. */
  readonly feasible: boolean;
  readonly budgetBytes: number;
  readonly budgetUsd: number;
  /** The window to profile: the requested one, or its newest part when partitions were dropped. */
  readonly window: { readonly start: number; readonly end: number };
  readonly trimmed: boolean;
  readonly objects: { readonly listed: number; readonly kept: number };
  readonly logBytes: { readonly listed: number; readonly kept: number };
  /** Bytes the run's raw scans read, and what Athena bills and charges for them. */
  readonly estimate: { readonly scannedBytes: number; readonly billedBytes: number; readonly costUsd: number };
  readonly sample: SessionSample;
  /** WHERE-clause predicates for the features query (`TRUE` when every session is kept). */
  readonly samplePredicate: Readonly<Record<SqlDialectName, string>>;
  /** Why the plan departs from "whole window, every session", for the manifest's warnings. */
  readonly notes: readonly string[];
}

const GB = 2 ** 30;
const fmtGb = (bytes: number): string => `${(bytes / GB).toFixed(2)} GB`;
const iso = (epochSeconds: number): string => new Date(epochSeconds * 1000).toISOString();

/** Plans a run's scan and sample. Throws OptionError on a budget or window that makes no sense. */
export function planRunCost(input: CostPlanInput): CostPlan {
  const { window, pricing, rawScansPerRun, partitionSeconds } = input;
  if (!(window.end > window.start)) {
    throw new OptionError(`run window must end after it starts, got ${iso(window.start)} .. ${iso(window.end)}`);
  }
  if (!Number.isInteger(rawScansPerRun) || rawScansPerRun < 1) {
    throw new OptionError(`rawScansPerRun must be a positive integer, got ${rawScansPerRun}`);
  }
  if (!(partitionSeconds > 0)) throw new OptionError(`partitionSeconds must be > 0, got ${partitionSeconds}`);
  const budget = budgetBytes(input.budget, pricing);
  const runBilled = (bytes: number): number => rawScansPerRun * billedBytesPerQuery(bytes, pricing);

  // Group by partition; objects whose name carries no time cannot be dropped by partition.
  const byPartition = new Map<number, number>();
  let undatedBytes = 0;
  let listedBytes = 0;
  for (const o of input.objects) {
    listedBytes += o.bytes;
    if (o.time === undefined) undatedBytes += o.bytes;
    else {
      const p = Math.floor(o.time / partitionSeconds) * partitionSeconds;
      byPartition.set(p, (byPartition.get(p) ?? 0) + o.bytes);
    }
  }

  // Keep partitions newest first while the run's scans stay within budget.
  const newestFirst = [...byPartition.entries()].sort((a, b) => b[0] - a[0]);
  let keptBytes = undatedBytes;
  let oldestKept: number | undefined;
  for (const [start, bytes] of newestFirst) {
    if (oldestKept !== undefined && runBilled(keptBytes + bytes) > budget) break;
    keptBytes += bytes;
    oldestKept = start;
  }
  const dropped = newestFirst.filter(([start]) => oldestKept !== undefined && start < oldestKept);
  const trimmed = dropped.length > 0;
  const keptObjects = input.objects.filter(
    (o) => o.time === undefined || oldestKept === undefined || o.time >= oldestKept,
  ).length;
  const feasible = runBilled(keptBytes) <= budget;
  const windowStart = trimmed && oldestKept !== undefined ? Math.max(window.start, oldestKept) : window.start;

  const wanted = keptBytes > input.maxUnsampledLogBytes ? input.maxUnsampledLogBytes / keptBytes : 1;
  const sample = sessionSample(wanted, input.samplingBuckets);

  const notes: string[] = [];
  if (!feasible) {
    notes.push(
      `the newest partition alone needs ${fmtGb(runBilled(keptBytes))} of scanning, over the budget of ` +
        `${fmtGb(budget)}; raise the budget or shorten the window`,
    );
  } else if (trimmed) {
    notes.push(
      `window shortened to start at ${iso(windowStart)}: the whole window (${fmtGb(listedBytes)} of logs, ` +
        `${rawScansPerRun} scans) exceeds the budget of ${fmtGb(budget)} scanned`,
    );
  }
  if (sample.fraction < 1) {
    notes.push(
      `sessions sampled at ${(sample.fraction * 100).toFixed(2)}% by session-key hash: ${fmtGb(keptBytes)} of logs ` +
        `is more than the ${fmtGb(input.maxUnsampledLogBytes)} the clustering step takes whole`,
    );
  }

  const billed = runBilled(keptBytes);
  return {
    feasible,
    budgetBytes: budget,
    budgetUsd: scanCostUsd(budget, pricing),
    window: { start: windowStart, end: window.end },
    trimmed,
    objects: { listed: input.objects.length, kept: keptObjects },
    logBytes: { listed: listedBytes, kept: keptBytes },
    estimate: { scannedBytes: rawScansPerRun * keptBytes, billedBytes: billed, costUsd: scanCostUsd(billed, pricing) },
    sample,
    samplePredicate: {
      duckdb: sessionSamplePredicate(input.sessionKeyExpr, sample, 'duckdb'),
      athena: sessionSamplePredicate(input.sessionKeyExpr, sample, 'athena'),
    },
    notes,
  };
}

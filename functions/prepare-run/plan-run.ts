/**
 * prepare-run's work: the window (from the request, or from the object times of explicit S3
 * prefixes), the S3 listing of its partitions, the cost plan, the session SQL chain (stored in work/
 * for cluster), the draft manifest (status running) and the features query for Athena.
 */
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { runKey } from '../../lib/core/api/runs';
import { DEFAULTS } from '../../lib/core/config';
import { partitionKeyPrefixes, partitionPredicate, partitionValues, planRunCost, type LogObject } from '../../lib/core/cost';
import { OptionError } from '../../lib/core/errors';
import { ACTOR_SQL, sessionChainCtes } from '../../lib/core/staged-run/session-chain';
import { logSourceSql } from '../../lib/core/staged-run/source-select';
import { featuresQuerySql } from '../../lib/core/staged-run/staged-queries';
import { logObjectTime } from '../../lib/core/triggers';
import type { Manifest } from '../../lib/core/types';
import { workKey, type PipelineState, type StepDeps } from '../shared/step-handler';

/** Log files named in the manifest (the rest are counted in `cost.objects`). */
const MAX_MANIFEST_INPUTS = 1000;
/** Bound on ListObjectsV2 pages per prefix (1000 keys each). */
const MAX_LIST_PAGES = 200;

async function listObjects(s3: S3Client, bucket: string, prefix: string, deps: StepDeps): Promise<LogObject[]> {
  const out: LogObject[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_LIST_PAGES; page++) {
    const res = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
    for (const o of res.Contents ?? []) {
      if (!o.Key) continue;
      const time = logObjectTime(o.Key, deps.config.logFormat);
      out.push({ key: o.Key, bytes: o.Size ?? 0, ...(time !== undefined ? { time } : {}) });
    }
    if (!res.IsTruncated || !res.NextContinuationToken) return out;
    token = res.NextContinuationToken;
  }
  deps.logger.warn('listing_truncated', { prefix, pages: MAX_LIST_PAGES });
  return out;
}

/** Explicit inputs must be prefixes of the log table in the log bucket (the only data Athena reads). */
function inputPrefix(input: string, bucket: string, tablePrefix: string): string {
  let key = input;
  if (input.startsWith('s3://')) {
    const slash = input.indexOf('/', 5);
    const b = slash < 0 ? input.slice(5) : input.slice(5, slash);
    if (b !== bucket) throw new OptionError(`input ${input} is not in the log bucket ${bucket}; profile logs under s3://${bucket}/${tablePrefix}`);
    key = slash < 0 ? '' : input.slice(slash + 1);
  }
  if (!key.startsWith(tablePrefix)) throw new OptionError(`input ${input} is outside the log table's prefix "${tablePrefix}"`);
  return key;
}

export interface PrepareAnswer {
  queries: { sessionFeatures: string };
  plan: { window: { start: string; end: string }; objects: number; logBytes: number; estimate: { scannedBytes: number; costUsd: number }; sampleFraction: number; notes: readonly string[] };
}

export async function prepareRun(state: PipelineState, deps: StepDeps): Promise<PrepareAnswer> {
  const { config, s3, dialect: d } = deps;
  const bucket = config.logBucket ?? '';
  const tablePrefix = config.logPrefix ?? '';
  if (!bucket) throw new Error('prepare-run needs LOG_BUCKET (bindLogBucketListing)');

  let window: { start: number; end: number };
  let objects: LogObject[];
  let paths: string | undefined;
  if (state.window) {
    window = { start: Date.parse(state.window.start) / 1000, end: Date.parse(state.window.end) / 1000 };
    if (!(window.end > window.start)) throw new OptionError(`run window must end after it starts (${state.window.start} .. ${state.window.end})`);
    const prefixes = partitionKeyPrefixes(tablePrefix, partitionValues(window, config.partitionFormat));
    objects = (await Promise.all(prefixes.map((p) => listObjects(s3, bucket, p, deps)))).flat();
  } else if (state.inputs && state.inputs.length > 0) {
    const prefixes = state.inputs.map((i) => inputPrefix(i, bucket, tablePrefix));
    objects = (await Promise.all(prefixes.map((p) => listObjects(s3, bucket, p, deps)))).flat();
    const times = objects.flatMap((o) => (o.time === undefined ? [] : [o.time]));
    if (times.length === 0) throw new OptionError(`no log files with a log time under ${state.inputs.join(', ')}`);
    window = { start: Math.min(...times) - config.partitionSeconds, end: Math.max(...times) + config.partitionSeconds };
    paths = `(${prefixes.map((p) => `"$path" LIKE '${`s3://${bucket}/${p}`.replace(/'/g, "''").replace(/[%_]/g, (c) => `\\${c}`)}%' ESCAPE '\\'`).join(' OR ')})`;
  } else {
    throw new OptionError('the run request has neither a window nor inputs');
  }
  if (objects.length === 0) throw new OptionError(`no log files under s3://${bucket}/${tablePrefix} for ${new Date(window.start * 1000).toISOString()} .. ${new Date(window.end * 1000).toISOString()}`);

  const c = DEFAULTS.cost;
  const plan = planRunCost({
    objects, window, budget: { bytes: config.budgetBytes }, pricing: c, rawScansPerRun: c.rawScansPerRun,
    partitionSeconds: config.partitionSeconds, maxUnsampledLogBytes: c.maxUnsampledLogBytes, samplingBuckets: c.samplingBuckets,
    sessionKeyExpr: ACTOR_SQL,
  });
  if (!plan.feasible) throw new OptionError(plan.notes.join('; '));

  const source = logSourceSql(d, config.logFormat, `"${config.database}"."${config.table}"`, {
    partitions: partitionPredicate(config.partitionColumn, partitionValues(plan.window, config.partitionFormat)),
    window: plan.window,
    ...(paths ? { paths } : {}),
  });
  const chain = sessionChainCtes(d, { source, samplePredicate: plan.samplePredicate[d.name], ...(deps.uaFlagsTable ? { uaFlagsTable: deps.uaFlagsTable } : {}) });
  await deps.store.put(workKey(state.runId, 'chain.json'), JSON.stringify({ chain }), 'application/json');

  const iso = (t: number): string => new Date(t * 1000).toISOString();
  const manifest: Manifest & { cost: unknown } = {
    runId: state.runId,
    status: 'running',
    createdAt: deps.now().toISOString(),
    inputs: objects.slice(0, MAX_MANIFEST_INPUTS).map((o) => ({ path: `s3://${bucket}/${o.key}`, bytes: o.bytes, format: config.logFormat })),
    format: config.logFormat,
    window: { start: iso(plan.window.start), end: iso(plan.window.end) },
    lines: { read: 0, parsed: 0, rejected: 0, rejectedByReason: {}, samples: [] },
    sessions: 0,
    timings: [],
    versions: {},
    options: { engine: 'athena', trigger: state.trigger ?? { source: 'api', detail: {} }, sampleFraction: plan.sample.fraction },
    warnings: [...plan.notes],
    cost: { budgetBytes: plan.budgetBytes, budgetUsd: plan.budgetUsd, objects: plan.objects, logBytes: plan.logBytes, estimate: plan.estimate, sample: plan.sample },
  };
  await deps.store.put(runKey(state.runId, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, 'application/json');

  return {
    queries: { sessionFeatures: featuresQuerySql(d, chain) },
    plan: {
      window: manifest.window!, objects: plan.objects.kept, logBytes: plan.logBytes.kept,
      estimate: { scannedBytes: plan.estimate.scannedBytes, costUsd: plan.estimate.costUsd }, sampleFraction: plan.sample.fraction, notes: plan.notes,
    },
  };
}


import { DEFAULTS } from '../../../lib/core/config';
import { OptionError } from '../../../lib/core/errors';
import { billedBytesPerQuery, budgetBytes, perQueryCutoffBytes, planRunCost, scanCostUsd, type CostPlanInput, type LogObject } from '../../../lib/core/cost';

const MB = 2 ** 20;
const GB = 2 ** 30;
const DAY = 86_400;
const pricing = DEFAULTS.cost;
const day0 = Date.UTC(2026, 10, 20) / 1000; // 2026-11-20T00:00Z

/** `days` days of ALB files: 288 five-minute files per day of `bytesPerFile` each, all inside their day. */
function albDays(days: number, bytesPerFile: number): LogObject[] {
  const out: LogObject[] = [];
  for (let d = 0; d < days; d += 1) {
    for (let f = 0; f < 288; f += 1) {
      out.push({ key: `alb/${d}/${f}.log.gz`, bytes: bytesPerFile, time: day0 + d * DAY + f * 300 });
    }
  }
  return out;
}

function input(over: Partial<CostPlanInput>): CostPlanInput {
  return {
    objects: [],
    window: { start: day0, end: day0 + 7 * DAY },
    budget: { usd: 1 },
    pricing,
    rawScansPerRun: 2,
    partitionSeconds: DAY,
    maxUnsampledLogBytes: 2 * GB,
    samplingBuckets: 10_000,
    sessionKeyExpr: 'session_key',
    ...over,
  };
}

describe('Athena billing arithmetic', () => {
  it('converts a dollar budget to bytes at the configured price per TB', () => {
    // Given $1 at $5/TB When converted Then it buys a fifth of a (binary) TB
    expect(budgetBytes({ usd: 1 }, pricing)).toBe(Math.floor(2 ** 40 / 5));
    expect(budgetBytes({ bytes: 123_456_789 }, pricing)).toBe(123_456_789);
  });

  it('bills at least 10 MB per query and rounds up to whole MB', () => {
    expect(billedBytesPerQuery(1, pricing)).toBe(10 * MB);
    expect(billedBytesPerQuery(10 * MB + 1, pricing)).toBe(11 * MB);
    expect(scanCostUsd(2 ** 40, pricing)).toBeCloseTo(5, 10);
  });

  it('refuses a budget that is not a positive number with a message naming the fix', () => {
    expect(() => budgetBytes({ usd: 0 }, pricing)).toThrow(OptionError);
    expect(() => budgetBytes({ bytes: Number.NaN }, pricing)).toThrow(/positive number of bytes/);
  });

  it('sets the per-query cutoff to the whole run budget, never below Athena minimum of 10 MB', () => {
    expect(perQueryCutoffBytes({ usd: 1 }, pricing)).toBe(Math.ceil(2 ** 40 / 5 / MB) * MB);
    expect(perQueryCutoffBytes({ bytes: 1_000 }, pricing)).toBe(10 * MB);
  });
});

describe('planRunCost', () => {
  it('keeps the whole window and every session when the scans fit the budget', () => {
    // Given a week of ALB logs at 2 GB per day and a $1 budget (~204 GB)
    const objects = albDays(7, Math.floor((2 * GB) / 288));
    // When planned with a high sampling ceiling
    const plan = planRunCost(input({ objects, maxUnsampledLogBytes: 100 * GB }));
    // Then nothing is trimmed or sampled, and the estimate is two scans of the logs
    expect(plan.feasible).toBe(true);
    expect(plan.trimmed).toBe(false);
    expect(plan.window).toEqual({ start: day0, end: day0 + 7 * DAY });
    expect(plan.sample.fraction).toBe(1);
    expect(plan.samplePredicate).toEqual({ duckdb: 'TRUE', athena: 'TRUE' });
    expect(plan.estimate.scannedBytes).toBe(2 * plan.logBytes.listed);
    expect(plan.estimate.costUsd).toBeCloseTo((2 * plan.logBytes.listed / 2 ** 40) * 5, 2);
    expect(plan.notes).toEqual([]);
  });

  it('drops the oldest day partitions when the whole window would exceed the budget', () => {
    // Given 7 days at 30 GB per day (2 scans = 420 GB) and a $1 budget (~204.8 GB)
    const objects = albDays(7, Math.floor((30 * GB) / 288));
    // When planned
    const plan = planRunCost(input({ objects, maxUnsampledLogBytes: 1000 * GB }));
    // Then the 3 newest days are kept (3 x 30 x 2 = 180 GB <= 204.8 GB; 4 days would be 240 GB)
    expect(plan.feasible).toBe(true);
    expect(plan.trimmed).toBe(true);
    expect(plan.window).toEqual({ start: day0 + 4 * DAY, end: day0 + 7 * DAY });
    expect(plan.objects).toEqual({ listed: 7 * 288, kept: 3 * 288 });
    expect(plan.estimate.billedBytes).toBeLessThanOrEqual(plan.budgetBytes);
    expect(plan.notes.join(' ')).toMatch(/window shortened to start at 2026-11-24T00:00:00.000Z/);
  });

  it('samples sessions by hash when the kept logs exceed what clustering takes whole', () => {
    // Given 8 GB of logs within budget and a 2 GB ceiling for unsampled sessions
    const objects = albDays(4, Math.floor((2 * GB) / 288));
    // When planned
    const plan = planRunCost(input({ objects }));
    // Then a quarter of the sessions are kept, with the predicates for both engines
    expect(plan.sample.fraction).toBeCloseTo(0.25, 3);
    expect(plan.sample.threshold).toBe(2500);
    expect(plan.samplePredicate.athena).toBe('(from_base(substr(to_hex(md5(to_utf8(session_key))), 1, 15), 16) % 10000) < 2500');
    expect(plan.samplePredicate.duckdb).toBe("(('0x' || substr(md5(session_key), 1, 15))::BIGINT % 10000) < 2500");
    expect(plan.notes.join(' ')).toMatch(/sessions sampled at 25\.0\d%/);
  });

  it('declares the run infeasible when even the newest partition exceeds the budget', () => {
    // Given one day of 300 GB and a $1 budget
    const objects = albDays(1, Math.floor((300 * GB) / 288));
    const plan = planRunCost(input({ objects, window: { start: day0, end: day0 + DAY } }));
    expect(plan.feasible).toBe(false);
    expect(plan.notes[0]).toMatch(/newest partition alone needs .* over the budget/);
  });

  it('never drops objects whose names carry no time, and counts them in the estimate', () => {
    const objects: LogObject[] = [{ key: 'manual/upload.log', bytes: 5 * GB }, ...albDays(1, Math.floor(GB / 288))];
    const plan = planRunCost(input({ objects, window: { start: day0, end: day0 + DAY }, maxUnsampledLogBytes: 100 * GB }));
    expect(plan.objects.kept).toBe(objects.length);
    expect(plan.logBytes.kept).toBe(plan.logBytes.listed);
  });

  it('rejects a window that ends before it starts', () => {
    expect(() => planRunCost(input({ window: { start: day0, end: day0 } }))).toThrow(/must end after it starts/);
  });
});

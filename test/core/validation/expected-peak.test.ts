/**
 * The model check's peak page rate (validation/expected-peak.ts): exact on sessions without noise,
 * pages that spill into the next bucket counted there, and no false alarm when production has ten
 * times the sessions the check simulates (scaling a small simulation's busiest hour overstated it).
 */
import { demoWorld } from '../../../lib/core/simulate/demo-world';
import { simulateSessions } from '../../../lib/core/simulate/simulate';
import { expectedPeakRps } from '../../../lib/core/validation/expected-peak';
import { figuresFromSessions, templateMatcher, type FigureSession } from '../../../lib/core/validation/figures';
import { validateModel } from '../../../lib/core/validation/validate-model';
import type { TrafficModel } from '../../../lib/core/types';

const HOUR = 3600;
const START = Date.UTC(2026, 10, 2) / 1000;

/** One persona whose arrival curve is `counts` session starts per hour from START. */
function model(counts: number[]): TrafficModel {
  const start = new Date(START * 1000).toISOString();
  return {
    schemaVersion: 1,
    generatedAt: start,
    window: { start, end: new Date((START + counts.length * HOUR) * 1000).toISOString() },
    productionHosts: [],
    personas: [{
      name: 'reader', share: 1, sessions: counts.reduce((a, b) => a + b, 0), isBot: false, states: [], entry: {}, transitions: {},
      thinkTime: { mean: 0, p10: 0, p50: 0, p90: 0, p99: 0, quantiles: [] },
      arrivals: { bucketSeconds: HOUR, start, counts, hourOfWeek: [], dispersionIndex: 1 },
      params: {},
      requestsPerSession: { mean: 0, p10: 0, p50: 0, p90: 0, p99: 0, quantiles: [] },
      durationSeconds: { mean: 0, p10: 0, p50: 0, p90: 0, p99: 0, quantiles: [] },
      errorRate: 0, writeRatio: 0,
    }],
  };
}

/** A simulated session starting `within` seconds into the first hour, with pages at these offsets. */
function session(within: number, offsets: number[]): FigureSession {
  return {
    persona: 'reader',
    requests: offsets.map((d) => ({ tStart: START + within + d, tEnd: START + within + d + 0.1, method: 'GET', path: '/', status: 200, isAsset: false })),
  };
}

const OPTIONS = { peakBucketSeconds: HOUR, draws: 50, seed: 1 };

describe('expected peak page rate', () => {
  it('is the busiest hour\'s starts times the pages per session when every session is alike', () => {
    const sims = [session(100, [0, 10]), session(1800, [0, 10]), session(3000, [0, 10])];
    expect(expectedPeakRps(model([100, 300, 50]), sims, OPTIONS)).toBeCloseTo((300 * 2) / HOUR, 12);
  });

  it('counts a page in the hour it starts in, after the hour its session started in', () => {
    // Every session's second page lands an hour later: the second hour holds 300 + 100 pages.
    const sims = [session(100, [0, HOUR]), session(2000, [0, HOUR])];
    expect(expectedPeakRps(model([100, 300, 50]), sims, OPTIONS)).toBeCloseTo(400 / HOUR, 12);
  });

  it('sums half-hour arrival buckets into the hour their pages fall in', () => {
    const halfHourly = model([100, 300, 50, 20]);
    halfHourly.personas[0]!.arrivals.bucketSeconds = HOUR / 2;
    // Pages at the start and 2,000 s later: a session started in the first half of an hour keeps both
    // in that hour, one started in the second half puts its second page in the next hour. The first
    // hour holds 2 x 100 + 300 = 500 pages, the second 300 + 2 x 50 + 20 = 420.
    const sims = [session(60, [0, 2000]), session(1500, [0, 2000])];
    expect(expectedPeakRps(halfHourly, sims, OPTIONS)).toBeCloseTo(500 / HOUR, 12);
  });

  it('adds production-sized noise: sessions of 0 or 2 pages peak above their mean of 1 per start', () => {
    const sims = [session(100, []), session(200, [0, 1])];
    const flat = model(Array.from({ length: 48 }, () => 100));
    const peak = expectedPeakRps(flat, sims, { ...OPTIONS, draws: 400 });
    // 100 starts an hour bring 100 pages on average, with a standard deviation of 10 pages: the
    // largest of 48 such hours is about 2.2 standard deviations up.
    expect(peak * HOUR).toBeGreaterThan(115);
    expect(peak * HOUR).toBeLessThan(130);
  });

  it('does not flag the peak of the model that made production, with ten times the sessions the check simulates', () => {
    const world = demoWorld({ days: 2, weeklySessions: 70_000 });
    const sessions = world.personas.reduce((a, p) => a + p.arrivals.counts.reduce((x, y) => x + y, 0), 0);
    const window = { start: Date.parse(world.window.start) / 1000, end: Date.parse(world.window.end) / 1000 };
    const production = figuresFromSessions(simulateSessions(world, { sessions, seed: 5 }), { templateOf: templateMatcher(world), window });
    const report = validateModel({ model: world, production, seed: 6, sessions: Math.round(sessions / 10), clock: { now: () => new Date(0) } });
    const peak = report.checks.find((c) => c.figure === 'peak_rps')!;
    expect(peak.pass).toBe(true);
    expect(peak.value).toBeLessThan(0.05);
  }, 60_000);
});

import { DEFAULTS } from '../../../lib/core/config';
import type { ValidationCheck, ValidationReport } from '../../../lib/core/types';
import { compareFigures } from '../../../lib/core/validation/compare';
import { figuresFromSessions, type TrafficFigures } from '../../../lib/core/validation/figures';
import { PRODUCTION_SHAPE, generateSessions } from './traffic';

const clock = { now: () => new Date('2026-11-28T10:00:00.000Z') };
const minPersonaSessions = 200;

function production(): TrafficFigures {
  return figuresFromSessions(generateSessions(1));
}

function failed(report: ValidationReport): ValidationCheck[] {
  return report.checks.filter((c) => !c.pass);
}

function only(report: ValidationReport, figure: string, scope = 'all'): ValidationCheck {
  const found = report.checks.filter((c) => c.figure === figure && c.scope === scope);
  expect(found).toHaveLength(1);
  return found[0] as ValidationCheck;
}

describe('compareFigures', () => {
  it('passes identical figures on every check, overall and per persona', () => {
    // Given production compared with itself
    const p = production();
    // When compared
    const report = compareFigures(p, structuredClone(p), DEFAULTS.validation.tolerances, 'model', { clock, minPersonaSessions });
    // Then everything passes with perfect values, and both personas were checked
    expect(report).toMatchObject({ kind: 'model', generatedAt: '2026-11-28T10:00:00.000Z', pass: true });
    expect(failed(report)).toEqual([]);
    for (const c of report.checks) expect(c.value).toBe(c.metric === 'correlation' ? 1 : 0);
    expect(new Set(report.checks.map((c) => c.scope))).toEqual(new Set(['all', 'browser', 'buyer']));
    const figures = report.checks.filter((c) => c.scope === 'all').map((c) => c.figure);
    expect(figures).toEqual([
      'endpoint_mix', 'requests_per_session', 'think_time', 'arrival_shape', 'error_rate', 'write_ratio', 'peak_rps', 'persona_mix',
    ]);
  });

  it('passes a second sample of the same traffic (sampling noise stays within tolerances)', () => {
    // Given two independent draws of the same process, large enough for per-persona checks by default
    const big = { ...PRODUCTION_SHAPE, sessions: 6000 };
    const p = figuresFromSessions(generateSessions(1, big));
    const s = figuresFromSessions(generateSessions(2, big));
    // When compared with the default tolerances and persona threshold
    const report = compareFigures(p, s, undefined, 'model', { clock });
    // Then no figure fails, and both personas were judged
    expect(failed(report).map((c) => c.says)).toEqual([]);
    expect(report.checks.filter((c) => c.scope === 'buyer')).toHaveLength(6);
  });

  it('fails only write_ratio when only the write ratio is wrong', () => {
    // Given synthetic figures identical to production but for 10 more points of writes
    const p = production();
    const s: TrafficFigures = { ...structuredClone(p), writeRatio: p.writeRatio + 0.1 };
    // When compared
    const report = compareFigures(p, s, undefined, 'model', { clock });
    // Then write_ratio is the one failure, and it says so with both values
    expect(report.pass).toBe(false);
    expect(failed(report).map((c) => `${c.scope}/${c.figure}`)).toEqual(['all/write_ratio']);
    const c = only(report, 'write_ratio');
    expect(c).toMatchObject({ metric: 'abs_diff', tolerance: DEFAULTS.validation.tolerances.writeRatioAbs });
    expect(c.value).toBeCloseTo(0.1, 12);
    expect(c.production).toBeCloseTo(p.writeRatio, 12);
    expect(c.says).toMatch(/^write ratio differs: .* synthetic vs .* in production \(gap 10 points > 3\)$/);
  });

  it('names the endpoint the synthetic traffic misses when the mix is off', () => {
    // Given payments at 30% of production pages but 3% of synthetic ones
    const p = production();
    const s = structuredClone(p);
    p.endpointCounts = { 'GET /': 350, 'GET /p/{id}': 350, 'POST /payment': 300 };
    s.endpointCounts = { 'GET /': 485, 'GET /p/{id}': 485, 'POST /payment': 30 };
    // When compared
    const c = only(compareFigures(p, s, undefined, 'model', { clock }), 'endpoint_mix');
    // Then the mix fails and the sentence names POST /payment as 10x rarer
    expect(c.pass).toBe(false);
    expect(c.value).toBeGreaterThan(0.05);
    expect(c.says).toMatch(/^endpoint mix differs: JSD 0\.\d+ > 0\.05; POST \/payment is 10x rarer in the synthetic traffic \(3% vs 30% of pages\)$/);
    expect(c.production).toBeCloseTo(0.3, 12);
    expect(c.synthetic).toBeCloseTo(0.03, 12);
  });

  it('flags think times when the synthetic users think three times faster', () => {
    // Given the same traffic with a third of production's think time
    const p = production();
    const s = figuresFromSessions(generateSessions(2, { ...PRODUCTION_SHAPE, meanThink: 4 }));
    // When compared
    const report = compareFigures(p, s, undefined, 'model', { clock, minPersonaSessions });
    // Then think_time fails overall and per persona, and requests per session still pass
    const c = only(report, 'think_time');
    expect(c.pass).toBe(false);
    expect(c.says).toMatch(/^think times differ: KS D 0\.\d+ > 0\.15 \(median \d+(\.\d)? s in production vs \d+(\.\d)? s synthetic\)$/);
    expect(only(report, 'think_time', 'buyer').says).toMatch(/^persona buyer: think times differ/);
    expect(only(report, 'requests_per_session').pass).toBe(true);
  });

  it('compares arrival shapes per hour of day when the window is shorter than a week', () => {
    // Given a one-day production window and synthetic sessions all starting at night
    const p = production();
    const s = structuredClone(p);
    s.arrivalsByHourOfWeek = Array.from({ length: 168 }, (_, h) => (h % 24 < 4 ? 100 : 1));
    // When compared
    const c = only(compareFigures(p, s, undefined, 'model', { clock }), 'arrival_shape');
    // Then the shape fails, over hours of day, naming both busiest hours
    expect(c.pass).toBe(false);
    expect(c.says).toContain('over 24 hours of day (window shorter than a week)');
    expect(c.says).toMatch(/busiest hour 1[3-7]:00 UTC in production vs 0[0-3]:00 UTC synthetic$/);
  });

  it('compares per hour of week when both sides span a week', () => {
    // Given a week-long window where synthetic traffic moved from Monday to Saturday at the same hours
    const p = production();
    p.windowSeconds = 7 * 86400;
    const s = structuredClone(p);
    s.arrivalsByHourOfWeek = [...p.arrivalsByHourOfWeek.slice(48), ...p.arrivalsByHourOfWeek.slice(0, 48)];
    // When compared
    const c = only(compareFigures(p, s, undefined, 'model', { clock }), 'arrival_shape');
    // Then the weekly shape fails (folded to a day it would have matched)
    expect(c.pass).toBe(false);
    expect(c.says).toContain('over 168 hours of week');
    expect(c.says).toMatch(/in production vs Sat \d\d:00 UTC synthetic$/);
  });

  it('flags a peak rate 20% low and a persona mix that lost its buyers', () => {
    // Given synthetic traffic with a lower peak and almost no buyers
    const p = production();
    const s = structuredClone(p);
    s.peakRps = p.peakRps * 0.8;
    const perPersona = s.perPersona ?? {};
    const buyer = perPersona['buyer'];
    if (buyer) perPersona['buyer'] = { ...buyer, sessions: 10 };
    // When compared
    const report = compareFigures(p, s, undefined, 'model', { clock, minPersonaSessions });
    // Then peak_rps and persona_mix fail, and the thin buyer slice is not judged per persona
    expect(failed(report).map((c) => c.figure).sort()).toEqual(['peak_rps', 'persona_mix']);
    expect(only(report, 'peak_rps').says).toMatch(/\(20% off > 15%\)$/);
    expect(only(report, 'persona_mix').says).toMatch(/buyer is \d+(\.\d)?x rarer in the synthetic traffic/);
    expect(report.checks.some((c) => c.scope === 'buyer')).toBe(false);
  });

  it('records the closed-loop kind it is asked for', () => {
    const p = production();
    expect(compareFigures(p, p, undefined, 'closed-loop', { clock }).kind).toBe('closed-loop');
  });
});
